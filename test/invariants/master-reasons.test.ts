/**
 * masterReasonsNameTheirEvent: a status the master makes itself names the event that made it.
 * Its seeded bug is mutate's seed-20 survivor at master.ts:778: a master that re-reports a
 * returning agent's tasks with REASON_RECONCILIATION, a triple reasonsAndSources accepts (the
 * master does send it, answering a RECONCILE) and a last word outcomeFidelity may accept (the
 * agent's crash allows reconciliation answers).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterReregisteringAsReconciliation } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

caughtWithin(
  test,
  'masterReasonsNameTheirEvent',
  'a master that re-reports a returning agent’s tasks as reconciliation answers',
  configs['crash-not-partition-aware']!,
  { master: masterReregisteringAsReconciliation() },
  /the master's REREGISTER_AGENT step tells fw-0 t1 TASK_STAGING with REASON_RECONCILIATION, a reason Mesos gives only on RECONCILE, KILL/,
  14,
);

test.run();
