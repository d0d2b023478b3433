/**
 * What the master refuses, with Mesos's words, as an answer and never a throw: SUBSCRIBE's
 * FrameworkInfo (src/master/validation.cpp `framework::validate`, src/common/roles.cpp),
 * resubscription and UPDATE_FRAMEWORK (`validateUpdate`), REVIVE and SUPPRESS of roles the
 * framework lacks (dropped), and the task fields checked before a launch.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MasterDriver, frameworkInfo, taskInfo } from '../support/master-driver.ts';

function refused(info: Parameters<MasterDriver['subscribe']>[1], extra?: Record<string, unknown>): { d: MasterDriver; error: string } {
  const d = new MasterDriver();
  const before = JSON.stringify(d.ctx);
  const r = d.subscribe('fw-0', info, extra);
  assert.ok('error' in r, `refused: ${JSON.stringify(r)}`);
  assert.equal(
    d.sent('fw-0').map((m) => [m.type, m.close]),
    [['ERROR', true]],
    'one ERROR, then the stream closes',
  );
  assert.is(JSON.stringify(d.ctx), before, 'a refused SUBSCRIBE changes nothing');
  return { d, error: (r as { error: string }).error };
}

const multiRole = (roles: string[]) => frameworkInfo({ roles, capabilities: [{ type: 'MULTI_ROLE' }] });

test('roles are validated as Mesos validates them: ERROR, never a throw', () => {
  assert.is(refused(multiRole(['/test/test1'])).error, "'FrameworkInfo.roles' contains invalid role: Role '/test/test1' cannot start with a slash");
  assert.is(refused(frameworkInfo({ role: '.' })).error, "'FrameworkInfo.role' is not a valid role: Role '.' cannot include '.' as a component");
  assert.is(refused(frameworkInfo({ role: 'a b' })).error, "'FrameworkInfo.role' is not a valid role: Role component 'a b' is invalid because it contains backspace or whitespace");
  assert.is(refused(multiRole(['a', 'b', 'a'])).error, "'FrameworkInfo.roles' contains duplicate items: { a }");
  assert.is(refused(frameworkInfo({ roles: ['a'] })).error, "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable");
  assert.is(refused({ ...multiRole(['a']), role: 'a' }).error, "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable");
  assert.is(refused(multiRole(['a']), { suppressed_roles: ['b'] }).error, 'Suppressed roles { b } are not contained in the set of roles');
});

test('a valid hierarchical role subscribes', () => {
  const d = new MasterDriver();
  const r = d.subscribe('fw-0', multiRole(['test/test1', 'b']));
  assert.ok('fid' in r);
  assert.equal(d.ctx.frameworks[(r as { fid: string }).fid]!.info.roles, ['test/test1', 'b']);
});

test('an empty framework id subscribes as a new framework', () => {
  const d = new MasterDriver();
  const r = d.subscribe('fw-0', frameworkInfo({ id: { value: '' } }));
  assert.equal(r, { fid: 'm-0000', stream: (r as { stream: string }).stream });
  assert.equal(d.ctx.frameworks['m-0000']!.info.id, { value: 'm-0000' });
  assert.is(d.ctx.fresh.framework, 1);
});

test('failover_timeout out of the range of a Duration is refused; a negative one is not', () => {
  assert.is(refused(frameworkInfo({ failover_timeout: 1e20 })).error, 'The framework failover_timeout (1e+20) is invalid');
  assert.is(refused(frameworkInfo({ failover_timeout: -1e10 })).error, 'The framework failover_timeout (-1e+10) is invalid');
  assert.ok('fid' in new MasterDriver().subscribe('fw-0', frameworkInfo({ failover_timeout: 9.2e9 })));
  assert.ok('fid' in new MasterDriver().subscribe('fw-0', frameworkInfo({ failover_timeout: -1 })));
});

test('an invalid framework id is refused with validateID`s message', () => {
  assert.is(refused(frameworkInfo({ id: { value: 'a/b' } })).error, "'a/b' contains invalid characters");
});

test('a principal change on resubscription is refused; the framework keeps its subscription', () => {
  const d = new MasterDriver();
  const first = d.subscribe('fw-0', frameworkInfo({ principal: 'alice' })) as { fid: string; stream: string };
  const before = JSON.stringify(d.ctx);
  const r = d.subscribe('fw-1', frameworkInfo({ principal: 'mallory', id: { value: first.fid } }));
  assert.equal(r, { error: "Changing framework's principal is not allowed." });
  assert.is(JSON.stringify(d.ctx), before);
  // The same principal (user and checkpoint may differ: Mesos keeps the old ones) fails over.
  const again = d.subscribe('fw-1', frameworkInfo({ principal: 'alice', user: 'other', id: { value: first.fid } }));
  assert.ok('fid' in again);
  assert.is(d.ctx.frameworks[first.fid]!.info.user, 'root');
});

test('UPDATE_FRAMEWORK refuses an invalid FrameworkInfo with 400 and changes nothing', () => {
  const d = new MasterDriver();
  const s = d.subscribe('fw-0', multiRole(['a'])) as { fid: string; stream: string };
  const before = JSON.stringify(d.ctx);
  const update = (info: object, extra: object = {}) => {
    d.call('fw-0', s, { type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: { ...info, id: { value: s.fid } }, ...extra } });
    return d.replies();
  };
  assert.equal(update(multiRole(['a', 'a'])), [{ status: 400, message: "Supplied FrameworkInfo is not valid: 'FrameworkInfo.roles' contains duplicate items: { a }" }]);
  assert.equal(update(multiRole(['/x'])), [
    { status: 400, message: "Supplied FrameworkInfo is not valid: 'FrameworkInfo.roles' contains invalid role: Role '/x' cannot start with a slash" },
  ]);
  assert.equal(update(multiRole(['a']), { suppressed_roles: ['z'] }), [
    { status: 400, message: "'UpdateFramework' call is not valid: Suppressed roles { z } are not contained in the set of roles" },
  ]);
  assert.is(JSON.stringify(d.ctx), before);
  assert.equal(update(multiRole(['a', 'b'])), [{ status: 200 }]);
});

test('REVIVE and SUPPRESS of a role the framework lacks are answered 202 and dropped', () => {
  const d = new MasterDriver();
  const s = d.subscribe('fw-0', multiRole(['a'])) as { fid: string; stream: string };
  const before = JSON.stringify(d.ctx);
  for (const call of [
    { type: 'REVIVE', revive: { roles: ['b'] } },
    { type: 'SUPPRESS', suppress: { roles: ['a', '/bad'] } },
  ]) {
    d.call('fw-0', s, call);
    assert.equal(d.replies(), [{ status: 202 }], call.type);
    assert.is(JSON.stringify(d.ctx), before, call.type);
  }
  d.call('fw-0', s, { type: 'SUPPRESS', suppress: { roles: ['a'] } });
  assert.equal(d.ctx.allocator.frameworks[0]!.suppressedRoles, ['a']);
});

/** An agent, a framework, an offer; the task launched on it with `task`'s fields. */
function launch(resources: unknown[] | undefined, extra: Record<string, unknown> = {}): MasterDriver {
  const d = new MasterDriver();
  const aid = d.registerAgent();
  const s = d.subscribe('fw-0', frameworkInfo()) as { fid: string; stream: string };
  d.fire('allocation');
  const offer = (d.sent('fw-0', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] }).offers[0]!;
  const t = resources === undefined ? taskInfo('t1', aid, undefined, extra) : taskInfo('t1', aid, resources, extra);
  d.call('fw-0', s, { type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [t] } }] } });
  return d;
}

const statusOf = (d: MasterDriver) =>
  d.sent('fw-0', 'UPDATE').map((u) => {
    const s = (u.update as { status: { state: string; reason: string; message: string } }).status;
    return [s.state, s.reason, s.message];
  });
const cpus = (value: number) => [{ name: 'cpus', type: 'SCALAR', scalar: { value } }];

test('a negative kill_policy.grace_period is TASK_ERROR', () => {
  const d = launch(undefined, { kill_policy: { grace_period: { nanoseconds: -1 } } });
  assert.equal(statusOf(d), [['TASK_ERROR', 'REASON_TASK_INVALID', "Task's 'kill_policy.grace_period' must be non-negative"]]);
  assert.equal(d.sent('agent-0', 'RUN_TASK'), []);
  assert.equal(launch(undefined, { kill_policy: { grace_period: { nanoseconds: 0 } } }).sent('agent-0', 'RUN_TASK').length, 1);
});

test("scalars in Mesos's fixed point: 0.0005 cpus round to 0.001 and run, 0.0001 round to zero and are refused", () => {
  // Mesos: Resources::validate refuses a non-zero scalar that is <= 0 at three decimals
  // (src/common/resources.cpp; ResourcesTest.VerySmallValue), so 0.0001 cpus is TASK_ERROR.
  assert.equal(launch(cpus(0.0005)).sent('agent-0', 'RUN_TASK').length, 1);
  const d = launch(cpus(0.0001));
  assert.equal(statusOf(d), [['TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses invalid resources: Invalid scalar resource: value <= 0']]);
  assert.equal(statusOf(launch([])), [['TASK_ERROR', 'REASON_TASK_INVALID', 'Task uses no resources']]);
});

test.run();
