/**
 * spec/protocol/wire-table.ts is what proto/mesos-ref-v1.proto, its source, gives (npm run
 * protos writes it); the .proto reader refuses what it cannot read, naming the line; and
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
import { parseProto } from '../../cli/proto-source.ts';
import { WIRE_TABLE_FILE, wireTableText } from '../../cli/protos.ts';
import { decodeProtobuf, encodeProtobuf } from '../../spec/protocol/protobuf.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = join(ROOT, 'proto', 'mesos-ref-v1.proto');

test('the checked-in wire table is the one the .proto gives (npm run protos)', async () => {
  assert.ok(readFileSync(WIRE_TABLE_FILE, 'utf8') === (await wireTableText(readFileSync(FILE, 'utf8'))), 'spec/protocol/wire-table.ts is stale: run npm run protos');
});

test('the .proto reader names the line of what it cannot read', () => {
  const file = (body: string) => `syntax = "proto2";\npackage p;\nmessage E {\n  enum Value {\n    A = 0;\n  }\n}\n${body}`;
  const read = (body: string) => {
    try {
      parseProto(file(body));
      return 'read';
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.is(read('message M {\n  optional E.Value e = 1 [default = A];\n  oneof g {\n    string s = 2;\n  }\n  map<string, M> m = 3;\n}\n'), 'read');
  const m = parseProto(file('message M {\n  required string s = 1 [default = "x", deprecated = true];\n}\n')).messages[0]!;
  assert.equal(m.fields[0], { number: 1, name: 's', type: 'string', label: 'required', default: '"x"', deprecated: true, enumRef: false, line: 9 });
  assert.is(read('message M {\n  optional Strin s = 1;\n}\n'), 'line 9: M.s has unknown type Strin');
  assert.is(read('message M {\n  optional E e = 1;\n}\n'), 'line 9: M.e has unknown type E');
  assert.is(read('message M {\n  string s = 1;\n}\n'), "line 9: expected a field label, 'map' or 'oneof', found 'string'");
  assert.is(read('message M {\n  optional string s = x;\n}\n'), "line 9: expected an integer, found 'x'");
  assert.is(read('message M {\n  optional string s = 1 [packed = true];\n}\n'), 'line 9: unknown option packed = true');
  assert.is(read('message E {\n}\n'), 'line 8: E is declared twice');
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
