import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWindowState, restoreWindowState, writeWindowState } from '../../../electron/window-state';
import { windowOptions, windowSize } from '../../../electron/window-options';

// Work areas as Electron's screen module gives them (primary first): a laptop, and a monitor to its right.
const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const monitor = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('the window comes back where it was, and always on a screen', () => {
  it('opens centred at the default size the first time, or when the saved state is unreadable', () => {
    for (const saved of [null, 'garbage', { width: 'wide' }, { x: 1, y: 2 }, { x: 1e9, y: 0, width: 800, height: 600 }]) {
      expect(restoreWindowState(saved, [laptop], windowSize)).toEqual({ width: 1280, height: 820, maximized: false });
    }
  });

  it('restores size, place and maximised state on the screen it was on', () => {
    expect(restoreWindowState({ x: 1600, y: 0, width: 1800, height: 1000, maximized: true }, [laptop, monitor], windowSize)).toEqual({
      x: 1600,
      y: 0,
      width: 1800,
      height: 1000,
      maximized: true,
    });
  });

  it('brings back a window left on a monitor that is gone, centred on the primary screen at a size that fits', () => {
    expect(restoreWindowState({ x: 1600, y: 0, width: 2400, height: 1300, maximized: false }, [laptop], windowSize)).toEqual({
      width: 1440,
      height: 860,
      maximized: false,
    });
  });

  it('moves a window hanging off the edge just enough for all of it to be on its screen', () => {
    expect(restoreWindowState({ x: 1300, y: 700, width: 1000, height: 700, maximized: false }, [laptop], windowSize)).toEqual({
      x: 440,
      y: 160,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  it('does not count a title bar above the screen (or only a sliver of it) as reachable', () => {
    expect(restoreWindowState({ x: 100, y: -500, width: 1000, height: 700 }, [laptop], windowSize).x).toBeUndefined();
    expect(restoreWindowState({ x: 1400, y: 100, width: 1000, height: 700 }, [laptop], windowSize).x).toBeUndefined();
  });

  it('never goes below the minimum size', () => {
    expect(restoreWindowState({ x: 10, y: 10, width: 200, height: 100 }, [laptop], windowSize)).toMatchObject({ width: 960, height: 600 });
  });

  it('passes the restored bounds to the window with its security settings untouched', () => {
    const o = windowOptions('/p.cjs', { x: 5, y: 6, width: 1000, height: 700 });
    expect(o).toMatchObject({ x: 5, y: 6, width: 1000, height: 700, minWidth: 960 });
    expect(o.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect('x' in windowOptions('/p.cjs', { width: 1000, height: 700 })).toBe(false);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-window-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the state whole and reads it back; a torn or missing file reads as nothing', () => {
    const file = path.join(dir, 'window-state.json');
    expect(readWindowState(file)).toBeNull();
    writeWindowState(file, { x: 1, y: 2, width: 1000, height: 700, maximized: false });
    expect(readWindowState(file)).toEqual({ x: 1, y: 2, width: 1000, height: 700, maximized: false });
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    fs.writeFileSync(file, '{"x": 1, "y":');
    expect(readWindowState(file)).toBeNull();
  });
});
