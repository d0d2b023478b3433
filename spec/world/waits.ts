/**
 * Why a state is stuck, for a deadlock (a terminal state that is not quiescent: something is left
 * to happen, yet nothing can). In this world a delivered message is always consumed (an ignored
 * one too) and a timer may always fire, so a step is disabled only by a blocking send to a full
 * channel: the explanation is, per component, what it waits for (the messages at the head of its
 * channels, its pending timers) and which of its outgoing channels are full; then each channel
 * in flight with its fill. One line each, for `verify` and the explorer.
 */
import type { StateValue } from 'xstate';
import type { System } from './system.ts';

const valueText = (v: StateValue): string =>
  typeof v === 'string'
    ? v
    : Object.entries(v)
        .map(([k, s]) => (s === undefined ? k : `${k}.${valueText(s)}`))
        .join(',');

export function waitsFor(sys: System, s: Int32Array): string[] {
  const lines: string[] = [];
  const inFlight = sys.channels.map((ch, i) => ({ ch, n: sys.channelLength(s, i), head: sys.channelLength(s, i) > 0 ? sys.events[sys.channelItem(s, i, 0)]! : undefined }));
  for (const c of sys.components) {
    const local = sys.localOf(s, c.name);
    if (local === null) {
      lines.push(`${c.name}: not running`);
      continue;
    }
    const messages = inFlight.filter((x) => x.ch.to === c.name && x.head).map((x) => `${x.head!.type} from ${x.ch.from}`);
    const timers = local.timers.map((t) => `${t.event.type} (${t.delay} ms)`);
    const full = inFlight.filter((x) => x.ch.from === c.name && x.n >= x.ch.bound).map((x) => x.ch.to);
    const waiting = [...messages.map((m) => `message ${m}`), ...timers.map((t) => `timer ${t}`)];
    // Its steps are disabled, so what it would send does not fit: a full channel says which.
    const blocked = full.length
      ? `; blocked: its channel${full.length > 1 ? 's' : ''} to ${full.join(', ')} ${full.length > 1 ? 'are' : 'is'} full`
      : waiting.length
        ? '; blocked: what it would send does not fit in its outgoing channels'
        : '';
    const state = valueText(local.value);
    lines.push(`${c.name}${state ? ` in ${state}` : ''}: ${waiting.length ? `waits to take ${waiting.join(', ')}` : 'waits for nothing'}${blocked}`);
  }
  for (const x of inFlight) if (x.n > 0) lines.push(`channel ${x.ch.from}>${x.ch.to}: ${x.n} of ${x.ch.bound}${x.n >= x.ch.bound ? ' (full)' : ''}, head ${x.head!.type}`);
  return lines;
}
