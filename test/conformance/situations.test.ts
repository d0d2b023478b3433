/**
 * The invariants' guarded situations (conformance/situations.ts): one per invariant of the
 * catalogue, each reachable in a configuration where it should be, each witness a shortest
 * trace to it; and a broken predicate is caught by the same reachability check.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { invariants } from '../../invariants/index.ts';
import { situations, type Situation } from '../../conformance/situations.ts';
import { findWitnesses, situationReader } from '../../conformance/witnesses.ts';
import { situationTarget } from '../../conformance/targets.ts';
import { configs } from '../../model/configs.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { suiteOf } from './support.ts';

/** Where each situation must be reachable: the default configuration, two frameworks on one agent, or an agent with a reservation, or a role with a quota, or an operator. */
const WHERE: Readonly<Record<string, string>> = {
  offersDisjoint: 'two-frameworks',
  frameworkIsolation: 'two-frameworks',
  reservedOnlyToRole: 'reservation',
  quotaLimitsHeld: 'quota',
  quotasPersisted: 'quota',
  weightsApplied: 'operators',
  volumesOfferedOnlyFree: 'volumes',
  checkpointedResourcesAgree: 'volumes-operator',
  someVolumeCreated: 'volumes-operator',
  goneAgentsHostNothing: 'operators',
  registryForgetsLeftAgents: 'operators',
  offersTimeOut: 'operators',
  tasksOnKnownAgents: 'unregister',
  awayAgentsTimed: 'removal-limit',
  removalPermitsTimed: 'removal-limit',
  unreachableTasksOffRegisteredAgents: 'partition-operator',
  executorEndsReported: 'task-group',
  executorBooksAgree: 'custom-executor',
  taskGroupAllOrNothing: 'task-group',
  heartbeatFollowsSubscribed: 'heartbeats',
  heartbeatsWhileSubscribed: 'heartbeats',
  pingsWhileRegistered: 'heartbeats',
  drainsEnd: 'drain-crash',
  drainedAsAsked: 'drain-crash',
  agentsDrainWhileFrameworksStay: 'drain-crash',
  drainKillsSayDraining: 'drain-crash',
};

/** The situations of `list` an exhaustive exploration of `config` never reaches. */
function unreachable(config: MesosConfig, list: readonly Situation[]): string[] {
  const w = findWitnesses(mesosWorld(config), { situations: list });
  assert.ok(w.exploration.complete, `${config.name} was not explored exhaustively`);
  return list.filter((s) => !w.traces.has(situationTarget(s.invariant))).map((s) => s.invariant);
}

/** Fails naming every situation that is not reachable where it should be. */
function assertReachable(list: readonly Situation[]): void {
  const byConfig = new Map<string, Situation[]>();
  for (const s of list) byConfig.set(WHERE[s.invariant] ?? 'default', [...(byConfig.get(WHERE[s.invariant] ?? 'default') ?? []), s]);
  const missing = [...byConfig].flatMap(([name, sits]) => unreachable(configs[name]!, sits).map((i) => `${i} in ${name}`));
  // A plain Error: uvu's assert.throws cannot catch its own assertion errors.
  if (missing.length > 0) throw new Error(`situations never reached: ${missing.join(', ')}`);
}

test('one situation per invariant of the catalogue, each a named function', () => {
  assert.equal(
    situations.map((s) => s.invariant),
    invariants.map((i) => i.name),
  );
  for (const s of situations) {
    assert.is(s.holds.name, s.name, `${s.invariant}: the predicate is the named function ${s.name}`);
    assert.ok(s.description.length > 10);
  }
});

test('every situation is reachable where it should be (the suites cover it)', () => {
  for (const s of situations) {
    const name = WHERE[s.invariant] ?? 'default';
    const t = suiteOf(name).manifest.targets.find((x) => x.id === situationTarget(s.invariant));
    assert.ok(t?.scenario, `${s.invariant} (${s.name}) is not covered in ${name}`);
  }
});

test("each situation's witness is a shortest trace to it: it holds at the end and nowhere before", () => {
  for (const name of ['default', 'two-frameworks']) {
    const suite = suiteOf(name);
    for (const s of situations) {
      const witness = suite.witnessOf(situationTarget(s.invariant));
      if (!witness) continue;
      const holds = witness.trace.states.map((st) => s.holds(situationReader(witness.world, st)));
      assert.ok(holds[holds.length - 1], `${name}: ${s.name} does not hold at the end of its witness`);
      assert.not.ok(holds.slice(0, -1).some(Boolean), `${name}: ${s.name} holds before the end of its witness`);
    }
  }
});

test('a broken situation predicate (one that never holds) fails the reachability check', () => {
  const broken = situations.map((s) => (s.invariant === 'offersDisjoint' ? { ...s, holds: () => false } : s));
  const only = broken.filter((s) => WHERE[s.invariant] === 'two-frameworks');
  assert.equal(unreachable(configs['two-frameworks']!, only), ['offersDisjoint']);
  assert.throws(() => assertReachable(only), /offersDisjoint in two-frameworks/);
  // The real predicates pass the same check.
  assertReachable(situations.filter((s) => WHERE[s.invariant] === 'two-frameworks'));
});

test.run();
