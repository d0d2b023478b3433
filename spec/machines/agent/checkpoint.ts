/**
 * What an agent checkpoints and how a restarted agent comes back from it (Slave::recover):
 * the agent id, and for frameworks with `checkpoint: true` their FrameworkInfo, executors,
 * tasks and status-update streams, a drain in progress, and the reservations and persistent
 * volumes the master sent (CHECKPOINT_RESOURCES). Non-checkpointing frameworks are forgotten.
 */
import { sameJson } from '../../canonical.ts';
import {
  DEFAULT_AGENT_FLAGS,
  type AgentCheckpoint,
  type AgentContext,
  type AgentInput,
  type ExecutorRecord,
  type FrameworkRecord,
  type StreamRecord,
  type TaskRecord,
} from './types.ts';

/** The part of the context that survives a restart. */
export function agentCheckpoint(c: AgentContext): AgentCheckpoint {
  const frameworks: Record<string, FrameworkRecord> = {};
  const streams: Record<string, Record<string, StreamRecord>> = {};
  for (const [id, fw] of Object.entries(c.frameworks)) {
    if (fw.info.checkpoint !== true) continue;
    frameworks[id] = fw;
    const kept = Object.entries(c.streams[id] ?? {}).filter(([, s]) => s.checkpoint);
    if (kept.length > 0) streams[id] = Object.fromEntries(kept);
  }
  return { info: c.info, uuids: c.uuids, frameworks, streams, ...(c.drain ? { drain: c.drain } : {}), ...(c.resources ? { resources: c.resources } : {}) };
}

/**
 * Whether two contexts checkpoint the same thing (a step persists exactly when the checkpoint
 * changes): the same canonical JSON, compared without writing it (sameJson). Every step of the
 * agent asks, on a fresh copy of its context (agent/tx.ts); writing both texts, as this did
 * before, was a fifth of all a run of the `partition` configuration allocated.
 */
export function sameCheckpoint(before: AgentContext, after: AgentContext): boolean {
  return before === after || sameJson(agentCheckpoint(before), agentCheckpoint(after));
}

/** A recovered task: what was checkpointed, without the last forwarded update's state and uuid. */
function recoverTask(t: TaskRecord): TaskRecord {
  const { status_update_state: _s, status_update_uuid: _u, ...rest } = t;
  return rest;
}

/**
 * A recovered executor waits to re-subscribe (REGISTERING, no connection); its queued tasks were
 * checkpointed as STAGING tasks and come back launched. A terminated executor stays terminated
 * (its container is gone; it only waits for acknowledgements).
 */
function recoverExecutor(ex: ExecutorRecord): ExecutorRecord {
  const launched: Record<string, TaskRecord> = {};
  for (const [id, t] of Object.entries(ex.launched)) launched[id] = recoverTask(t);
  for (const info of ex.queued) launched[info.task_id.value] = { info, state: 'TASK_STAGING', executor_sent: false };
  const terminated: Record<string, TaskRecord> = {};
  for (const [id, t] of Object.entries(ex.terminated)) terminated[id] = recoverTask(t);
  return {
    ...ex,
    state: ex.state === 'TERMINATED' ? 'TERMINATED' : 'REGISTERING',
    connected: false,
    queued: [],
    launched,
    terminated,
    termination: null,
  };
}

/** The context an agent starts with, fresh or recovered. */
export function initialAgentContext(input: AgentInput): AgentContext {
  const flags = { ...DEFAULT_AGENT_FLAGS, ...input.flags };
  const base = {
    self: input.self,
    master: input.master,
    flags,
    seed: input.seed ?? input.self,
    pingTimeoutMs: flags.pingTimeoutMs,
    paused: true,
  };
  const r = input.recovered;
  if (!r) return { ...base, info: input.info, uuids: 0, frameworks: {}, streams: {} };
  const frameworks: Record<string, FrameworkRecord> = {};
  const streams: Record<string, Record<string, StreamRecord>> = {};
  for (const [id, fw] of Object.entries(r.frameworks)) {
    const executors: Record<string, ExecutorRecord> = {};
    for (const [exId, ex] of Object.entries(fw.executors)) executors[exId] = recoverExecutor(ex);
    // A framework without executors is not recovered, and neither are its streams.
    if (Object.keys(executors).length === 0) continue;
    frameworks[id] = { info: fw.info, state: 'RUNNING', executors };
    if (r.streams[id]) streams[id] = { ...r.streams[id] };
  }
  const info = r.info.id === undefined ? input.info : { ...input.info, id: r.info.id };
  // A drain in progress comes back (and is replayed once recovery ends, agent.ts) while a framework
  // does; with none recovered it is over (drain.ts updateDrainStatus: the last framework gone ends
  // it). The reservations and volumes come back too: the agent reports them when it reregisters.
  const drain = r.drain !== undefined && Object.keys(frameworks).length > 0 ? { drain: r.drain } : {};
  return { ...base, info, uuids: r.uuids, frameworks, streams, ...drain, ...(r.resources ? { resources: r.resources } : {}) };
}

/** The input of the agent's next incarnation, from the context a crash left behind. */
export function agentRestartInput(context: unknown): AgentInput {
  const c = context as AgentContext;
  const { id: _id, ...info } = c.info;
  return { self: c.self, master: c.master, info, flags: c.flags, seed: c.seed, recovered: agentCheckpoint(c) };
}
