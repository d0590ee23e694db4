/**
 * Bounded memory on hostile files: each is read in a process of its own, whose peak RSS is measured above
 * what it used before opening the file. Reading any file takes at most 10× its size and 512 MB, whatever it
 * holds; files too large to read that way are refused with a clear reason, not read halfway.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, tempDir } from '../../support/repo';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'read-child.ts');
const MB = 1024 * 1024;
const temp = tempDir('bvl-hostile-');
afterAll(() => temp.cleanup());

interface Read {
  ok: boolean;
  code?: string;
  findings?: string[];
  size: number;
  used: number;
}

function read(kind: 'ubl' | 'coda', file: string): Read {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, kind, file], { cwd: repoRoot, encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`reading ${path.basename(file)} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Read;
}

function write(name: string, parts: Array<string | Uint8Array>, repeat = 1): string {
  const file = path.join(temp.dir, name);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < repeat; i++) for (const p of parts) fs.writeSync(fd, typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  fs.closeSync(fd);
  return file;
}

function expectBounded(r: Read) {
  expect(r.used).toBeLessThanOrEqual(Math.min(10 * r.size, 512 * MB));
}

const base = fs.readFileSync(path.join(fixturesDir, 'ubl/peppol-bis3/base-example.xml'), 'utf8');
const lineStart = base.indexOf('<cac:InvoiceLine>');
const lineEnd = base.lastIndexOf('</cac:InvoiceLine>') + '</cac:InvoiceLine>'.length;

describe('peak memory while reading hostile files (child process RSS)', () => {
  it('a 30 MB invoice of 60,000 lines is read within 10× its size; one of 50 MB is refused as too large', () => {
    const lines = base.slice(lineStart, lineEnd);
    const invoice = (mb: number) => [base.slice(0, lineStart), ...Array.from({ length: Math.ceil((mb * MB) / lines.length) }, () => lines), base.slice(lineEnd)];
    const read30 = read('ubl', write('lines30.xml', invoice(30)));
    expect(read30.ok).toBe(true);
    expect(read30.size).toBeGreaterThan(30 * MB);
    expectBounded(read30);
    const read50 = read('ubl', write('lines50.xml', invoice(50)));
    expect(read50).toMatchObject({ ok: false, code: 'too-large' });
    expectBounded(read50);
  }, 300_000);

  it('a 60 MB invoice that is mostly an embedded PDF is read, within 10× its size', () => {
    const at = base.indexOf('<cac:AccountingSupplierParty>');
    const chunk = 'JVBERi0xLjQK'.repeat(1024 * 64); // base64, 768 KB
    const file = write('pdf.xml', [
      base.slice(0, at),
      '<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="a.pdf">',
      ...Array.from({ length: 80 }, () => chunk),
      '</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>',
      base.slice(at),
    ]);
    const r = read('ubl', file);
    expect(r.ok).toBe(true);
    expectBounded(r);
  }, 300_000);

  it('a 100 MB XML file and a header of 20 MB (a note) are refused as too large, without being parsed', () => {
    const big = read('ubl', write('huge.xml', [base.slice(0, lineStart), ...Array.from({ length: 100 }, () => ' '.repeat(MB)), base.slice(lineStart)]));
    expect(big).toMatchObject({ ok: false, code: 'too-large' });
    expectBounded(big);
    const note = base.replace('<cbc:Note>Payment within 10 days, 2% discount</cbc:Note>', `<cbc:Note>${'x'.repeat(20 * MB)}</cbc:Note>`);
    const header = read('ubl', write('note.xml', [note]));
    expect(header).toMatchObject({ ok: false, code: 'too-large' });
    expectBounded(header);
  }, 300_000);

  it('entity expansion (billion laughs) and deep nesting are refused before any expansion', () => {
    const laughs = read('ubl', write('laughs.xml', [`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><Invoice>&lol9;</Invoice>`]));
    expect(laughs).toMatchObject({ ok: false, code: 'doctype-refused' });
    const deep = read('ubl', write('deep.xml', ['<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">', '<a>'.repeat(1_000_000), '</a>'.repeat(1_000_000), '</Invoice>']));
    expect(deep).toMatchObject({ ok: false, code: 'limit-exceeded' });
    expectBounded(deep);
  }, 300_000);

  it('a 1-million-record CODA file (128 MB) is refused as too large; a 20 MB one is read within 10× its size', () => {
    const pair = ['Coda_v2_3_single_statement.txt', 'Coda_v2_3_multi_statements.txt'].map((f) => {
      const b = fs.readFileSync(path.join(fixturesDir, 'coda/pycoda', f));
      return b[b.length - 1] === 0x0a ? b : Buffer.concat([b, Buffer.from('\r\n')]);
    });
    const one = Buffer.concat(pair);
    const records = one.toString('latin1').split('\n').filter((l) => l.trim()).length;
    const huge = read('coda', write('million.cod', [one], Math.ceil(1_000_000 / records)));
    expect(huge.size).toBeGreaterThan(120 * MB);
    expect(huge).toMatchObject({ ok: false, code: 'too-large' });
    expectBounded(huge);
    const corpus = read('coda', write('corpus.cod', [one], 669));
    expect(corpus.ok).toBe(true);
    // The same two statements 669 times: Venice would book them again and again.
    expect(corpus.findings).toContain('repeated-statement');
    expectBounded(corpus);
  }, 300_000);
});
