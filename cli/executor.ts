/**
 * `mesos-ref executor`: the command executor an agent starts for a command task (it reads
 * everything from the environment the agent gives it: docs/runtime-transport.md). Runs until its
 * machine stops; exit code 0 normally, 2 when started without an agent's environment.
 *
 * The agent runs this file's own bundle (dist/cli/executor.cjs, see impl/process/proc.ts
 * `executorArgv`): the same command without loading every other command of the CLI, which
 * halves the executor's start time.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

async function runExecutor(): Promise<void> {
  const { ExecutorRuntime, executorOptionsFromEnv } = await import('../impl/executor/runtime.ts');
  const parsed = executorOptionsFromEnv(process.env);
  if (!parsed.ok) {
    console.error(`error: ${parsed.error}`);
    process.exitCode = 2;
    return;
  }
  new ExecutorRuntime(parsed.options).start();
}

export function registerExecutor(program: Command): void {
  program.command('executor').description('run the command executor (started by `mesos-ref agent`, configured by its environment)').action(runExecutor);
}

// Run as its own bundle (CommonJS: no top-level await), not as a command of the CLI's.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runExecutor().catch((e: unknown) => {
    // What a rejected top-level await did: the error, and exit code 1.
    console.error(e);
    process.exit(1);
  });
}
