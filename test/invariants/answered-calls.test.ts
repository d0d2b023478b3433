/**
 * answeredCalls: every call the master receives gets exactly one answer with Mesos's status. It
 * holds on every step of a walk through the gate's cases, and catches a master that forgets to
 * answer the calls it refuses.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { answeredCall } from '../../invariants/answers.ts';
import { master } from '../../spec/machines/master.ts';
import { MasterDriver, frameworkInfo } from '../support/master-driver.ts';
import { masterForgettingRefusals } from '../support/mutants.ts';

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

test.run();
