/**
 * The runner's checks that bind no variable, on made-up events (the mutant catalogue shows each
 * failing a live cluster's seeded bug): a DECLINE's filter timed (decline-filters.ts), an
 * ACKNOWLEDGE withheld (held-acks.ts), the executor's own uuid (executor-uuids.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeclineFilters, containsResources, refuseMs } from '../../impl/conformance/decline-filters.ts';
import { EXECUTOR_UUID_LABEL, restampedUpdate } from '../../impl/conformance/executor-uuids.ts';
import { HeldAcks } from '../../impl/conformance/held-acks.ts';

const test = suite('conformance runner checks');

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
const ports = (begin: number, end: number) => ({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin, end }] } });
const offers = (...list: { id: string; agent: string; resources: unknown[]; role?: string }[]) => ({
  type: 'OFFERS',
  offers: { offers: list.map((o) => ({ id: { value: o.id }, agent_id: { value: o.agent }, allocation_info: { role: o.role ?? '*' }, resources: o.resources })) },
});
const decline = (ids: string[], refuse_seconds?: number) => ({
  type: 'DECLINE',
  decline: { offer_ids: ids.map((value) => ({ value })), ...(refuse_seconds === undefined ? {} : { filters: { refuse_seconds } }) },
});

test('refuse_seconds as Mesos takes it: absent or negative 5 s, 0 none, capped at 365 days', () => {
  assert.is(refuseMs(undefined), 5000);
  assert.is(refuseMs(-1), 5000);
  assert.is(refuseMs(0), 0);
  assert.is(refuseMs(1e-10), 0);
  assert.is(refuseMs(2.5), 2500);
  assert.is(refuseMs(1e12), 365 * 86_400_000);
});

test('containment is by kind (name, role, reservations) and amount, ranges covered', () => {
  const two = [scalar('cpus', 2), scalar('mem', 1024), ports(31000, 32000)];
  assert.ok(containsResources(two, [scalar('cpus', 1), ports(31000, 31005)]));
  assert.not.ok(containsResources(two, [scalar('cpus', 3)]));
  assert.not.ok(containsResources(two, [ports(30000, 31000)]));
  assert.not.ok(containsResources(two, [scalar('disk', 1)]));
  assert.not.ok(containsResources(two, [{ ...scalar('cpus', 1), reservations: [{ role: 'a' }] }]));
  // An offer's allocation_info does not make another kind.
  assert.ok(containsResources(two, [{ ...scalar('cpus', 1), allocation_info: { role: '*' } }]));
});

test('a declined agent offered again before refuse_seconds fails; after, or bigger, or once revived, it does not', () => {
  let now = 0;
  const f = new DeclineFilters(() => now);
  const r = [scalar('cpus', 2), scalar('mem', 1024)];
  assert.is(f.onEvent('fw-0', offers({ id: 'o1', agent: 'a1', resources: r })), null);
  f.onCall('fw-0', decline(['o1'], 5));
  now = 1000;
  assert.match(f.onEvent('fw-0', offers({ id: 'o2', agent: 'a1', resources: r })) ?? '', /1.00 s after it declined them with a 5 s filter/);
  // Another framework, another agent, another role, or more than was declined: not filtered.
  assert.is(f.onEvent('fw-1', offers({ id: 'o3', agent: 'a1', resources: r })), null);
  assert.is(f.onEvent('fw-0', offers({ id: 'o4', agent: 'a2', resources: r })), null);
  assert.is(f.onEvent('fw-0', offers({ id: 'o5', agent: 'a1', resources: r, role: 'other' })), null);
  assert.is(f.onEvent('fw-0', offers({ id: 'o6', agent: 'a1', resources: [scalar('cpus', 3)] })), null);
  now = 5000;
  assert.is(f.onEvent('fw-0', offers({ id: 'o7', agent: 'a1', resources: r })), null);
  // A REVIVE (or a fault) ends the filter.
  f.onCall('fw-0', decline(['o7']));
  now = 6000;
  assert.ok(f.onEvent('fw-0', offers({ id: 'o8', agent: 'a1', resources: r })));
  f.onCall('fw-0', { type: 'REVIVE' });
  assert.is(f.onEvent('fw-0', offers({ id: 'o9', agent: 'a1', resources: r })), null);
  f.onCall('fw-0', decline(['o9']));
  f.onFault();
  assert.is(f.onEvent('fw-0', offers({ id: 'o10', agent: 'a1', resources: r })), null);
  // No filter asked for (0), or an offer never made: nothing to judge.
  f.onCall('fw-0', decline(['o10', 'nope'], 0));
  assert.is(f.onEvent('fw-0', offers({ id: 'o11', agent: 'a1', resources: r })), null);
  // An offer declined a second time, or accepted before: the master ignores the DECLINE.
  f.onCall('fw-0', decline(['o10']));
  f.onCall('fw-0', { type: 'ACCEPT', accept: { offer_ids: [{ value: 'o11' }] } });
  f.onCall('fw-0', decline(['o11']));
  assert.is(f.onEvent('fw-0', offers({ id: 'o12', agent: 'a1', resources: r })), null);
  // A RESCIND of the declined offer, even after the DECLINE, may have come first: no filter.
  f.onCall('fw-0', decline(['o12']));
  assert.ok(f.onEvent('fw-0', offers({ id: 'o13', agent: 'a1', resources: r })));
  f.onEvent('fw-0', { type: 'RESCIND', rescind: { offer_id: { value: 'o12' } } });
  assert.is(f.onEvent('fw-0', offers({ id: 'o14', agent: 'a1', resources: r })), null);
});

const update = (task: string, state: string, uuid?: string, data?: string) => ({
  type: 'UPDATE',
  update: { status: { task_id: { value: task }, state, ...(uuid === undefined ? {} : { uuid }), ...(data === undefined ? {} : { data }) } },
});
const ack = (task: string, uuid: string) => ({ type: 'ACKNOWLEDGE', acknowledge: { task_id: { value: task }, uuid } });

test("a task's next update while its ACKNOWLEDGE is held fails; a retransmission, a master's update or another task's does not", () => {
  const a = new HeldAcks();
  assert.is(a.onEvent('fw-0', update('t1', 'TASK_STARTING', 'u1')), null);
  assert.is(a.holdFor('fw-0', ack('t1', 'u1'), 300), 300);
  a.hold('fw-0', ack('t1', 'u1'));
  assert.is(a.onEvent('fw-0', update('t1', 'TASK_STARTING', 'u1')), null);
  assert.is(a.onEvent('fw-0', update('t1', 'TASK_LOST')), null);
  assert.is(a.onEvent('fw-0', update('t2', 'TASK_RUNNING', 'v1')), null);
  assert.match(a.onEvent('fw-0', update('t1', 'TASK_RUNNING', 'u2')) ?? '', /next update \(TASK_RUNNING, uuid u2\).*ACKNOWLEDGE of uuid u1/);
  // Sent: the next update is due.
  a.onCall('fw-0', ack('t1', 'u1'));
  assert.is(a.onEvent('fw-0', update('t1', 'TASK_FINISHED', 'u3')), null);
  // Not held: a terminal update (nothing follows), one acknowledged before, one seen before a fault.
  assert.is(a.holdFor('fw-0', ack('t1', 'u3'), 300), 0);
  assert.is(a.holdFor('fw-0', ack('t1', 'u1'), 300), 0);
  a.onEvent('fw-0', update('t2', 'TASK_STARTING', 'v2'));
  a.onFault();
  assert.is(a.holdFor('fw-0', ack('t2', 'v2'), 300), 0);
  assert.is(a.holdFor('fw-0', ack('t2', 'v2'), 0), 0);
});

test("an update whose data names its executor's uuid must carry it", () => {
  const said = (u: string) => Buffer.from(`${EXECUTOR_UUID_LABEL}${u}`).toString('base64');
  assert.is(restampedUpdate('fw-0', update('x1', 'TASK_RUNNING', 'e1', said('e1'))), null);
  assert.match(restampedUpdate('fw-0', update('x1', 'TASK_RUNNING', 'a1', said('e1'))) ?? '', /under uuid a1; its executor sent it as uuid e1/);
  // Other data, or none: the executor says nothing.
  assert.is(restampedUpdate('fw-0', update('x1', 'TASK_RUNNING', 'a1', Buffer.from('hello').toString('base64'))), null);
  assert.is(restampedUpdate('fw-0', update('x1', 'TASK_RUNNING', 'a1')), null);
});

test("the runner's custom executor labels its updates as the check reads them", () => {
  const source = readFileSync(resolve(import.meta.dirname, '../../examples/shell-executor.cjs'), 'utf8');
  assert.ok(source.includes(`'${EXECUTOR_UUID_LABEL}' + uuid`), 'examples/shell-executor.cjs puts executor-uuid:<uuid> in each update');
});

test.run();
