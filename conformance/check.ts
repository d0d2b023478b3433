/**
 * A scenario replayed against the model, as a runner would replay it against a cluster: the
 * model world (ids never renamed, like a real master's) stands in for the cluster, its
 * scheduler machines for the runner's frameworks. Every step must be realizable, in file order:
 *
 *   - an `expect` step: some state consistent with the steps so far has, at the head of the
 *     framework's event stream, an event that matches the pattern under the variables bound so
 *     far (format.ts's matching, `matchPattern`);
 *   - the `call` steps that follow it (same trace line, same framework): exactly the calls the
 *     spec's scheduler sends on receiving that event (task commands aside: they are the
 *     environment's), with variables substituted;
 *   - a `call` step on its own: a timer or an environment decision of that framework that sends
 *     exactly those calls;
 *   - a `fault` step: that fault, followed by the calls it makes the framework send.
 * Between visible steps the world may take any number of invisible steps (beliefs.ts); a task's
 * process ends only as the environment's command says.
 *
 * This is independent of how the scenario was made (project.ts): it reads only the file and
 * the configuration. Tests check every generated scenario with it; a runner may use it to tell
 * whether a recorded run was one the model allows.
 */
import type { AnyEventObject } from 'xstate';
import { canonicalJson } from '../spec/canonical.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction, type System } from '../spec/world/system.ts';
import { stateKey } from './beliefs.ts';
import type { CallStep, Scenario, Step } from './format.ts';
import { bindVars, eventPattern, matchPattern } from './patterns.ts';
import { callBody } from './project.ts';
import { isOperatorEvent, operatorCall, type OperatorEvent } from './operator-calls.ts';
import { rawSystem } from './replay.ts';
import { wrongExit } from './exits.ts';

export interface CheckOptions {
  /** Most states in one closure (default 50,000). */
  readonly maxStates?: number;
}

export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly step: string; readonly error: string; /** False: a closure hit its bound, so the failure may be spurious. */ readonly complete: boolean };

interface Config {
  readonly state: Int32Array;
  readonly bindings: Map<string, string>;
}

/** A visible step and the calls that come with it. */
interface Unit {
  readonly head: Step | null;
  readonly calls: readonly CallStep[];
}

function units(steps: readonly Step[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < steps.length;) {
    const s = steps[i]!;
    const framework = s.kind === 'call' || s.kind === 'expect' ? s.framework : s.fault.type === 'FRAMEWORK_FAILOVER' ? s.fault.framework : null;
    let j = i + (s.kind === 'call' ? 0 : 1);
    const calls: CallStep[] = [];
    while (j < steps.length && steps[j]!.kind === 'call' && steps[j]!.trace === s.trace && (steps[j] as CallStep).framework === framework) calls.push(steps[j++] as CallStep);
    out.push({ head: s.kind === 'call' ? null : s, calls });
    i = j;
  }
  return out;
}

/**
 * A call as comparable text: envelope stripped, launched tasks' commands blanked; a model's
 * operator event as the v1 operator Call a scenario carries for it (operator-calls.ts).
 */
function normalCall(call: Record<string, unknown>): string {
  const body = isOperatorEvent(call as AnyEventObject) ? operatorCall(callBody(call as AnyEventObject) as OperatorEvent) : callBody(call as AnyEventObject);
  const copy = JSON.parse(JSON.stringify(body)) as { accept?: { operations?: { launch?: { task_infos?: { command?: { value?: string } }[] } }[] } };
  for (const op of copy.accept?.operations ?? []) for (const t of op.launch?.task_infos ?? []) if (t.command) t.command.value = '<command>';
  return canonicalJson(copy);
}

/** A scenario call with its variables replaced by their values (null if one is unbound). */
function bindCall(call: unknown, bindings: ReadonlyMap<string, string>): unknown | null {
  const bound = bindVars(call, bindings);
  return bound.unbound.length > 0 ? null : bound.value;
}

const configKey = (c: Config) => `${stateKey(c.state)}|${canonicalJson(Object.fromEntries([...c.bindings].sort()))}`;

/** Replays `scenario` against the model of `world`; see the module comment. */
export function checkScenario(world: MesosWorld, scenario: Scenario, options: CheckOptions = {}): CheckResult {
  const sys: System = rawSystem(world);
  const { layout } = world;
  const maxStates = options.maxStates ?? 50_000;
  const toFramework = new Map(layout.frameworks.map((f) => [sys.channel(layout.master, f)!, f] as const));
  const fromChannel = new Map(layout.frameworks.map((f) => [f, sys.channel(f, layout.master)!] as const));
  const frameworkSlots = new Set(layout.frameworks.map((f) => sys.comp(f)));
  // Tasks end only as the environment's commands say (exits.ts).
  const exits = new Map(scenario.environment.tasks.map((t) => [t.id, t.exit ?? null] as const));
  const excludedExit = (s: Int32Array, a: number): boolean => decodeAction(a).kind === ActionKind.Environment && wrongExit(world, sys.describeStep(s, a), exits);

  const visible = (s: Int32Array, a: number): boolean => {
    if (sys.isFault(a)) return true;
    const { kind, arg1 } = decodeAction(a);
    if (kind === ActionKind.Deliver && toFramework.has(arg1)) return sys.events[sys.channelItem(s, arg1, 0)]!.type !== 'HEARTBEAT';
    if (kind === ActionKind.Timer || kind === ActionKind.Environment) return frameworkSlots.has(arg1);
    return false;
  };

  let complete = true;
  const closure = (from: readonly Config[]): Config[] => {
    const seen = new Set<string>();
    const out: Config[] = [];
    for (const c of from) {
      const k = configKey(c);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(c);
      }
    }
    const next = new Int32Array(sys.width);
    for (let i = 0; i < out.length; i++) {
      const c = out[i]!;
      const acts: number[] = [];
      sys.actions(c.state, (a) => acts.push(a));
      for (const a of acts) {
        if (visible(c.state, a) || excludedExit(c.state, a) || !sys.next(c.state, a, next)) continue;
        const n = { state: Int32Array.from(next), bindings: c.bindings };
        const k = configKey(n);
        if (seen.has(k)) continue;
        if (seen.size >= maxStates) {
          complete = false;
          continue;
        }
        seen.add(k);
        out.push(n);
      }
    }
    return out;
  };

  /** The calls `fw` has in flight in `after` that it did not have in `before` (all of them if `cleared`). */
  const newCalls = (fw: string, before: Int32Array, after: Int32Array, cleared: boolean): string[] => {
    const chan = fromChannel.get(fw)!;
    const old = cleared ? [] : sys.channelEvents(before, chan).map((e) => normalCall(e as Record<string, unknown>));
    const out: string[] = [];
    for (const e of sys.channelEvents(after, chan)) {
      const k = normalCall(e as Record<string, unknown>);
      const i = old.indexOf(k);
      if (i >= 0) old.splice(i, 1);
      else out.push(k);
    }
    return out.sort();
  };
  const wantCalls = (calls: readonly CallStep[], bindings: ReadonlyMap<string, string>): string[] | null => {
    const out: string[] = [];
    for (const c of calls) {
      const bound = bindCall(c.call, bindings);
      if (bound === null) return null;
      out.push(normalCall(bound as Record<string, unknown>));
    }
    return out.sort();
  };
  const sameCalls = (a: readonly string[], b: readonly string[] | null) => b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

  let initial: Int32Array | undefined;
  sys.init((s) => (initial = Int32Array.from(s)));
  let belief: Config[] = [{ state: initial!, bindings: new Map() }];
  const fail = (step: string, error: string): CheckResult => ({ ok: false, step, error, complete });

  for (const unit of units(scenario.steps)) {
    const head = unit.head;
    const framework = unit.calls[0]?.framework;
    // The frameworks' first calls are in flight from the start.
    if (head === null && unit.calls[0]!.trace === 0) {
      const fw = framework!;
      if (!sameCalls(newCalls(fw, initial!, initial!, true), wantCalls(unit.calls, new Map())))
        return fail(unit.calls[0]!.id, `${fw}'s first calls are not the ones the scheduler sends`);
      continue;
    }
    const c = closure(belief);
    const next: Config[] = [];
    const out = new Int32Array(sys.width);
    for (const cfg of c) {
      const acts: number[] = [];
      sys.actions(cfg.state, (a) => acts.push(a));
      for (const a of acts) {
        if (!visible(cfg.state, a)) continue;
        const { kind, arg1 } = decodeAction(a);
        const info = sys.describe(cfg.state, a);
        let bindings = cfg.bindings;
        let fw: string | undefined;
        let cleared = false;
        if (head?.kind === 'expect') {
          if (kind !== ActionKind.Deliver || toFramework.get(arg1) !== head.framework) continue;
          const observed = eventPattern(info.event as AnyEventObject, (_k, raw) => raw);
          if (!observed) continue;
          bindings = new Map(cfg.bindings);
          if (!matchPattern(head.event, observed, bindings)) continue;
          fw = head.framework;
        } else if (head?.kind === 'fault') {
          const f = head.fault;
          const ok =
            f.type === 'AGENT_RESTART'
              ? kind === ActionKind.Restart && info.component === f.agent
              : f.type === 'MASTER_RESTART'
                ? kind === ActionKind.Restart && info.component === layout.master
                : f.type === 'FRAMEWORK_FAILOVER'
                  ? kind === ActionKind.Restart && info.component === f.framework
                  : f.type === 'MESSAGE_LOSS'
                    ? kind === ActionKind.Lose && info.channel === `${f.from}>${f.to}` && info.event?.type === f.message
                    : f.type === 'PARTITION'
                      ? kind === ActionKind.Partition && info.component === f.agent
                      : kind === ActionKind.Heal && info.component === f.agent;
          if (!ok) continue;
          if (f.type === 'FRAMEWORK_FAILOVER') {
            fw = f.framework;
            cleared = true;
          }
        } else {
          // Calls of their own: a timer or a decision of the framework.
          if ((kind !== ActionKind.Timer && kind !== ActionKind.Environment) || info.component !== framework) continue;
          fw = framework;
        }
        if (!sys.next(cfg.state, a, out)) continue;
        if (fw !== undefined && !sameCalls(newCalls(fw, cfg.state, out, cleared), wantCalls(unit.calls, bindings))) continue;
        if (fw === undefined && unit.calls.length > 0) continue;
        next.push({ state: Int32Array.from(out), bindings });
      }
    }
    if (next.length === 0) {
      const id = head?.id ?? unit.calls[0]!.id;
      const what =
        head?.kind === 'expect'
          ? `${head.framework} cannot observe ${canonicalJson(head.event)}`
          : head?.kind === 'fault'
            ? `fault ${canonicalJson(head.fault)} is not possible`
            : `${framework} does not send these calls`;
      return fail(id, `${what} (or not with the calls that follow it) in any of ${c.length} states consistent with the steps before`);
    }
    belief = next;
  }
  return { ok: true };
}
