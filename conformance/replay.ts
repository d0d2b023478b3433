/**
 * A trace of the checked world, replayed in a world that never renames ids.
 *
 * The checked world renames live offer ids canonically after every step (spec/world/system.ts,
 * FreshIds): `m-O0` in one state may be `m-O1`'s successor's `m-O0`. A real master never reuses
 * an offer id, and a scenario needs to know which offer a RESCIND names. So each trace is
 * replayed step by step in a copy of the world without fresh-id renaming: at every step the
 * renaming that maps the raw state's live ids onto 0..k-1 (what the checked world does) is
 * applied to each enabled raw action's description, and the one that equals the checked
 * action's is taken. The result is the same execution with ids as a cluster would issue them.
 */
import type { Trace } from '../checker/index.ts';
import { canonicalJson } from '../spec/canonical.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, System, type ActionInfo } from '../spec/world/system.ts';

export interface RawStep {
  /** The action taken, in the raw world. */
  readonly action: number;
  readonly info: ActionInfo;
  /** Raw states before and after. */
  readonly before: Int32Array;
  readonly after: Int32Array;
}

export interface RawTrace {
  readonly system: System;
  readonly initial: Int32Array;
  readonly steps: readonly RawStep[];
}

const rawSystems = new WeakMap<MesosWorld, System>();

/** The world's System without fresh-id renaming (one per world, so its memo tables are shared). */
export function rawSystem(world: MesosWorld): System {
  let sys = rawSystems.get(world);
  if (!sys) {
    const { freshIds: _f, ...def } = world.system.def;
    sys = new System(def);
    rawSystems.set(world, sys);
  }
  return sys;
}

/** The offer-id numbers live anywhere in a state. */
function liveNumbers(sys: System, s: Int32Array, pattern: RegExp): number[] {
  const json = JSON.stringify(sys.view(s));
  const out = new Set<number>();
  for (const m of json.matchAll(pattern)) out.add(Number(m[2]));
  return [...out].sort((a, b) => a - b);
}

/** Renames the raw ids of a JSON text as the checked world would in that state. */
function renamer(world: MesosWorld, sys: System, s: Int32Array): (json: string) => string {
  const fresh = world.system.def.freshIds ?? [];
  const maps = fresh.map((f) => {
    const nums = liveNumbers(sys, s, new RegExp(f.pattern.source, 'g'));
    return { pattern: new RegExp(f.pattern.source, 'g'), mapping: new Map(nums.map((n, i) => [n, i] as const)) };
  });
  return (json) =>
    maps.reduce((acc, { pattern, mapping }) => acc.replace(pattern, (m, pre: string, num: string) => (mapping.has(Number(num)) ? pre + mapping.get(Number(num))! : m)), json);
}

/**
 * An id inside a text (a message's "Offer m-O1 is no longer valid") is not renamed by the checked
 * world, whose patterns match whole id strings only: such ids are compared masked.
 */
function textIds(world: MesosWorld): RegExp[] {
  return (world.system.def.freshIds ?? []).map((f) => new RegExp(`${f.pattern.source.replace(/\(\?="\)$/, '')}(?![\\d"])`, 'g'));
}

function actionKey(info: ActionInfo, rename: (json: string) => string, masks: readonly RegExp[]): string {
  const renamed = info.event === undefined ? 'null' : rename(canonicalJson(info.event));
  const event = masks.reduce((acc, m) => acc.replace(m, (_, pre: string) => `${pre}#`), renamed);
  // A timer's id may hold an offer id (`filter:<fw>:<role>:<agent>:<offer>`): compare it renamed.
  const timer = info.kind === ActionKind.Timer ? rename(JSON.stringify(info.label.replace(/^.*: timer (.*) fires$/, '$1'))) : '';
  return `${info.kind}|${info.channel ?? ''}|${info.component ?? ''}|${event}|${timer}`;
}

export class ReplayError extends Error {}

/** Replays a trace of `world.system` in the raw world; throws ReplayError if a step has no raw counterpart. */
export function replayRaw(world: MesosWorld, trace: Trace): RawTrace {
  const sys = world.system;
  const raw = rawSystem(world);
  let initial: Int32Array | undefined;
  raw.init((s) => (initial = Int32Array.from(s)));
  let r = initial!;
  const identity = (json: string) => json;
  const masks = textIds(world);
  const steps: RawStep[] = [];
  const out = new Int32Array(raw.width);
  trace.actions.forEach((a, i) => {
    const want = actionKey(sys.describe(trace.states[i]!, a), identity, masks);
    const rename = renamer(world, raw, r);
    const candidates: number[] = [];
    raw.actions(r, (b) => candidates.push(b));
    for (const b of candidates) {
      if (!raw.next(r, b, out)) continue;
      const info = raw.describe(r, b);
      if (actionKey(info, rename, masks) !== want) continue;
      const after = Int32Array.from(out);
      steps.push({ action: b, info, before: r, after });
      r = after;
      return;
    }
    throw new ReplayError(`step ${i + 1} (${sys.describe(trace.states[i]!, a).label}) has no counterpart in the world without id renaming`);
  });
  return { system: raw, initial: initial!, steps };
}

/** The raw state renamed as the checked world names it (for consistency checks): component and channel JSON. */
export function canonicalView(world: MesosWorld, sys: System, s: Int32Array): string {
  const rename = renamer(world, sys, s);
  const view = sys.view(s);
  const fresh = world.system.def.freshIds ?? [];
  const json = rename(canonicalJson(view));
  const parsed = JSON.parse(json) as { components: Record<string, { context?: { fresh?: Record<string, number> } } | null> };
  // The owner's counter is the number of live ids in the checked world.
  for (const f of fresh) {
    const owner = parsed.components[f.owner]?.context?.fresh;
    if (owner) owner[f.counter] = liveNumbers(sys, s, new RegExp(f.pattern.source, 'g')).length;
  }
  return canonicalJson(parsed);
}
