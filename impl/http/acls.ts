/**
 * Mesos's local authorizer (`--authorizers=local`, src/authorizer/local/authorizer.cpp) over an
 * `--acls` file in Mesos's JSON format (include/mesos/authorizer/acls.proto):
 *
 *   {"permissive": true,
 *    "teardown_frameworks": [{"principals": {"values": ["ops"]}, "framework_principals": {"type": "ANY"}}],
 *    "register_frameworks": [{"principals": {"type": "ANY"}, "roles": {"values": ["web"]}}], ...}
 *
 * For an action, the ACLs are tried in order: the first whose subject and object both match
 * decides (denied if either entity is NONE, allowed otherwise); if none matches, `permissive`
 * (default true) decides. An entity is `{"values": [...]}` or `{"type": "ANY" | "NONE"}`; a
 * request without a principal matches only ANY (and NONE, which denies).
 */
import { readFileSync } from 'node:fs';
import type { ExecutorInfo, FrameworkInfo, Task, TaskInfo } from '../../spec/protocol/common.ts';
import type {
  AgentResponseGetExecutors,
  AgentResponseGetExecutorsExecutor,
  AgentResponseGetState,
  AgentResponseGetTasks,
  MasterResponseGetExecutors,
  MasterResponseGetState,
  MasterResponseGetTasks,
} from '../../spec/protocol/operator.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { fromWire, reservationRole } from '../../spec/resources/index.ts';

interface Entity {
  readonly type: 'SOME' | 'ANY' | 'NONE';
  readonly values: readonly string[];
}

/** Each action: its subject field and object field in acls.proto. */
const ACL_ACTIONS = {
  register_frameworks: ['principals', 'roles'],
  run_tasks: ['principals', 'users'],
  teardown_frameworks: ['principals', 'framework_principals'],
  view_frameworks: ['principals', 'users'],
  view_tasks: ['principals', 'users'],
  view_executors: ['principals', 'users'],
  access_sandboxes: ['principals', 'users'],
  view_containers: ['principals', 'users'],
  reserve_resources: ['principals', 'roles'],
  unreserve_resources: ['principals', 'reserver_principals'],
  create_volumes: ['principals', 'roles'],
  destroy_volumes: ['principals', 'creator_principals'],
  update_quotas: ['principals', 'roles'],
  get_quotas: ['principals', 'roles'],
  update_weights: ['principals', 'roles'],
  register_agents: ['principals', 'agents'],
  mark_agents_gone: ['principals', 'agents'],
  drain_agents: ['principals', 'agents'],
  deactivate_agents: ['principals', 'agents'],
  reactivate_agents: ['principals', 'agents'],
} as const;

export type AclAction = keyof typeof ACL_ACTIONS;

interface Rule {
  readonly subject: Entity;
  readonly object: Entity;
}

export class AclsError extends Error {}

function parseEntity(value: unknown, where: string): Entity {
  if (value === undefined) return { type: 'ANY', values: [] };
  if (typeof value !== 'object' || value === null) throw new AclsError(`${where}: expected {"values": [...]} or {"type": "ANY"|"NONE"}`);
  const { type, values } = value as { type?: unknown; values?: unknown };
  if (values !== undefined) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) throw new AclsError(`${where}.values: expected an array of strings`);
    return { type: 'SOME', values: values as string[] };
  }
  if (type === 'ANY' || type === 'NONE') return { type, values: [] };
  throw new AclsError(`${where}.type: expected "ANY" or "NONE", got ${JSON.stringify(type)}`);
}

export class Acls {
  private constructor(
    private readonly permissive: boolean,
    private readonly rules: Readonly<Partial<Record<AclAction, readonly Rule[]>>>,
  ) {}

  /** Everything allowed: no --acls. */
  static readonly none = new Acls(true, {});

  static parse(text: string, file: string): Acls {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new AclsError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AclsError(`${file}: expected a JSON object`);
    const rules: Partial<Record<AclAction, Rule[]>> = {};
    let permissive = true;
    for (const [key, value] of Object.entries(json)) {
      if (key === 'permissive') {
        if (typeof value !== 'boolean') throw new AclsError(`${file}: 'permissive': expected true or false`);
        permissive = value;
        continue;
      }
      if (!(key in ACL_ACTIONS)) throw new AclsError(`${file}: '${key}': not an action the reference authorizes (${Object.keys(ACL_ACTIONS).join(', ')})`);
      const [subjectField, objectField] = ACL_ACTIONS[key as AclAction];
      if (!Array.isArray(value)) throw new AclsError(`${file}: '${key}': expected an array of ACLs`);
      rules[key as AclAction] = value.map((acl: unknown, i) => {
        const where = `${file}: '${key}[${i}]'`;
        if (typeof acl !== 'object' || acl === null) throw new AclsError(`${where}: expected an object`);
        const a = acl as Record<string, unknown>;
        return { subject: parseEntity(a[subjectField], `${where}.${subjectField}`), object: parseEntity(a[objectField], `${where}.${objectField}`) };
      });
    }
    return new Acls(permissive, rules);
  }

  static load(file: string): Acls {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AclsError(`${file}: ${(e as Error).message}`);
    }
    return Acls.parse(text, file);
  }

  /** May `principal` (undefined: unauthenticated) do `action` on `object` (undefined: any)? */
  allows(action: AclAction, principal: string | undefined, object: string | undefined): boolean {
    for (const rule of this.rules[action] ?? []) {
      if (!matches(rule.subject, principal) || !matches(rule.object, object)) continue;
      return rule.subject.type !== 'NONE' && rule.object.type !== 'NONE';
    }
    return this.permissive;
  }
}

function matches(entity: Entity, value: string | undefined): boolean {
  if (entity.type !== 'SOME') return true;
  return value !== undefined && entity.values.includes(value);
}

// ---------------------------------------------------------------------------------------------
// run_tasks and view_frameworks / view_tasks / view_executors (the objects are users)

/** The user a task runs as, as Mesos names it: its command's, else its executor's, else its framework's. */
export function taskUser(task: Pick<TaskInfo, 'command' | 'executor'>, framework: Pick<FrameworkInfo, 'user'> | undefined): string | undefined {
  return task.command?.user ?? task.executor?.command?.user ?? framework?.user;
}

/**
 * run_tasks: the tasks of an ACCEPT the framework's principal may not launch, each with Mesos's
 * message (Master::_accept answers each with TASK_ERROR, REASON_TASK_UNAUTHORIZED); undefined
 * when every task may run.
 */
export function unauthorizedLaunches(acls: Acls, call: SchedulerCall, framework: FrameworkInfo | undefined): Record<string, string> | undefined {
  if (call.type !== 'ACCEPT') return undefined;
  const denied: Record<string, string> = {};
  for (const op of call.accept.operations ?? []) {
    if (op.type !== 'LAUNCH') continue;
    for (const t of op.launch?.task_infos ?? []) {
      const user = taskUser(t, framework);
      if (acls.allows('run_tasks', framework?.principal, user)) continue;
      denied[t.task_id.value] = `Not authorized to launch task ${t.task_id.value} of framework ${call.framework_id.value} under user '${user ?? ''}'`;
    }
  }
  return Object.keys(denied).length ? denied : undefined;
}

/** The reservation roles, or reserver / creator principals, of an operation's resources (none if they do not parse: the machine answers). */
function operationObjects(json: readonly unknown[] | undefined, what: 'roles' | 'reservers' | 'creators'): (string | undefined)[] {
  const parsed = fromWire(json ?? []);
  if (!parsed.ok) return [];
  const reserved = parsed.value.filter((e) => (e.reservations ?? []).length > 0);
  if (what === 'roles') return [...new Set(reserved.map(reservationRole))];
  if (what === 'reservers') return [...new Set(reserved.map((e) => e.reservations![e.reservations!.length - 1]!.principal))];
  return [...new Set(parsed.value.filter((e) => e.disk !== undefined).map((e) => e.disk!.persistence.principal))];
}

/**
 * reserve_resources, unreserve_resources, create_volumes, destroy_volumes for an ACCEPT's
 * operations (Master::_accept's `authorized`): the refused ones by index in `operations`, each
 * with the message its OPERATION_ERROR carries; undefined when all may go ahead.
 */
export function unauthorizedOperations(acls: Acls, call: SchedulerCall, framework: FrameworkInfo | undefined): Record<string, string> | undefined {
  if (call.type !== 'ACCEPT') return undefined;
  const principal = framework?.principal;
  const denied: Record<string, string> = {};
  for (const [i, op] of (call.accept.operations ?? []).entries()) {
    const check = (action: AclAction, objects: (string | undefined)[], what: string) => {
      const refused = objects.filter((o) => !acls.allows(action, principal, o));
      if (refused.length) denied[String(i)] = `Not authorized to ${what} '${refused.map((o) => o ?? '').join(',')}' as principal '${principal ?? ''}'`;
    };
    if (op.type === 'RESERVE') check('reserve_resources', operationObjects(op.reserve?.resources, 'roles'), 'reserve resources for roles');
    if (op.type === 'UNRESERVE') check('unreserve_resources', operationObjects(op.unreserve?.resources, 'reservers'), 'unreserve resources reserved by');
    if (op.type === 'CREATE') check('create_volumes', operationObjects(op.create?.volumes, 'roles'), 'create volumes for roles');
    if (op.type === 'DESTROY') check('destroy_volumes', operationObjects(op.destroy?.volumes, 'creators'), 'destroy volumes created by');
  }
  return Object.keys(denied).length ? denied : undefined;
}

/** view_frameworks: the frameworks (by FrameworkInfo) `principal` may see. */
export const viewableFramework = (acls: Acls, principal: string | undefined, info: Pick<FrameworkInfo, 'user'>): boolean => acls.allows('view_frameworks', principal, info.user);

/** view_tasks: a task is seen if its user (Task.user, else its framework's) is one `principal` may view. */
const viewableTask = (acls: Acls, principal: string | undefined, task: { readonly user?: string }, framework: Pick<FrameworkInfo, 'user'> | undefined): boolean =>
  acls.allows('view_tasks', principal, task.user ?? framework?.user);

/** view_executors: an executor is seen if its command's user (else its framework's) is one `principal` may view. */
const viewableExecutor = (acls: Acls, principal: string | undefined, executor: Pick<ExecutorInfo, 'command'>, framework: Pick<FrameworkInfo, 'user'> | undefined): boolean =>
  acls.allows('view_executors', principal, executor.command?.user ?? framework?.user);

/**
 * The frameworks of a GET_FRAMEWORKS answer `principal` may see (view_frameworks, live and
 * completed): the master's and the agent's answer alike.
 */
export function viewFrameworks<F extends { readonly framework_info: Pick<FrameworkInfo, 'user'> }>(
  acls: Acls,
  principal: string | undefined,
  r: { readonly frameworks?: readonly F[]; readonly completed_frameworks?: readonly F[] },
): { frameworks?: F[]; completed_frameworks?: F[] } {
  const keep = (list: readonly F[] | undefined) => (list ?? []).filter((f) => viewableFramework(acls, principal, f.framework_info));
  const frameworks = keep(r.frameworks);
  const completed = keep(r.completed_frameworks);
  return { ...(frameworks.length ? { frameworks } : {}), ...(completed.length ? { completed_frameworks: completed } : {}) };
}

/**
 * The tasks of a GET_TASKS answer `principal` may see: Mesos authorizes view_tasks per task,
 * against the task's user or its framework's (`frameworkOf` finds the FrameworkInfo by id).
 */
export function viewTasks(acls: Acls, principal: string | undefined, r: MasterResponseGetTasks, frameworkOf: (id: string) => FrameworkInfo | undefined): MasterResponseGetTasks {
  const keep = (list: readonly Task[] | undefined) => (list ?? []).filter((t) => viewableTask(acls, principal, t, frameworkOf(t.framework_id.value)));
  const [tasks, unreachable, completed] = [keep(r.tasks), keep(r.unreachable_tasks), keep(r.completed_tasks)];
  return {
    ...(tasks.length ? { tasks } : {}),
    ...(unreachable.length ? { unreachable_tasks: unreachable } : {}),
    ...(completed.length ? { completed_tasks: completed } : {}),
  };
}

/** The executors of a GET_EXECUTORS answer `principal` may see (view_executors, as Mesos's Master::Http::getExecutors asks). */
export function viewExecutors(
  acls: Acls,
  principal: string | undefined,
  r: MasterResponseGetExecutors,
  frameworkOf: (id: string) => FrameworkInfo | undefined,
): MasterResponseGetExecutors {
  const executors = (r.executors ?? []).filter((e) => viewableExecutor(acls, principal, e.executor_info, frameworkOf(e.executor_info.framework_id?.value ?? '')));
  return executors.length ? { executors } : {};
}

/** A GET_STATE answer as `principal` may see it: its frameworks, tasks and executors filtered alike. */
export function viewState(acls: Acls, principal: string | undefined, r: MasterResponseGetState, frameworkOf: (id: string) => FrameworkInfo | undefined): MasterResponseGetState {
  return {
    ...r,
    ...(r.get_tasks ? { get_tasks: viewTasks(acls, principal, r.get_tasks, frameworkOf) } : {}),
    ...(r.get_frameworks ? { get_frameworks: viewFrameworks(acls, principal, r.get_frameworks) } : {}),
    ...(r.get_executors ? { get_executors: viewExecutors(acls, principal, r.get_executors, frameworkOf) } : {}),
  };
}

/**
 * `/master/state` (v0 JSON) as `principal` may see it: frameworks by view_frameworks, and within
 * each, tasks by view_tasks and executors by view_executors (Mesos's FullFrameworkWriter).
 */
export function viewV0State(acls: Acls, principal: string | undefined, state: Record<string, unknown>): Record<string, unknown> {
  type V0Framework = {
    id?: string;
    user?: string;
    tasks?: { user?: string }[];
    completed_tasks?: { user?: string }[];
    unreachable_tasks?: { user?: string }[];
    executors?: { command?: { user?: string } }[];
  };
  const view = (f: V0Framework): V0Framework => {
    const info = { user: f.user ?? '' };
    const tasks = (key: 'tasks' | 'completed_tasks' | 'unreachable_tasks') => (f[key] ? { [key]: f[key].filter((t) => viewableTask(acls, principal, t, info)) } : {});
    return {
      ...f,
      ...tasks('tasks'),
      ...tasks('completed_tasks'),
      ...tasks('unreachable_tasks'),
      ...(f.executors ? { executors: f.executors.filter((e) => viewableExecutor(acls, principal, e, info)) } : {}),
    };
  };
  const frameworks = (key: string) =>
    Array.isArray(state[key]) ? { [key]: (state[key] as V0Framework[]).filter((f) => viewableFramework(acls, principal, { user: f.user ?? '' })).map(view) } : {};
  return { ...state, ...frameworks('frameworks'), ...frameworks('completed_frameworks') };
}

/**
 * The agent's v1 GET_TASKS as `principal` may see it (view_tasks per task, against the task's user
 * or its framework's), as Mesos's agent `Http::getTasks` does with its tasks approver.
 */
export function viewAgentTasks(acls: Acls, principal: string | undefined, r: AgentResponseGetTasks, frameworkOf: (id: string) => FrameworkInfo | undefined): AgentResponseGetTasks {
  const out: AgentResponseGetTasks = {};
  for (const key of ['pending_tasks', 'queued_tasks', 'launched_tasks', 'terminated_tasks', 'completed_tasks'] as const) {
    const kept = (r[key] ?? []).filter((t) => viewableTask(acls, principal, t, frameworkOf(t.framework_id.value)));
    if (kept.length) out[key] = kept;
  }
  return out;
}

/**
 * The agent's v1 GET_EXECUTORS as `principal` may see it, as Mesos's agent `Http::getExecutors`:
 * an executor is shown if its framework passes view_frameworks and it passes view_executors.
 */
export function viewAgentExecutors(
  acls: Acls,
  principal: string | undefined,
  r: AgentResponseGetExecutors,
  frameworkOf: (id: string) => FrameworkInfo | undefined,
): AgentResponseGetExecutors {
  const keep = (list: readonly AgentResponseGetExecutorsExecutor[] | undefined) =>
    (list ?? []).filter((e) => {
      const framework = frameworkOf(e.executor_info.framework_id?.value ?? '');
      return (framework === undefined || viewableFramework(acls, principal, framework)) && viewableExecutor(acls, principal, e.executor_info, framework);
    });
  const executors = keep(r.executors);
  const completed = keep(r.completed_executors);
  return { ...(executors.length ? { executors } : {}), ...(completed.length ? { completed_executors: completed } : {}) };
}

/** The agent's v1 GET_STATE as `principal` may see it: frameworks, executors and tasks by their view_* ACLs. */
export function viewAgentState(acls: Acls, principal: string | undefined, r: AgentResponseGetState, frameworkOf: (id: string) => FrameworkInfo | undefined): AgentResponseGetState {
  return {
    ...(r.get_tasks ? { get_tasks: viewAgentTasks(acls, principal, r.get_tasks, frameworkOf) } : {}),
    ...(r.get_executors ? { get_executors: viewAgentExecutors(acls, principal, r.get_executors, frameworkOf) } : {}),
    ...(r.get_frameworks ? { get_frameworks: viewFrameworks(acls, principal, r.get_frameworks) } : {}),
  };
}

/**
 * The agent's `/state` (v0 JSON) as `principal` may see it, as Mesos's agent `Http::state`:
 * frameworks by view_frameworks; within each, executors by view_executors and their tasks
 * (running, queued, completed) by view_tasks. The v0 JSON names no command user, so executors and
 * tasks are judged by their framework's user unless `userOf` knows better (the agent's context).
 */
export function viewAgentV0State(
  acls: Acls,
  principal: string | undefined,
  state: Record<string, unknown>,
  userOf: { executor: (framework: string, executor: string) => string | undefined; task: (framework: string, task: string) => string | undefined },
): Record<string, unknown> {
  type V0Task = { id?: string };
  type V0Executor = { id?: string; tasks?: V0Task[]; queued_tasks?: V0Task[]; completed_tasks?: V0Task[] };
  type V0Framework = { id?: string; user?: string; executors?: V0Executor[]; completed_executors?: V0Executor[] };
  const framework = (f: V0Framework): V0Framework => {
    const fid = f.id ?? '';
    const fwUser = f.user ?? '';
    const tasks = (list: V0Task[] | undefined) => (list ?? []).filter((t) => acls.allows('view_tasks', principal, userOf.task(fid, t.id ?? '') ?? fwUser));
    const executors = (list: V0Executor[] | undefined) =>
      (list ?? [])
        .filter((e) => acls.allows('view_executors', principal, userOf.executor(fid, e.id ?? '') ?? fwUser))
        .map((e) => ({ ...e, tasks: tasks(e.tasks), queued_tasks: tasks(e.queued_tasks), completed_tasks: tasks(e.completed_tasks) }));
    return { ...f, executors: executors(f.executors), completed_executors: executors(f.completed_executors) };
  };
  const frameworks = (key: string) =>
    Array.isArray(state[key]) ? { [key]: (state[key] as V0Framework[]).filter((f) => viewableFramework(acls, principal, { user: f.user ?? '' })).map(framework) } : {};
  return { ...state, ...frameworks('frameworks'), ...frameworks('completed_frameworks') };
}
