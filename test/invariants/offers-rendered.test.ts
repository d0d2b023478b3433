/**
 * offersRenderedForCapability: an offer names its role in allocation_info exactly when its
 * framework has MULTI_ROLE. Its seeded bug is mutate's seed-5 survivor at master.ts:299, the
 * capability test turned round: offers to a framework without MULTI_ROLE carry allocation_info.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const { handler, allocate } = masterInternals;

/** A master whose OFFERS name the offer's role to every framework. */
const namingRolesToAll = withMaster({
  allocate: handler((tx) => {
    allocate(tx);
    for (const s of tx.steps as { kind: string; effect?: { type: string; msg?: { type?: string; offers?: { offers: Record<string, unknown>[] } } } }[]) {
      const offers = s.effect?.msg?.type === 'OFFERS' ? s.effect.msg.offers!.offers : [];
      for (const o of offers) o.allocation_info = { role: tx.c.offers[(o.id as { value: string }).value]!.role };
    }
  }),
});

caughtWithin(
  test,
  'offersRenderedForCapability',
  'a master that names the role of an offer to a framework without MULTI_ROLE',
  configs.declines!,
  { master: namingRolesToAll },
  /offer \S+ to a framework without MULTI_ROLE carries allocation_info/,
  8,
);

test.run();
