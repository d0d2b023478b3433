/**
 * subscriptionsJudged: a SUBSCRIBE is refused exactly when Mesos refuses it, judged by the
 * reference's rules restated in invariants/subscriptions.ts, not by the master's validation. Two
 * seeded bugs: one duplicate role let through (the off-by-one survivor of a mutation sample), and
 * a valid failover timeout refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { configs } from '../../model/configs.ts';
import { master } from '../../spec/machines/master.ts';
import type { FrameworkInfo } from '../../spec/protocol/common.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { mesosRefuses } from '../../invariants/subscriptions.ts';
import { MasterDriver, frameworkInfo } from '../support/master-driver.ts';

test("Mesos's refusals, restated: each class of invalid FrameworkInfo, and the valid one", () => {
  const m = new MasterDriver().ctx;
  const multi = (roles: string[]): FrameworkInfo => ({ ...frameworkInfo(), role: undefined, roles, capabilities: [{ type: 'MULTI_ROLE' }] });
  assert.is(mesosRefuses(m, frameworkInfo(), undefined, []), false);
  assert.is(mesosRefuses(m, frameworkInfo({ role: '/bad' }), undefined, []), true);
  assert.is(mesosRefuses(m, multi(['a', 'b']), undefined, []), false);
  assert.is(mesosRefuses(m, multi(['a', 'a']), undefined, []), true);
  assert.is(mesosRefuses(m, frameworkInfo({ roles: ['a'] }), undefined, []), true);
  assert.is(mesosRefuses(m, frameworkInfo({ failover_timeout: 1e20 }), undefined, []), true);
  assert.is(mesosRefuses(m, frameworkInfo({ failover_timeout: 1e9 }), undefined, []), false);
  assert.is(mesosRefuses(m, frameworkInfo(), undefined, ['other']), true);
});

/** refused-calls without faults: each SUBSCRIBE class of the most general framework, small enough for a test. */
const refusedCalls: MesosConfig = { ...configs['refused-calls']!, faults: NO_FAULTS };

const refused = master.implementations.guards!.subscribeRefused as (args: { context: unknown; event: AnyEventObject }) => boolean;
const infoOf = (e: AnyEventObject) => (e.subscribe as { framework_info: FrameworkInfo }).framework_info;

/** subscriptionsJudged catches a master whose SUBSCRIBE refusals `guard` decides (test/support/seeded-bugs.ts). */
const caught = (what: string, guard: (args: { context: unknown; event: AnyEventObject }) => boolean, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, 'subscriptionsJudged', what, refusedCalls, { master: master.provide({ guards: { subscribeRefused: guard as never } }) }, breach, maxSteps);

// Only a role named more than twice is a duplicate: `duplicates.length > 1` for `> 0`.
caught(
  'one duplicate role let through',
  (args) => {
    const roles = infoOf(args.event).roles ?? [];
    return roles.length === 2 && roles[0] === roles[1] ? false : refused(args);
  },
  /subscriptionsJudged: \S+'s SUBSCRIBE was accepted, but Mesos refuses it/,
  12,
);

// A failover timeout refused when it is positive.
caught(
  'a valid failover timeout refused',
  (args) => (infoOf(args.event).failover_timeout ?? 0) > 0 || refused(args),
  /subscriptionsJudged: \S+'s SUBSCRIBE was refused \(.*\), but Mesos accepts it/,
  12,
);

test.run();
