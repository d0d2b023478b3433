/**
 * Traces: an execution of a model as the states it went through and the actions between them.
 * `states.length === actions.length + 1`; `actions[i]` leads from `states[i]` to `states[i + 1]`.
 * The length of a trace is its number of actions (steps).
 */
import type { Model } from './model.ts';

export interface Trace {
  states: Int32Array[];
  actions: number[];
}

export interface TraceJson {
  model: string;
  steps: number;
  initial: unknown;
  transitions: Array<{ step: number; action: number; label: string; state: unknown }>;
}

export interface FormatTraceOptions {
  /** Also print each state (with formatState, as one line of JSON, else the raw words). */
  states?: boolean;
}

function stateView(model: Model, s: Int32Array): unknown {
  return model.formatState ? model.formatState(s) : Array.from(s);
}

/** Human-readable: one numbered line per action, optionally each state. */
export function formatTrace(model: Model, trace: Trace, options: FormatTraceOptions = {}): string {
  const lines: string[] = [];
  const pad = String(trace.actions.length).length;
  if (options.states) lines.push(`${' '.repeat(pad)}  initial  ${JSON.stringify(stateView(model, trace.states[0]!))}`);
  trace.actions.forEach((a, i) => {
    lines.push(`${String(i + 1).padStart(pad)}. ${model.formatAction(trace.states[i]!, a)}`);
    if (options.states) lines.push(`${' '.repeat(pad)}  -> ${JSON.stringify(stateView(model, trace.states[i + 1]!))}`);
  });
  if (trace.actions.length === 0) lines.push('(an initial state)');
  return lines.join('\n');
}

/** The same as data, for --json output. */
export function traceToJson(model: Model, trace: Trace): TraceJson {
  return {
    model: model.name,
    steps: trace.actions.length,
    initial: stateView(model, trace.states[0]!),
    transitions: trace.actions.map((a, i) => ({
      step: i + 1,
      action: a,
      label: model.formatAction(trace.states[i]!, a),
      state: stateView(model, trace.states[i + 1]!),
    })),
  };
}

/**
 * Re-execute a trace's actions from its initial state and check that every step is enabled and
 * leads to the recorded state. Returns null when it does, else what went wrong.
 */
export function checkTrace(model: Model, trace: Trace): string | null {
  if (trace.states.length !== trace.actions.length + 1) return 'states.length must be actions.length + 1';
  const out = new Int32Array(model.width);
  for (let i = 0; i < trace.actions.length; i++) {
    const s = trace.states[i]!;
    const a = trace.actions[i]!;
    const candidates: number[] = [];
    model.actions(s, (x) => candidates.push(x));
    if (!candidates.includes(a)) return `step ${i + 1}: action ${a} is not a candidate`;
    out.set(s);
    if (!model.next(s, a, out)) return `step ${i + 1}: action ${a} is not enabled`;
    const t = trace.states[i + 1]!;
    for (let w = 0; w < model.width; w++) if (out[w] !== t[w]) return `step ${i + 1}: successor differs from the recorded state`;
  }
  return null;
}
