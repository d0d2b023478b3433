/**
 * A scenario's end as the operator APIs show it (`Scenario.endViews`): once no framework has
 * observed anything the model does not allow, the runner asks the master (GET_TASKS,
 * GET_FRAMEWORKS) and each agent whose address it knows (GET_TASKS) what they list, until that
 * equals one of the views the model allows or a while has passed. The frameworks of a cluster
 * that is wrong inside may see nothing wrong: an agent that ignores a SHUTDOWN_FRAMEWORK keeps
 * the task running, a master that forgets a failed-over framework's offers keeps them outstanding.
 */
import type { EndView, MasterTaskView } from '../../conformance/format.ts';
import { canonicalJson } from '../../spec/canonical.ts';
import { postJson } from '../http/client.ts';
import { taskView } from './agent-crash.ts';

/** How long the runner asks before it gives up (the cluster settles within its timers' shortest period). */
export const END_VIEW_MS = 5000;

/** How often it asks. */
const POLL_MS = 50;

interface WireTask {
  task_id?: { value?: string };
  state?: string;
}

async function operatorCall<T>(url: string, type: string): Promise<T> {
  const r = await postJson(`${url}/api/v1`, JSON.stringify({ type }), {}, 2000);
  if (r.status !== 200) throw new Error(`${type} at ${url} answered ${r.status}`);
  return JSON.parse(r.body) as T;
}

/** What the cluster lists now (`agents`: only those whose address it knows). `frameworkIds`: each scenario framework's bound id; `agentUrls`: each agent's operator API it knows. */
async function readView(masterUrl: string, agentUrls: ReadonlyMap<string, string>, frameworkIds: ReadonlyMap<string, string>): Promise<EndView> {
  const tasksAnswer = await operatorCall<{ get_tasks?: { tasks?: WireTask[]; unreachable_tasks?: WireTask[] } }>(masterUrl, 'GET_TASKS');
  const of = (list: MasterTaskView['list'], ts: WireTask[] | undefined): MasterTaskView[] =>
    (ts ?? []).map((t) => ({ task_id: t.task_id?.value ?? '', list, state: (t.state ?? 'TASK_STAGING') as MasterTaskView['state'] }));
  const tasks = [...of('tasks', tasksAnswer.get_tasks?.tasks), ...of('unreachable', tasksAnswer.get_tasks?.unreachable_tasks)].sort((a, b) =>
    a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0,
  );
  const frameworksAnswer = await operatorCall<{ get_frameworks?: { frameworks?: { framework_info?: { id?: { value?: string } }; offers?: unknown[] }[] } }>(
    masterUrl,
    'GET_FRAMEWORKS',
  );
  const offers: EndView['offers'] = {};
  for (const [name, id] of frameworkIds) {
    const f = (frameworksAnswer.get_frameworks?.frameworks ?? []).find((x) => x.framework_info?.id?.value === id);
    offers[name] = f?.offers?.length ?? 0;
  }
  const agents: EndView['agents'] = {};
  for (const [name, url] of agentUrls) agents[name] = taskView(await operatorCall(url, 'GET_TASKS'));
  return { agents, tasks, offers };
}

/** Whether what the runner saw agrees with `view` in every part it saw. */
function agrees(seen: EndView, view: EndView): boolean {
  if (canonicalJson(seen.tasks) !== canonicalJson(view.tasks)) return false;
  for (const [name, n] of Object.entries(seen.offers)) if ((view.offers[name] ?? 0) !== n) return false;
  for (const [name, tasks] of Object.entries(seen.agents)) if (view.agents[name] !== undefined && canonicalJson(tasks) !== canonicalJson(view.agents[name])) return false;
  return true;
}

const describeView = (v: EndView): string => {
  const tasks = (ts: readonly { task_id: string; list: string; state: string }[]) => (ts.length === 0 ? 'none' : ts.map((t) => `${t.task_id} ${t.list} ${t.state}`).join(', '));
  const agents = Object.entries(v.agents).map(([name, ts]) => `${name} lists ${tasks(ts)}`);
  const offers = Object.entries(v.offers).map(([name, n]) => `${name} holds ${n} offer${n === 1 ? '' : 's'}`);
  return [`the master lists ${tasks(v.tasks)}`, ...agents, ...offers].join('; ');
};

/**
 * Asks the cluster until what it lists agrees with one of `views`; null when it did, else why
 * not (what it listed last, and what the model allows), after `timeoutMs`.
 */
export async function awaitEndView(
  views: readonly EndView[],
  masterUrl: string,
  agentUrls: ReadonlyMap<string, string>,
  frameworkIds: ReadonlyMap<string, string>,
  timeoutMs = END_VIEW_MS,
): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing (no answer)';
  for (;;) {
    try {
      const seen = await readView(masterUrl, agentUrls, frameworkIds);
      if (views.some((v) => agrees(seen, v))) return null;
      last = describeView(seen);
    } catch (e) {
      last = `nothing: ${(e as Error).message}`;
    }
    if (Date.now() > deadline) {
      const allowed = views.map((v) => describeView(v)).join(' | or: ');
      return `once settled, the operator APIs showed what the model does not allow: ${last}. The model allows: ${allowed}`;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
