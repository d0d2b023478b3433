/**
 * weightsRescindOffers: an operator's UPDATE_WEIGHTS rescinds every outstanding offer when an
 * updated role has a framework, and none otherwise. Its seeded bug: a master that updates the
 * weights and keeps the offers made under the old ones; and mutate's seed-4 survivor at
 * master/operator.ts:210, a master that rescinds for a role without a framework too (`operators`
 * now has the operator set the weight of such a role). weightsApplied: a master that persists
 * an UPDATE_WEIGHTS and never applies it (mutate's seed-19 survivor).
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { reply } from '../../spec/machines/effects.ts';
import * as allocator from '../../spec/allocator/index.ts';
import type { OperatorEvent } from '../../spec/machines/master/operator.ts';
import { NO_FAULTS } from '../../spec/world/config.ts';
import { rescindOffer } from '../../spec/machines/master/rescind.ts';
import type { Tx } from '../../spec/machines/master/tx.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler } = masterInternals;
type WeightsEvent = Extract<OperatorEvent, { type: 'OPERATOR_UPDATE_WEIGHTS' }>;

/** A master that updates the weights, then does `about` its offers (Master::_updateWeights rescinds them only for a role with a framework). */
const updatingWeights = (about: (tx: Tx) => void) =>
  withMaster({
    operatorUpdateWeights: handler<WeightsEvent>((tx, e) => {
      const weights = Object.fromEntries(e.weight_infos.map((w) => [(w.role ?? '').trim(), w.weight]));
      tx.registry((r) => ({ ...r, weights: { ...(r.weights ?? {}), ...weights } }));
      tx.allocator((a) => allocator.updateWeights(a, weights));
      about(tx);
      tx.effect(reply(e.request, 200));
    }),
  });

caughtWithin(
  test,
  'weightsRescindOffers',
  'a master that keeps the offers made under the old weights',
  { ...configs.operators!, faults: NO_FAULTS },
  { master: updatingWeights(() => {}) },
  /weightsRescindOffers: UPDATE_WEIGHTS of web, a role with a framework, left offer \S+ outstanding/,
  12,
);

caughtWithin(
  test,
  'weightsRescindOffers',
  'a master that rescinds offers for the weight of a role without a framework',
  { ...configs.operators!, faults: NO_FAULTS },
  {
    master: updatingWeights((tx) => {
      for (const id of Object.keys(tx.c.offers)) rescindOffer(tx, id);
    }),
  },
  /weightsRescindOffers: UPDATE_WEIGHTS of idle, roles without a framework, took offers back/,
  8,
);

// weightsApplied: mutate's seed-19 survivor at master/operator.ts:212 wrote the weights to the
// registry and never told the allocator; here, the same.
caughtWithin(
  test,
  'weightsApplied',
  'a master that persists an UPDATE_WEIGHTS and never applies it',
  configs.operators!,
  {
    master: withMaster({
      operatorUpdateWeights: handler<WeightsEvent>((tx, e) => {
        const weights = Object.fromEntries(e.weight_infos.map((w) => [(w.role ?? '').trim(), w.weight]));
        tx.registry((r) => ({ ...r, weights: { ...(r.weights ?? {}), ...weights } }));
        tx.effect(reply(e.request, 200));
      }),
    }),
  },
  /role \S+ weighs 1 in the allocator, \d+ by the registry and --weights/,
  6,
);

test.run();
