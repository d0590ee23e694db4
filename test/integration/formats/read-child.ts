/**
 * Reads one file as the app reads a stored or downloaded file (parse, then validate) and prints, as one
 * JSON line, its memory: the process's peak RSS above the RSS it had before the file was opened (the code
 * loaded, nothing read). Started by `memory.test.ts`: `read-child.ts <ubl|coda> <file>`.
 */
import fs from 'node:fs';
import { parseCoda, validateCoda } from '../../../shared/coda';
import { parseUbl, validateUbl } from '../../../shared/ubl';

const [kind, file] = process.argv.slice(2) as ['ubl' | 'coda', string];
// Warm the code paths on a few bytes so the baseline includes the compiled code, not the file.
parseUbl('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>');
parseCoda('0');
const before = process.memoryUsage().rss;
const bytes = new Uint8Array(fs.readFileSync(file));
let outcome: { ok: boolean; code?: string; findings?: string[] };
if (kind === 'ubl') {
  const r = parseUbl(bytes);
  outcome = r.ok ? { ok: true, findings: validateUbl(r.value).map((f) => f.code) } : { ok: false, code: r.error.code };
} else {
  const r = parseCoda(bytes);
  outcome = r.ok ? { ok: true, findings: [...new Set(validateCoda(r.value).map((f) => f.code))] } : { ok: false, code: r.error.code };
}
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ ...outcome, size: bytes.length, before, peak, used: Math.max(0, peak - before) }) + '\n');
