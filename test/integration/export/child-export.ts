/**
 * A separate process that exports a burst of documents into a root, for the kill and concurrency tests:
 * `tsx child-export.ts '<json options>'`. Prints one JSON line with the run's counts when done.
 */
import fs from 'node:fs';
import { nodeExportFs, type ExportFs } from '../../../electron/core/export/fs-port';
import { openLedgerFile } from '../../../electron/core/export/ledger';
import { createExportService } from '../../../electron/core/export/service';
import { defaultProfile } from '../../../shared/export';
import { burst, FixtureSource, janssens } from './support';

interface Options {
  root: string;
  ledger: string;
  count: number;
  size: number;
  /** Behave like a file system without hard links (SMB, FAT): the lock-file claim is used. */
  noLink?: boolean;
  /** Wait for this file to exist before starting (so several processes start together). */
  goFile?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const fsPort: ExportFs = options.noLink
  ? { ...nodeExportFs, link: async () => Promise.reject(Object.assign(new Error('EPERM: hard links not supported'), { code: 'EPERM' })) }
  : nodeExportFs;

const { ledger, close } = openLedgerFile(options.ledger);
const source = new FixtureSource([janssens], burst(options.count, options.size));
ledger.setProfile(null, defaultProfile(options.root));
const service = createExportService({ ledger, source, fs: fsPort });

if (options.goFile) {
  while (!fs.existsSync(options.goFile)) await new Promise((r) => setTimeout(r, 2));
}
const summary = await service.run({ dossierId: janssens.id });
close();
const { entries, ...counts } = summary;
const failures = entries.filter((e) => e.status === 'failed').map((e) => `${e.reason}: ${e.message}`);
process.stdout.write(JSON.stringify({ ...counts, failures }) + '\n');
