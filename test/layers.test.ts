/**
 * The direction of imports (DESIGN.md section 2), read from the source: every relative import
 * of every TypeScript file in the repository must point along an arrow below, spec/ and
 * invariants/ import no `node:` module, and no file reaches itself through its imports (type-only
 * imports count: a circle of types is a circle of ideas).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const test = suite('layers');
const root = resolve(import.meta.dirname, '..');

/** The layer of a file: the first rule whose prefix it starts with. */
const LAYERS: readonly (readonly [prefix: string, layer: string])[] = [
  ['checker/examples/', 'examples'],
  ['test/support/', 'fixtures'],
  ['spec/', 'spec'],
  ['invariants/', 'invariants'],
  ['model/', 'model'],
  ['checker/', 'checker'],
  ['conformance/', 'conformance'],
  ['impl/', 'impl'],
  ['cli/', 'cli'],
  ['properties/', 'properties'],
  ['test/', 'test'],
  ['bench/', 'bench'],
  ['ui/', 'ui'],
];

/** What each layer may import besides itself. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  spec: [],
  invariants: ['spec'],
  checker: [],
  examples: ['checker', 'spec'],
  model: ['spec', 'invariants', 'checker'],
  conformance: ['spec', 'invariants', 'model', 'checker'],
  impl: ['spec', 'invariants', 'model', 'checker', 'conformance'],
  cli: ['spec', 'invariants', 'model', 'checker', 'examples', 'conformance', 'impl'],
  fixtures: ['spec', 'invariants', 'model', 'checker', 'examples', 'conformance', 'impl'],
  properties: ['spec', 'invariants', 'model', 'checker', 'examples', 'conformance', 'impl', 'fixtures'],
  test: ['spec', 'invariants', 'model', 'checker', 'examples', 'conformance', 'impl', 'cli', 'fixtures', 'properties', 'ui'],
  bench: ['spec', 'invariants', 'model', 'checker', 'examples', 'conformance', 'impl', 'cli', 'fixtures'],
  // The browser pages: the protocol's types, nothing that runs on a server (they speak HTTP to it).
  ui: ['spec'],
};

/** Layers that stay pure: no `node:` module (DESIGN.md section 2); the browser has none either. */
const PURE = new Set(['spec', 'invariants', 'ui']);

function layerOf(file: string): string | null {
  for (const [prefix, layer] of LAYERS) if (file.startsWith(prefix)) return layer;
  return null;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every tracked TypeScript file (and TSX, the browser pages) with the specifiers it imports. */
function importGraph(): Map<string, { relative: string[]; bare: string[] }> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && layerOf(f) !== null);
  const graph = new Map<string, { relative: string[]; bare: string[] }>();
  for (const f of files) {
    const src = readFileSync(join(root, f), 'utf8');
    const rel: string[] = [];
    const bare: string[] = [];
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) rel.push(normalize(join(dirname(f), spec)));
      else bare.push(spec);
    }
    graph.set(f, { relative: rel, bare });
  }
  return graph;
}

/** The imports against the arrows, as `from -> to (layer -> layer)`. */
function againstTheArrows(graph: ReturnType<typeof importGraph>): string[] {
  const bad: string[] = [];
  for (const [f, { relative, bare }] of graph) {
    const from = layerOf(f)!;
    for (const t of relative) {
      const to = layerOf(t);
      if (to === null || to === from) continue;
      if (!MAY_IMPORT[from]!.includes(to)) bad.push(`${f} -> ${t} (${from} -> ${to})`);
    }
    if (PURE.has(from)) for (const b of bare) if (b.startsWith('node:')) bad.push(`${f} -> ${b} (${from} is pure)`);
  }
  return bad;
}

/** The circles of the file graph (Tarjan's strongly connected components of more than one file). */
function circles(graph: ReturnType<typeof importGraph>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.relative ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('every import points along the arrows of DESIGN.md section 2', () => {
  const bad = againstTheArrows(importGraph());
  assert.equal(bad, [], `imports against the arrows:\n${bad.join('\n')}`);
});

test('no file reaches itself through its imports', () => {
  const found = circles(importGraph());
  assert.equal(found, [], `circles:\n${found.map((c) => c.join(' -> ')).join('\n')}`);
});

test('the rule bites: an import against the arrows and a circle are both found', () => {
  const graph = new Map([
    ['spec/a.ts', { relative: ['impl/b.ts'], bare: ['node:fs'] }],
    ['impl/b.ts', { relative: ['spec/a.ts'], bare: [] }],
    ['checker/c.ts', { relative: ['spec/a.ts'], bare: [] }],
  ]);
  assert.equal(againstTheArrows(graph), ['spec/a.ts -> impl/b.ts (spec -> impl)', 'spec/a.ts -> node:fs (spec is pure)', 'checker/c.ts -> spec/a.ts (checker -> spec)']);
  assert.equal(circles(graph), [['impl/b.ts', 'spec/a.ts']]);
});

test('the checker knows no Mesos word (its examples aside)', () => {
  const words = [...importGraph().keys()]
    .filter((f) => layerOf(f) === 'checker')
    .filter((f) => /\bmesos\b|\bMesos\b|\bagent\b|\bframework\b/.test(readFileSync(join(root, f), 'utf8')));
  assert.equal(words, []);
});

test.run();
