/**
 * subscriptionsJudged: a SUBSCRIBE is refused exactly when Mesos refuses it, judged by the
 * reference's rules restated in invariants/subscriptions.ts, not by the master's validation. Two
 * seeded bugs: one duplicate role let through (the off-by-one survivor of a mutation sample), and
 * a valid failover timeout refused. And answeredCalls judges UPDATE_FRAMEWORK by the same rules
 * (`mesosRefusesUpdate`): a changed checkpoint flag let through is caught.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { configs } from '../../model/configs.ts';
import { master, masterInternals } from '../../spec/machines/master.ts';
import type { FrameworkInfo } from '../../spec/protocol/common.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { mesosRefuses, mesosRefusesUpdate } from '../../invariants/subscriptions.ts';
import { withMaster } from '../support/mutants.ts';
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

// UPDATE_FRAMEWORK's checkpoint check turned round (mutate's seed-4 survivor at
// master/validation.ts:80): here, a changed checkpoint flag let through (200, Mesos answers 400).
const { handler, updateFramework } = masterInternals;
caughtWithin(
  test,
  'answeredCalls',
  'an UPDATE_FRAMEWORK that changes the checkpoint flag let through',
  configs['refused-framework-infos']!,
  {
    master: withMaster({
      updateFramework: handler<Parameters<typeof updateFramework>[1]>((tx, e) => {
        const old = tx.c.frameworks[e.framework_id.value]!.info;
        updateFramework(tx, { ...e, update_framework: { ...e.update_framework, framework_info: { ...e.update_framework.framework_info, checkpoint: old.checkpoint } } });
      }),
    }),
  },
  /answeredCalls: UPDATE_FRAMEWORK from fw-0 was answered 200, Mesos answers 400/,
  12,
);

test('an UPDATE_FRAMEWORK is refused for an id not its own, an invalid FrameworkInfo, a changed principal, user or checkpoint, stray suppressed roles', () => {
  const old = frameworkInfo({ principal: 'p', user: 'u', checkpoint: true });
  const same = { ...old };
  assert.is(mesosRefusesUpdate(old, 'f', same, []), false);
  assert.is(mesosRefusesUpdate(old, 'f', { ...same, id: { value: 'g' } }, []), true);
  assert.is(mesosRefusesUpdate(old, 'f', { ...same, role: '/bad' }, []), true);
  assert.is(mesosRefusesUpdate(old, 'f', { ...same, principal: 'q' }, []), true);
  assert.is(mesosRefusesUpdate(old, 'f', { ...same, user: 'v' }, []), true);
  assert.is(mesosRefusesUpdate(old, 'f', { ...same, checkpoint: false }, []), true);
  assert.is(mesosRefusesUpdate(old, 'f', same, ['other']), true);
});

test.run();
