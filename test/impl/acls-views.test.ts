/**
 * The run_tasks and view_* ACLs (impl/http/acls.ts) against an in-process master:
 *   - run_tasks: a task whose user the framework's principal may not run as gets TASK_ERROR with
 *     REASON_TASK_UNAUTHORIZED and Mesos's message, while its allowed sibling launches;
 *   - view_frameworks / view_tasks: GET_FRAMEWORKS, GET_TASKS, GET_STATE and /master/state show a
 *     principal only the frameworks and tasks of users it may view, and so does the initial
 *     state of an operator SUBSCRIBE.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Acls, taskUser, unauthorizedLaunches, viewV0State } from '../../impl/http/acls.ts';
import { basicAuthorization, type Credential } from '../../impl/http/auth.ts';
import { openRecordIO, postJson, request } from '../../impl/http/client.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';
import { eventually } from '../support/eventually.ts';
import { alice, bob, closeAll, closeLater, cpus, ops, rawAgent, securedMaster, Subscription } from '../support/secured-master.ts';

const test = suite('ACLs: run_tasks, view_frameworks, view_tasks, view_executors');

test.after(closeAll);

const ACLS = Acls.parse(
  JSON.stringify({
    permissive: false,
    register_frameworks: [{ principals: { type: 'ANY' }, roles: { type: 'ANY' } }],
    register_agents: [{ principals: { type: 'ANY' }, agents: { type: 'ANY' } }],
    run_tasks: [{ principals: { values: ['alice'] }, users: { values: ['a'] } }],
    view_frameworks: [
      { principals: { values: ['ops'] }, users: { type: 'ANY' } },
      { principals: { values: ['bob'] }, users: { values: ['b'] } },
    ],
    view_tasks: [
      { principals: { values: ['ops'] }, users: { type: 'ANY' } },
      { principals: { values: ['bob'] }, users: { values: ['b'] } },
    ],
    view_executors: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }],
  }),
  'acls.json',
);

const task = (id: string, aid: string, user?: string) => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: aid },
  resources: cpus(0.1),
  command: { value: 'sleep 1000', shell: true, ...(user ? { user } : {}) },
});

test('taskUser: the command user, else the executor command user, else the framework user', () => {
  assert.is(taskUser({ command: { user: 'c' }, executor: { executor_id: { value: 'e' }, command: { user: 'e' } } }, { user: 'f' }), 'c');
  assert.is(taskUser({ executor: { executor_id: { value: 'e' }, command: { user: 'e' } } }, { user: 'f' }), 'e');
  assert.is(taskUser({}, { user: 'f' }), 'f');
  const call = {
    type: 'ACCEPT',
    framework_id: { value: 'F1' },
    accept: { offer_ids: [{ value: 'O1' }], operations: [{ type: 'LAUNCH', launch: { task_infos: [task('ok', 'S0'), task('root', 'S0', 'root')] } }] },
  } as unknown as SchedulerCall;
  assert.equal(unauthorizedLaunches(ACLS, call, { user: 'a', name: 'fw', principal: 'alice' }), {
    root: "Not authorized to launch task root of framework F1 under user 'root'",
  });
  assert.is(unauthorizedLaunches(Acls.none, call, { user: 'a', name: 'fw', principal: 'alice' }), undefined);
});

test('run_tasks: the denied task is TASK_ERROR (REASON_TASK_UNAUTHORIZED), its sibling launches; view_* filter what each principal reads', async () => {
  const m = await securedMaster(ACLS);
  const agent = await rawAgent(m);
  const alices = await Subscription.open(m, alice);
  const events = alices.events;
  const fid = await alices.frameworkId();
  const offer = await alices.offer();
  const accept = {
    type: 'ACCEPT',
    framework_id: { value: fid },
    accept: {
      offer_ids: [offer.id],
      operations: [{ type: 'LAUNCH', launch: { task_infos: [task('mine', offer.agent_id.value), task('as-root', offer.agent_id.value, 'root')] } }],
    },
  };
  const r = await alices.call(accept);
  assert.is(r.status, 202, r.body);
  const refused = await eventually(() => events.find((e) => e.type === 'UPDATE' && e.update!.status.task_id.value === 'as-root')?.update!.status, 5000, 'the TASK_ERROR');
  assert.is(refused.state, 'TASK_ERROR');
  assert.is(refused.reason, 'REASON_TASK_UNAUTHORIZED');
  assert.is(refused.message, `Not authorized to launch task as-root of framework ${fid} under user 'root'`);
  await eventually(() => (agent.seen.some((x) => x.type === 'RUN_TASK' && x.task?.task_id.value === 'mine') ? true : undefined), 5000, 'RUN_TASK of the allowed task');
  assert.not.ok(agent.seen.some((x) => x.type === 'RUN_TASK' && x.task?.task_id.value === 'as-root'));
  assert.equal(Object.keys(m.context.frameworks[fid]!.tasks), ['mine']);

  // view_frameworks / view_tasks: ops sees alice's framework and task, bob (users 'b' only) and a stranger see neither.
  const operator = async (who: Credential | undefined, type: string) => {
    const a = await postJson(`${m.url}/api/v1`, JSON.stringify({ type }), who ? basicAuthorization(who) : {}, 10_000);
    assert.is(a.status, 200, a.body);
    return JSON.parse(a.body) as Record<string, Record<string, unknown[] | undefined> & { get_frameworks?: { frameworks?: unknown[] }; get_tasks?: { tasks?: unknown[] } }>;
  };
  assert.is((await operator(ops, 'GET_FRAMEWORKS')).get_frameworks!.frameworks?.length, 1);
  assert.is((await operator(ops, 'GET_TASKS')).get_tasks!.tasks?.length, 1);
  assert.is((await operator(bob, 'GET_FRAMEWORKS')).get_frameworks!.frameworks, undefined);
  assert.is((await operator(bob, 'GET_TASKS')).get_tasks!.tasks, undefined);
  assert.is((await operator(undefined, 'GET_TASKS')).get_tasks!.tasks, undefined);
  const state = (await operator(bob, 'GET_STATE')).get_state!;
  assert.is(state.get_frameworks?.frameworks, undefined);
  assert.is(state.get_tasks?.tasks, undefined);
  assert.is(((await operator(ops, 'GET_STATE')).get_state!.get_tasks as { tasks?: unknown[] }).tasks?.length, 1);
  const v0 = async (who: Credential) => JSON.parse((await request(`${m.url}/master/state`, { headers: basicAuthorization(who) })).body) as { frameworks: { tasks: unknown[] }[] };
  assert.is((await v0(ops)).frameworks.length, 1);
  assert.is((await v0(ops)).frameworks[0]!.tasks.length, 1);
  assert.is((await v0(bob)).frameworks.length, 0);
  // /master/tasks too (issue 17): Mesos's Master::Http::_tasks asks the same approvers.
  const v0Tasks = async (who: Credential) => (JSON.parse((await request(`${m.url}/master/tasks`, { headers: basicAuthorization(who) })).body) as { tasks: unknown[] }).tasks.length;
  assert.is(await v0Tasks(ops), 1);
  assert.is(await v0Tasks(bob), 0);

  // Operator SUBSCRIBE: SUBSCRIBED's initial state is the GET_STATE the subscriber may see.
  const subscribed = async (who: Credential) => {
    const records: { type: string; subscribed?: { get_state: typeof state } }[] = [];
    const sub = await openRecordIO(`${m.url}/api/v1`, JSON.stringify({ type: 'SUBSCRIBE' }), basicAuthorization(who), {
      onRecord: (t) => records.push(JSON.parse(t)),
      onEnd: () => {},
    });
    closeLater(sub);
    assert.is(sub.status, 200);
    return eventually(() => records.find((e) => e.type === 'SUBSCRIBED')?.subscribed?.get_state, 5000, 'SUBSCRIBED');
  };
  const seenByBob = await subscribed(bob);
  assert.is(seenByBob.get_frameworks?.frameworks, undefined);
  assert.is(seenByBob.get_tasks?.tasks, undefined);
  const seenByOps = await subscribed(ops);
  assert.is(seenByOps.get_frameworks?.frameworks?.length, 1);
  assert.is(seenByOps.get_tasks?.tasks?.length, 1);
});

test('/master/state: within a viewable framework, tasks and executors are filtered by their own ACLs', () => {
  const acls = Acls.parse(
    JSON.stringify({
      permissive: true,
      view_tasks: [{ principals: { values: ['carol'] }, users: { type: 'NONE' } }],
      view_executors: [{ principals: { values: ['carol'] }, users: { type: 'NONE' } }],
    }),
    'acls.json',
  );
  const state = { id: 'm', frameworks: [{ id: 'F1', user: 'u', tasks: [{ id: 't1' }], executors: [{ executor_id: 'e1' }], completed_tasks: [] }] };
  assert.equal(viewV0State(acls, 'carol', state), { id: 'm', frameworks: [{ id: 'F1', user: 'u', tasks: [], executors: [], completed_tasks: [] }] });
  assert.equal(viewV0State(acls, 'dave', state), state);
});

test.run();
