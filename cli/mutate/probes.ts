/**
 * Which configurations reach a mutant: before any mutant runs, the unmutated files get a probe
 * at every drawn mutant's place (`globalThis.__mesosRefReached?.add(i)`, evaluated exactly when
 * the code the mutant changes would be), and each configuration is explored once. A configuration
 * whose exploration never evaluates a mutant's place explores exactly the same states with the
 * mutant as without it (the exploration is deterministic and exhaustive, and nothing before the
 * place differs), so it cannot kill that mutant: running it there would only cost time.
 */
import ts from 'typescript';
import type { Mutant } from './operators.ts';

/** The global the probes write to, and explore-configs.ts reads. */
export const REACHED_GLOBAL = '__mesosRefReached';

interface Insertion {
  readonly at: number;
  readonly text: string;
  /** At one offset: closing parentheses (innermost first), then statement probes, then opening parentheses (outermost first). */
  readonly rank: number;
}

const probe = (i: number) => `globalThis.${REACHED_GLOBAL}?.add(${i})`;

/** The smallest node spanning exactly [start, end), else the smallest containing it. */
function nodeAt(sf: ts.SourceFile, start: number, end: number): ts.Node {
  let best: ts.Node = sf;
  const visit = (n: ts.Node) => {
    if (n.getStart(sf) <= start && n.getEnd() >= end) {
      best = n;
      ts.forEachChild(n, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return best;
}

/**
 * `text` with a probe for each of `mutants` (all of this file), numbered by `index`: a statement
 * the mutant deletes or returns before gets a probe statement in front of it; an expression it
 * changes (a condition, a comparison, a literal) is wrapped as `(probe, expression)`, which
 * evaluates to the same value.
 */
export function withProbes(file: string, text: string, mutants: readonly { mutant: Mutant; index: number }[]): string {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const inserts: Insertion[] = [];
  for (const { mutant: m, index } of mutants) {
    if (m.operator === 'early-return' || m.operator === 'delete-statement') {
      // Both sit at the start of a statement in a block: a statement in front is evaluated just before it.
      inserts.push({ at: m.start, text: `${probe(index)}; `, rank: 1 });
      continue;
    }
    let node = nodeAt(sf, m.start, m.end);
    // A swapped comparison's span is its operator token: probe the comparison.
    if (m.operator === 'swap-comparison' && !ts.isBinaryExpression(node)) node = node.parent;
    const start = node.getStart(sf);
    const end = node.getEnd();
    inserts.push({ at: start, text: `(${probe(index)}, `, rank: 2 + (1e9 - end) / 1e10 });
    inserts.push({ at: end, text: ')', rank: (1e9 - start) / 1e10 });
  }
  inserts.sort((a, b) => a.at - b.at || a.rank - b.rank);
  let out = '';
  let last = 0;
  for (const ins of inserts) {
    out += text.slice(last, ins.at) + ins.text;
    last = ins.at;
  }
  return out + text.slice(last);
}
