/**
 * `npm run inspect`: detects CODA or UBL, prints the model and findings, and exits 0 (valid), 1 (error
 * findings) or 2 (unreadable). Run as support staff would, as a real process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIX = path.resolve(ROOT, '../shared/fixtures');

function inspect(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/inspect.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('inspect command', { timeout: 120_000 }, () => {
  it('exit 0 and a readable summary for a valid CODA file', () => {
    const r = inspect(path.join(FIX, 'coda/pycoda/Coda_foreign_account.txt'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('CODA');
    expect(r.out).toContain('FR1234567890240924002304825 EUR (structure 3)');
    expect(r.out).toContain('Old balance 443390.70 on 2018-02-01 → new balance 443346.30 on 2018-02-02');
    expect(r.out).toContain('0 error(s), 0 warning(s) — valid');
  });

  it('exit 0 for a valid UBL invoice (warnings allowed), listing parties, totals and attachments', () => {
    const r = inspect(path.join(FIX, 'ubl/peppol-bis3/Norwegian-example-1.xml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Invoice TOSL108 (type 380), issued 2013-06-30, due 2013-07-20, NOK');
    expect(r.out).toContain('payable 802.00');
    expect(r.out).toContain('Attachment Doc2: Hours-spent.csv application/pdf, 21 bytes');
    const warn = inspect(path.join(FIX, 'ubl/peppol-bis3/vat-category-Z.xml'));
    expect(warn.code).toBe(0);
    expect(warn.out).toContain('WARNING iban-invalid');
  });

  it('exit 1 with line-numbered findings when a file has errors', () => {
    const r = inspect(path.join(FIX, 'coda/php-coda-parser/sample2.cod'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ERROR {3}balance \(line 17\): Old balance 25846\.00 \+ credits 0\.00 − debits 9\.68 = 25836\.32, but the new balance is 23154\.685\./);
  });

  it('--json prints the official checks of a UBL file: rule id, flag, source, where, and the rules release', () => {
    const file = path.join(FIX, 'ubl/peppol-bis3/GR-base-example-correct.xml');
    const r = inspect('--json', file);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { rulesRelease: string; findings: Array<{ severity: string; code: string; source: string; line?: number; location?: string }> };
    expect(report.rulesRelease).toBe('Peppol BIS 3.0.19 (May 2025) + EN 16931 1.3.14.1');
    // Upstream's Greek example puts AdditionalDocumentReference after the customer: the schema refuses it.
    expect(report.findings).toContainEqual(expect.objectContaining({ severity: 'error', code: 'XSD', source: 'schema', line: 85 }));
    expect(report.findings).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'GR-S-008-1', source: 'peppol', location: '/Invoice[1]' }));
    const fast = JSON.parse(inspect('--json', '--no-rules', file).out) as { findings: Array<{ source: string }> };
    expect(fast.findings.every((f) => f.source === 'precheck')).toBe(true);
  });

  it('exit 2 for unreadable, refused or unknown files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-'));
    const junk = path.join(dir, 'junk.bin');
    fs.writeFileSync(junk, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const bomb = path.join(dir, 'bomb.xml');
    fs.writeFileSync(bomb, '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>');
    const human = inspect(junk);
    expect(human.code).toBe(2);
    expect(human.out).toContain('UNREADABLE (unknown-format)');
    const r = inspect('--json', path.join(FIX, 'coda/pycoda/Coda_faulty_version.txt'), junk, bomb, path.join(dir, 'missing.cod'));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).map((x: { readable: boolean; error: { code: string } }) => [x.readable, x.error.code])).toEqual([
      [false, 'unsupported-version'],
      [false, 'unknown-format'],
      [false, 'doctype-refused'],
      [false, 'unreadable'],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints the model and findings; several files give the worst exit code', () => {
    const one = inspect('--json', path.join(FIX, 'coda/php-coda-parser/sample10.cod'));
    expect(one.code).toBe(0);
    const report = JSON.parse(one.out);
    expect(report).toMatchObject({ format: 'coda', readable: true });
    expect(report.model.statements[0].movements[1].communication.sepaDirectDebit.mandateReference).toBe('SEPA-000000001');
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['enterprise-number']);

    const many = inspect('--json', path.join(FIX, 'ubl/peppol-bis3/base-example.xml'), path.join(FIX, 'coda/php-coda-parser/sample3.cod'));
    expect(many.code).toBe(1);
    const reports = JSON.parse(many.out);
    expect(reports.map((r: { format: string }) => r.format)).toEqual(['ubl', 'coda']);
    expect(reports[0].model.totals.payable).toBe('1656.25');
  });

  it('--dossier checks that a file is addressed to the dossier', () => {
    const file = path.join(FIX, 'coda/pycoda/Coda_v2_3_single_statement.txt');
    expect(inspect(file, '--dossier', '0417.331.909').code).toBe(0);
    const other = inspect(file, '--dossier', '0427.604.308');
    expect(other.code).toBe(1);
    expect(other.out).toContain('not-addressed-to-dossier');
  });
});
