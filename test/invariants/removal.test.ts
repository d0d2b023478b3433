/**
 * tasksOnKnownAgents (invariants/removal.ts) catches its seeded bug: a master that, when an agent
 * unregisters, forgets the agent but keeps its tasks on the books. The configuration is
 * `unregister`; the unmutated master keeps the invariant there. And
 * unreachableTasksOffRegisteredAgents catches a master that keeps the unreachable records of the
 * tasks a returning agent did not report, and unregisteredAgentsRemoved one that ignores an agent's
 * UNREGISTER_AGENT; awayAgentsTimed and removalPermitsTimed, a removal rate limiter that strands
 * its line or forgets its grants.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { acquireRemovalPermit } from '../../spec/machines/master/removal-limiter.ts';

const { handler, markUnreachable } = masterInternals;

function verdict(machines: MachineOverrides) {
  const model = mesosModel(mesosWorld(configs['unregister']!, machines), { only: ['tasksOnKnownAgents'] });
  const r = explore(model, { maxStates: 100_000 });
  const v = r.verdicts.find((x) => x.name === 'tasksOnKnownAgents')!;
  return { v, steps: 'trace' in v ? v.trace.actions.length : -1 };
}

/** A master that drops an unregistering agent's record and admission, and nothing else. */
const keepingTasks = withMaster({
  unregisterAgent: handler((tx, e) => {
    const aid = (e as { agent_id: { value: string } }).agent_id.value;
    tx.registry((r) => {
      const { [aid]: _removed, ...admitted } = r.admitted;
      return { ...r, admitted };
    });
    tx.setAgent(aid, undefined);
  }),
});

test("tasksOnKnownAgents catches a master that keeps an unregistered agent's tasks; the real master keeps it", () => {
  const { v, steps } = verdict({ master: keepingTasks });
  assert.is(v.status, 'violated');
  assert.ok(steps > 0 && steps <= 20, `shortest trace ${steps} steps`);
  assert.match('explanation' in v ? (v.explanation ?? '') : '', /which the master removed/);
  assert.is(verdict({}).v.status, 'holds');
});

/**
 * A master whose reregistration keeps the unreachable records of the tasks the agent did not
 * report (mutate's seed-3 survivor at master.ts:778, the erasing condition turned round).
 */
const keepingUnreportedUnreachable = withMaster({
  reregisterAgent: handler((tx, e) => {
    const before = tx.c.frameworks;
    masterInternals.reregisterAgent(tx, e as never);
    for (const [fid, f] of Object.entries(tx.c.frameworks)) {
      const lost = Object.entries(before[fid]?.unreachable ?? {}).filter(([tid]) => f.tasks[tid] === undefined && f.unreachable[tid] === undefined);
      if (lost.length > 0) tx.setFramework(fid, { ...f, unreachable: { ...f.unreachable, ...Object.fromEntries(lost) } });
    }
  }),
});

caughtWithin(
  test,
  'unreachableTasksOffRegisteredAgents',
  'a master that keeps the unreachable records of tasks a returning agent did not report',
  configs['partition-operator']!,
  { master: keepingUnreportedUnreachable },
  /framework m-0000 holds task g1 as unreachable on agent m-S0, which the master has registered/,
  30,
);

// A master that ignores an agent's own UNREGISTER_AGENT (mutate's seed-5 survivor at
// master/removal.ts:21, an early return): the agent's tasks wait for pings that are off.
caughtWithin(
  test,
  'unregisteredAgentsRemoved',
  "a master that ignores an agent's UNREGISTER_AGENT",
  configs['unregister']!,
  { master: withMaster({ unregisterAgent: handler(() => {}) }) },
  /unregisteredAgentsRemoved: agent m-S0 unregistered, but the master still has it in its books/,
  12,
);

// awayAgentsTimed: mutate's seed-11 and seed-14 survivors at master/removal-limiter.ts:58-59 left
// the agents waiting for a removal permit without one; here, a permit that empties the line.
caughtWithin(
  test,
  'awayAgentsTimed',
  'a master whose removal permit forgets the agents waiting for it',
  configs['removal-limit-two-agents']!,
  { master: withMaster({ grantRemovalPermit: handler((tx) => void (tx.c = { ...tx.c, removals: undefined })) }) },
  /agent m-S\d is away, with no reregistration timeout running/,
  8,
);

// removalPermitsTimed: mutate's seed-16 survivor at master/removal-limiter.ts:23 never recorded a
// grant, so every agent went at once; here, a master that forgets the permit it just took.
caughtWithin(
  test,
  'removalPermitsTimed',
  'a rate limiter that forgets the permit it granted',
  configs['removal-limit']!,
  {
    master: withMaster({
      markUnreachable: handler<{ type: 'REREGISTER_TIMEOUT'; agent_id: string }>((tx, e) => {
        if (!acquireRemovalPermit(tx, e.agent_id)) return;
        tx.c = { ...tx.c, removals: undefined };
        markUnreachable(tx, e.agent_id);
      }),
    }),
  },
  /a removal permit is due while the rate limiter records no permit granted/,
  6,
);

test.run();
