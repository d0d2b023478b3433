/**
 * Projection on a configuration small enough to read (one agent, one framework, one task, no
 * faults): the scenario of a finished task is exactly the v1 conversation a framework has, with
 * its ids as variables; merging; the matching rules a runner applies.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkScenario } from '../../conformance/check.ts';
import type { CallStep, ExpectStep, Scenario } from '../../conformance/format.ts';
import { generateSuite } from '../../conformance/generate.ts';
import { eventPattern, matchPattern } from '../../conformance/patterns.ts';
import { canonicalView, replayRaw } from '../../conformance/replay.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { configs } from '../../model/configs.ts';
import { suiteOf } from './support.ts';

const happy: MesosConfig = { ...configs.default!, name: 'happy', faults: NO_FAULTS };
const merged = generateSuite(happy);
const unmerged = generateSuite(happy, { merge: false });

const finished = (): Scenario => merged.scenarios.find((s) => s.targets.some((t) => t.id === 'state:TASK_FINISHED'))!;

test('a finished task: SUBSCRIBE, SUBSCRIBED, OFFERS, ACCEPT, then each update acknowledged in order', () => {
  const s = finished();
  const shape = s.steps.map((x) =>
    x.kind === 'call' ? `call ${x.call.type}` : x.kind === 'expect' ? `expect ${x.event.type}${x.event.type === 'UPDATE' ? ` ${x.event.state}` : ''}` : `fault ${x.fault.type}`,
  );
  assert.equal(shape, [
    'call SUBSCRIBE',
    'expect SUBSCRIBED',
    'expect OFFERS',
    'call ACCEPT',
    'call SUPPRESS',
    'expect UPDATE TASK_STARTING',
    'call ACKNOWLEDGE',
    'expect UPDATE TASK_RUNNING',
    'call ACKNOWLEDGE',
    'expect UPDATE TASK_FINISHED',
    'call ACKNOWLEDGE',
  ]);
  const expects = s.steps.filter((x): x is ExpectStep => x.kind === 'expect');
  assert.equal(expects[0]!.event, { type: 'SUBSCRIBED', framework_id: '$fw0' });
  assert.equal(expects[1]!.event, { type: 'OFFERS', offers: [{ offer_id: '$offer0', agent_id: '$agent0', resources: { cpus: 2, mem: 1024 } }] });
  assert.equal(expects[4]!.event, { type: 'UPDATE', task_id: 't1', state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', reason: null, agent_id: '$agent0', uuid: '$uuid2' });
  // The ACCEPT launches the task on the offer, with the environment's command.
  const accept = s.steps.find((x): x is CallStep => x.kind === 'call' && x.call.type === 'ACCEPT')!.call as unknown as {
    framework_id: { value: string };
    accept: { offer_ids: { value: string }[]; operations: { launch: { task_infos: { agent_id: { value: string }; command: { value: string } }[] } }[] };
  };
  assert.is(accept.framework_id.value, '$fw0');
  assert.equal(accept.accept.offer_ids, [{ value: '$offer0' }]);
  const info = accept.accept.operations[0]!.launch.task_infos[0]!;
  assert.is(info.agent_id.value, '$agent0');
  assert.is(info.command.value, 'exit 0');
  assert.equal(s.environment.tasks, [{ id: 't1', framework: 'fw-0', resources: 'cpus:1;mem:128', command: 'exit 0', exit: 0 }]);
  assert.equal(s.environment.agents, [{ name: 'agent-0', resources: 'cpus:2;mem:1024', id: '$agent0' }]);
  // Each acknowledgement names the update just received, and follows it.
  const acks = s.steps.filter((x): x is CallStep => x.kind === 'call' && x.call.type === 'ACKNOWLEDGE');
  acks.forEach((a, i) => {
    const update = expects[2 + i]!;
    assert.is((a.call.acknowledge as { uuid: string }).uuid, (update.event as { uuid: string }).uuid);
    assert.ok(a.after.includes(update.id));
  });
  // The next update comes only after the previous one was acknowledged (the agent's stream).
  assert.ok(expects[3]!.after.includes(acks[0]!.id));
  assert.equal(s.requires, []);
  assert.ok(checkScenario(merged.world, s).ok);
});

test('merging: prefixes ride along with a longer witness; without merging, one scenario per witness', () => {
  assert.ok(unmerged.scenarios.length > merged.scenarios.length, `${unmerged.scenarios.length} vs ${merged.scenarios.length}`);
  const covered = (s: typeof merged) =>
    s.manifest.targets
      .filter((t) => t.scenario !== null)
      .map((t) => t.id)
      .sort();
  assert.equal(covered(unmerged), covered(merged));
  for (const s of unmerged.scenarios) {
    // Without merging, every target of a scenario is reached at the end of its witness; the trace
    // then only settles (conformance/settle.ts).
    const end = s.targets[0]!.reachedAt;
    for (const t of s.targets) assert.is(t.reachedAt, end, `${s.name}: ${t.id}`);
    assert.ok(
      s.trace.slice(end).every((l) => !l.fault),
      `${s.name}: a fault after its targets`,
    );
    assert.ok(checkScenario(unmerged.world, s).ok, s.name);
  }
  // A merged scenario's trace extends each of its targets' own witnesses.
  for (const s of merged.scenarios) {
    for (const t of s.targets) {
      const own = unmerged.scenarios.find((u) => u.targets.some((x) => x.id === t.id))!;
      assert.equal(s.trace.slice(0, t.reachedAt), own.trace.slice(0, t.reachedAt), `${t.id} in ${s.name}`);
    }
  }
});

test('the raw replay names ids as a cluster would, and agrees with the checked trace up to renaming', () => {
  const s = finished();
  const witness = merged.witnessOf(s.targets[s.targets.length - 1]!.id)!;
  const raw = replayRaw(witness.world, witness.trace);
  assert.is(raw.steps.length, witness.trace.actions.length);
  raw.steps.forEach((st, i) => {
    assert.is(canonicalView(witness.world, raw.system, st.after), canonicalView(witness.world, witness.world.system, witness.trace.states[i + 1]!), `step ${i + 1}`);
  });
});

test('matching: variables bind on first sight, must agree after, and never share a value', () => {
  const b = new Map<string, string>();
  const update = (uuid: string | null, agent = 'm-S0') =>
    eventPattern(
      { type: 'UPDATE', update: { status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', agent_id: { value: agent }, ...(uuid ? { uuid } : {}) } } },
      (_k, raw) => raw,
    )!;
  const want = { type: 'UPDATE', task_id: 't1', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', reason: null, agent_id: '$agent0', uuid: '$uuid0' } as const;
  assert.ok(matchPattern(want, update('U1'), b));
  assert.equal(Object.fromEntries(b), { $agent0: 'm-S0', $uuid0: 'U1' });
  assert.ok(matchPattern(want, update('U1'), b), 'the same values again');
  assert.not.ok(matchPattern(want, update('U2'), b), 'another uuid for a bound variable');
  assert.not.ok(matchPattern(want, update(null), b), 'no uuid where one is expected');
  assert.not.ok(matchPattern({ ...want, uuid: '$uuid1' }, update('U1'), b), 'a new variable may not take a value another holds');
  assert.ok(matchPattern({ ...want, uuid: '*' }, update('U9'), b), '* matches anything');
  assert.equal(Object.fromEntries(b), { $agent0: 'm-S0', $uuid0: 'U1' }, 'failed matches bind nothing');
  assert.not.ok(matchPattern({ ...want, state: 'TASK_FINISHED' }, update('U1'), b));
});

test('a closure cut short at its bound keeps the trace`s own state: intruder-malformed-crash covers every target it reaches', () => {
  // Its intruder's steps are invisible and many: one closure hits the bound without the trace's
  // state, and the belief ran out ("no model state is consistent ... a projection bug").
  const { manifest } = suiteOf('intruder-malformed-crash');
  assert.equal(
    manifest.targets.filter((t) => t.scenario === null).map((t) => `${t.id}: ${t.problem}`),
    [],
  );
});

test('output is deterministic: the same configuration gives the same files', () => {
  const again = generateSuite(happy);
  assert.equal([...again.files], [...merged.files]);
});

test.run();
