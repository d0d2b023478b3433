/**
 * Custom executors and task groups in the model (issue 14 item 5): the configurations
 * custom-executor and task-group reach what they are for (a message each way, FAILURE status 9
 * after a kill -9 under a running task; a failed group member takes the group down and the
 * default executor's end is FAILURE status 0), and each executor invariant catches a seeded bug
 * there: a master that never tells FAILURE, one that launches part of a group, one that forgets
 * an exited executor's resources.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { configs } from '../../model/configs.ts';
import type { Invariant, WorldReader } from '../../invariants/index.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { exitedExecutor } from '../../spec/machines/master/executors.ts';
import type { Tx } from '../../spec/machines/master/tx.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { withMaster } from '../support/mutants.ts';

const { handler, accept } = masterInternals;

function check(config: MesosConfig, machines: MachineOverrides, only: readonly string[], extra: readonly Invariant[] = []) {
  const model = mesosModel(mesosWorld(config, machines), { only: [...only, ...extra.map((i) => i.name)], extra });
  return explore(model, { maxStates: 200_000 });
}

const verdict = (r: ReturnType<typeof check>, name: string) => r.verdicts.find((v) => v.name === name)!;
const steps = (v: ReturnType<typeof verdict>) => ('trace' in v ? v.trace.actions.length : -1);

/** A witness: some state where `holds` is true of fw-0's scheduler. */
const sometimes = (name: string, holds: (w: WorldReader) => boolean): Invariant => ({
  name,
  kind: 'sometimes',
  description: name,
  world: (w) => (holds(w) ? null : `not yet: ${name}`),
});

test('custom-executor: the framework hears its message echoed and, after a kill -9, FAILURE status 9; every invariant holds', () => {
  const echoed = sometimes('echoed', (w) => (w.scheduler('fw-0')?.heard ?? []).some((h) => h.startsWith('ex:')));
  const killed = sometimes('failure9', (w) => (w.scheduler('fw-0')?.failures ?? []).some((f) => f.endsWith('/ex:9')));
  const r = check(configs['custom-executor']!, {}, ['conservation', 'executorEndsReported', 'taskGroupAllOrNothing', 'faultFreeOutcomes', 'outcomeFidelity'], [echoed, killed]);
  for (const v of r.verdicts) assert.ok(['holds', 'reachable', 'none'].includes(v.status), `${v.name}: ${v.status}`);
  assert.is(verdict(r, 'echoed').status, 'reachable');
  assert.is(verdict(r, 'failure9').status, 'reachable');
});

test('task-group: one member fails, the other is killed, the default executor leaves with FAILURE status 0', () => {
  const ended = sometimes('groupEnded', (w) => {
    const s = w.scheduler('fw-0');
    const last = (t: string) => s?.log[t]?.at(-1)?.state;
    return last('k1') === 'TASK_FAILED' && last('k2') === 'TASK_KILLED' && (s?.failures ?? []).some((f) => f.endsWith('/grp:0'));
  });
  const r = check(configs['task-group']!, {}, ['executorEndsReported', 'taskGroupAllOrNothing', 'faultFreeOutcomes'], [ended]);
  for (const v of r.verdicts) assert.ok(['holds', 'reachable', 'none'].includes(v.status), `${v.name}: ${v.status}`);
  assert.is(verdict(r, 'groupEnded').status, 'reachable');
});

/** The master's EXECUTOR_EXITED with its books kept right but no FAILURE sent. */
const masterSilentOnExecutorExit = withMaster({
  executorExited: handler<Parameters<typeof exitedExecutor>[2] & { from: string }>((tx: Tx, e) => {
    const send = tx.send.bind(tx);
    tx.send = ((to, msg, extra) => (msg.type === 'FAILURE' ? undefined : send(to, msg, extra))) as Tx['send'];
    exitedExecutor(tx, e.agent_id.value, e);
  }),
});

test('executorEndsReported catches a master that never tells FAILURE (custom-executor)', () => {
  const v = verdict(check(configs['custom-executor']!, { master: masterSilentOnExecutorExit }, ['executorEndsReported']), 'executorEndsReported');
  assert.is(v.status, 'violated');
  assert.ok(steps(v) > 0 && steps(v) <= 30, `shortest trace ${steps(v)} steps`);
});

test('custom-executor-faults: under an agent crash and a framework failover every executor property holds, and FAILURE status 9 still reaches the framework', () => {
  const killed = sometimes('failure9', (w) => (w.scheduler('fw-0')?.failures ?? []).some((f) => f.endsWith('/ex:9')));
  const r = check(configs['custom-executor-faults']!, {}, ['conservation', 'executorEndsReported', 'exitedExecutorForwarded'], [killed]);
  for (const v of r.verdicts) assert.ok(['holds', 'reachable', 'none'].includes(v.status), `${v.name}: ${v.status}`);
  assert.is(verdict(r, 'failure9').status, 'reachable');
});

test('exitedExecutorForwarded catches a master that never tells FAILURE in a run with faults (custom-executor-faults), in every step', () => {
  const r = check(configs['custom-executor-faults']!, { master: masterSilentOnExecutorExit }, ['exitedExecutorForwarded']);
  const v = verdict(r, 'error');
  assert.is(v.status, 'violated', JSON.stringify(r.verdicts.map((x) => [x.name, x.status])));
  assert.match(JSON.stringify(v), /exitedExecutorForwarded: executor ex of .* exited \(status 9\) on .* of a connected framework: the master sent 0 FAILURE events/);
});

/** The master's EXECUTOR_EXITED telling FAILURE to a framework that has no connection (its stream is gone). */
const masterTellingDisconnected = withMaster({
  executorExited: handler<Parameters<typeof exitedExecutor>[2] & { from: string }>((tx: Tx, e) => {
    const fid = e.framework_id.value;
    const f = tx.c.frameworks[fid];
    exitedExecutor(tx, e.agent_id.value, e);
    if (f && f.connection === null) tx.send('fw-0', { type: 'FAILURE', failure: { agent_id: e.agent_id, executor_id: e.executor_id, status: e.status } });
  }),
});

test('exitedExecutorForwarded catches a master that tells a disconnected framework (custom-executor-faults: the exit while the framework fails over)', () => {
  const r = check(configs['custom-executor-faults']!, { master: masterTellingDisconnected }, ['exitedExecutorForwarded']);
  const v = verdict(r, 'error');
  assert.is(v.status, 'violated', JSON.stringify(r.verdicts.map((x) => [x.name, x.status])));
  assert.match(JSON.stringify(v), /the master sent FAILURE, which Mesos does not/);
});

/** The master's ACCEPT with every LAUNCH_GROUP cut down to its first task. */
const masterLaunchingPartOfGroups = withMaster({
  accept: handler<{ accept: { operations?: { type: string; launch_group?: { task_group: { tasks: unknown[] } } }[] } }>((tx, e) => {
    const operations = (e.accept.operations ?? []).map((op) =>
      op.type === 'LAUNCH_GROUP' ? { ...op, launch_group: { ...op.launch_group!, task_group: { tasks: op.launch_group!.task_group.tasks.slice(0, 1) } } } : op,
    );
    accept(tx, { ...e, accept: { ...e.accept, operations } } as never);
  }),
});

test('taskGroupAllOrNothing catches a master that launches part of a group (task-group)', () => {
  const v = verdict(check(configs['task-group']!, { master: masterLaunchingPartOfGroups }, ['taskGroupAllOrNothing']), 'taskGroupAllOrNothing');
  assert.is(v.status, 'violated');
  assert.ok(steps(v) > 0 && steps(v) <= 10, `shortest trace ${steps(v)} steps`);
});

/** The master's EXECUTOR_EXITED forgetting the executor without giving its resources back. */
const masterKeepingExecutorResources = withMaster({
  executorExited: handler<{ framework_id: { value: string } }>((tx, e) => {
    const f = tx.c.frameworks[e.framework_id.value];
    if (f) tx.setFramework(e.framework_id.value, { ...f, executors: {} });
  }),
});

test('conservation counts an executor`s resources once while it lives: it catches a master that keeps them after the executor ended (custom-executor)', () => {
  const v = verdict(check(configs['custom-executor']!, { master: masterKeepingExecutorResources }, ['conservation']), 'conservation');
  assert.is(v.status, 'violated');
  assert.ok(steps(v) > 0 && steps(v) <= 20, `shortest trace ${steps(v)} steps`);
});

/**
 * A command task's process that has not ended yet dies of the executor's SIGTERM, whatever it
 * would have done on its own: a conformance runner's task that must not end by itself is a
 * `sleep`, which does (the gate suite's SHUTDOWN then sees TASK_KILLED from the executor).
 */
test('every task that does not ignore SIGTERM may die of it, whatever its own outcome', () => {
  const world = mesosWorld({
    ...configs.default!,
    frameworks: [
      {
        ...configs.default!.frameworks[0]!,
        tasks: (['finish', 'fail', 'any', 'never', 'stubborn'] as const).map((outcome, i) => ({ id: `t${i}`, resources: 'cpus:0.1;mem:16', outcome })),
      },
    ],
  });
  const sigtermed = (env: readonly { type: string; answersSignal?: boolean; status?: number }[] | undefined) =>
    (env ?? []).some((e) => e.type === 'PROCESS_EXITED' && e.answersSignal === true && e.status === 15);
  const slots = world.layout.executors.map((e) => ({ task: e.task, env: world.system.def.components.find((c) => c.name === e.slot)!.environment as never }));
  assert.equal(
    slots.map((x) => `${x.task}:${sigtermed(x.env)}`),
    ['t0:true', 't1:true', 't2:true', 't3:true', 't4:false'],
  );
});

test.run();
