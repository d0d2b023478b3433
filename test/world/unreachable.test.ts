/**
 * model/unreachable.ts: every listed transition exists in its machine, and each backing
 * property bites: it reports the message its transition needs as soon as one is in flight.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnyEventObject } from 'xstate';
import { UNREACHABLE, unreachableProperties } from '../../model/unreachable.ts';
import { configs } from '../../model/configs.ts';
import { agent } from '../../spec/machines/agent.ts';
import { executor } from '../../spec/machines/executor.ts';
import { master } from '../../spec/machines/master.ts';
import { transitionsOf } from '../../spec/world/coverage.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { election, type ElectionContext } from '../../spec/world/election.ts';
import type { WorldReader } from '../../invariants/index.ts';

test('every listed transition is one a machine defines', () => {
  const ids = new Set([master, agent, executor, election].flatMap((m) => transitionsOf(m).map((t) => t.id)));
  for (const u of UNREACHABLE) assert.ok(ids.has(u.transition), `${u.transition} is not a transition`);
});

test('each backing property reports its message once one is in flight', () => {
  const { layout } = mesosWorld(configs.default!);
  const reader = (from: string, to: string, msg: AnyEventObject): WorldReader => ({
    layout,
    master: () => null,
    agent: () => null,
    scheduler: () => null,
    executor: () => null,
    stateOf: () => null,
    channel: (f, t) => (f === from && t === to ? [msg] : []),
  });
  const e = layout.executors[0]!;
  const cases: Record<string, WorldReader> = {
    LAUNCH_GROUP: reader(e.agent, e.slot, { type: 'LAUNCH_GROUP' }),
  };
  const quiet = reader('x', 'y', { type: 'NOTHING' });
  for (const p of unreachableProperties()) {
    assert.is(p.world!(quiet), null, p.name);
    if (p.name.includes('election|persist|')) {
      // A leader whose host holds an older version than the node's: its next write would fail.
      const stale = { seen: { master: 1 }, version: 2 } as unknown as ElectionContext;
      assert.match(p.world!({ ...quiet, election: () => stale }) ?? '', 'holds version 1', p.name);
      continue;
    }
    const type = Object.keys(cases).find((t) => p.name.includes(`|${t}|`))!;
    assert.match(p.world!(cases[type]!) ?? '', `${type} in flight`, p.name);
  }
});

test.run();
