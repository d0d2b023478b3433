/** UPDATE_FRAMEWORK is answered synchronously: 200 with the new info, 400 for what may not change. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initial, step, type Local } from '../../spec/step.ts';
import { master, type MasterContext } from '../../spec/machines/master.ts';

function subscribed(): { local: Local; fid: string; stream: string } {
  let local = initial(master, { id: 'm' }).local;
  const r = step(master, local, { type: 'SUBSCRIBE', from: 'c1', subscribe: { framework_info: { user: 'alice', name: 'fw', checkpoint: true } } } as never);
  local = r.local;
  const sub = r.effects.find((e) => e.type === 'send' && (e.msg as { type: string }).type === 'SUBSCRIBED')!;
  return { local, fid: 'm-0000', stream: sub.stream as string };
}

function update(info: Record<string, unknown>) {
  const { local, fid, stream } = subscribed();
  const r = step(master, local, {
    type: 'UPDATE_FRAMEWORK',
    from: 'r1',
    request: 'r1',
    stream_id: stream,
    framework_id: { value: fid },
    update_framework: { framework_info: { id: { value: fid }, ...info } },
  } as never);
  const answer = r.effects.find((e) => e.type === 'reply') as { status: number; message?: string } | undefined;
  return { answer, ctx: r.local.context as MasterContext, fid };
}

test('a change of name is applied and answered 200', () => {
  const { answer, ctx, fid } = update({ user: 'alice', name: 'renamed', checkpoint: true });
  assert.is(answer?.status, 200);
  assert.is(ctx.frameworks[fid]!.info.name, 'renamed');
});

for (const [field, info] of [
  ['user', { user: 'bob', name: 'fw', checkpoint: true }],
  ['checkpoint', { user: 'alice', name: 'fw', checkpoint: false }],
  ['principal', { user: 'alice', name: 'fw', checkpoint: true, principal: 'p' }],
] as const) {
  test(`changing ${field} is refused with 400 and changes nothing`, () => {
    const { answer, ctx, fid } = update(info);
    assert.is(answer?.status, 400);
    assert.match(answer!.message!, field); // Mesos names the field: "Changing framework's principal is not allowed."
    assert.is(ctx.frameworks[fid]!.info.name, 'fw');
  });
}

test.run();
