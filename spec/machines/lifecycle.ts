/**
 * A declared lifecycle: the states a record a machine keeps many of can be in (a framework, an
 * agent, an offer, a task in the master; an executor in the agent), and the transitions allowed
 * between them, each named by the event that causes it. The table is data next to the machine;
 * the machine commits every step through `checkStep`, which reads each record's status before and
 * after (`census`) and throws on a change the table does not allow, so the checker reports a
 * forbidden status change as an error verdict with its trace. Diagrams and coverage read the
 * same tables.
 *
 * The status is read from the record, not stored beside it: a second copy could disagree with the
 * fields the handlers actually change (a connection, a registry list), and the check would then
 * judge the copy instead of the behaviour.
 */

/** The pseudo-state of a record the machine does not keep (before it is created, after it is forgotten). */
export const NONE = '(none)';

export interface LifecycleTransition {
  readonly from: string;
  readonly to: string;
  /**
   * What causes it: a cause the lifecycle names in `causes` (one Mesos event several messages or
   * timers may deliver), or else the event type of the machine step that makes the change.
   */
  readonly on: string;
}

export interface Lifecycle<C> {
  /** The record kind: `framework`, `agent`, `offer`, `task`, `executor`. */
  readonly kind: string;
  /** The machine that keeps the records. */
  readonly machine: string;
  readonly about: string;
  /** Every state, `NONE` aside. */
  readonly states: readonly string[];
  /** States a record may start in when the machine starts (an agent a failed-over master recovers from the registry). */
  readonly initial?: readonly string[];
  readonly transitions: readonly LifecycleTransition[];
  /** Named causes, each the event types that deliver it (an agent's report: STATUS_UPDATE or REREGISTER_AGENT). */
  readonly causes?: Readonly<Record<string, readonly string[]>>;
  /** The status of every record the context keeps, by record id. */
  readonly census: (context: C) => Readonly<Record<string, string>>;
  /**
   * The status a record that left the census ends in (a pseudo-state such as `completed` or
   * `accepted`), read from the context after the step and its cause; `NONE` when it is forgotten.
   */
  readonly left?: (id: string, after: C, event: { readonly type: string }) => string;
  /**
   * Whether a record that left went with the record that owns it (a task with its framework): its
   * owner's lifecycle judges that step, and the record's own table need not repeat every cause.
   */
  readonly leavesWithOwner?: (id: string, after: C) => boolean;
}

/** One record's status change in one step. */
export interface StatusChange {
  readonly kind: string;
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly on: string;
}

/** The key of a declared or taken transition, for coverage: `<kind>|<from>|<to>|<on>`. */
export const transitionKey = (kind: string, t: { from: string; to: string; on: string }): string => `${kind}|${t.from}|${t.to}|${t.on}`;

/** Every status change between two contexts, in record-id order. */
export function changes<C>(lc: Lifecycle<C>, before: C, after: C, event: { readonly type: string }): StatusChange[] {
  const was = lc.census(before);
  const is = lc.census(after);
  const out: StatusChange[] = [];
  for (const id of [...new Set([...Object.keys(was), ...Object.keys(is)])].sort()) {
    const from = was[id] ?? NONE;
    if (from !== NONE && is[id] === undefined && lc.leavesWithOwner?.(id, after)) continue;
    const to = is[id] ?? (lc.left ? lc.left(id, after, event) : NONE);
    if (from !== to) out.push({ kind: lc.kind, id, from, to, on: event.type });
  }
  return out;
}

const declaredCache = new WeakMap<object, ReadonlyMap<string, readonly string[]>>();

/** `<kind>|<from>|<to>|<event type>` -> the keys of the declared transitions that allow it. */
function declared(lc: Lifecycle<unknown>): ReadonlyMap<string, readonly string[]> {
  let map = declaredCache.get(lc);
  if (!map) {
    const m = new Map<string, string[]>();
    for (const t of lc.transitions) {
      for (const on of lc.causes?.[t.on] ?? [t.on]) {
        const k = transitionKey(lc.kind, { ...t, on });
        m.set(k, [...(m.get(k) ?? []), transitionKey(lc.kind, t)]);
      }
    }
    map = m;
    declaredCache.set(lc, map);
  }
  return map;
}

/** The keys of the declared transitions that allow the change (none: the table does not allow it). */
export const declaredFor = <C>(lc: Lifecycle<C>, c: StatusChange): readonly string[] => declared(lc as Lifecycle<unknown>).get(transitionKey(lc.kind, c)) ?? [];

/** Whether the table allows the change. */
export const allows = <C>(lc: Lifecycle<C>, c: StatusChange): boolean => declaredFor(lc, c).length > 0;

/**
 * The check every step of the machine passes: each status change must be a transition of its
 * lifecycle, or the step throws (naming the record, the change and the event).
 */
export function checkStep<C>(lifecycles: readonly Lifecycle<C>[], before: C, after: C, event: { readonly type: string }): void {
  if (before === after) return;
  for (const lc of lifecycles) {
    for (const c of changes(lc, before, after, event)) {
      if (!allows(lc, c)) throw new Error(`${lc.machine}: the ${lc.kind} lifecycle does not allow ${c.id} to go ${c.from} -> ${c.to} on ${c.on}`);
    }
  }
}
