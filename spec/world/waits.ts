/**
 * Why a state is stuck, for a deadlock (a terminal state that is not quiescent): what every
 * component waits for (the events its current machine state has transitions for, its pending
 * timers) and every channel with messages in flight, its fill and whether its receiver takes its
 * head at all in the state it is in. A head its receiver does take was blocked by a full channel
 * of that receiver's sends. One line each, for `verify` and the explorer.
 */
import type { AnyStateMachine, StateValue } from 'xstate';
import type { System } from './system.ts';

type Node = { states: Record<string, Node>; ownEvents: readonly string[] };

/** The events the machine has transitions for in `value` (its active nodes and their ancestors), internal ones aside. */
export function acceptedEvents(machine: AnyStateMachine, value: StateValue): string[] {
  const out = new Set<string>();
  const root = machine.root as unknown as Node;
  for (const e of root.ownEvents) out.add(e);
  const visit = (node: Node, v: StateValue) => {
    const keys = typeof v === 'string' ? [[v, undefined] as const] : Object.entries(v);
    for (const [k, sub] of keys) {
      const child = node.states[k];
      if (!child) continue;
      for (const e of child.ownEvents) out.add(e);
      if (sub !== undefined) visit(child, sub);
    }
  };
  visit(root, value);
  return [...out].filter((e) => !e.startsWith('xstate.')).sort();
}

const valueText = (v: StateValue): string =>
  typeof v === 'string'
    ? v
    : Object.entries(v)
        .map(([k, s]) => (s === undefined ? k : `${k}.${valueText(s)}`))
        .join(',');

export function waitsFor(sys: System, s: Int32Array): string[] {
  const lines: string[] = [];
  for (const c of sys.components) {
    const local = sys.localOf(s, c.name);
    if (local === null) {
      lines.push(`${c.name}: not running`);
      continue;
    }
    const accepts = acceptedEvents(c.machine, local.value);
    const timers = local.timers.map((t) => `${t.event.type} (timer ${t.delay} ms)`);
    lines.push(`${c.name} in ${valueText(local.value)}: waits for ${[...accepts, ...timers].join(', ') || 'nothing (a final state)'}`);
  }
  sys.channels.forEach((ch, i) => {
    const n = sys.channelLength(s, i);
    if (n === 0) return;
    const head = sys.events[sys.channelItem(s, i, 0)]!;
    const receiver = sys.localOf(s, ch.to);
    const takes = receiver !== null && acceptedEvents(sys.components[sys.comp(ch.to)]!.machine, receiver.value).includes(head.type);
    const why =
      receiver === null ? `${ch.to} is not running` : takes ? `${ch.to} takes it, but a channel it would send on is full` : `${ch.to} does not take ${head.type} in its state`;
    lines.push(`channel ${ch.from}>${ch.to}: ${n} of ${ch.bound}${n >= ch.bound ? ' (full)' : ''}, head ${head.type}: ${why}`);
  });
  return lines;
}
