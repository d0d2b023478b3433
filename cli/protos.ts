/**
 * `npm run protos` (`-- --check`): writes proto/mesos-ref-v1.proto from the descriptor table
 * (spec/protocol/proto-text.ts); with --check, exits 1 if the checked-in file differs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { protoText } from '../spec/protocol/proto-text.ts';
import { REPO_ROOT } from '../impl/paths.ts';

export const PROTO_FILE = join(REPO_ROOT, 'proto', 'mesos-ref-v1.proto');

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = protoText();
  const current = existsSync(PROTO_FILE) ? readFileSync(PROTO_FILE, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.log(`stale: ${PROTO_FILE}; run npm run protos`);
      process.exitCode = 1;
    } else console.log('proto/mesos-ref-v1.proto is up to date');
  } else {
    mkdirSync(join(REPO_ROOT, 'proto'), { recursive: true });
    writeFileSync(PROTO_FILE, text);
    console.log(`wrote ${PROTO_FILE}`);
  }
}
