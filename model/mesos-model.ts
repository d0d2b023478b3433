/**
 * The Mesos world as a checker Model: the System's states and actions, the catalogue of
 * invariants/ as properties. Invariants that read only the master are memoised per master
 * local state (DESIGN.md section 6), so each is evaluated once per distinct master context.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { ExecutorContext } from '../spec/machines/executor.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { SchedulerContext } from '../spec/machines/scheduler.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { invariants as catalogue, stepInvariants, type Invariant, type WorldReader } from '../invariants/index.ts';
import { fingerprint } from '../checker/fingerprint.ts';
import type { Model, Property } from '../checker/model.ts';

/** A WorldReader over one compact world state. */
export function readerOf(world: MesosWorld, s: Int32Array): WorldReader {
  const sys = world.system;
  const ctx = <T>(name: string): T | null => (sys.localOf(s, name)?.context as T | undefined) ?? null;
  return {
    layout: world.layout,
    master: () => ctx<MasterContext>('master'),
    agent: (name) => ctx<AgentContext>(name),
    scheduler: (name) => ctx<SchedulerContext>(name),
    executor: (slot) => ctx<ExecutorContext>(slot),
    stateOf: (name): StateValue | null => sys.localOf(s, name)?.value ?? null,
    channel: (from, to): readonly AnyEventObject[] => {
      const c = sys.channel(from, to);
      return c === undefined ? [] : sys.channelEvents(s, c);
    },
  };
}

export interface MesosModelOptions {
  /** Only these invariants (default: the whole catalogue). */
  readonly only?: readonly string[];
  /** Extra invariants (tests add their own). */
  readonly extra?: readonly Invariant[];
}

export function mesosModel(world: MesosWorld, options: MesosModelOptions = {}): Model & { readonly world: MesosWorld; readonly invariants: readonly Invariant[] } {
  const sys = world.system;
  const masterSlot = sys.comp('master');
  const chosen = [...catalogue, ...(options.extra ?? [])].filter((i) => !options.only || options.only.includes(i.name));
  // Step invariants judge each distinct master step once (memoised with it); a breach throws,
  // which the checker reports as the error verdict with its shortest trace.
  const steps = stepInvariants.filter((i) => !options.only || options.only.includes(i.name));
  if (steps.length > 0) {
    sys.audit = (component, from, event, result) => {
      if (component !== world.layout.master) return null;
      for (const i of steps) {
        const breach = i.step(from.context as MasterContext, event, result.effects);
        if (breach !== null) return `${i.name}: ${breach}`;
      }
      return null;
    };
  }

  const properties: Property[] = chosen.map((inv) => {
    let check: (s: Int32Array) => string | null;
    if (inv.master) {
      const fn = inv.master;
      const memo = new Map<number, string | null>();
      check = (s) => {
        const id = s[masterSlot]!;
        if (id === 0) return null;
        let r = memo.get(id);
        if (r === undefined) {
          r = fn(sys.locals[id]!.context as MasterContext);
          memo.set(id, r);
        }
        return r;
      };
    } else if (inv.reads) {
      // Memoised on the words the invariant reads: the components' local ids, the channels.
      const fn = inv.world!;
      const reads = inv.reads(world.layout);
      const slots = reads.components.map((c) => sys.comp(c));
      const spans = reads.channels.flatMap(([from, to]) => {
        const c = sys.channel(from, to);
        return c === undefined ? [] : [sys.channelSpan(c)];
      });
      const memo = new Map<string, string | null>();
      const words = new Int32Array(slots.length + spans.reduce((n, x) => n + x.length, 0));
      const fp = new Int32Array(2);
      check = (s) => {
        // The key is the 64-bit fingerprint of those words: the explorer's own assumption.
        let w = 0;
        for (const i of slots) words[w++] = s[i]!;
        for (const { offset, length } of spans) for (let k = offset; k < offset + length; k++) words[w++] = s[k]!;
        fingerprint(words, 0, words.length, fp);
        const key = `${fp[0]}:${fp[1]}`;
        let r = memo.get(key);
        if (r === undefined) {
          if (memo.size > 2_000_000) memo.clear();
          r = fn(readerOf(world, s));
          memo.set(key, r);
        }
        return r;
      };
    } else {
      const fn = inv.world!;
      check = (s) => fn(readerOf(world, s));
    }
    const holds = (s: Int32Array) => check(s) === null;
    const explain = (s: Int32Array) => check(s) ?? '';
    return inv.kind === 'sometimes' ? { kind: 'sometimes', name: inv.name, holds } : { kind: inv.kind, name: inv.name, holds, explain };
  });

  return {
    name: `mesos:${world.config.name}`,
    width: sys.width,
    world,
    invariants: chosen,
    init: (push) => sys.init(push),
    actions: (s, push) => sys.actions(s, push),
    next: (s, a, out) => sys.nextInPlace(s, a, out),
    properties,
    isFault: (a) => sys.isFault(a),
    quiescent: (s) => sys.quiescent(s),
    ...(sys.hasSymmetry ? { canonicalize: (s: Int32Array, out: Int32Array) => sys.canonicalize(s, out) } : {}),
    formatAction: (s, a) => sys.describe(s, a).label,
    formatState: (s) => sys.view(s),
  };
}
