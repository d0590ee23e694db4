/**
 * Packaging, checked without an installer and without Electron's binary: the builder configuration as
 * electron-builder reads it, then a real electron-builder run (a Linux folder target) on an Electron
 * stand-in that carries the fuse wire the real binary has, so what the run flips and what it packs into
 * the asar are read back from its output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { listPackage } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepLinkScheme } from '../../../electron/deep-link';
import { ensureBuilt } from '../../support/built';
import { repoRoot, tempDir } from '../../support/repo';

interface BuilderConfig {
  appId: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  protocols: Array<{ schemes: string[] }>;
  electronFuses: Record<string, boolean>;
  nsis: Record<string, unknown>;
  win: { target: Array<{ target: string }> };
  mac: { hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string; target: Array<{ target: string }> };
}

describe('electron-builder configuration', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    // Read and checked against its schema by electron-builder itself (a misspelt fuse or option fails here).
    const read = await getConfig(repoRoot, null, null);
    await validateConfiguration(read, new DebugLogger(false));
    config = read as unknown as BuilderConfig;
  });

  it('installs per user on Windows (no administrator rights), letting the user choose the folder', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: false, allowToChangeInstallationDirectory: true });
  });

  it('builds a dmg with the hardened runtime and the entitlements file, which grants the JIT and nothing risky', () => {
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.entitlements).toBe('resources/entitlements.mac.plist');
    expect(config.mac.entitlementsInherit).toBe('resources/entitlements.mac.plist');
    const plist = fs.readFileSync(path.join(repoRoot, config.mac.entitlements), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    expect(plist).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|get-task-allow/);
  });

  it('sets every fuse the app relies on', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('registers the OAuth redirect\'s scheme and unpacks native modules and the worker from the asar', () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual([deepLinkScheme]);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['out/electron/sync-worker.js', '**/*.node', '**/node_modules/better-sqlite3/**', '**/node_modules/keytar/**']));
  });
});

/** Electron's fuse wire as the real binary carries it (electron/fuses): sentinel, version 1, length, states. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const electronDefaults = '10110001';
const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) }; // RunAsNode on, cookies plain, NODE_OPTIONS on, inspect on, integrity off, asar-only off, v8 snapshot off, file:// privileges on

describe('a package built from out/ on an Electron stand-in', () => {
  const work = tempDir('bvl-package-');
  const dist = path.join(work.dir, 'electron-dist');
  const release = path.join(work.dir, 'release');
  let run: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    ensureBuilt();
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(path.join(dist, 'electron'), Buffer.concat([Buffer.from('\x7fELF stand-in '), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(electronDefaults), Buffer.from(' end')]), { mode: 0o755 });
    fs.writeFileSync(path.join(dist, 'version'), '45.4.1');
    run = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/electron-builder/cli.js'),
        '--linux',
        'dir',
        '--publish',
        'never',
        `-c.electronDist=${dist}`,
        '-c.npmRebuild=false',
        `-c.directories.output=${release}`,
      ],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: '1' } },
    );
  }, 150_000);
  afterAll(() => work.cleanup());

  const appDir = () => path.join(release, 'linux-unpacked');
  const executable = () => path.join(appDir(), 'billit-venice-link');

  it('packs without error', () => {
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('flips the fuses in the binary as configured', async () => {
    const wire = await getCurrentFuseWire(executable());
    const state = (fuse: FuseV1Options) => wire[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
  });

  it('puts the bundles, the renderer and the tray icons in the asar, without source maps or sources', () => {
    const files = listPackage(path.join(appDir(), 'resources', 'app.asar'), { isPack: false }).map((f) => f.split(path.sep).join('/'));
    for (const f of ['/package.json', '/out/electron/main.js', '/out/electron/preload.cjs', '/out/renderer/index.html', '/resources/tray/tray.png', '/resources/tray/trayTemplate.png']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^\/(electron|renderer|shared|test|scripts)\//.test(f))).toEqual([]);
    // Only the native modules (and what they need at run time) ship as packages; everything else is bundled.
    const packages = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
    expect(packages.has('better-sqlite3')).toBe(true);
    for (const bundled of ['zod', 'ky', 'fast-xml-parser', 'react', 'electron', 'electron-updater', 'vite', 'esbuild']) expect(packages.has(bundled), bundled).toBe(false);
  });

  it('unpacks the sync worker and the native modules, which cannot load from inside an asar', () => {
    const unpacked = path.join(appDir(), 'resources', 'app.asar.unpacked');
    expect(fs.existsSync(path.join(unpacked, 'out/electron/sync-worker.js'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });
});
