/**
 * Embedded attachments (cbc:EmbeddedDocumentBinaryObject): parseUbl takes their base64 text out of the
 * document before the XML parser sees it and puts it back for the attachment. The bytes must come back
 * exactly, whatever the prefix, attributes, CDATA, entities or line breaks; markup that only looks like a
 * binary object (in a comment, CDATA, an attribute value, a foreign namespace) must be left alone; broken
 * documents must fail as they would without the cut.
 */
import { describe, expect, it } from 'vitest';
import { NS, encodeBase64, parseUbl, type UblDocument } from '../../../shared/ubl';

/** Every byte value, then a pseudo-random tail: about 12 KB, as large as an invoice PDF of the demo. */
const PDF = (() => {
  const b = new Uint8Array(12_000);
  let x = 0x2545_5044;
  for (let i = 0; i < b.length; i++) {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    b[i] = i < 256 ? i : x >>> 24;
  }
  b.set([0x25, 0x50, 0x44, 0x46, 0x2d], 256); // %PDF-
  return b;
})();
const B64 = encodeBase64(PDF);

/** A small invoice; `adr` goes where the AdditionalDocumentReference elements belong, `before` in front of them. */
function invoice(adr: string, before = '', declarations = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="${NS.invoice}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}"${declarations}>
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>F2025-0042</cbc:ID>
  <cbc:IssueDate>2025-05-14</cbc:IssueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  ${before}
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  ${adr}
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>
`;
}

function adr(id: string, binary: string): string {
  return `<cac:AdditionalDocumentReference><cbc:ID>${id}</cbc:ID><cac:Attachment>${binary}</cac:Attachment></cac:AdditionalDocumentReference>`;
}

const PLAIN = `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="F2025-0042.pdf">${B64}</cbc:EmbeddedDocumentBinaryObject>`;

function parse(xml: string | Uint8Array): UblDocument {
  const r = parseUbl(xml);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('embedded attachments come back byte for byte', () => {
  it('a PDF, from text and from bytes', () => {
    const xml = invoice(adr('F2025-0042', PLAIN));
    for (const input of [xml, new TextEncoder().encode(xml)]) {
      const d = parse(input);
      expect(d.attachments).toHaveLength(1);
      expect(d.attachments[0]).toMatchObject({ id: 'F2025-0042', mimeType: 'application/pdf', filename: 'F2025-0042.pdf' });
      expect(d.attachments[0]!.content).toEqual(PDF);
      expect(d.number).toBe('F2025-0042');
      expect(d.totals.payable).toBe('121.00');
      expect(d.parseFindings).toBeUndefined();
    }
  });

  it('whatever the prefix, attributes, CDATA, entities, line breaks and surrounding markup', () => {
    const wrapped = B64.replace(/.{76}/g, '$&\r\n');
    const variants: Record<string, string> = {
      'another prefix': invoice(adr('A', `<b:EmbeddedDocumentBinaryObject mimeCode="application/pdf">${B64}</b:EmbeddedDocumentBinaryObject>`), '', ` xmlns:b="${NS.cbc}"`),
      'default namespace': invoice(adr('A', `<EmbeddedDocumentBinaryObject xmlns="${NS.cbc}" mimeCode="application/pdf">${B64}</EmbeddedDocumentBinaryObject>`)),
      'prefix declared on the element': invoice(adr('A', `<z:EmbeddedDocumentBinaryObject xmlns:z="${NS.cbc}" mimeCode="application/pdf">${B64}</z:EmbeddedDocumentBinaryObject>`)),
      '> and quotes in attribute values': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject filename='a>b".pdf' mimeCode="application/pdf" note="<x>">${B64}</cbc:EmbeddedDocumentBinaryObject>`)),
      'attributes over lines, tab': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject\n\tmimeCode="application/pdf"\n>${B64}</cbc:EmbeddedDocumentBinaryObject >`)),
      'CDATA': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf"><![CDATA[${B64}]]></cbc:EmbeddedDocumentBinaryObject>`)),
      'text then CDATA': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">${B64.slice(0, 400)}<![CDATA[${B64.slice(400)}]]></cbc:EmbeddedDocumentBinaryObject>`)),
      'comment inside': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf"><!-- pdf -->${B64}</cbc:EmbeddedDocumentBinaryObject>`)),
      'CRLF line breaks, indented': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">\r\n  ${wrapped}\r\n</cbc:EmbeddedDocumentBinaryObject>`)),
      'character references for line breaks': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">&#xD;&#xA;${B64.replace(/.{76}/g, '$&&#13;&#10;')}</cbc:EmbeddedDocumentBinaryObject>`)),
      'a look-alike in a comment before': invoice(adr('A', PLAIN), `<!-- <cbc:EmbeddedDocumentBinaryObject>QUJD</x> -->`),
      'a look-alike in a processing instruction before': invoice(adr('A', PLAIN), `<?note <cbc:EmbeddedDocumentBinaryObject>QUJD</x> "?>" ?>`),
      'CRLF document': invoice(adr('A', PLAIN)).replace(/\n/g, '\r\n'),
      'no-break spaces around (trimmed, as the XML parser trims text)': invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">\u00a0${B64}\u00a0</cbc:EmbeddedDocumentBinaryObject>`)),
    };
    for (const [name, xml] of Object.entries(variants)) {
      const d = parse(xml);
      expect(d.attachments.map((a) => a.content), name).toEqual([PDF]);
      expect(d.attachments[0]!.mimeType, name).toBe('application/pdf');
      expect(d.number, name).toBe('F2025-0042');
    }
  });

  it('several attachments each get their own bytes, in order', () => {
    const small = Uint8Array.from([1, 2, 3, 4, 5]);
    const xml = invoice(
      adr('one', PLAIN) +
        adr('two', `<cbc:EmbeddedDocumentBinaryObject mimeCode="text/csv" filename="two.csv">${encodeBase64(small)}</cbc:EmbeddedDocumentBinaryObject>`) +
        adr('three', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="three.pdf">${B64.slice(0, 4000)}</cbc:EmbeddedDocumentBinaryObject>`),
    );
    const d = parse(xml);
    expect(d.attachments.map((a) => [a.id, a.filename])).toEqual([
      ['one', 'F2025-0042.pdf'],
      ['two', 'two.csv'],
      ['three', 'three.pdf'],
    ]);
    expect(d.attachments[0]!.content).toEqual(PDF);
    expect(d.attachments[1]!.content).toEqual(small);
    expect(d.attachments[2]!.content).toEqual(PDF.subarray(0, 3000));
  });
});

describe('odd and hostile binary objects', () => {
  it('markup that only looks like a binary object keeps its text', () => {
    const look = '<cbc:EmbeddedDocumentBinaryObject>QUJD</x>';
    const inCdata = invoice(adr('A', PLAIN), `<cbc:Note><![CDATA[${look}]]></cbc:Note>`);
    expect(parse(inCdata).notes).toEqual([look]);
    const inComment = invoice(adr('A', PLAIN), '<cbc:Note><!-- <cbc:EmbeddedDocumentBinaryObject>x --> note</cbc:Note>');
    expect(parse(inComment).notes).toEqual(['note']);
    const inPi = invoice(adr('A', PLAIN), '<cbc:Note><?pi a > <cbc:EmbeddedDocumentBinaryObject>x ?>note</cbc:Note><?pi ?>');
    expect(parse(inPi).notes).toEqual(['note']);
    const inAttribute = invoice(adr('A', PLAIN), `<cbc:Note languageID="${look}">n</cbc:Note>`);
    expect(parse(inAttribute).notes).toEqual(['n']);
    expect(parse(inAttribute).attachments[0]!.content).toEqual(PDF);
  });

  it('a binary object in another namespace is not an attachment', () => {
    const d = parse(invoice(adr('A', `<o:EmbeddedDocumentBinaryObject xmlns:o="urn:example:other" mimeCode="application/pdf">${B64}</o:EmbeddedDocumentBinaryObject>`)));
    expect(d.attachments).toEqual([{ id: 'A' }]);
  });

  it('self-closed, empty or whitespace-only: no bytes', () => {
    for (const binary of [
      '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf"/>',
      '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf"></cbc:EmbeddedDocumentBinaryObject>',
      '<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">  \r\n  </cbc:EmbeddedDocumentBinaryObject>',
    ]) {
      const d = parse(invoice(adr('A', binary)));
      expect(d.attachments[0]!.content, binary).toEqual(new Uint8Array(0));
      expect(d.attachments[0]!.mimeType, binary).toBe('application/pdf');
    }
  });

  it('text that is not base64 is reported, not decoded', () => {
    const d = parse(invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">${B64.slice(0, 400)}!${B64.slice(400)}</cbc:EmbeddedDocumentBinaryObject>`)));
    expect(d.attachments[0]!.content).toBeUndefined();
    expect(d.parseFindings).toEqual([expect.objectContaining({ severity: 'error', code: 'attachment' })]);
  });

  it('text that mimics the internal placeholder cannot borrow another attachment', () => {
    for (const forged of ['\u00010', '\u00011', '\u0001']) {
      const xml = invoice(adr('real', PLAIN) + adr('forged', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">${forged}</cbc:EmbeddedDocumentBinaryObject>`));
      const d = parse(xml);
      expect(d.attachments[0]!.content).toEqual(PDF);
      expect(d.attachments[1]!.content, JSON.stringify(forged)).toBeUndefined();
      expect(d.parseFindings).toHaveLength(1);
    }
  });

  it('a document cut off inside the base64 is refused', () => {
    const xml = invoice(adr('A', PLAIN));
    for (const end of [xml.indexOf(B64) + 5000, xml.indexOf('</cbc:EmbeddedDocumentBinaryObject>') + 10, xml.indexOf('<cbc:EmbeddedDocumentBinaryObject') + 20]) {
      expect(parseUbl(xml.slice(0, end))).toMatchObject({ ok: false, error: { code: 'not-xml' } });
    }
  });

  it('an element nested in the binary object is left to the parser', () => {
    const d = parse(invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf">${B64.slice(0, 400)}<x/>${B64.slice(400)}</cbc:EmbeddedDocumentBinaryObject>`)));
    // the parser keeps text around a child element as one text: still the PDF
    expect(d.attachments[0]!.content).toEqual(PDF);
  });

  it('a broken tag after the attachment is reported at its place in the document as written', () => {
    const xml = invoice(adr('A', PLAIN)).replace('<cbc:PayableAmount currencyID="EUR">', '<cbc:PayableAmount currencyID="EUR>');
    const r = parseUbl(xml);
    expect(r).toMatchObject({ ok: false, error: { code: 'not-xml' } });
    expect(!r.ok && r.error.message).toContain(`position ${xml.indexOf('<cbc:PayableAmount')}`);
  });

  it('DTDs stay refused, before or after a binary object', () => {
    const dtd = '<!DOCTYPE Invoice [<!ENTITY x "y">]>';
    const xml = invoice(adr('A', PLAIN));
    expect(parseUbl(xml.replace('<Invoice', `${dtd}<Invoice`))).toMatchObject({ ok: false, error: { code: 'doctype-refused' } });
    expect(parseUbl(xml.replace('<cac:LegalMonetaryTotal>', `${dtd}<cac:LegalMonetaryTotal>`))).toMatchObject({ ok: false, error: { code: 'doctype-refused' } });
  });

  it('limits still apply to the binary object element', () => {
    const attrs = Array.from({ length: 70 }, (_, i) => ` a${i}="${i}"`).join('');
    const xml = invoice(adr('A', `<cbc:EmbeddedDocumentBinaryObject${attrs}>${B64}</cbc:EmbeddedDocumentBinaryObject>`));
    expect(parseUbl(xml)).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
    expect(parseUbl(invoice(adr('A', PLAIN)), { maxBytes: 1000 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });
});
