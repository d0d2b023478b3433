/**
 * repliesSayWhy: a refusal carries its reason, a success no error text. Judged on every step of
 * every machine that answers requests; each seeded bug below (a master and an agent that lose a
 * refusal's message, a master whose operator TEARDOWN says "not found" when it succeeds) is the
 * error verdict with a short trace, and the unmutated machines keep it on the same configuration.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { enqueueActions, type AnyStateMachine } from 'xstate';
import { repliesSayWhy } from '../../invariants/answers.ts';
import { configs } from '../../model/configs.ts';
import { reply } from '../../spec/machines/effects.ts';
import { agent } from '../../spec/machines/agent.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { replaceAction, withMaster } from '../support/mutants.ts';

const { handler } = masterInternals;

test('a refusal without a reason, or a success with an error text, is a breach', () => {
  const call = { type: 'REVIVE' };
  assert.is(repliesSayWhy(undefined, call, [{ type: 'reply', status: 202 }]), null);
  assert.is(repliesSayWhy(undefined, call, [{ type: 'reply', status: 400, message: 'Framework cannot be found' }]), null);
  assert.is(repliesSayWhy(undefined, call, [{ type: 'reply', status: 400 }]), 'REVIVE was refused 400 without saying why');
  assert.is(repliesSayWhy(undefined, call, [{ type: 'reply', status: 403, message: '' }]), 'REVIVE was refused 403 without saying why');
  assert.is(repliesSayWhy(undefined, call, [{ type: 'reply', status: 200, message: 'oops' }]), "REVIVE was answered 200 with the error text 'oops'");
  assert.is(repliesSayWhy(undefined, call, [{ type: 'send', to: 'fw-0', msg: { type: 'ERROR' } }]), null);
});

/** repliesSayWhy catches the bug `machines` seed on `config` (test/support/seeded-bugs.ts). */
const caught = (what: string, config: MesosConfig, machines: MachineOverrides, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, 'repliesSayWhy', what, config, machines, breach, maxSteps);

/** gate with a budget of one call and no failover, and refused-calls without faults: small enough for a test. */
const gate: MesosConfig = { ...configs.gate!, faults: NO_FAULTS, frameworks: [{ ...configs.gate!.frameworks[0]!, callBudget: 1 }] };
const refusedCalls: MesosConfig = { ...configs['refused-calls']!, faults: NO_FAULTS };

// The master's call gate answers its refusals (400, 403) with the status and no reason.
const masterLosingReasons = (): AnyStateMachine =>
  withMaster({
    answer: enqueueActions(({ event, enqueue }, params: { status: number; message?: string }) => {
      enqueue.emit(reply((event as { request?: string }).request, params.status) as never);
    }),
  });
caught('a master whose refusals lose their reason', gate, { master: masterLosingReasons() }, /repliesSayWhy: [A-Z_]+ was refused 4\d\d without saying why/, 8);

// The operator TEARDOWN's answer swapped: "No framework found" on the 200, nothing on the 400.
caught(
  'an operator TEARDOWN that says "not found" when it succeeds',
  refusedCalls,
  {
    master: withMaster({
      operatorTeardown: handler<{ type: 'OPERATOR_TEARDOWN'; framework_id: string; request?: string }>((tx, e) => {
        const known = tx.c.frameworks[e.framework_id] !== undefined;
        tx.effect(reply(e.request, known ? 200 : 400, known ? 'No framework found with specified ID' : undefined));
        masterInternals.removeFramework(tx, e.framework_id);
      }),
    }),
  },
  /repliesSayWhy: OPERATOR_TEARDOWN was (answered 200 with the error text 'No framework found with specified ID'|refused 400 without saying why)/,
  8,
);

// The agent's executor API refuses a call made with another executor's token, without a reason.
caught(
  'an agent whose executor-API refusal loses its reason',
  configs.intruder!,
  {
    agent: replaceAction(
      agent,
      'refuseForeignToken',
      enqueueActions(({ event, enqueue }) => {
        const request = (event as { request?: string }).request;
        if (request !== undefined) enqueue.emit(reply(request, 403) as never);
      }),
    ),
  },
  /repliesSayWhy: [A-Z_]+ was refused 403 without saying why/,
  20,
);

test.run();
