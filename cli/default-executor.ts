/**
 * `mesos-ref default-executor`: the executor the agent starts for a task group's DEFAULT
 * ExecutorInfo (impl/executor/default-executor.ts). Like `mesos-ref executor` it reads everything
 * from the environment the agent gives it; exit code 0 once every task ended, 2 when started
 * without an agent's environment. The agent runs its own bundle (dist/cli/default-executor.cjs).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

async function runDefaultExecutor(): Promise<void> {
  const { executorOptionsFromEnv } = await import('../impl/executor/runtime.ts');
  const { DefaultExecutor } = await import('../impl/executor/default-executor.ts');
  const { parseDuration } = await import('../spec/protocol/duration.ts');
  const parsed = executorOptionsFromEnv(process.env);
  if (!parsed.ok) {
    console.error(`error: ${parsed.error}`);
    process.exitCode = 2;
    return;
  }
  const recovery = process.env['MESOS_RECOVERY_TIMEOUT'] ? parseDuration(process.env['MESOS_RECOVERY_TIMEOUT']) : null;
  new DefaultExecutor({ ...parsed.options, checkpoint: process.env['MESOS_CHECKPOINT'] === '1', recoveryTimeoutMs: recovery ?? 15 * 60_000 }).start();
}

export function registerDefaultExecutor(program: Command): void {
  program
    .command('default-executor')
    .description('run the default executor for task groups (started by `mesos-ref agent`, configured by its environment)')
    .action(runDefaultExecutor);
}

// Run as its own bundle (CommonJS: no top-level await), not as a command of the CLI's.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runDefaultExecutor().catch((e: unknown) => {
    // What a rejected top-level await did: the error, and exit code 1.
    console.error(e);
    process.exit(1);
  });
}
