/**
 * Identity of status updates: a reliable update is its uuid. Mesos makes a fresh random uuid for
 * every update and keeps it through every retry, checkpoint and replay, so the frameworks, the
 * agent's streams and the executors can deduplicate and acknowledge by it.
 */
import type { AnyEventObject } from 'xstate';
import type { TaskStatus } from '../spec/protocol/common.ts';
import { uuidFromSeed } from '../spec/machines/agent/uuid.ts';
import type { MesosLayout } from '../spec/world/mesos.ts';
import type { WorldReader } from './world.ts';

interface Sighting {
  readonly uuid: string;
  /** What the update says: task, state, source, reason. */
  readonly what: string;
  /** Where it was seen, for the message. */
  readonly where: string;
}

const whatOf = (tid: string, s: { state: string; source?: string; reason?: string }) => `${tid} ${s.state} from ${s.source ?? 'nobody'}${s.reason ? ` (${s.reason})` : ''}`;

function fromStatus(out: Sighting[], s: TaskStatus | undefined, uuid: string | undefined, where: string): void {
  const id = uuid ?? s?.uuid;
  if (!s || id === undefined) return;
  out.push({ uuid: id, what: whatOf(s.task_id.value, s), where });
}

function fromExecutorCall(out: Sighting[], e: AnyEventObject, where: string): void {
  if (e.type === 'UPDATE') fromStatus(out, (e.update as { status: TaskStatus }).status, undefined, where);
  if (e.type === 'SUBSCRIBE') for (const u of ((e.subscribe as { unacknowledged_updates?: { status: TaskStatus }[] }).unacknowledged_updates ?? [])) fromStatus(out, u.status, undefined, `${where} (replayed)`);
}

/** Every reliable update the world holds anywhere: logged, queued, in flight. */
function sightings(w: WorldReader): Sighting[] {
  const out: Sighting[] = [];
  const { layout } = w;
  for (const fw of layout.frameworks) {
    const log = w.scheduler(fw)?.log ?? {};
    for (const tid of Object.keys(log).sort()) for (const e of log[tid]!) out.push({ uuid: e.uuid, what: whatOf(tid, e), where: `${fw}'s log` });
    for (const e of w.channel(layout.master, fw)) if (e.type === 'UPDATE') fromStatus(out, (e.update as { status: TaskStatus }).status, undefined, `the master's stream to ${fw}`);
  }
  for (const agent of layout.agents) {
    for (const e of w.channel(agent, layout.master)) {
      if (e.type === 'STATUS_UPDATE') {
        const u = e.update as { status: TaskStatus; uuid?: string };
        fromStatus(out, u.status, u.uuid, `${agent} -> master`);
      }
    }
    const streams = w.agent(agent)?.streams ?? {};
    for (const fid of Object.keys(streams).sort()) {
      for (const tid of Object.keys(streams[fid]!).sort()) for (const u of streams[fid]![tid]!.pending) fromStatus(out, u.status, u.uuid, `${agent}'s stream of ${tid}`);
    }
  }
  for (const e of layout.executors) {
    for (const u of w.executor(e.slot)?.unacked ?? []) fromStatus(out, u.status, undefined, `executor ${e.slot}`);
    for (const m of w.channel(e.slot, e.agent)) fromExecutorCall(out, m, `executor ${e.slot} -> ${e.agent}`);
  }
  return out;
}

/** Always: a uuid names one update: never two different updates, of one task or of two. */
export function uuidsUnique(w: WorldReader): string | null {
  const seen = new Map<string, Sighting>();
  for (const s of sightings(w)) {
    const first = seen.get(s.uuid);
    if (!first) seen.set(s.uuid, s);
    else if (first.what !== s.what) return `uuid ${s.uuid} names two updates: ${first.what} (${first.where}) and ${s.what} (${s.where})`;
  }
  return null;
}

/**
 * Always: an update replayed (by an executor re-subscribing, by an agent recovering its
 * checkpointed streams, by a retry) is the same update: one task's update with the same state,
 * source and reason never travels under two uuids.
 */
export function replaysKeepUuid(w: WorldReader): string | null {
  const seen = new Map<string, Sighting>();
  for (const s of sightings(w)) {
    const first = seen.get(s.what);
    if (!first) seen.set(s.what, s);
    else if (first.uuid !== s.uuid) return `${s.what} travels under two uuids: ${first.uuid} (${first.where}) and ${s.uuid} (${s.where})`;
  }
  return null;
}

/**
 * Always: the agent only acknowledges to an executor an update that executor sent (one of the
 * uuids its current incarnation has made).
 */
export function executorAcksNameSentUpdates(w: WorldReader): string | null {
  for (const e of w.layout.executors) {
    const x = w.executor(e.slot);
    if (!x) continue;
    for (const m of w.channel(e.agent, e.slot)) {
      if (m.type !== 'ACKNOWLEDGED') continue;
      const uuid = (m.acknowledged as { uuid: string }).uuid;
      let made = false;
      for (let n = 0; n < x.uuids && !made; n++) made = uuidFromSeed(x.seed, n) === uuid;
      if (!made) return `${e.agent} acknowledges to executor ${e.slot} an update ${uuid} it never sent`;
    }
  }
  return null;
}

/** What the uuid properties read (for memoisation): every holder of a reliable update. */
export function updateHolders(l: MesosLayout): { components: string[]; channels: (readonly [string, string])[] } {
  return {
    components: [...l.frameworks, ...l.agents, ...l.executors.map((e) => e.slot)],
    channels: [...l.frameworks.map((f) => [l.master, f] as const), ...l.agents.map((a) => [a, l.master] as const), ...l.executors.map((e) => [e.slot, e.agent] as const)],
  };
}
