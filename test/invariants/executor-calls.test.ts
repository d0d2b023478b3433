/**
 * executorCallsAnswered: the agent's executor API answers each call once, with Mesos's status and
 * text in Mesos's order. The rows below are the table; each seeded bug (an agent that answers 502
 * while it recovers, one that refuses another executor's token as an unknown executor, one whose
 * token refusal names the wrong claim) is the error verdict with a short trace, and the unmutated
 * agent keeps it on the same configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { enqueueActions } from 'xstate';
import { executorCallAnswer } from '../../invariants/agent-answers.ts';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import type { AgentContext } from '../../spec/machines/agent/types.ts';
import { reply } from '../../spec/machines/effects.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { replaceAction } from '../support/mutants.ts';

const books = (state: string): AgentContext => ({ frameworks: { f: { executors: { e: { state } } } } }) as unknown as AgentContext;
const update = (status: Record<string, unknown>) => ({ type: 'UPDATE', framework_id: { value: 'f' }, executor_id: { value: 'e' }, update: { status } });
const valid = { uuid: 'u', source: 'SOURCE_EXECUTOR', state: 'TASK_RUNNING' };

/** The status of the answer the row gives. */
const executorCallStatus = (...args: Parameters<typeof executorCallAnswer>) => executorCallAnswer(...args).status;

test("Mesos's order: validation, recovery, unknown ids, the token, subscription", () => {
  const running = books('RUNNING');
  assert.is(executorCallStatus(running, 'recovering', update({ ...valid, uuid: '' })), 400, 'an invalid UPDATE is 400 even while recovering');
  assert.is(executorCallStatus(running, 'recovering', update(valid)), 503);
  assert.is(executorCallStatus(running, 'recovering', { type: 'SUBSCRIBE', framework_id: { value: 'f' }, executor_id: { value: 'e' } }), 200);
  assert.is(executorCallStatus(running, { active: 'running' }, { ...update(valid), framework_id: { value: 'g' } }), 400);
  assert.is(executorCallStatus(running, { active: 'running' }, { ...update(valid), executor_id: { value: 'x' } }), 400);
  assert.is(executorCallStatus(running, { active: 'running' }, { ...update(valid), principal: { fid: 'f', eid: 'other' } }), 403);
  assert.is(executorCallStatus(books('REGISTERING'), { active: 'running' }, { type: 'MESSAGE', framework_id: { value: 'f' }, executor_id: { value: 'e' } }), 403);
  assert.is(executorCallStatus(running, { active: 'running' }, update(valid)), 202);
});

const caught = (what: string, config: string, action: string, status: number, breach: RegExp, maxSteps: number) =>
  caughtWithin(
    test,
    'executorCallsAnswered',
    what,
    configs[config]!,
    {
      agent: replaceAction(
        agent,
        action,
        enqueueActions(({ event, enqueue }) => enqueue.emit(reply((event as { request?: string }).request, status, 'seeded') as never)),
      ),
    },
    breach,
    maxSteps,
  );

// mutate's seed-3 survivor at agent.ts:308: the recovering agent's refusal answered 502.
caught(
  'an agent that answers 502 while it recovers',
  'described-crash',
  'refuseWhileRecovering',
  502,
  /executorCallsAnswered: executor g1's UPDATE was answered 502, Mesos answers 503/,
  17,
);
// A call with another executor's token refused as if its executor were unknown.
caught("an agent that answers another executor's token 400", 'intruder', 'refuseForeignToken', 400, /executor t1's SUBSCRIBE was answered 400, Mesos answers 403/, 9);

// The token refusal naming the wrong claim (mutate's seed-2 survivor at agent.ts:299).
caughtWithin(
  test,
  'executorCallsAnswered',
  'an agent whose token refusal names the wrong claim',
  configs.intruder!,
  {
    agent: replaceAction(
      agent,
      'refuseForeignToken',
      enqueueActions(({ event, enqueue }) => {
        const call = event as unknown as { request?: string; principal?: { fid?: string; eid?: string }; framework_id: { value: string }; executor_id: { value: string } };
        const p = call.principal ?? {};
        const [claim, id] = p.fid === call.framework_id.value ? ['fid', `framework ID ${call.framework_id.value}`] : ['eid', `executor ID ${call.executor_id.value}`];
        const message = `Authenticated principal '{fid: ${p.fid ?? ''}, eid: ${p.eid ?? ''}}' does not contain an '${claim}' claim with the ${id}, which is set in the call`;
        enqueue.emit(reply(call.request, 403, message) as never);
      }),
    ),
  },
  /executorCallsAnswered: executor \w+'s SUBSCRIBE was answered 403 'Authenticated principal .*', Mesos says/,
  9,
);

test.run();
