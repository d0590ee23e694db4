/**
 * The import graph of the app's own code (type imports included): no module reaches itself through its
 * imports, the core imports neither the demo office nor a host, shared code imports only shared code, and
 * the renderer reaches the Node side only through the contract in shared/.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/repo';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  if (/\.(json|css)$/.test(spec) && fs.existsSync(base)) return null;
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${path.relative(repoRoot, from)} imports ${spec}, which is not a file`);
}

const files = ['electron', 'shared', 'renderer'].flatMap((d) => sourceFiles(path.join(repoRoot, d)));
const rel = (f: string) => path.relative(repoRoot, f).split(path.sep).join('/');
const graph = new Map<string, string[]>(
  files.map((f) => {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true);
    return [rel(f), importedFiles.map((i) => resolve(f, i.fileName)).filter((t): t is string => t !== null).map(rel)];
  }),
);

/** Strongly connected groups of more than one module (or a module importing itself): Tarjan's algorithm. */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || graph.get(v)!.includes(v)) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const edges = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const isHost = (f: string) => /^electron\/[^/]+\.ts$/.test(f);

describe('the import graph', () => {
  it('reads every module of electron/, shared/ and renderer/', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('electron/core/index.ts')).toContain('electron/core/handlers.ts');
  });

  it('has no cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('runs from the hosts to the core, never from the core to a host or to the demo office', () => {
    const wrong = edges.filter(({ from, to }) => from.startsWith('electron/core/') && (to.startsWith('electron/demo/') || isHost(to)));
    expect(wrong).toEqual([]);
  });

  it('keeps shared/ to itself, and the renderer off the Node side', () => {
    expect(edges.filter(({ from, to }) => from.startsWith('shared/') && !to.startsWith('shared/'))).toEqual([]);
    expect(edges.filter(({ from, to }) => from.startsWith('renderer/') && to.startsWith('electron/'))).toEqual([]);
  });
});
