/**
 * The task status update manager (src/slave/task_status_update_manager.cpp) and the agent's
 * `forward`: one stream per (framework, task), FIFO, only the head in flight, retried every
 * 10 s doubling to 10 min; duplicates (by uuid) ignored; acknowledgements other than the head's
 * ignored; paused while the agent is not registered; closed once the terminal update is acked.
 */
import { isTerminal } from '../../protocol/common.ts';
import type { StatusUpdate } from '../../protocol/internal.ts';
import { cancelTimer, executorOfTask, sendTo, setTimer, type MExecutor, type MTask, type Tx } from './tx.ts';
import { STATUS_UPDATE_RETRY_MAX_MS, STATUS_UPDATE_RETRY_MIN_MS, timerIds } from './types.ts';

type MStream = Tx['c']['streams'][string][string];

function streamOf(tx: Tx, framework: string, task: string): MStream | undefined {
  return tx.c.streams[framework]?.[task];
}

/** Every stream, in canonical (sorted) order. */
function allStreams(tx: Tx): [string, string, MStream][] {
  const out: [string, string, MStream][] = [];
  for (const fw of Object.keys(tx.c.streams).sort()) {
    const tasks = tx.c.streams[fw]!;
    for (const task of Object.keys(tasks).sort()) out.push([fw, task, tasks[task]!]);
  }
  return out;
}

/** The task record `forward` stamps: launched or terminated, never queued or completed. */
function trackedTask(tx: Tx, framework: string, task: string): MTask | undefined {
  const fw = tx.c.frameworks[framework];
  if (!fw) return undefined;
  const exId = executorOfTask(fw, task);
  if (exId === null) return undefined;
  const ex: MExecutor = fw.executors[exId]!;
  return ex.launched[task] ?? ex.terminated[task];
}

/**
 * Slave::forward plus the manager's retry timer: send the head to the master, stamped with the
 * task's latest state, and (re)arm the retry timer with `interval`.
 */
function forwardHead(tx: Tx, framework: string, task: string, interval: number): void {
  const head = streamOf(tx, framework, task)!.pending[0]!;
  let update: StatusUpdate = { ...head, status: { ...head.status, uuid: head.uuid } };
  const record = trackedTask(tx, framework, task);
  if (record) {
    record.status_update_state = head.status.state;
    record.status_update_uuid = head.uuid!;
    update = { ...update, latest_state: record.state };
  }
  sendTo(tx, tx.c.master, { type: 'STATUS_UPDATE', update });
  setTimer(tx, timerIds.retry(framework, task), { type: 'STATUS_UPDATE_RETRY', framework, task, interval }, interval);
}

/**
 * TaskStatusUpdateManager::update: enqueue `update` in its task's stream (created on demand),
 * forwarding it at once if it is the only pending update and the manager is not paused.
 * Returns false for a duplicate (its uuid was already received), which is ignored.
 */
export function streamUpdate(tx: Tx, update: StatusUpdate, checkpoint: boolean): 'enqueued' | 'duplicate' | 'mismatch' {
  const framework = update.framework_id.value;
  const task = update.status.task_id.value;
  const streams = (tx.c.streams[framework] ??= {});
  const stream = (streams[task] ??= { checkpoint, pending: [], received: [] });
  // A checkpointed stream never takes a non-checkpointed update and vice versa (Mesos fails it).
  if (stream.checkpoint !== checkpoint) return 'mismatch';
  if (stream.received.includes(update.uuid!)) return 'duplicate';
  stream.received.push(update.uuid!);
  stream.pending.push(update as MStream['pending'][number]);
  if (!tx.c.paused && stream.pending.length === 1) forwardHead(tx, framework, task, STATUS_UPDATE_RETRY_MIN_MS);
  return 'enqueued';
}

/**
 * TaskStatusUpdateManager::acknowledgement. `ignored`: no stream, nothing pending, or not the
 * head's uuid (a duplicate or unexpected ack). `next`: the head was acknowledged and the next
 * one (if any) forwarded. `terminated`: the acknowledged head was terminal; the stream is closed.
 */
export function streamAck(tx: Tx, framework: string, task: string, uuid: string): 'ignored' | 'next' | 'terminated' {
  const stream = streamOf(tx, framework, task);
  if (!stream || stream.pending.length === 0) return 'ignored';
  const head = stream.pending[0]!;
  if (head.uuid !== uuid) return 'ignored';
  stream.pending.shift();
  cancelTimer(tx, timerIds.retry(framework, task));
  if (isTerminal(head.status.state)) {
    closeStream(tx, framework, task);
    return 'terminated';
  }
  if (!tx.c.paused && stream.pending.length > 0) forwardHead(tx, framework, task, STATUS_UPDATE_RETRY_MIN_MS);
  return 'next';
}

function closeStream(tx: Tx, framework: string, task: string): void {
  const streams = tx.c.streams[framework]!;
  delete streams[task];
  if (Object.keys(streams).length === 0) delete tx.c.streams[framework];
}

/** The retry timer fired: resend the head with the interval doubled (at most 10 min). */
export function streamRetry(tx: Tx, framework: string, task: string, interval: number): void {
  const stream = streamOf(tx, framework, task);
  if (tx.c.paused || !stream || stream.pending.length === 0) return;
  forwardHead(tx, framework, task, Math.min(interval * 2, STATUS_UPDATE_RETRY_MAX_MS));
}

/** Whether the retry timer's stream still has something in flight. */
export function streamHasPending(streams: Tx['c']['streams'], framework: string, task: string): boolean {
  return (streams[framework]?.[task]?.pending.length ?? 0) > 0;
}

/** pause(): stop forwarding and retrying. */
export function pauseStreams(tx: Tx): void {
  tx.c.paused = true;
  for (const [fw, task] of allStreams(tx)) cancelTimer(tx, timerIds.retry(fw, task));
}

/** resume(): resend every stream's head at once, retry timers back to 10 s. */
export function resumeStreams(tx: Tx): void {
  tx.c.paused = false;
  for (const [fw, task, stream] of allStreams(tx)) {
    if (stream.pending.length > 0) forwardHead(tx, fw, task, STATUS_UPDATE_RETRY_MIN_MS);
  }
}

/** cleanup(frameworkId): close every stream of a removed framework. */
export function cleanupStreams(tx: Tx, framework: string): void {
  const streams = tx.c.streams[framework];
  if (!streams) return;
  for (const task of Object.keys(streams).sort()) cancelTimer(tx, timerIds.retry(framework, task));
  delete tx.c.streams[framework];
}
