/** Small explicit-graph models for the checker's tests (not a test file itself). */
import type { Model, Property } from '../../checker/model.ts';

export interface Edge {
  from: number;
  to: number;
  fault?: boolean;
}

/**
 * A model whose states are the integers of a hand-drawn graph (width 1). Action i is edge i.
 * `quiescent`, when given, also turns deadlock detection on.
 */
export function graphModel(options: { name?: string; initial?: number[]; edges: Edge[]; properties?: Property[]; quiescent?: (s: number) => boolean }): Model {
  const { edges } = options;
  const model: Model = {
    name: options.name ?? 'graph',
    width: 1,
    properties: options.properties ?? [],
    init(push) {
      for (const s of options.initial ?? [0]) push(Int32Array.of(s));
    },
    actions(s, push) {
      edges.forEach((e, i) => {
        if (e.from === s[0]) push(i);
      });
    },
    next(s, a, out) {
      const e = edges[a];
      if (e === undefined || e.from !== s[0]) return false;
      out[0] = e.to;
      return true;
    },
    isFault: (a) => edges[a]?.fault === true,
    formatAction: (_s, a) => `${edges[a]!.fault ? 'fault ' : ''}${edges[a]!.from}->${edges[a]!.to}`,
    formatState: (s) => ({ node: s[0] }),
  };
  if (options.quiescent) {
    const q = options.quiescent;
    model.quiescent = (s) => q(s[0]!);
  }
  return model;
}

/** A chain 0 -> 1 -> ... -> n. */
export function chain(n: number): Edge[] {
  return Array.from({ length: n }, (_, i) => ({ from: i, to: i + 1 }));
}
