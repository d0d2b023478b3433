/**
 * The master machine fed well-typed scheduler calls with adversarial field values, generated
 * from the JSON Schemas (schema-arbitrary.ts), thousands per run, on a master that has an agent,
 * a subscribed framework, an outstanding offer and a running task. For every call that passes
 * the HTTP layer's validation (as the host checks before the machine sees it):
 *   - no step throws (a throw is an HTTP 500 in the cluster);
 *   - the call is answered once, 2xx or 4xx, with the status Mesos gives (answeredCalls);
 *   - a refused call (4xx, or a SUBSCRIBE answered ERROR) changes nothing: context and timers.
 * Two seeded bugs must make it fail: a master that changes its books before refusing an
 * UPDATE_FRAMEWORK, and one that lets every SUBSCRIBE through to the allocator (which throws).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { answeredCall } from '../../invariants/answers.ts';
import { master, masterInternals } from '../../spec/machines/master.ts';
import { validateSchedulerCall } from '../../spec/protocol/validation.ts';
import { step, type Local } from '../../spec/step.ts';
import { MasterDriver, frameworkInfo, taskInfo } from '../../test/support/master-driver.ts';
import { withMaster } from '../../test/support/mutants.ts';
import { fromSchema } from './schema-arbitrary.ts';

const runs = (n: number) => Math.max(n, fc.readConfigureGlobal().numRuns ?? 0);

/** An agent, a subscribed framework with a running task, and an outstanding offer. */
function base(machine: AnyStateMachine): { local: Local; fid: string; stream: string; aid: string; offer: string } {
  const d = new MasterDriver(machine);
  const aid = d.registerAgent('agent-0', 'cpus:4;mem:1024');
  const s = d.subscribe('fw-0', frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] })) as { fid: string; stream: string };
  d.fire('allocation');
  const first = (d.sent('fw-0', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!.id.value;
  d.call('fw-0', s, {
    type: 'ACCEPT',
    accept: { offer_ids: [{ value: first }], operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo('t1', aid)] } }], filters: { refuse_seconds: 0 } },
  });
  d.deliver({
    type: 'STATUS_UPDATE',
    update: {
      framework_id: { value: s.fid },
      agent_id: { value: aid },
      status: { task_id: { value: 't1' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', agent_id: { value: aid }, uuid: 'AAAAAAAAQACAAAAAAAAAAQ==' },
      timestamp: 0,
      uuid: 'AAAAAAAAQACAAAAAAAAAAQ==',
      latest_state: 'TASK_RUNNING',
    },
    from: 'agent-0',
  });
  d.fire('allocation');
  const offer = (d.sent('fw-0', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!.id.value;
  return { local: d.local, fid: s.fid, stream: s.stream, aid, offer };
}

/** A generated call, mostly aimed at the real framework on its real stream. */
function calls(b: ReturnType<typeof base>) {
  const meaningful = [b.fid, b.aid, b.offer, 't1', '*', 'root'];
  return fc.array(
    fc.record({
      call: fromSchema('SchedulerCall.json', meaningful),
      own: fc.boolean(),
      stream: fc.constantFrom(b.stream, b.stream, undefined, 'stale'),
      from: fc.constantFrom('fw-0', 'fw-1'),
    }),
    { minLength: 1, maxLength: 4 },
  );
}

/** The call aimed at the real framework: its id wherever the call names it. */
function own(raw: AnyEventObject, fid: string): AnyEventObject {
  const id = { value: fid };
  if (raw.type === 'SUBSCRIBE') {
    const sub = raw.subscribe as { framework_info: object };
    return { ...raw, framework_id: id, subscribe: { ...sub, framework_info: { ...sub.framework_info, id } } };
  }
  if (raw.type === 'UPDATE_FRAMEWORK') {
    // What may not change is kept (user, checkpoint, principal), so some updates are valid.
    const up = raw.update_framework as { framework_info: { principal?: string } };
    const { principal: _p, ...info } = up.framework_info;
    return { ...raw, framework_id: id, update_framework: { ...up, framework_info: { ...info, id, user: 'root', checkpoint: true } } };
  }
  return { ...raw, framework_id: id };
}

/** Answers seen, by status (the property asserts the generator reaches the machine's paths). */
export const answered = new Map<string, number>();

/** The first broken promise of a sequence of calls, or null. */
function judge(machine: AnyStateMachine, b: ReturnType<typeof base>, seq: { call: unknown; own: boolean; stream: string | undefined; from: string }[]): string | null {
  let local = b.local;
  for (const g of seq) {
    const raw = g.call as AnyEventObject;
    const call = g.own ? own(raw, b.fid) : raw;
    if (validateSchedulerCall(call as never) !== null) continue; // the HTTP layer answers 400 first
    const event = { ...call, ...(g.stream !== undefined && call.type !== 'SUBSCRIBE' ? { stream_id: g.stream } : {}), from: g.from, request: 'r' } as AnyEventObject;
    let r;
    try {
      r = step(machine, local, event);
    } catch (err) {
      return `${event.type} threw: ${(err as Error).message}\n${JSON.stringify(event)}`;
    }
    const before = local.context as never;
    const breach = answeredCall(before, event, r.effects as never);
    if (breach !== null) return `${breach}\n${JSON.stringify(event)}`;
    const status = r.effects.find((e) => e.type === 'reply')?.status as number | undefined;
    const key = `${event.type} ${status ?? (r.effects.some((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'SUBSCRIBED') ? 'SUBSCRIBED' : 'ERROR')}`;
    answered.set(key, (answered.get(key) ?? 0) + 1);
    if (status !== undefined && !(status >= 200 && status < 500)) return `${event.type} answered ${status}`;
    const refusedSubscribe = r.effects.some((e) => e.type === 'send' && (e.msg as AnyEventObject).type === 'ERROR' && e.to === event.from) && event.type === 'SUBSCRIBE';
    if ((status !== undefined && status >= 400) || refusedSubscribe) {
      if (JSON.stringify(r.local.context) !== JSON.stringify(local.context) || JSON.stringify(r.local.timers) !== JSON.stringify(local.timers)) {
        return `${event.type} was refused (${status ?? 'ERROR'}) yet changed the master's state\n${JSON.stringify(event)}`;
      }
    }
    local = r.local;
  }
  return null;
}

test('adversarial well-typed calls: no throw, one 2xx/4xx answer, refusals change nothing', () => {
  const b = base(master);
  let judged = 0;
  fc.assert(
    fc.property(calls(b), (seq) => {
      judged += seq.length;
      const problem = judge(master, b, seq);
      if (problem !== null) throw new Error(problem);
    }),
    { numRuns: runs(1000) },
  );
  assert.ok(judged >= 1000, `only ${judged} calls generated`);
  // The generator gets past validation and the gate to the handlers, and to refusals.
  for (const key of ['ACCEPT 202', 'KILL 202', 'SUBSCRIBE SUBSCRIBED', 'SUBSCRIBE ERROR', 'UPDATE_FRAMEWORK 200', 'UPDATE_FRAMEWORK 400', 'REVIVE 400']) {
    assert.ok((answered.get(key) ?? 0) > 0, `never answered ${key}: ${JSON.stringify([...answered].sort())}`);
  }
});

test('a master that refuses UPDATE_FRAMEWORK after changing its books is caught', () => {
  // The seeded bug: the framework's name changes before the check that refuses the update.
  const mutant = withMaster({
    updateFramework: masterInternals.handler((tx, e: { framework_id: { value: string }; request?: string }) => {
      const f = tx.c.frameworks[e.framework_id.value]!;
      tx.setFramework(e.framework_id.value, { ...f, info: { ...f.info, name: 'changed' } });
      tx.effect({ type: 'reply', request: e.request, status: 400, message: 'refused' });
    }),
  });
  const b = base(mutant);
  const out = fc.check(
    fc.property(calls(b), (seq) => judge(mutant, b, seq) === null),
    { numRuns: runs(1000) },
  );
  assert.ok(out.failed, 'the seeded bug was not found');
  assert.match(String(out.counterexample?.[0]?.map((g) => (g.call as { type: string }).type)), /UPDATE_FRAMEWORK/);
});

test('a master that lets every SUBSCRIBE through throws, and that is caught (the HTTP 500 of issue 9)', () => {
  const mutant = master.provide({ guards: { subscribeRefused: () => false } });
  const b = base(mutant);
  const out = fc.check(
    fc.property(calls(b), (seq) => judge(mutant, b, seq) === null),
    { numRuns: runs(1000) },
  );
  assert.ok(out.failed, 'the seeded bug was not found');
});

test.run();
