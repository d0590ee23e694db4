/**
 * A tiny generator of real one-page PDFs (PDF 1.4, the standard Helvetica fonts, WinAnsi text):
 * enough for an invoice a viewer opens, showing its number, parties, lines and total.
 * Output is deterministic (no dates, no random IDs), so the same invoice gives the same bytes.
 */

export interface PdfParty {
  name: string;
  lines: string[];
}

export interface PdfInvoice {
  /** "Factuur", "Facture", "Invoice", "Creditnota" … */
  title: string;
  number: string;
  issueDate: string;
  dueDate?: string;
  seller: PdfParty;
  buyer: PdfParty;
  lines: Array<{ description: string; quantity: string; unitPrice: string; vat: string; amount: string }>;
  totals: Array<[label: string, value: string]>;
  footer?: string[];
  labels?: Partial<Record<'date' | 'due' | 'description' | 'quantity' | 'price' | 'vat' | 'amount' | 'to', string>>;
}

const defaultLabels = {
  date: 'Date',
  due: 'Due date',
  description: 'Description',
  quantity: 'Qty',
  price: 'Unit price',
  vat: 'VAT',
  amount: 'Amount',
  to: 'To',
};

/** Characters WinAnsi places in 0x80–0x9f. */
const winAnsiHigh: Record<string, string> = { '€': '\x80', '…': '\x85', '‘': '\x91', '’': '\x92', '“': '\x93', '”': '\x94', '–': '\x96', '—': '\x97' };

/** Printable ASCII only: WinAnsi as is (nearly every string of an invoice). */
const plainAscii = /^[\x20-\x7e]*$/;

/** WinAnsi bytes of a string (one char per byte): Latin-1 as is, a few typographic signs, anything else '?'. */
function winAnsi(text: string): string {
  if (plainAscii.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const high = winAnsiHigh[ch];
    if (high) out += high;
    else if (code < 0x20) out += ' ';
    else if (code <= 0xff && !(code >= 0x7f && code < 0xa0)) out += ch;
    else out += '?';
  }
  return out;
}

const needsEscape = /[\\()]/;

function pdfString(text: string): string {
  const bytes = winAnsi(text);
  return `(${needsEscape.test(bytes) ? bytes.replace(/[\\()]/g, (c) => `\\${c}`) : bytes})`;
}

/** `n.toFixed(2)`; most positions are whole points, which need no formatting (below 1e21, as `toFixed`). */
function fixed2(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.00` : n.toFixed(2);
}

/** Rough Helvetica width (average glyph 0.5 em) to right-align numbers. */
function approxWidth(text: string, size: number): number {
  let units = 0;
  // By code point, as the one-character tests `[0-9]`, `[ .,]`, `[A-Z]` saw it; one per character (not per
  // UTF-16 unit), so a character outside the BMP still counts once.
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    units += c >= 0x30 && c <= 0x39 ? 556 : c === 0x20 || c === 0x2e || c === 0x2c ? 278 : c >= 0x41 && c <= 0x5a ? 667 : 500;
  }
  return (units / 1000) * size;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function renderInvoicePdf(invoice: PdfInvoice): Uint8Array {
  const labels = { ...defaultLabels, ...invoice.labels };
  const ops: string[] = [];
  const text = (x: number, y: number, value: string, size = 10, bold = false) => {
    ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${fixed2(x)} ${fixed2(y)} Td ${pdfString(value)} Tj ET`);
  };
  const right = (xRight: number, y: number, value: string, size = 10, bold = false) =>
    text(xRight - approxWidth(value, size), y, value, size, bold);
  const rule = (y: number) => ops.push(`0.6 w 50 ${y} m 545 ${y} l S`);

  // Seller block, top left; title and number, top right.
  let y = 790;
  text(50, y, invoice.seller.name, 13, true);
  for (const line of invoice.seller.lines) text(50, (y -= 14), line, 9);
  right(545, 790, invoice.title, 20, true);
  right(545, 766, invoice.number, 12, true);
  right(545, 750, `${labels.date}: ${invoice.issueDate}`, 9);
  if (invoice.dueDate) right(545, 737, `${labels.due}: ${invoice.dueDate}`, 9);

  // Buyer block.
  y = Math.min(y, 720) - 26;
  text(320, y, labels.to, 9, true);
  text(320, (y -= 14), invoice.buyer.name, 11, true);
  for (const line of invoice.buyer.lines) text(320, (y -= 13), line, 9);

  // Lines.
  y -= 34;
  text(50, y, labels.description, 9, true);
  right(370, y, labels.quantity, 9, true);
  right(440, y, labels.price, 9, true);
  right(480, y, labels.vat, 9, true);
  right(545, y, labels.amount, 9, true);
  rule(y - 5);
  y -= 20;
  const shown = invoice.lines.slice(0, 24);
  for (const line of shown) {
    text(50, y, truncate(line.description, 52), 9);
    right(370, y, line.quantity, 9);
    right(440, y, line.unitPrice, 9);
    right(480, y, line.vat, 9);
    right(545, y, line.amount, 9);
    y -= 15;
  }
  if (invoice.lines.length > shown.length) {
    text(50, y, `… +${invoice.lines.length - shown.length}`, 9);
    y -= 15;
  }
  rule(y + 8);

  // Totals.
  y -= 12;
  invoice.totals.forEach(([label, value], i) => {
    const last = i === invoice.totals.length - 1;
    right(440, y, label, last ? 11 : 9, last);
    right(545, y, value, last ? 11 : 9, last);
    y -= last ? 18 : 14;
  });

  // Footer.
  let fy = 70;
  for (const line of invoice.footer ?? []) {
    text(50, fy, line, 8);
    fy -= 11;
  }

  // Every character is one byte from here on (WinAnsi text, ASCII syntax): the file is built as one string,
  // its offsets and lengths counted in characters, and encoded once.
  const content = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    null, // the content stream, below
    `<< /Title ${pdfString(`${invoice.title} ${invoice.number}`)} /Producer (Billit Venice Link demo) >>`,
  ];

  let file = '';
  const push = (chunk: string) => {
    file += chunk;
  };
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(file.length);
    push(`${i + 1} 0 obj\n`);
    if (body === null) {
      push(`<< /Length ${content.length} >>\nstream\n`);
      push(content);
      push('\nendstream');
    } else push(body);
    push('\nendobj\n');
  });
  const xref = file.length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.from(file, 'latin1'));
}
