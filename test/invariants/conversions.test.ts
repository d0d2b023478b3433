/**
 * conversionsJudged: an ACCEPT's conversion that Mesos's validation refuses is never answered
 * OPERATION_FINISHED. The table's rows, then the seeded bug: a master that reports its refused
 * conversions as finished. (Mutate's seed-8 survivor at master/operations.ts:82, the operator's
 * checks of a framework's RESERVE turned round, is caught on refused-conversions the same way.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conversionRefusal } from '../../invariants/conversions.ts';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import type { FrameworkInfo, OfferOperation } from '../../spec/protocol/common.ts';
import { mustParseResources } from '../../spec/resources/index.ts';
import { withMaster } from '../support/mutants.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';

const info: FrameworkInfo = { user: 'u', name: 'fw', roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] };
const reserved = (role: string) => ({ name: 'disk', type: 'SCALAR', scalar: { value: 32 }, reservations: [{ type: 'DYNAMIC', role }] });
const volume = (id: string) => ({ ...reserved('web'), disk: { persistence: { id }, volume: { container_path: 'data', mode: 'RW' } } });
const op = (o: Record<string, unknown>) => o as unknown as OfferOperation;

test("Mesos's refusals of a framework's conversions, restated", () => {
  const none = mustParseResources('disk:64');
  assert.is(conversionRefusal(op({ type: 'RESERVE', reserve: { resources: [reserved('web')] } }), 'web', info, none), null);
  assert.match(conversionRefusal(op({ type: 'RESERVE', reserve: { resources: [reserved('other')] } }), 'web', info, none) ?? '', /other than its allocation role/);
  assert.match(
    conversionRefusal(op({ type: 'RESERVE', reserve: { resources: [{ name: 'disk', type: 'SCALAR', scalar: { value: 32 } }] } }), 'web', info, none) ?? '',
    /not dynamically reserved/,
  );
  assert.match(conversionRefusal(op({ type: 'UNRESERVE', unreserve: { resources: [volume('v')] } }), 'web', info, none) ?? '', /a volume/);
  assert.is(conversionRefusal(op({ type: 'CREATE', create: { volumes: [volume('v')] } }), 'web', info, none), null);
  assert.match(conversionRefusal(op({ type: 'CREATE', create: { volumes: [volume('v'), volume('v')] } }), 'web', info, none) ?? '', /persistence id twice/);
  assert.match(conversionRefusal(op({ type: 'DESTROY', destroy: { volumes: [volume('v')] } }), 'web', info, none) ?? '', /does not have/);
});

const { handler, accept } = masterInternals;
type AcceptEvent = Parameters<typeof accept>[1];

// The statuses lie: every OPERATION_ERROR of an ACCEPT goes out as OPERATION_FINISHED.
caughtWithin(
  test,
  'conversionsJudged',
  'a master that reports refused conversions as finished',
  configs['refused-conversions']!,
  {
    master: withMaster({
      accept: handler<AcceptEvent>((tx, e) => {
        accept(tx, e);
        for (const s of tx.steps as { effect?: { msg?: { type?: string; update_operation_status?: { status: { state: string } } } } }[]) {
          const status = s.effect?.msg?.type === 'UPDATE_OPERATION_STATUS' ? s.effect.msg.update_operation_status!.status : undefined;
          if (status?.state === 'OPERATION_ERROR') status.state = 'OPERATION_FINISHED';
        }
      }),
    }),
  },
  /conversionsJudged: \w+ \w+ with .* was answered OPERATION_FINISHED, Mesos refuses it/,
  12,
);

test.run();
