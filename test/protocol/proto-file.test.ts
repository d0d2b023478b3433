/**
 * proto/mesos-ref-v1.proto is what the descriptor table says (npm run protos writes it), and
 * protobuf's own compiler agrees with our codec: protoc compiles the file, decodes bytes our
 * codec wrote into the fields we meant, and encodes those fields into the same bytes. protoc
 * comes from Debian's protobuf-compiler (.ci/run installs it); without it that part is skipped
 * with a note, except under CI, where its absence fails.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { protoText } from '../../spec/protocol/proto-text.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = join(ROOT, 'proto', 'mesos-ref-v1.proto');

test('the checked-in .proto is the one the descriptor table gives (npm run protos)', () => {
  assert.ok(readFileSync(FILE, 'utf8') === protoText(), 'proto/mesos-ref-v1.proto is stale: run npm run protos');
});

const protoc = (args: string[], input?: Uint8Array | string) => spawnSync('protoc', [`--proto_path=${join(ROOT, 'proto')}`, ...args, 'mesos-ref-v1.proto'], { input, cwd: ROOT });

test('protoc compiles it, and reads and writes the same bytes as our codec', () => {
  if (protoc(['--version']).error) {
    if (process.env['CI']) assert.unreachable('protoc is missing: install protobuf-compiler');
    console.log("  (protoc not installed: the cross-check with protobuf's compiler is skipped)");
    return;
  }
  const compiled = protoc(['--descriptor_set_out=/dev/null']);
  assert.is(compiled.status, 0, String(compiled.stderr));
  const call = {
    type: 'ACCEPT',
    framework_id: { value: 'f' },
    accept: {
      offer_ids: [{ value: 'o1' }, { value: 'o2' }],
      operations: [
        {
          type: 'LAUNCH',
          launch: { task_infos: [{ name: 't', task_id: { value: 't1' }, agent_id: { value: 'a' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }] }] },
        },
      ],
      filters: { refuse_seconds: 1.5 },
    },
  };
  const ours = encodeProtobuf('RawSchedulerCall', call);
  const decoded = protoc(['--decode=mesos_ref.v1.RawSchedulerCall'], ours);
  assert.is(decoded.status, 0, String(decoded.stderr));
  const text = String(decoded.stdout);
  for (const line of ['type: ACCEPT', 'value: "o2"', 'type: LAUNCH', 'type: SCALAR', 'value: 0.5', 'refuse_seconds: 1.5']) assert.match(text, line);
  const encoded = protoc(['--encode=mesos_ref.v1.RawSchedulerCall'], text);
  assert.is(encoded.status, 0, String(encoded.stderr));
  assert.equal([...new Uint8Array(encoded.stdout)], [...ours]);
  assert.is(JSON.stringify(decodeProtobuf('RawSchedulerCall', new Uint8Array(encoded.stdout))), JSON.stringify(decodeProtobuf('RawSchedulerCall', ours)));
});

test.run();
