/**
 * What the master host learns by watching the machine, never by deciding anything: the changes
 * between the context before and after each step (for the operator event stream and the
 * metrics), and the little history the context does not keep but the operator API shows
 * (registration times, completed frameworks and tasks). The machine's context stays the only
 * state that matters; this is bookkeeping for rendering.
 */
import type { FrameworkInfo, Task, TaskState } from '../../spec/protocol/common.ts';
import { isTerminal } from '../../spec/protocol/common.ts';
import type { AgentRecord, FrameworkRecord, MasterContext } from '../../spec/machines/master/context.ts';

export type Change =
  | { readonly kind: 'framework_added'; readonly fid: string; readonly connected: boolean }
  | { readonly kind: 'framework_updated'; readonly fid: string; readonly connected: boolean; readonly wasConnected: boolean }
  | { readonly kind: 'framework_removed'; readonly fid: string; readonly record: FrameworkRecord }
  | { readonly kind: 'task_added'; readonly fid: string; readonly task: Task }
  | { readonly kind: 'task_updated'; readonly fid: string; readonly task: Task; readonly previous: Task }
  | { readonly kind: 'task_removed'; readonly fid: string; readonly task: Task; readonly frameworkRemoved: boolean }
  | { readonly kind: 'agent_added'; readonly aid: string }
  | { readonly kind: 'agent_removed'; readonly aid: string; readonly record: AgentRecord };

/** Every task of a framework record, live and unreachable, by id. */
function tasksOf(f: FrameworkRecord): Map<string, Task> {
  const m = new Map<string, Task>();
  for (const [tid, r] of Object.entries(f.unreachable)) m.set(tid, r.task);
  for (const [tid, r] of Object.entries(f.tasks)) m.set(tid, r.task);
  return m;
}

/** What changed from `a` to `b`. Unchanged records are skipped by identity (contexts are immutable). */
export function diff(a: MasterContext, b: MasterContext): Change[] {
  const out: Change[] = [];
  if (a === b) return out;
  if (a.agents !== b.agents) {
    for (const aid of Object.keys(b.agents).sort()) {
      const before = a.agents[aid];
      const after = b.agents[aid]!;
      if (after.recovered) continue;
      if (!before || before.recovered) out.push({ kind: 'agent_added', aid });
    }
    for (const aid of Object.keys(a.agents).sort()) {
      if (!b.agents[aid]) out.push({ kind: 'agent_removed', aid, record: a.agents[aid]! });
    }
  }
  if (a.frameworks !== b.frameworks) {
    for (const fid of Object.keys(b.frameworks).sort()) {
      const before = a.frameworks[fid];
      const after = b.frameworks[fid]!;
      if (before === after) continue;
      if (!before) out.push({ kind: 'framework_added', fid, connected: after.connection !== null });
      else if (before.info !== after.info || before.connection !== after.connection) {
        out.push({ kind: 'framework_updated', fid, connected: after.connection !== null, wasConnected: before.connection !== null });
      }
      if (before && before.tasks === after.tasks && before.unreachable === after.unreachable) continue;
      const was = before ? tasksOf(before) : new Map<string, Task>();
      const now = tasksOf(after);
      for (const [tid, task] of [...now].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
        const prev = was.get(tid);
        if (!prev) out.push({ kind: 'task_added', fid, task });
        else if (prev.state !== task.state) out.push({ kind: 'task_updated', fid, task, previous: prev });
      }
      for (const [tid, task] of was) if (!now.has(tid)) out.push({ kind: 'task_removed', fid, task, frameworkRemoved: false });
    }
    for (const fid of Object.keys(a.frameworks).sort()) {
      const record = a.frameworks[fid]!;
      if (b.frameworks[fid]) continue;
      for (const task of tasksOf(record).values()) out.push({ kind: 'task_removed', fid, task, frameworkRemoved: true });
      out.push({ kind: 'framework_removed', fid, record });
    }
  }
  return out;
}

/** A removed framework as the operator API keeps showing it (Mesos's bounded `completed` cache). */
export interface CompletedFramework {
  readonly info: FrameworkInfo;
  readonly tasks: readonly Task[];
  readonly registeredAt: number;
  readonly unregisteredAt: number;
}

export interface Times {
  registered: number;
  reregistered?: number;
  unregistered?: number;
}

/** Mesos's `--max_completed_frameworks` and `--max_completed_tasks_per_framework`. */
const MAX_COMPLETED_TASKS = 1000;

export class Observations {
  readonly startTime = Date.now() / 1000;
  readonly frameworkTimes = new Map<string, Times>();
  readonly agentTimes = new Map<string, Times>();
  /** Frameworks that subscribed to this master (the others are "recovered" from agents). */
  readonly subscribed = new Set<string>();
  readonly completedFrameworks: CompletedFramework[] = [];
  /** Tasks that left the books (acknowledged terminal, or lost), per framework, oldest first. */
  readonly completedTasks = new Map<string, Task[]>();
  /** Tasks that reached each terminal state (Mesos counts these; the gauges cover the rest). */
  readonly terminalCounts = new Map<TaskState, number>();
  /** Tasks just removed without a terminal state, by framework/task, in the list that keeps them. */
  private readonly awaitingEnd = new Map<string, Task[]>();

  /** `maxCompletedFrameworks`: the master's --max_completed_frameworks, as its machine keeps them. */
  constructor(private readonly maxCompletedFrameworks: number) {}

  apply(changes: readonly Change[], now = Date.now() / 1000): void {
    this.awaitingEnd.clear();
    for (const c of changes) {
      switch (c.kind) {
        case 'framework_added':
          this.frameworkTimes.set(c.fid, { registered: now });
          if (c.connected) this.subscribed.add(c.fid);
          break;
        case 'framework_updated': {
          const t = this.frameworkTimes.get(c.fid) ?? { registered: now };
          if (c.connected && !c.wasConnected) t.reregistered = now;
          if (c.connected) this.subscribed.add(c.fid);
          if (!c.connected && c.wasConnected) t.unregistered = now;
          this.frameworkTimes.set(c.fid, t);
          break;
        }
        case 'framework_removed': {
          const t = this.frameworkTimes.get(c.fid);
          const tasks = this.completedTasks.get(c.fid) ?? [];
          this.completedFrameworks.push({ info: c.record.info, tasks, registeredAt: t?.registered ?? now, unregisteredAt: now });
          if (this.completedFrameworks.length > this.maxCompletedFrameworks) this.completedFrameworks.shift();
          this.frameworkTimes.delete(c.fid);
          this.completedTasks.delete(c.fid);
          this.subscribed.delete(c.fid);
          break;
        }
        case 'task_added':
          if (isTerminal(c.task.state)) this.countTerminal(c.task.state);
          break;
        case 'task_updated':
          if (isTerminal(c.task.state) && !isTerminal(c.previous.state)) this.countTerminal(c.task.state);
          break;
        case 'task_removed': {
          // A task that leaves the books before a terminal state ends in the state the machine
          // says in the same step (a `task_ended` count effect, see ended()).
          const list = this.completedTasks.get(c.fid) ?? [];
          list.push(c.task);
          // A removed framework's tasks are collected into its completed record (framework_removed comes last).
          if (!c.frameworkRemoved && list.length > MAX_COMPLETED_TASKS) list.shift();
          this.completedTasks.set(c.fid, list);
          if (!isTerminal(c.task.state)) this.awaitingEnd.set(`${c.fid}/${c.task.task_id.value}`, list);
          break;
        }
        case 'agent_added': {
          const t = this.agentTimes.get(c.aid);
          if (t) t.reregistered = now;
          else this.agentTimes.set(c.aid, { registered: now });
          break;
        }
        case 'agent_removed':
          this.agentTimes.delete(c.aid);
          break;
      }
    }
  }

  /** The machine's word on the state a task removed in this step ended in (spec/machines/effects.ts CountEffect). */
  ended(fid: string, tid: string, state: TaskState): void {
    const key = `${fid}/${tid}`;
    const list = this.awaitingEnd.get(key);
    this.awaitingEnd.delete(key);
    const i = list?.findIndex((t) => t.task_id.value === tid && !isTerminal(t.state)) ?? -1;
    if (list && i >= 0) list[i] = { ...list[i]!, state };
    this.countTerminal(state);
  }

  private countTerminal(state: TaskState): void {
    this.terminalCounts.set(state, (this.terminalCounts.get(state) ?? 0) + 1);
  }
}
