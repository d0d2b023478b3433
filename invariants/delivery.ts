/**
 * Status updates: delivered at least once, in order per task, never acknowledged before they
 * were delivered, never invented; at quiescence everything reliable has arrived and master and
 * agents agree.
 */
import type { AnyEventObject } from 'xstate';
import type { TaskStatus } from '../spec/protocol/common.ts';
import { isTerminal } from '../spec/protocol/common.ts';
import { mayFollow } from './rank.ts';
import { frameworkIdOf, schedulerOf, type WorldReader } from './world.ts';
import { everyExecutor } from '../spec/world/mesos.ts';

const statusOf = (e: AnyEventObject): TaskStatus | null => (e.type === 'UPDATE' ? (e.update as { status: TaskStatus }).status : null);

/**
 * Per launch, the reliable updates a framework has logged, followed by the reliable ones on their
 * way to it, move forward in the executor's order (duplicates aside). A framework may launch a
 * task again under the id of one that ended (Mesos's validateUniqueTaskID looks only at the tasks
 * the master still has, which an acknowledged end leaves): a task id's log is then one run of
 * updates per launch, each after the last one's end. A task id's updates may so start over after
 * a terminal state as many times as the framework launched it again, and never otherwise.
 */
export function updatesInOrder(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    const s = w.scheduler(fw);
    if (!s) continue;
    const launches: Record<string, number> = {};
    for (const tid of s.launched) launches[tid] = (launches[tid] ?? 0) + 1;
    /** Per task id: the last state of its current launch, and which launch of the id that is (1 the first). */
    const at: Record<string, { state: TaskStatus['state']; launch: number }> = {};
    /** Takes `state` as `tid`'s next update: null when it may come next, else the state it may not follow (and in which launch). */
    const take = (tid: string, state: TaskStatus['state']): string | null => {
      const cur = at[tid];
      if (cur === undefined || mayFollow(cur.state, state)) at[tid] = { state, launch: cur?.launch ?? 1 };
      else if (isTerminal(cur.state) && cur.launch < (launches[tid] ?? 1)) at[tid] = { state, launch: cur.launch + 1 };
      else return cur.launch > 1 ? `${cur.state} (launch ${cur.launch} of ${tid})` : cur.state;
      return null;
    };
    for (const tid of Object.keys(s.log).sort()) {
      for (const entry of s.log[tid]!) {
        const prev = take(tid, entry.state);
        if (prev !== null) return `${fw} logged ${tid} ${prev} then ${entry.state}`;
      }
    }
    for (const e of w.channel(w.layout.master, fw)) {
      const st = statusOf(e);
      if (!st || st.uuid === undefined) continue;
      const tid = st.task_id.value;
      const seen = s.log[tid]?.some((x) => x.uuid === st.uuid);
      if (seen) continue; // a duplicate of what it has
      const prev = take(tid, st.state);
      if (prev !== null) return `${fw} is sent ${tid} ${st.state} after it logged ${prev}`;
    }
  }
  return null;
}

/**
 * Nothing is acknowledged that the framework was not told: every acknowledgement in flight,
 * and every update an agent's stream has let go of, is in that framework's log. A most general
 * framework may acknowledge anything, so only what agents let go of is judged for it.
 */
export function acknowledgedAfterDelivery(w: WorldReader): string | null {
  const logged = (fw: string, tid: string, uuid: string) => w.scheduler(fw)?.log[tid]?.some((x) => x.uuid === uuid) ?? false;
  const polite = (fw: string) => w.layout.frameworkConfig[fw]?.kind !== 'general';
  for (const fw of w.layout.frameworks.filter(polite)) {
    for (const e of w.channel(fw, w.layout.master)) {
      if (e.type !== 'ACKNOWLEDGE') continue;
      const a = e.acknowledge as { task_id: { value: string }; uuid: string };
      if (!logged(fw, a.task_id.value, a.uuid)) return `${fw} acknowledges ${a.task_id.value} ${a.uuid}, which it never received`;
    }
  }
  for (const agent of w.layout.agents) {
    const ctx = w.agent(agent);
    for (const e of w.channel(w.layout.master, agent)) {
      if (e.type !== 'STATUS_UPDATE_ACK') continue;
      const fw = schedulerOf(w, (e.framework_id as { value: string }).value);
      const tid = (e.task_id as { value: string }).value;
      if (fw && polite(fw) && !logged(fw, tid, e.uuid as string)) return `the master forwards to ${agent} an ack of ${tid} ${e.uuid} that ${fw} never received`;
    }
    if (!ctx) continue;
    for (const fid of Object.keys(ctx.streams).sort()) {
      const fw = schedulerOf(w, fid);
      if (!fw) continue;
      for (const tid of Object.keys(ctx.streams[fid]!).sort()) {
        const stream = ctx.streams[fid]![tid]!;
        const pending = new Set(stream.pending.map((u) => u.uuid));
        for (const uuid of stream.received) {
          if (!pending.has(uuid) && !logged(fw, tid, uuid)) return `${agent} considers ${tid} ${uuid} acknowledged but ${fw} never received it`;
        }
      }
    }
  }
  return null;
}

/** Only agents and executors make reliable updates: a master-generated update never carries a uuid. */
export function noneInvented(w: WorldReader): string | null {
  for (const fw of w.layout.frameworks) {
    for (const e of w.channel(w.layout.master, fw)) {
      const st = statusOf(e);
      if (!st) continue;
      const fromMaster = st.source === 'SOURCE_MASTER' || st.source === undefined;
      if (fromMaster && st.uuid !== undefined) return `${fw} is sent a master-generated ${st.state} of ${st.task_id.value} with a uuid`;
      if (!fromMaster && st.uuid === undefined) return `${fw} is sent an ${st.source} update of ${st.task_id.value} without a uuid`;
    }
  }
  return null;
}

/** Frameworks still subscribed to the master, by scheduler address and framework id. */
function liveFrameworks(w: WorldReader): { fw: string; fid: string }[] {
  const m = w.master();
  if (!m) return [];
  return w.layout.frameworks.flatMap((fw) => {
    const fid = frameworkIdOf(w, fw);
    return fid !== undefined && m.frameworks[fid]?.connection === fw ? [{ fw, fid }] : [];
  });
}

/** At quiescence every reliable update of a live framework was delivered and acknowledged. */
export function deliveredAtQuiescence(w: WorldReader): string | null {
  for (const { fw, fid } of liveFrameworks(w)) {
    for (const agent of w.layout.agents) {
      const streams = w.agent(agent)?.streams[fid] ?? {};
      for (const tid of Object.keys(streams).sort()) {
        const head = streams[tid]!.pending[0];
        if (head) return `${agent} still holds ${tid} ${head.status.state} for ${fw}, unacknowledged, and nothing is left to happen`;
      }
    }
    for (const e of everyExecutor(w.layout)) {
      if (e.framework !== fw) continue;
      const x = w.executor(e.slot);
      if (x && x.unacked.length > 0) return `executor ${e.slot} still waits for an ack of ${x.unacked[0]!.status.state}`;
    }
  }
  return null;
}

/** At quiescence the master and each registered agent agree on every task of a live framework. */
export function agreeAtQuiescence(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const { fid } of liveFrameworks(w)) {
    const f = m.frameworks[fid]!;
    for (const agent of w.layout.agents) {
      const a = w.agent(agent);
      const aid = a?.info.id?.value;
      if (!a || aid === undefined || m.agents[aid]?.address !== agent) continue;
      const known: Record<string, string> = {};
      for (const ex of Object.values(a.frameworks[fid]?.executors ?? {})) {
        for (const [tid, t] of Object.entries(ex.launched)) known[tid] = t.state;
        for (const [tid, t] of Object.entries(ex.terminated)) known[tid] = t.state;
        for (const t of ex.queued) known[t.task_id.value] = 'TASK_STAGING';
      }
      for (const tid of Object.keys(f.tasks).sort()) {
        const t = f.tasks[tid]!.task;
        if (t.agent_id.value !== aid) continue;
        if (known[tid] === undefined) {
          if (!isTerminal(t.state)) return `the master has ${tid} ${t.state} on ${agent}, which does not know it`;
        } else if (known[tid] !== t.state) return `the master has ${tid} ${t.state}, ${agent} has it ${known[tid]}`;
      }
      for (const tid of Object.keys(known).sort()) {
        if (!f.tasks[tid] && !isTerminal(known[tid] as TaskStatus['state'])) return `${agent} runs ${tid} (${known[tid]}), which the master does not know`;
      }
    }
  }
  return null;
}
