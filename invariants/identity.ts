/**
 * Identity of status updates: a reliable update is its uuid. Mesos makes a fresh random uuid for
 * every update and keeps it through every retry, checkpoint and replay, so the frameworks, the
 * agent's streams and the executors can deduplicate and acknowledge by it.
 */
import type { AnyEventObject } from 'xstate';
import type { TaskStatus } from '../spec/protocol/common.ts';
import { uuidFromSeed } from '../spec/protocol/uuid.ts';
import type { WorldReader } from './world.ts';
import { everyExecutor } from '../spec/world/mesos.ts';

interface Sighting {
  readonly uuid: string;
  /** What the update says: task, state, source, reason. */
  readonly what: string;
  /** Which update it is: task and state (the part of `what` a uuid must agree on). */
  readonly update: string;
  /** Where it was seen, for the message. */
  readonly where: string;
}

/**
 * Whether two sightings of one uuid are the same update. A draining agent that marks itself gone
 * turns its tasks' TASK_KILLING and TASK_KILLED into TASK_GONE_BY_OPERATOR (REASON_AGENT_DRAINING)
 * for a partition-aware framework, in place, under the executor's uuid (Slave::statusUpdate;
 * spec/machines/agent/drain.ts): the executor's update and the agent's are one update.
 */
function sameUpdate(a: Sighting, b: Sighting): boolean {
  if (a.update === b.update) return true;
  // (A most general framework's log keeps no source or reason: its TASK_GONE_BY_OPERATOR may be it.)
  const drained = (x: Sighting) => x.update.endsWith(' TASK_GONE_BY_OPERATOR') && (x.what.endsWith('(REASON_AGENT_DRAINING)') || x.what.endsWith(' from nobody'));
  const killed = (x: Sighting) => x.update.endsWith(' TASK_KILLING') || x.update.endsWith(' TASK_KILLED');
  const task = (x: Sighting) => x.update.slice(0, x.update.lastIndexOf(' '));
  return task(a) === task(b) && ((drained(a) && killed(b)) || (drained(b) && killed(a)));
}

/**
 * Mesos itself drops one task twice under two uuids: Slave::run drops a task for an executor
 * that is terminating, and Slave::killTask, finding no executor for it, drops it again under a
 * new uuid ("Cannot find executor"). Both are the agent's TASK_DROPPED (TASK_LOST to a framework
 * that is not partition-aware), REASON_EXECUTOR_TERMINATED: two updates, not a replay.
 */
const droppedTwiceByMesos = (what: string) => / TASK_(DROPPED|LOST) from SOURCE_AGENT \(REASON_EXECUTOR_TERMINATED\)$/.test(what);

const whatOf = (tid: string, s: { state: string; source?: string; reason?: string }) => `${tid} ${s.state} from ${s.source ?? 'nobody'}${s.reason ? ` (${s.reason})` : ''}`;

function fromStatus(out: Sighting[], s: TaskStatus | undefined, uuid: string | undefined, where: string): void {
  const id = uuid ?? s?.uuid;
  if (!s || id === undefined) return;
  out.push({ uuid: id, what: whatOf(s.task_id.value, s), update: `${s.task_id.value} ${s.state}`, where });
}

function fromExecutorCall(out: Sighting[], e: AnyEventObject, where: string): void {
  if (e.type === 'UPDATE') fromStatus(out, (e.update as { status: TaskStatus }).status, undefined, where);
  if (e.type === 'SUBSCRIBE')
    for (const u of (e.subscribe as { unacknowledged_updates?: { status: TaskStatus }[] }).unacknowledged_updates ?? [])
      fromStatus(out, u.status, undefined, `${where} (replayed)`);
}

/**
 * The sightings of one holder, cached on the holder itself: the checker hands out one interned
 * object per distinct local state and per distinct message, so each is read once, not once per
 * world state (the runtime's fresh objects simply miss the cache).
 */
const cache = new WeakMap<object, readonly Sighting[]>();
function cached(holder: object, read: (out: Sighting[]) => void): readonly Sighting[] {
  let s = cache.get(holder);
  if (s === undefined) {
    const out: Sighting[] = [];
    read(out);
    cache.set(holder, (s = out));
  }
  return s;
}

/** Every reliable update the world holds anywhere: logged, queued, in flight. */
function sightings(w: WorldReader): (readonly Sighting[])[] {
  const out: (readonly Sighting[])[] = [];
  const { layout } = w;
  for (const fw of layout.frameworks) {
    const s = w.scheduler(fw);
    if (s)
      out.push(
        cached(s, (o) => {
          for (const tid of Object.keys(s.log).sort())
            for (const e of s.log[tid]!) o.push({ uuid: e.uuid, what: whatOf(tid, e), update: `${tid} ${e.state}`, where: `${fw}'s log` });
        }),
      );
    for (const e of w.channel(layout.master, fw))
      if (e.type === 'UPDATE') out.push(cached(e, (o) => fromStatus(o, (e.update as { status: TaskStatus }).status, undefined, `the master's stream to ${fw}`)));
  }
  for (const agent of layout.agents) {
    for (const e of w.channel(agent, layout.master)) {
      if (e.type === 'STATUS_UPDATE') {
        const u = e.update as { status: TaskStatus; uuid?: string };
        out.push(cached(e, (o) => fromStatus(o, u.status, u.uuid, `${agent} -> master`)));
      }
    }
    const a = w.agent(agent);
    if (a) {
      out.push(
        cached(a, (o) => {
          for (const fid of Object.keys(a.streams).sort()) {
            for (const tid of Object.keys(a.streams[fid]!).sort()) for (const u of a.streams[fid]![tid]!.pending) fromStatus(o, u.status, u.uuid, `${agent}'s stream of ${tid}`);
          }
        }),
      );
    }
  }
  // Custom and default executors keep their unacknowledged updates the same way.
  for (const e of everyExecutor(layout)) {
    const x = w.executor(e.slot);
    if (x)
      out.push(
        cached(x, (o) => {
          for (const u of x.unacked) fromStatus(o, u.status, undefined, `executor ${e.slot}`);
        }),
      );
    for (const m of w.channel(e.slot, e.agent)) out.push(cached(m, (o) => fromExecutorCall(o, m, `executor ${e.slot} -> ${e.agent}`)));
  }
  return out;
}

/**
 * Always: a reliable update and its uuid name each other. A uuid never names two different
 * updates (of one task or of two); and an update replayed (by an executor re-subscribing, by an
 * agent recovering its checkpointed streams, by a retry) is the same update: one task's update
 * with the same state, source and reason never travels under two uuids. One pass for both
 * directions: it reads every holder of an update, the costliest read of the catalogue.
 */
export function updateIdentity(w: WorldReader): string | null {
  const byUuid = new Map<string, Sighting>();
  const byWhat = new Map<string, Sighting>();
  // A most general framework logs no source or reason, and may reuse the id of a task that
  // ended (Mesos allows it): a second update of that id with the same state is a new update.
  const polite = w.layout.frameworks.every((fw) => (w.layout.frameworkConfig[fw]?.kind ?? 'polite') === 'polite');
  for (const group of sightings(w)) {
    for (const s of group) {
      const named = byUuid.get(s.uuid);
      if (!named) byUuid.set(s.uuid, s);
      else if (!sameUpdate(named, s)) return `uuid ${s.uuid} names two updates: ${named.what} (${named.where}) and ${s.what} (${s.where})`;
      if (!polite) continue;
      const same = byWhat.get(s.what);
      if (!same) byWhat.set(s.what, s);
      else if (same.uuid !== s.uuid && !droppedTwiceByMesos(s.what))
        return `${s.what} travels under two uuids: ${same.uuid} (${same.where}) and ${s.uuid} (${s.where}): a replay made a new update`;
    }
  }
  return null;
}

/**
 * Always: the agent only acknowledges to an executor an update that executor sent (one of the
 * uuids its current incarnation has made).
 */
export function executorAcksNameSentUpdates(w: WorldReader): string | null {
  for (const e of everyExecutor(w.layout)) {
    const x = w.executor(e.slot);
    if (!x) continue;
    for (const m of w.channel(e.agent, e.slot)) {
      if (m.type !== 'ACKNOWLEDGED') continue;
      const uuid = (m.acknowledged as { uuid: string }).uuid;
      let made = false;
      for (let n = 0; n < x.uuids && !made; n++) made = uuidFromSeed(`${x.seed}#${n}`) === uuid;
      if (!made) return `${e.agent} acknowledges to executor ${e.slot} an update ${uuid} it never sent`;
    }
  }
  return null;
}
