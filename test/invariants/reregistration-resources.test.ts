/**
 * reregistrationsReportResources: a reregistering agent reports what it has checkpointed. Its
 * seeded bug stands for mutate's seed-25 survivor at agent/reports.ts:115, which reported the
 * resources only when there were none: an agent that reregisters without them. The model's master
 * keeps its own copy in the registry, so nothing downstream noticed; a master that lost it (or
 * another implementation that reads the report) would.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { agentReregisteringWithoutResources } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'reregistrationsReportResources',
  'an agent that reregisters without its checkpointed resources',
  configs['operator-registry-failover']!,
  { agent: agentReregisteringWithoutResources() },
  /the agent reregisters reporting 0 checkpointed resource\(s\), where it has checkpointed 1/,
  9,
);

test.run();
