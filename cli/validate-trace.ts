/**
 * `mesos-ref validate-trace FILE...`: replay traces recorded with `--trace` against the spec.
 * Exit 0 when every step is one the spec allows, 1 at the first that is not (printed), 2 for
 * a missing file or one with no step (an empty trace proves nothing: a recording that never
 * started, or was cut before its first line).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { validateTrace } from '../impl/trace/validate.ts';

export function registerValidateTrace(program: Command): void {
  program
    .command('validate-trace')
    .description('replay traces recorded with --trace against the spec machines and the invariants')
    .argument('<files...>', 'JSON-lines trace files')
    .action((files: string[]) => {
      let failed = false;
      for (const file of files) {
        if (!existsSync(file)) {
          process.stderr.write(`mesos-ref validate-trace: '${file}': no such file\n`);
          process.exitCode = 2;
          return;
        }
        const v = validateTrace(readFileSync(file, 'utf8').split('\n'));
        if (v.ok && v.steps === 0) {
          process.stderr.write(`mesos-ref validate-trace: '${file}': no step recorded (an empty trace proves nothing)\n`);
          process.exitCode = 2;
          return;
        }
        if (v.ok) console.log(`${file}: ${v.steps} steps of ${v.components.length} component(s) (${v.components.join(', ')}), every one allowed by the spec`);
        else {
          failed = true;
          console.log(`${file}: line ${v.problem!.line}, ${v.problem!.component}: ${v.problem!.message}`);
        }
      }
      process.exitCode = failed ? 1 : 0;
    });
}
