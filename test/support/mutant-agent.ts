/**
 * A test entry point that starts an agent process hosting a runtime mutant
 * (test/support/runtime-mutants.ts): the agent's own machine mutated, or the command executor
 * it starts (then the executor program is test/support/mutant-executor.ts). The conformance
 * cluster starts it in place of `mesos-ref agent` (impl/conformance/cluster.ts `agentCommand`).
 *
 *   node --import tsx test/support/mutant-agent.ts (--agent NAME | --executor NAME) [mesos-ref agent flags]
 *
 * It takes the flags the conformance cluster gives (--master, --port, --work-dir, --resources,
 * the timeouts) as `mesos-ref agent` does, prints `agent listening on <url>` once it serves and
 * stops on SIGTERM or SIGINT, its executors running on.
 */
import { resolve } from 'node:path';
import { AgentRuntime } from '../../impl/agent/runtime.ts';
import { parseAgentFlags } from '../../cli/agent.ts';
import { runtimeMutant } from './runtime-mutants.ts';

const args = process.argv.slice(2);
const options: Record<string, string> = {};
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i]!;
  if (!flag.startsWith('--') || args[i + 1] === undefined) throw new Error(`mutant-agent: expected --flag value pairs, got '${flag}'`);
  options[flag.slice(2).replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase())] = args[i + 1]!;
}
const { agent: agentMutant, executor: executorMutant, ...agentFlags } = options;
if ((agentMutant === undefined) === (executorMutant === undefined)) throw new Error('mutant-agent: give exactly one of --agent NAME and --executor NAME');

const tsx = import.meta.resolve('tsx');
const executorEntry = resolve(import.meta.dirname, 'mutant-executor.ts');
const flags = parseAgentFlags({
  ip: '127.0.0.1',
  port: '0',
  ...agentFlags,
  ...(executorMutant !== undefined
    ? { executorCommand: `exec '${process.execPath}' --import '${tsx}' '${executorEntry}' '${runtimeMutant(executorMutant, 'executor').name}'` }
    : {}),
} as never);
const agent = new AgentRuntime({
  master: flags.master,
  resources: flags.resources,
  port: flags.port,
  ip: flags.ip,
  workDir: flags.workDir,
  flags: flags.flags,
  ...(flags.executorArgv ? { executorArgv: flags.executorArgv } : {}),
  authenticateHttpExecutors: flags.authenticateHttpExecutors,
  ...(agentMutant !== undefined ? { machine: runtimeMutant(agentMutant, 'agent').machine() } : {}),
  log: (line) => console.error(`[mutant agent] ${line}`),
});
await agent.start();
console.log(`agent listening on ${agent.self} (work dir ${flags.workDir})`);
const stop = () => {
  agent.stop().catch((e: Error) => console.error(`error: stopping the agent: ${e.message}`));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
await agent.stopped;
process.exit(0);
