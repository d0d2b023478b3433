/**
 * What the agent says about itself, rendered from the agent machine's context: the v1 operator
 * responses (GET_STATE, GET_TASKS, GET_VERSION; rendered by spec/protocol's codec) and the v0
 * `/state` JSON (hand-written like src/slave/http.cpp's writers, with rapidjson's doubles).
 */
import type { AgentContext, ExecutorRecord, TaskRecord } from '../../spec/machines/agent.ts';
import { AGENT_VERSION } from '../../spec/machines/agent.ts';
import { taskReport } from '../../spec/machines/agent/reports.ts';
import { reading } from '../../spec/machines/agent/tx.ts';
import type { FrameworkInfo, Resource, Task, TaskInfo, TaskState, TaskStatus } from '../../spec/protocol/common.ts';
import { encodeAgentResponse, encodeMessage } from '../../spec/protocol/json.ts';
import type { AgentResponseGetExecutors, AgentResponseGetFrameworks, AgentResponseGetTasks } from '../../spec/protocol/operator.ts';
import { dbl, renderJson, type Dbl } from '../http/json.ts';
import type { CompletedExecutor, History } from './history.ts';

/** Build facts the agent reports (GET_VERSION, /version, /state). */
export const BUILD = {
  version: AGENT_VERSION,
  build_date: '2024-08-23 00:00:00',
  build_time: 1724371200,
  build_user: 'mesos-ref',
};

function sorted<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.keys(record)
    .sort()
    .map((k) => [k, record[k]!]);
}

/** The v1 `GetTasks` of the agent: queued, launched, terminated, and (from the history) completed. */
export function agentTasks(context: AgentContext, statuses?: TaskStatuses, history?: History): AgentResponseGetTasks {
  const tx = reading(context);
  const queued: Task[] = [];
  const launched: Task[] = [];
  const terminated: Task[] = [];
  const completed: Task[] = [];
  const complete = (fwId: string, ex: CompletedExecutor) => {
    for (const t of ex.tasks) completed.push(taskReport(tx, fwId, t.info, t.state));
  };
  const withStatuses = (fw: string, t: Task): Task => {
    const list = statuses?.of(fw, t.task_id.value);
    return list && list.length > 0 ? { ...t, statuses: list } : t;
  };
  for (const [fwId, fw] of sorted(context.frameworks)) {
    for (const [, ex] of sorted(fw.executors)) {
      for (const info of ex.queued) queued.push(withStatuses(fwId, taskReport(tx, fwId, info, 'TASK_STAGING')));
      for (const [, t] of sorted(ex.launched)) launched.push(withStatuses(fwId, taskReport(tx, fwId, t.info, t.state, t as never)));
      for (const [, t] of sorted(ex.terminated)) terminated.push(withStatuses(fwId, taskReport(tx, fwId, t.info, t.state, t as never)));
    }
  }
  if (history) {
    for (const [fwId, fw] of sorted(context.frameworks)) {
      for (const [exId] of sorted(fw.executors)) {
        for (const t of history.tasksCompletedBy(fwId, exId)) completed.push(taskReport(tx, fwId, t.info, t.state));
      }
      for (const ex of history.executorsCompletedIn(fwId)) complete(fwId, ex);
    }
    for (const fw of history.completedFrameworks) for (const ex of fw.executors) complete(fw.info.id?.value ?? '', ex);
  }
  return {
    ...(queued.length ? { queued_tasks: queued } : {}),
    ...(launched.length ? { launched_tasks: launched } : {}),
    ...(terminated.length ? { terminated_tasks: terminated } : {}),
    ...(completed.length ? { completed_tasks: completed } : {}),
  };
}

export function getTasksResponse(context: AgentContext, statuses?: TaskStatuses, history?: History): string {
  return encodeAgentResponse({ type: 'GET_TASKS', get_tasks: agentTasks(context, statuses, history) });
}

/** The v1 `GetExecutors` of the agent: its executors, and (from the history) the completed ones. */
export function agentExecutors(context: AgentContext, history?: History): AgentResponseGetExecutors {
  const executors = sorted(context.frameworks).flatMap(([, fw]) => sorted(fw.executors).map(([, ex]) => ({ executor_info: ex.info })));
  const completedExecutors = [
    ...sorted(context.frameworks).flatMap(([fwId]) => (history?.executorsCompletedIn(fwId) ?? []).map((ex) => ({ executor_info: ex.info }))),
    ...(history?.completedFrameworks ?? []).flatMap((fw) => fw.executors.map((ex) => ({ executor_info: ex.info }))),
  ];
  return {
    ...(executors.length ? { executors } : {}),
    ...(completedExecutors.length ? { completed_executors: completedExecutors } : {}),
  };
}

/** The v1 `GetFrameworks` of the agent: its frameworks, and (from the history) the completed ones. */
export function agentFrameworks(context: AgentContext, history?: History): AgentResponseGetFrameworks {
  const frameworks = sorted(context.frameworks).map(([, fw]) => ({ framework_info: fw.info }));
  const completedFrameworks = (history?.completedFrameworks ?? []).map((fw) => ({ framework_info: fw.info }));
  return {
    ...(frameworks.length ? { frameworks } : {}),
    ...(completedFrameworks.length ? { completed_frameworks: completedFrameworks } : {}),
  };
}

export function getStateResponse(context: AgentContext, statuses?: TaskStatuses, history?: History): string {
  return encodeAgentResponse({
    type: 'GET_STATE',
    get_state: {
      get_tasks: agentTasks(context, statuses, history),
      get_executors: agentExecutors(context, history),
      get_frameworks: agentFrameworks(context, history),
    },
  });
}

export function getHealthResponse(): string {
  return encodeAgentResponse({ type: 'GET_HEALTH', get_health: { healthy: true } });
}

/** GET_VERSION: the codec has no agent response for it, so the envelope is written here. */
export function getVersionResponse(): string {
  return `{"type":"GET_VERSION","get_version":${encodeMessage('MasterResponseGetVersion', { version_info: BUILD })}}`;
}

// ------------------------------------------------------------------------------ status history

/**
 * The statuses of each task the agent has seen (Mesos keeps them on its Task objects), in order,
 * one per uuid; the oldest tasks' lists are dropped past MAX_TASKS.
 */
const MAX_TASKS = 10_000;

export class TaskStatuses {
  private readonly byTask = new Map<string, TaskStatus[]>();

  add(framework: string, status: TaskStatus): void {
    const key = `${framework}\u0000${status.task_id.value}`;
    const list = this.byTask.get(key) ?? [];
    if (status.uuid !== undefined && list.some((s) => s.uuid === status.uuid)) return;
    list.push(status);
    this.byTask.delete(key);
    this.byTask.set(key, list);
    if (this.byTask.size > MAX_TASKS) this.byTask.delete(this.byTask.keys().next().value!);
  }

  of(framework: string, task: string): TaskStatus[] | undefined {
    return this.byTask.get(`${framework}\u0000${task}`);
  }
}

// ------------------------------------------------------------------------------ v0 JSON

function formatRanges(ranges: readonly { begin: number; end: number }[]): string {
  return `[${ranges.map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
}

/** `model(Resources)`: cpus, gpus, mem, disk always; scalars as doubles, ranges and sets as text. */
function resourcesJson(resources: readonly Resource[] | undefined): Record<string, Dbl | string> {
  const scalars = new Map<string, number>([
    ['cpus', 0],
    ['gpus', 0],
    ['mem', 0],
    ['disk', 0],
  ]);
  const ranges = new Map<string, { begin: number; end: number }[]>();
  const sets = new Map<string, string[]>();
  for (const r of resources ?? []) {
    if (r.revocable !== undefined) continue;
    if (r.type === 'SCALAR') scalars.set(r.name, Math.round(((scalars.get(r.name) ?? 0) + (r.scalar?.value ?? 0)) * 1000) / 1000);
    else if (r.type === 'RANGES') ranges.set(r.name, [...(ranges.get(r.name) ?? []), ...(r.ranges?.range ?? [])]);
    else if (r.type === 'SET') sets.set(r.name, [...(sets.get(r.name) ?? []), ...(r.set?.item ?? [])]);
  }
  const out: Record<string, Dbl | string> = {};
  for (const [name, v] of scalars) out[name] = dbl(v);
  for (const [name, v] of ranges) out[name] = formatRanges([...v].sort((a, b) => a.begin - b.begin));
  for (const [name, v] of sets) out[name] = `{${[...v].sort().join(', ')}}`;
  return out;
}

function taskJson(framework: string, agentId: string, info: TaskInfo, state: TaskState, statuses: TaskStatuses | undefined): Record<string, unknown> {
  const history = statuses?.of(framework, info.task_id.value) ?? [];
  return {
    id: info.task_id.value,
    name: info.name,
    framework_id: framework,
    executor_id: info.executor?.executor_id.value ?? '',
    slave_id: agentId,
    state,
    resources: resourcesJson(info.resources),
    statuses: history.map((s) => ({
      state: s.state,
      timestamp: dbl(s.timestamp ?? 0),
      ...(s.container_status === undefined ? {} : { container_status: s.container_status }),
    })),
    ...(info.labels === undefined ? {} : { labels: info.labels.labels ?? [] }),
    ...(info.discovery === undefined ? {} : { discovery: info.discovery }),
  };
}

export interface V0StateInput {
  readonly context: AgentContext;
  /** The machine's state value, e.g. `{ active: 'running' }`. */
  readonly machineState: unknown;
  readonly url: URL;
  readonly startTime: number;
  readonly masterHostname: string;
  readonly flags: Record<string, string>;
  readonly directoryOf: (framework: string, executor: string) => string;
  readonly containerOf: (framework: string, executor: string) => string;
  readonly statuses?: TaskStatuses;
  readonly history?: History;
}

function completedExecutorJson(input: V0StateInput, framework: string, ex: CompletedExecutor): Record<string, unknown> {
  const agentId = input.context.info.id?.value ?? '';
  return {
    id: ex.info.executor_id.value,
    name: ex.info.name ?? '',
    source: ex.info.source ?? '',
    container: ex.container,
    directory: ex.directory,
    resources: resourcesJson(ex.info.resources),
    type: 'COMMAND',
    ...(ex.info.labels === undefined ? {} : { labels: ex.info.labels.labels ?? [] }),
    tasks: [],
    queued_tasks: [],
    completed_tasks: ex.tasks.map((t) => taskJson(framework, agentId, t.info, t.state, input.statuses)),
  };
}

function frameworkJson(info: FrameworkInfo, id: string, executors: unknown[], completed: unknown[]): Record<string, unknown> {
  return {
    id,
    name: info.name,
    user: info.user,
    failover_timeout: dbl(info.failover_timeout ?? 0),
    checkpoint: info.checkpoint ?? false,
    hostname: info.hostname ?? '',
    ...(info.roles !== undefined ? { roles: info.roles } : { role: info.role ?? '*' }),
    ...(info.principal === undefined ? {} : { principal: info.principal }),
    ...(info.capabilities === undefined ? {} : { capabilities: info.capabilities.map((c) => c.type) }),
    executors,
    completed_executors: completed,
  };
}

function executorJson(input: V0StateInput, framework: string, ex: ExecutorRecord): Record<string, unknown> {
  const agentId = input.context.info.id?.value ?? '';
  const id = ex.info.executor_id.value;
  const tasks = (record: Readonly<Record<string, TaskRecord>>) => sorted(record).map(([, t]) => taskJson(framework, agentId, t.info, t.state, input.statuses));
  return {
    id,
    name: ex.info.name ?? '',
    source: ex.info.source ?? '',
    container: input.containerOf(framework, id),
    directory: input.directoryOf(framework, id),
    resources: resourcesJson(ex.info.resources),
    type: 'COMMAND',
    ...(ex.info.labels === undefined ? {} : { labels: ex.info.labels.labels ?? [] }),
    tasks: tasks(ex.launched),
    queued_tasks: ex.queued.map((t) => taskJson(framework, agentId, t, 'TASK_STAGING', input.statuses)),
    completed_tasks: [...(input.history?.tasksCompletedBy(framework, id) ?? []).map((t) => taskJson(framework, agentId, t.info, t.state, input.statuses)), ...tasks(ex.terminated)],
  };
}

/** `GET /state` (= `/slave(1)/state`). */
export function v0State(input: V0StateInput): string {
  const { context, url } = input;
  const frameworks = sorted(context.frameworks).map(([fwId, fw]) =>
    frameworkJson(
      fw.info,
      fwId,
      sorted(fw.executors)
        .filter(([, ex]) => ex.state !== 'TERMINATED')
        .map(([, ex]) => executorJson(input, fwId, ex)),
      [
        ...(input.history?.executorsCompletedIn(fwId) ?? []).map((ex) => completedExecutorJson(input, fwId, ex)),
        ...sorted(fw.executors)
          .filter(([, ex]) => ex.state === 'TERMINATED')
          .map(([, ex]) => executorJson(input, fwId, ex)),
      ],
    ),
  );
  const completedFrameworks = (input.history?.completedFrameworks ?? []).map((fw) => {
    const id = fw.info.id?.value ?? '';
    return frameworkJson(
      fw.info,
      id,
      [],
      fw.executors.map((ex) => completedExecutorJson(input, id, ex)),
    );
  });
  const resources = resourcesJson(context.info.resources);
  return renderJson({
    version: BUILD.version,
    build_date: BUILD.build_date,
    build_time: BUILD.build_time,
    build_user: BUILD.build_user,
    start_time: dbl(input.startTime),
    id: context.info.id?.value ?? '',
    pid: `slave(1)@${url.hostname}:${url.port}`,
    hostname: context.info.hostname,
    capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
    resources,
    attributes: {},
    master_hostname: input.masterHostname,
    flags: input.flags,
    unreserved_resources: resources,
    reserved_resources: {},
    frameworks,
    completed_frameworks: completedFrameworks,
    // Not in Mesos: the agent machine's state, for humans and tests.
    machine_state: input.machineState,
  });
}
