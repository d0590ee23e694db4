/**
 * The window opens where the accountant left it, at the size they gave it, and always on a screen that
 * is there now: a window saved on a second monitor that has since been unplugged (or a laptop closed on a
 * larger desk) comes back centred on the primary screen, not out of reach.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const saved = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean().default(false),
});

/** How much of the window's top strip (where its title bar is) must be on a screen to grab it. */
const GRAB = { width: 120, height: 32 };

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open with, from what was saved (anything, read from disk) and the screens' work areas now
 * (the primary first).
 */
export function restoreWindowState(
  state: unknown,
  workAreas: readonly Rect[],
  defaults: { width: number; height: number; minWidth: number; minHeight: number },
): WindowState {
  const primary = workAreas[0];
  const fit = (width: number, height: number, area: Rect | undefined) => ({
    width: Math.max(defaults.minWidth, Math.min(width, area?.width ?? width)),
    height: Math.max(defaults.minHeight, Math.min(height, area?.height ?? height)),
  });
  const parsed = saved.safeParse(state);
  if (!parsed.success) return { ...fit(defaults.width, defaults.height, primary), maximized: false };
  const s = parsed.data;
  const titleBar = { x: s.x, y: s.y, width: s.width, height: GRAB.height };
  const screen = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(GRAB.width, s.width) && o.height >= GRAB.height;
  });
  if (!screen) return { ...fit(s.width, s.height, primary), maximized: s.maximized };
  const size = fit(s.width, s.height, screen);
  // Kept on the screen it was on: moved in only as far as needed for the whole window to fit.
  const x = Math.min(Math.max(s.x, screen.x), screen.x + screen.width - size.width);
  const y = Math.min(Math.max(s.y, screen.y), screen.y + screen.height - size.height);
  return { x, y, ...size, maximized: s.maximized };
}

export function windowStateFile(dataDir: string): string {
  return path.join(dataDir, 'window-state.json');
}

export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Written whole through a temp file, so a crash mid-write leaves the previous state, not half a file. */
export function writeWindowState(file: string, state: Rect & { maximized: boolean }): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
