/**
 * answeredCalls: every call the master receives gets exactly one answer with Mesos's status. It
 * holds on every step of a walk through the gate's cases, and catches a master that forgets to
 * answer the calls it refuses.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emit, type AnyEventObject, type AnyStateMachine } from 'xstate';
import { answeredCall } from '../../invariants/answers.ts';
import { master } from '../../spec/machines/master.ts';
import { MasterDriver, frameworkInfo } from '../support/master-driver.ts';
import { masterForgettingRefusals, withMaster } from '../support/mutants.ts';
import { configs } from '../../model/configs.ts';
import { reply } from '../../spec/machines/effects.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { updateWeights, type OperatorEvent } from '../../spec/machines/master/operator.ts';
import { updateQuota, type QuotaEvent } from '../../spec/machines/master/quota.ts';
import { answeredOperatorCall } from '../../invariants/operator-answers.ts';
import { convert, reserve, unreserveError, type ReservationEvent } from '../../spec/machines/master/reservations.ts';
import { fromWire, popReservation, validateRole, withoutDisk } from '../../spec/resources/index.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

/** The gate's cases and SUBSCRIBE's, each step judged; the breaches found. */
function walk(machine: AnyStateMachine): string[] {
  const d = new MasterDriver(machine);
  const breaches: string[] = [];
  const judged = (event: AnyEventObject) => {
    const before = d.ctx;
    d.deliver(event);
    const b = answeredCall(before, event, d.last as never);
    if (b !== null) breaches.push(b);
  };
  const call = (from: string, fid: string, stream: string | undefined, body: AnyEventObject) =>
    judged({ ...body, framework_id: { value: fid }, stream_id: stream, from, request: 'r' });
  judged({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() }, from: 'fw-0' });
  const s = d.ctx.frameworks['m-0000']!;
  call('fw-0', 'm-0000', s.stream!, { type: 'REVIVE' }); // 202
  call('fw-0', 'nope', s.stream!, { type: 'REVIVE' }); // 400 unknown
  call('fw-0', 'm-0000', 'other', { type: 'SUPPRESS' }); // 400 stale stream
  call('fw-0', 'm-0000', s.stream!, { type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: frameworkInfo({ id: { value: 'm-0000' }, user: 'x' }) } }); // 400
  judged({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo({ role: '/bad' }) }, from: 'fw-1' }); // ERROR
  judged({ type: 'LINK_BROKEN', peer: 'fw-0' });
  call('fw-0', 'm-0000', s.stream!, { type: 'KILL', kill: { task_id: { value: 't' } } }); // 403 not subscribed
  judged({ type: 'OPERATOR_TEARDOWN', framework_id: 'm-0000', request: 'r' }); // 200
  judged({ type: 'OPERATOR_TEARDOWN', framework_id: 'm-0000', request: 'r' }); // 400
  return breaches;
}

test('the master answers every call once, with the status Mesos gives', () => {
  assert.equal(walk(master), []);
});

test('a master that forgets to answer refused calls is caught', () => {
  assert.equal(walk(masterForgettingRefusals()), [
    'REVIVE from fw-0 got 0 replies, not one (400)',
    'SUPPRESS from fw-0 got 0 replies, not one (400)',
    'KILL from fw-0 got 0 replies, not one (403)',
  ]);
});

test('a wrong status or a second answer is a breach too', () => {
  const d = new MasterDriver();
  const ev = { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo() }, from: 'fw-0' };
  const before = d.ctx;
  d.deliver(ev);
  const fid = 'm-0000';
  const call = { type: 'REVIVE', framework_id: { value: fid }, stream_id: d.ctx.frameworks[fid]!.stream!, from: 'fw-0' };
  assert.is(answeredCall(d.ctx, call, [{ type: 'reply', status: 400 }]), 'REVIVE from fw-0 was answered 400, Mesos answers 202');
  assert.is(
    answeredCall(d.ctx, call, [
      { type: 'reply', status: 202 },
      { type: 'reply', status: 202 },
    ]),
    'REVIVE from fw-0 got 2 replies, not one (202)',
  );
  assert.match(answeredCall(before, ev, [])!, /got 0 stream answers/);
  assert.match(answeredCall(before, ev, [{ type: 'send', to: 'fw-0', msg: { type: 'ERROR' } }])!, /without closing its stream/);
});

// ------------------------------------------------------------------ operator calls

test("an operator call's status is judged by its row: what the master knew, and the call", () => {
  const d = new MasterDriver();
  const m = d.ctx;
  const weights = (weight: number) => ({ type: 'OPERATOR_UPDATE_WEIGHTS', weight_infos: [{ role: 'web', weight }] });
  assert.is(answeredOperatorCall(m, weights(2), [200]), null);
  assert.is(answeredOperatorCall(m, weights(2), [400]), 'operator UPDATE_WEIGHTS was answered 400, Mesos answers 200');
  assert.is(answeredOperatorCall(m, weights(0), [400]), null);
  assert.is(answeredOperatorCall(m, weights(2), [200, 200]), 'operator UPDATE_WEIGHTS got 2 replies (200, 200), not one 200');
  const quota = (role: string, guarantee: number, limit: number) => ({
    type: 'OPERATOR_UPDATE_QUOTA',
    quota_configs: [{ role, guarantees: { cpus: { value: guarantee } }, limits: { cpus: { value: limit } } }],
  });
  assert.equal([answeredOperatorCall(m, quota('web', 0, 1), [200]), answeredOperatorCall(m, quota('/web', 0, 1), [400])], [null, null]);
  // A guarantee above its limit is invalid; one the cluster (no agent here) cannot hold is refused unless forced.
  assert.is(answeredOperatorCall(m, quota('web', 2, 1), [400]), null);
  assert.is(answeredOperatorCall(m, quota('web', 1, 1), [200]), 'operator UPDATE_QUOTA was answered 200, Mesos answers 400');
  assert.is(answeredOperatorCall(m, { ...quota('web', 1, 1), force: true }, [200]), null);
  assert.is(answeredOperatorCall(m, { type: 'OPERATOR_MARK_AGENT_GONE', agent_id: 'a-1' }, [404]), null);
  assert.is(answeredOperatorCall(m, { type: 'OPERATOR_REACTIVATE_AGENT', agent_id: 'a-1' }, [200]), 'operator REACTIVATE_AGENT was answered 200, Mesos answers 400');
  assert.is(answeredOperatorCall(m, { type: 'OPERATOR_RESERVE', agent_id: 'a-1' }, [202]), 'operator RESERVE was answered 202, Mesos answers 400');
  assert.is(answeredOperatorCall(m, { type: 'REVIVE' }, [202]), undefined);
});

/** answeredCalls catches the bug `machines` seed on `config` (test/support/seeded-bugs.ts). */
const caught = (what: string, config: MesosConfig, machines: MachineOverrides, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, 'answeredCalls', what, config, machines, breach, maxSteps);

const { handler } = masterInternals;
type WeightsEvent = Extract<OperatorEvent, { type: 'OPERATOR_UPDATE_WEIGHTS' }>;

// UPDATE_WEIGHTS with the weight check turned round: a positive weight is refused (a swapped comparison).
caught(
  'a master refusing a valid UPDATE_WEIGHTS',
  { ...configs.operators!, faults: NO_FAULTS },
  {
    master: withMaster({
      operatorUpdateWeights: handler<WeightsEvent>((tx, e) =>
        e.weight_infos.some((w) => w.weight > 0) ? tx.effect(reply(e.request, 400, `Invalid weight '${e.weight_infos[0]!.weight}'`)) : updateWeights(tx, e),
      ),
    }),
  },
  /answeredCalls: operator UPDATE_WEIGHTS was answered 400, Mesos answers 200/,
  12,
);

// UPDATE_QUOTA with the role check negated: a valid role is refused.
caught(
  'a master refusing a valid UPDATE_QUOTA',
  { ...configs.quota!, faults: NO_FAULTS },
  {
    master: withMaster({
      operatorUpdateQuota: handler<QuotaEvent>((tx, e) =>
        e.quota_configs.some((c) => validateRole(c.role) === null) ? tx.effect(reply(e.request, 400, "Invalid 'QuotaConfig.role'")) : updateQuota(tx, e),
      ),
    }),
  },
  /answeredCalls: operator UPDATE_QUOTA was answered 400, Mesos answers 200/,
  12,
);

// The gate's two stream texts turned round: a call on another stream is told it has no stream header.
caught(
  "a master that gives a stale stream's refusal the missing header's text",
  { ...configs.gate!, faults: NO_FAULTS },
  {
    master: withMaster({
      answer: emit(({ event }, params: { status: number; message?: string }) =>
        reply(
          (event as { request?: string }).request,
          params.status,
          params.message?.startsWith('The stream ID') === true ? "All non-subscribe calls should include the 'Mesos-Stream-Id' header" : params.message,
        ),
      ),
    }),
  },
  /answeredCalls: [A-Z_]+ from fw-0 was answered 400 'All non-subscribe calls should include the 'Mesos-Stream-Id' header', Mesos says 'The stream ID/,
  12,
);

type UnreserveEvent = Extract<ReservationEvent, { type: 'OPERATOR_UNRESERVE' }>;

// UNRESERVE_RESOURCES with its validation turned round (mutate's seed-3 survivor at
// master/reservations.ts:166): the valid call refused 400, the invalid ones carried out.
const unreserveTurnedRound = withMaster({
  operatorUnreserve: handler<UnreserveEvent>((tx, e) => {
    const r = fromWire(e.resources ?? []);
    if (r.ok && unreserveError(r.value) === null) return tx.effect(reply(e.request, 400, 'Invalid UNRESERVE operation'));
    if (r.ok) convert(tx, e.agent_id, r.value, popReservation(r.value), e.request);
    else tx.effect(reply(e.request, 202));
  }),
});
caught(
  'a master refusing a valid UNRESERVE_RESOURCES',
  { ...configs.operators!, faults: NO_FAULTS },
  { master: unreserveTurnedRound },
  /answeredCalls: operator UNRESERVE was answered 400, Mesos answers 202 or 409/,
  12,
);
caught(
  'a master carrying out an invalid UNRESERVE_RESOURCES',
  configs['refused-operator']!,
  { master: unreserveTurnedRound },
  /answeredCalls: operator UNRESERVE was answered 202, Mesos answers 400/,
  12,
);

// DESTROY_VOLUMES without validate(Destroy)'s use check (mutate's seed-5 survivor at
// master/operations.ts:145 counted the tasks of other agents instead): a volume in use is refused
// for being unavailable (409), where Mesos refuses it as in use (400).
type DestroyEvent = Extract<ReservationEvent, { type: 'OPERATOR_DESTROY_VOLUMES' }>;
caught(
  'a master that lets a volume in use be destroyed as far as validation goes',
  configs['volume-in-use']!,
  {
    master: withMaster({
      operatorDestroyVolumes: handler<DestroyEvent>((tx, e) => {
        const v = fromWire(e.volumes ?? []);
        if (!v.ok) return tx.effect(reply(e.request, 400, 'Invalid DESTROY operation'));
        convert(tx, e.agent_id, v.value, withoutDisk(v.value), e.request);
      }),
    }),
  },
  /answeredCalls: operator DESTROY_VOLUMES was answered 409, Mesos answers 400/,
  20,
);

// RESERVE_RESOURCES from a source without the quantities check (mutate's seed-8 survivor at
// master/reservations.ts:96 turned it round): a source unlike its target is carried out.
type ReserveEvent = Extract<ReservationEvent, { type: 'OPERATOR_RESERVE' }>;
caught(
  'a master that reserves from a source unlike its target',
  configs['refused-operator']!,
  {
    master: withMaster({
      operatorReserve: handler<ReserveEvent>((tx, e) => {
        const source = fromWire(e.source ?? []);
        const target = fromWire(e.resources ?? []);
        if ((e.source ?? []).length > 0 && source.ok && target.ok && tx.c.agents[e.agent_id] !== undefined) return convert(tx, e.agent_id, source.value, target.value, e.request);
        reserve(tx, e);
      }),
    }),
  },
  /answeredCalls: operator RESERVE was answered (202|409), Mesos answers 400/,
  12,
);

// RESERVE_RESOURCES from a source with its emptiness check turned round (mutate's seed-10
// survivor at master/reservations.ts:94): a valid re-reservation refused as empty.
caught(
  'a master that refuses a valid reservation from a source',
  configs['reserve-from-source']!,
  {
    master: withMaster({
      operatorReserve: handler<ReserveEvent>((tx, e) =>
        (e.source ?? []).length > 0 && (e.resources ?? []).length > 0 ? tx.effect(reply(e.request, 400, 'Invalid resources: Resource cannot be empty')) : reserve(tx, e),
      ),
    }),
  },
  /answeredCalls: operator RESERVE was answered 400, Mesos answers 202 or 409/,
  8,
);

// CREATE_VOLUMES without validate(Create) (mutate's seed-9 survivor at master/operations.ts:276
// turned its refusal round): a valid volume refused, an invalid one carried on to the conversion.
type CreateEvent = Extract<ReservationEvent, { type: 'OPERATOR_CREATE_VOLUMES' }>;
caught(
  'a master that refuses a valid CREATE_VOLUMES',
  configs['volumes-operator']!,
  { master: withMaster({ operatorCreateVolumes: handler<CreateEvent>((tx, e) => tx.effect(reply(e.request, 400, 'Invalid CREATE operation'))) }) },
  /answeredCalls: operator CREATE_VOLUMES was answered 400, Mesos answers 202 or 409/,
  20,
);

test.run();
