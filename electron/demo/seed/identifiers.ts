/**
 * Drawing valid Belgian identifiers for the demo world from a seeded generator. The arithmetic (check
 * digits, formats) is `shared/belgian`'s; this only picks the base digits.
 */
import { ibanFromBelgianBban, makeEnterpriseNumber, makeStructuredCommunication } from '../../../shared/belgian';
import type { Rng } from './prng';

/** Ten digits, e.g. "0427604308" (mostly 0…, the newer 1… now and then). */
export function enterpriseNumber(rng: Rng): string {
  return makeEnterpriseNumber((rng.chance(0.85) ? '0' : '1') + String(rng.int(2_000_000, 9_999_999)).padStart(7, '0'));
}

/** "BE0427604308" */
export function vatNumber(enterprise: string): string {
  return `BE${enterprise}`;
}

/** A Belgian IBAN at a bank: BBAN = bank code (3) + account (7) + check (first ten mod 97, 0 as 97). */
export function belgianIban(rng: Rng, bankCode: string): string {
  const first10 = bankCode + rng.digits(7);
  const check = Number(BigInt(first10) % 97n) || 97;
  const iban = ibanFromBelgianBban(first10 + String(check).padStart(2, '0'));
  if (!iban) throw new Error(`Could not make an IBAN for bank code ${bankCode}`);
  return iban;
}

/** Twelve digits: ten drawn, then their check digits. */
export function structuredCommunication(rng: Rng): string {
  return makeStructuredCommunication(rng.digits(10));
}
