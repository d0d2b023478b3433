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
import type { AgentFlags } from '../../spec/machines/agent.ts';
import { parseDuration } from '../../spec/protocol/duration.ts';
import type { Resource } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';
import { runtimeMutant } from './runtime-mutants.ts';

const args = process.argv.slice(2);
const options: Record<string, string> = {};
for (let i = 0; i < args.length; i += 2) {
  const flag = args[i]!;
  if (!flag.startsWith('--') || args[i + 1] === undefined) throw new Error(`mutant-agent: expected --flag value pairs, got '${flag}'`);
  options[flag.slice(2).replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase())] = args[i + 1]!;
}
const { agent: agentMutant, executor: executorMutant, master, port, workDir, resources, ...timeouts } = options;
if ((agentMutant === undefined) === (executorMutant === undefined)) throw new Error('mutant-agent: give exactly one of --agent NAME and --executor NAME');
if (master === undefined || workDir === undefined || resources === undefined) throw new Error('mutant-agent: --master, --work-dir and --resources are required');

// The agent timeouts the conformance cluster passes (impl/conformance/cluster.ts agentTimeoutArgv), by flag name.
const TIMEOUTS: Readonly<Record<string, keyof AgentFlags>> = {
  executorRegistrationTimeout: 'executorRegistrationTimeoutMs',
  executorReregistrationTimeout: 'executorReregistrationTimeoutMs',
  recoveryTimeout: 'recoveryTimeoutMs',
  executorShutdownGracePeriod: 'executorShutdownGraceMs',
  executorTerminalAckTimeout: 'executorTerminalAckTimeoutMs',
};
const flags: Partial<Record<keyof AgentFlags, number>> = {};
for (const [name, text] of Object.entries(timeouts)) {
  const key = TIMEOUTS[name];
  const ms = parseDuration(text);
  if (key === undefined || ms === null) throw new Error(`mutant-agent: unexpected flag --${name} ${text}`);
  flags[key] = ms;
}

const tsx = import.meta.resolve('tsx');
const executorEntry = resolve(import.meta.dirname, 'mutant-executor.ts');
const agent = new AgentRuntime({
  master,
  resources: toWire(mustParseResources(resources)) as Resource[],
  port: Number(port ?? 0),
  ip: '127.0.0.1',
  workDir,
  flags,
  ...(executorMutant !== undefined
    ? { executorArgv: ['/bin/sh', '-c', `exec '${process.execPath}' --import '${tsx}' '${executorEntry}' '${runtimeMutant(executorMutant, 'executor').name}'`] }
    : {}),
  authenticateHttpExecutors: true,
  ...(agentMutant !== undefined ? { machine: runtimeMutant(agentMutant, 'agent').machine() } : {}),
  log: (line) => console.error(`[mutant agent] ${line}`),
});
await agent.start();
console.log(`agent listening on ${agent.self} (work dir ${workDir})`);
const stop = () => {
  agent.stop().catch((e: Error) => console.error(`error: stopping the agent: ${e.message}`));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
await agent.stopped;
process.exit(0);
