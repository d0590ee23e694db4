import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocumentInput, StatementInput } from '../../../electron/core/cache';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp folder, removed when the test process exits. */
export function tempDir(prefix = 'bvl-cache-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const names = ['Boulangerie Léon', 'Dupont & Fils', 'Van den Broeck NV', 'Atelier Müller', 'Brasserie Het Anker', 'Garage Lambert'];

/** The structured communication for a base number: 10 digits + 2 check digits (mod 97). */
export function structured(base: number): string {
  const digits = String(base).padStart(10, '0');
  const check = Number(BigInt(digits) % 97n) || 97;
  const all = digits + String(check).padStart(2, '0');
  return `+++${all.slice(0, 3)}/${all.slice(3, 7)}/${all.slice(7)}+++`;
}

/** A plausible document; `i` makes it unique within the dossier. */
export function doc(dossierId: number, i: number, over: Partial<DocumentInput> = {}): DocumentInput {
  const direction = i % 3 === 0 ? 'purchase' : 'sales';
  const counterparty = names[i % names.length]!;
  const excl = 1000 + ((i * 7919) % 500_000);
  const vat = Math.round(excl * 0.21);
  const month = String((i % 12) + 1).padStart(2, '0');
  const day = String((i % 28) + 1).padStart(2, '0');
  return {
    dossierId,
    source: 'billit-order',
    sourceId: String(100_000 + i),
    kind: i % 17 === 0 ? 'credit-note' : 'invoice',
    direction,
    number: `${direction === 'sales' ? 'VF' : 'AF'}-${2020 + (i % 5)}-${String(i).padStart(5, '0')}`,
    issueDate: `${2020 + (i % 5)}-${month}-${day}`,
    seller: direction === 'sales' ? { name: `Dossier ${dossierId}` } : { name: counterparty, enterpriseNumber: `0${String(400_000_000 + i).slice(0, 9)}` },
    buyer: direction === 'sales' ? { name: counterparty, enterpriseNumber: `0${String(400_000_000 + i).slice(0, 9)}` } : { name: `Dossier ${dossierId}` },
    currency: 'EUR',
    totalExclCents: excl,
    totalVatCents: vat,
    totalInclCents: excl + vat,
    paymentReference: structured(dossierId * 1_000_000 + i),
    ...over,
  };
}

export function statement(dossierId: number, i: number, movements = 3, over: Partial<StatementInput> = {}): StatementInput {
  const month = String((i % 12) + 1).padStart(2, '0');
  return {
    dossierId,
    accountIban: i % 2 ? 'BE68 5390 0754 7034' : 'BE71 0961 2345 6769',
    currency: 'EUR',
    statementNumber: String(i).padStart(3, '0'),
    openingDate: `2024-${month}-01`,
    closingDate: `2024-${month}-${String((i % 27) + 2).padStart(2, '0')}`,
    openingCents: 0,
    closingCents: 0,
    source: 'billit-feed',
    sourceId: `feed-${dossierId}-${i}`,
    movements: Array.from({ length: movements }, (_, k) => ({
      seq: k + 1,
      valueDate: `2024-${month}-10`,
      amountCents: 5000 + k,
      counterpartyName: names[(i + k) % names.length]!,
      communication: `payment ${i}-${k}`,
    })),
    ...over,
  };
}
