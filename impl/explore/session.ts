/**
 * What `mesos-ref explore` serves, like Stateright's Explorer: a state is named by the path of
 * actions that reaches it from the initial state, and the answer for a path is that state (each
 * component's machine state, context and pending timers; channels; faults spent of their
 * budgets), the actions enabled there, the properties it breaks, why nothing is enabled if so,
 * each machine's active states (the page draws them on the generated statecharts), and the steps so far. Nothing is kept per
 * client: a path is re-executed on every request (a counterexample is tens of steps).
 */
import type { StateValue } from 'xstate';
import type { Model } from '../../checker/index.ts';
import type { MesosWorld } from '../../spec/world/mesos.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { waitsFor } from '../../spec/world/waits.ts';
import { textChart } from '../../spec/world/chart.ts';

/** A counterexample as `verify` saves it for `explore --trace` (JSON). */
export interface TraceFile {
  readonly version: 1;
  readonly config: MesosConfig;
  /** The seeded bug's name when the trace came from `verify --example`. */
  readonly example?: string;
  /** The property it breaks ('deadlock' for a deadlock), and how. */
  readonly property: string;
  readonly explanation?: string;
  /** The actions from the initial state, as the model numbers them, and each one's label (checked on replay). */
  readonly actions: readonly number[];
  readonly labels: readonly string[];
}

/** Every field of a trace file that is wrong, named (`[]`: it is a trace file). */
export function traceFileErrors(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['expected a JSON object (a trace file that mesos-ref verify wrote)'];
  const t = raw as Record<string, unknown>;
  const errors: string[] = [];
  if (t.version !== 1) errors.push(`'version': expected 1, got ${JSON.stringify(t.version)}`);
  if (typeof t.config !== 'object' || t.config === null) errors.push("'config': expected the configuration object");
  if (t.example !== undefined && typeof t.example !== 'string') errors.push("'example': expected the name of a seeded bug");
  if (typeof t.property !== 'string') errors.push("'property': expected the name of the violated property");
  if (!Array.isArray(t.actions) || !t.actions.every((a) => Number.isInteger(a) && (a as number) >= 0)) errors.push("'actions': expected an array of non-negative integers");
  if (!Array.isArray(t.labels) || !t.labels.every((l) => typeof l === 'string')) errors.push("'labels': expected an array of strings");
  else if (Array.isArray(t.actions) && t.labels.length !== t.actions.length) errors.push(`'labels': expected one per action (${t.actions.length}), got ${t.labels.length}`);
  return errors;
}

export interface StepJson {
  readonly action: number;
  readonly label: string;
  readonly fault: boolean;
  readonly component?: string;
  readonly channel?: string;
}

export interface StatechartJson {
  readonly component: string;
  readonly machine: string;
  /** The active ones (a leaf and its ancestors); empty when the component is not running. */
  readonly active: readonly string[];
}

export interface StateJson {
  readonly config: string;
  readonly step: number;
  readonly steps: readonly StepJson[];
  /** The steps so far as a message-sequence chart (text, as verify prints it). */
  readonly chart: string;
  readonly world: unknown;
  readonly budgets: MesosConfig['faults'];
  readonly enabled: readonly StepJson[];
  readonly violations: readonly { readonly name: string; readonly kind: string; readonly explanation: string }[];
  readonly quiescent: boolean;
  /** Why nothing is enabled here, when nothing is and the state is not quiescent (a deadlock). */
  readonly deadlock: readonly string[] | null;
  readonly statecharts: readonly StatechartJson[];
  /** The trace the explorer was opened on (`--trace`), if any. */
  readonly trace: { readonly property: string; readonly explanation?: string; readonly actions: readonly number[]; readonly labels: readonly string[] } | null;
}

type Walk = { ok: true; states: Int32Array[]; actions: number[] } | { ok: false; error: string };

/** The active state paths of a state value: `{ a: { b: 'c' } }` is a, a.b, a.b.c. */
function activePaths(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return [path, ...(v === undefined ? [] : activePaths(v, path))];
  });
}

export class ExplorerSession {
  private readonly initial: Int32Array;
  private readonly charts: { component: string; machine: string }[];

  constructor(
    readonly world: MesosWorld,
    readonly model: Model,
    readonly trace: TraceFile | null = null,
  ) {
    let first: Int32Array | undefined;
    model.init((s) => (first ??= Int32Array.from(s)));
    this.initial = first!;
    this.charts = world.system.components.map((c) => ({ component: c.name, machine: c.machine.id }));
  }

  /** The states along `path` from the initial state, or which step is not enabled. */
  walk(path: readonly number[]): Walk {
    const states = [this.initial];
    for (const [i, a] of path.entries()) {
      const s = states[states.length - 1]!;
      const candidates: number[] = [];
      this.model.actions(s, (x) => void candidates.push(x));
      const out = Int32Array.from(s);
      if (!candidates.includes(a) || !this.model.next(s, a, out)) return { ok: false, error: `step ${i + 1}: action ${a} is not enabled in the state after step ${i}` };
      states.push(out);
    }
    return { ok: true, states, actions: [...path] };
  }

  /** Replays the trace file's actions: null, or why it does not fit this model (a different configuration or build). */
  checkTrace(): string | null {
    if (this.trace === null) return null;
    const w = this.walk(this.trace.actions);
    if (!w.ok) return `the trace does not replay: ${w.error}`;
    for (const [i, a] of this.trace.actions.entries()) {
      const label = this.model.formatAction(w.states[i]!, a);
      if (label !== this.trace.labels[i]) return `the trace does not replay: step ${i + 1} is '${label}' here but '${this.trace.labels[i]}' in the file`;
    }
    return null;
  }

  private stepJson(s: Int32Array, a: number): StepJson {
    const info = this.world.system.describe(s, a);
    return { action: a, label: info.label, fault: info.fault, ...(info.component ? { component: info.component } : {}), ...(info.channel ? { channel: info.channel } : {}) };
  }

  /** The answer for a path (see the file's comment), or why the path does not lead anywhere. */
  state(path: readonly number[]): { ok: true; state: StateJson } | { ok: false; error: string } {
    const w = this.walk(path);
    if (!w.ok) return w;
    const s = w.states[w.states.length - 1]!;
    const enabled: StepJson[] = [];
    const candidates: number[] = [];
    this.model.actions(s, (a) => void candidates.push(a));
    const out = new Int32Array(this.model.width);
    for (const a of candidates) {
      out.set(s);
      if (this.model.next(s, a, out)) enabled.push(this.stepJson(s, a));
    }
    const quiescent = this.model.quiescent ? this.model.quiescent(s) : enabled.every((e) => e.fault);
    const violations = this.model.properties
      .filter((p) => (p.kind === 'always' || (p.kind === 'eventually' && quiescent)) && !p.holds(s))
      .map((p) => ({ name: p.name, kind: p.kind, explanation: 'explain' in p && p.explain ? p.explain(s) : '' }));
    const sys = this.world.system;
    const statecharts = this.charts.map((c) => {
      const local = sys.localOf(s, c.component);
      return { ...c, active: local === null ? [] : activePaths(local.value) };
    });
    return {
      ok: true,
      state: {
        config: this.world.config.name,
        step: path.length,
        steps: w.actions.map((a, i) => this.stepJson(w.states[i]!, a)),
        chart: w.actions.length === 0 ? '' : textChart(w.actions.map((a, i) => sys.describe(w.states[i]!, a))),
        world: sys.view(s),
        budgets: this.world.config.faults,
        enabled,
        violations,
        quiescent,
        deadlock: enabled.length === 0 && !quiescent ? waitsFor(sys, s) : null,
        statecharts,
        trace: this.trace && {
          property: this.trace.property,
          ...(this.trace.explanation ? { explanation: this.trace.explanation } : {}),
          actions: this.trace.actions,
          labels: this.trace.labels,
        },
      },
    };
  }
}
