/**
 * Mesos's per-framework counters (`master/frameworks/<name>/<id>/calls/<call>` and
 * `.../events/<event>`, docs/monitoring.md). The host counts what the machine decided: a call
 * once the machine accepted it, an event once a send effect reached the framework's stream. The
 * counters live as long as the framework is on the machine's books, as in Mesos (they go with the
 * `Framework` object).
 */
import { SCHEDULER_CALL_TYPES, SCHEDULER_EVENT_TYPES } from '../../spec/protocol/scheduler.ts';
import type { MasterContext } from '../../spec/machines/master/context.ts';

const CALLS = SCHEDULER_CALL_TYPES.filter((t) => t !== 'UNKNOWN');
const EVENTS = SCHEDULER_EVENT_TYPES.filter((t) => t !== 'UNKNOWN');

interface Tally {
  readonly calls: Map<string, number>;
  readonly events: Map<string, number>;
}

export class FrameworkCounters {
  private readonly byFramework = new Map<string, Tally>();

  private tally(fid: string): Tally {
    let t = this.byFramework.get(fid);
    if (!t) this.byFramework.set(fid, (t = { calls: new Map(), events: new Map() }));
    return t;
  }

  call(fid: string, type: string): void {
    const calls = this.tally(fid).calls;
    calls.set(type, (calls.get(type) ?? 0) + 1);
  }

  event(fid: string, type: string): void {
    const events = this.tally(fid).events;
    events.set(type, (events.get(type) ?? 0) + 1);
  }

  /** The framework whose stream is connection `to`, if any. */
  static frameworkOn(ctx: MasterContext, to: string): string | undefined {
    for (const [fid, f] of Object.entries(ctx.frameworks)) if (f.connection === to) return fid;
    return undefined;
  }

  /** The metrics of every framework on the books; counters of frameworks no longer there are dropped. */
  snapshot(ctx: MasterContext): Record<string, number> {
    for (const fid of [...this.byFramework.keys()]) if (!ctx.frameworks[fid]) this.byFramework.delete(fid);
    const m: Record<string, number> = {};
    for (const [fid, f] of Object.entries(ctx.frameworks)) {
      // Mesos percent-encodes the name so that '/' and ' ' cannot split the metric's path.
      const prefix = `master/frameworks/${encodeURIComponent(f.info.name)}/${fid}/`;
      const t = this.byFramework.get(fid) ?? { calls: new Map<string, number>(), events: new Map<string, number>() };
      m[`${prefix}subscribed`] = f.connection !== null ? 1 : 0;
      m[`${prefix}calls`] = [...t.calls.values()].reduce((a, b) => a + b, 0);
      for (const c of CALLS) m[`${prefix}calls/${c.toLowerCase()}`] = t.calls.get(c) ?? 0;
      m[`${prefix}events`] = [...t.events.values()].reduce((a, b) => a + b, 0);
      for (const e of EVENTS) m[`${prefix}events/${e.toLowerCase()}`] = t.events.get(e) ?? 0;
    }
    return m;
  }
}
