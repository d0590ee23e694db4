/**
 * The chaos run at the test suite's size (`npm run test:chaos` runs it on the large office): faults on every
 * route of both simulators and the app killed at random points, restarted each time; the end state equals a
 * clean run's. See test/chaos/chaos.ts.
 */
import { describe, expect, it } from 'vitest';
import { chaosHeld, describeChaos, runChaos } from '../../chaos/chaos';

describe('a sync under faults and kills', () => {
  it('ends equal to a clean run: nothing partial, nothing twice, every feed item confirmed', async () => {
    const report = await runChaos({ world: { seed: 41, dossiers: 8, invoicesPerDossier: 60 }, kills: 10, faultRate: 0.03, seed: 2026 });
    for (const line of describeChaos(report)) console.log(line);
    expect(report.comparison.documents[1]).toBeGreaterThan(100);
    expect(report.comparison.statements[1]).toBeGreaterThan(100);
    expect(report.comparison).toMatchObject({
      equal: { documents: true, statements: true, files: true },
      partial: [],
      duplicateManifestLines: 0,
      unconfirmedFeedItems: 0,
      integrity: 'ok',
    });
    expect(chaosHeld(report)).toBe(true);
    // The chaos really happened: kills inside work, in more than one step, some after part of it was kept;
    // every kind of fault on the way.
    expect(report.kills.total).toBeGreaterThanOrEqual(10);
    expect(report.kills.inWork).toBeGreaterThanOrEqual(8);
    expect(Object.keys(report.kills.byStep).length).toBeGreaterThanOrEqual(2);
    expect(report.kills.keptWork).toBeGreaterThanOrEqual(1);
    expect(Object.keys(report.faults).sort()).toEqual(['drop-connection', 'latency', 'rate-limit', 'server-error', 'truncate-body', 'wrong-sha256']);
  }, 240_000);
});
