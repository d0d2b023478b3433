/**
 * The ACLs of an ACCEPT's operations (impl/http/acls.ts unauthorizedOperations): reserve_resources
 * by role, unreserve_resources by reserver, create_volumes by role, destroy_volumes by creator;
 * the refused ones by index, the others left to the machine.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Acls, unauthorizedOperations } from '../../impl/http/acls.ts';
import type { SchedulerCall } from '../../spec/protocol/scheduler.ts';

const reservation = (role: string) => [{ type: 'DYNAMIC', role, principal: 'ops' }];
const disk = (role: string, volume = false) => ({
  name: 'disk',
  type: 'SCALAR',
  scalar: { value: 32 },
  reservations: reservation(role),
  ...(volume ? { disk: { persistence: { id: 'v', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } } : {}),
});

const accept = (operations: unknown[]) => ({ type: 'ACCEPT', framework_id: { value: 'f' }, accept: { offer_ids: [{ value: 'o' }], operations } }) as unknown as SchedulerCall;

test('each operation is judged by its own ACL; allowed ones are not named', () => {
  const acls = Acls.parse(
    JSON.stringify({
      reserve_resources: [
        { principals: { type: 'ANY' }, roles: { values: ['web'] } },
        { principals: { type: 'ANY' }, roles: { type: 'NONE' } },
      ],
      unreserve_resources: [{ principals: { type: 'ANY' }, reserver_principals: { type: 'NONE' } }],
      create_volumes: [{ principals: { type: 'ANY' }, roles: { type: 'NONE' } }],
      destroy_volumes: [
        { principals: { values: ['ops'] }, creator_principals: { type: 'ANY' } },
        { principals: { type: 'ANY' }, creator_principals: { type: 'NONE' } },
      ],
    }),
    'acls.json',
  );
  const call = accept([
    { type: 'RESERVE', reserve: { resources: [disk('web')] } },
    { type: 'RESERVE', reserve: { resources: [disk('db')] } },
    { type: 'UNRESERVE', unreserve: { resources: [disk('web')] } },
    { type: 'CREATE', create: { volumes: [disk('web', true)] } },
    { type: 'DESTROY', destroy: { volumes: [disk('web', true)] } },
  ]);
  assert.equal(unauthorizedOperations(acls, call, { user: 'root', name: 'f', principal: 'ops' }), {
    '1': "Not authorized to reserve resources for roles 'db' as principal 'ops'",
    '2': "Not authorized to unreserve resources reserved by 'ops' as principal 'ops'",
    '3': "Not authorized to create volumes for roles 'web' as principal 'ops'",
  });
  assert.is(unauthorizedOperations(Acls.parse('{}', 'acls.json'), call, { user: 'root', name: 'f' }), undefined);
});

test.run();
