/**
 * `mesos-ref cluster [--agents 3] [--resources "cpus:4;mem:4096;disk:10240;ports:[31000-32000]"]
 * [--port 5050] [--work_dir DIR] [--trace DIR] [timeouts: --agent_reregister_timeout D --offer_timeout D --recovery_timeout D ...]`: a master and N agents on loopback (impl/process/cluster.ts).
 * Prints the URLs and `ready` once every agent is registered; Ctrl-C (SIGINT) or SIGTERM stops
 * the agents, their executors and the master, and exits 0. Exit codes: 1 the cluster failed to
 * come up or a process died, 2 bad flags.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseResources } from '../spec/resources/index.ts';
import { bindRefusal } from '../impl/http/bind.ts';
import { DEFAULT_AGENT_RESOURCES } from './agent.ts';
import { UsageError, durationFlag, masterTimeouts } from './common.ts';

interface ClusterFlags {
  agents: string;
  masters: string;
  resources: string;
  port: string;
  ip: string;
  workDir?: string;
  authenticate: boolean;
  insecure?: boolean;
  restartAgents?: boolean;
  restartMaster?: boolean;
  agentPingTimeout?: string;
  maxAgentPingTimeouts?: string;
  agentReregisterTimeout?: string;
  offerTimeout?: string;
  executorRegistrationTimeout?: string;
  executorReregistrationTimeout?: string;
  recoveryTimeout?: string;
  executorTerminalAckTimeout?: string;
  trace?: string;
}

/** The master's and agents' timeout flags, checked here (exit 2 naming the flag) and passed on as given. */
function timeoutArgs(f: ClusterFlags): { masterArgs: string[]; agentArgs: string[] } {
  masterTimeouts(f);
  const pass = (flag: string, value: string | undefined): string[] => {
    if (value === undefined) return [];
    const ms = durationFlag(value, flag)!;
    if (ms <= 0) throw new UsageError(`'${flag}': expected a duration above zero, got '${value}'`);
    return [flag, value];
  };
  return {
    masterArgs: [
      ...(f.agentPingTimeout !== undefined ? ['--agent_ping_timeout', f.agentPingTimeout] : []),
      ...(f.maxAgentPingTimeouts !== undefined ? ['--max_agent_ping_timeouts', f.maxAgentPingTimeouts] : []),
      ...(f.agentReregisterTimeout !== undefined ? ['--agent_reregister_timeout', f.agentReregisterTimeout] : []),
      ...(f.offerTimeout !== undefined ? ['--offer_timeout', f.offerTimeout] : []),
    ],
    agentArgs: [
      ...pass('--executor_registration_timeout', f.executorRegistrationTimeout),
      ...pass('--executor_reregistration_timeout', f.executorReregistrationTimeout),
      ...pass('--recovery_timeout', f.recoveryTimeout),
      ...pass('--executor-terminal-ack-timeout', f.executorTerminalAckTimeout),
    ],
  };
}

function usage(message: string): void {
  console.error(`error: ${message}`);
  process.exitCode = 2;
}

export function registerCluster(program: Command): void {
  program
    .command('cluster')
    .description('run a master and N agents on loopback; Ctrl-C stops them all')
    .option('--agents <n>', 'number of agents', '3')
    .option('--masters <n>', "masters contending on a ZooKeeper server the cluster starts (Debian's zookeeperd); more than 1 for high availability", '1')
    .option('--resources <text>', "each agent's resources, Mesos syntax", DEFAULT_AGENT_RESOURCES)
    .option('--port <port>', "the master's port; agents take the ports after it", '5050')
    .option('--ip <ip>', 'address to bind', '127.0.0.1')
    .option('--work_dir, --work-dir <dir>', 'logs, registry, checkpoints and sandboxes (default: a fresh temporary directory)')
    .option('--trace <dir>', 'record every step of the master (master.jsonl) and of each agent (agent-<n>.jsonl) into DIR, for validate-trace DIR')
    .option('--no-authenticate', 'no credentials: anyone who reaches the ports acts as any framework, agent or operator')
    .option('--insecure', 'allow a non-loopback --ip with --no-authenticate')
    .option('--restart-agents', 'start an agent killed by a signal again on its port and work dir (kill the pid in <work dir>/agent-N/agent.pid to restart it)')
    .option('--restart-master', 'start the master killed by a signal again on its port and work dir, its registry kept (kill the pid in <work dir>/master.pid to restart it)')
    .option('--agent_ping_timeout, --agent-ping-timeout <duration>', "the master's: an agent that answers no PING for this long misses one (15secs)")
    .option('--max_agent_ping_timeouts, --max-agent-ping-timeouts <n>', "the master's: missed PINGs before an agent is unreachable (5)")
    .option('--agent_reregister_timeout, --agent-reregister-timeout <duration>', "the master's: agents must reregister within this after a master failover (10mins)")
    .option('--offer_timeout, --offer-timeout <duration>', "the master's: rescind an offer a framework holds longer than this (default: never)")
    .option('--executor_registration_timeout, --executor-registration-timeout <duration>', "the agents': how long an executor has to subscribe (1mins)")
    .option('--executor_reregistration_timeout, --executor-reregistration-timeout <duration>', "the agents': how long recovered executors have to re-subscribe (2secs)")
    .option('--recovery_timeout, --recovery-timeout <duration>', "the agents': how long a checkpointing executor waits for its restarted agent (15mins)")
    .option('--executor-terminal-ack-timeout <duration>', "the agents': the command executor's fail-safe after an unacknowledged terminal update (1mins)")
    .action(async (flags: ClusterFlags) => {
      if (!/^\d+$/.test(flags.agents) || Number(flags.agents) < 1 || Number(flags.agents) > 100) {
        return usage(`'--agents': expected an integer from 1 to 100, got '${flags.agents}'`);
      }
      const agents = Number(flags.agents);
      if (!/^\d+$/.test(flags.port) || Number(flags.port) < 1 || Number(flags.port) + agents > 65535) {
        return usage(`'--port': expected a port with ${agents} free ports after it, got '${flags.port}'`);
      }
      if (!/^\d+$/.test(flags.masters) || Number(flags.masters) < 1 || Number(flags.masters) > 9) {
        return usage(`'--masters': expected an integer from 1 to 9, got '${flags.masters}'`);
      }
      const masters = Number(flags.masters);
      if (masters > 1 && flags.restartMaster) return usage("'--restart-master': with --masters the others take over from a dead master; it restarts the one master of a cluster");
      if (masters > 1) {
        const { ZOOKEEPER_JAR, INSTALL_HINT } = await import('../impl/zk/server.ts');
        if (!existsSync(ZOOKEEPER_JAR)) return usage(`'--masters': ${masters} masters need ZooKeeper, which is not installed (no ${ZOOKEEPER_JAR}): run \`${INSTALL_HINT}\``);
      }
      const resources = parseResources(flags.resources);
      if (!resources.ok) return usage(`'--resources': ${resources.error}`);
      const refusal = bindRefusal(flags.ip, flags.authenticate ? [] : ['--authenticate'], flags.insecure ?? false);
      if (refusal) return usage(`'--ip': ${refusal}`);
      let timeouts: { masterArgs: string[]; agentArgs: string[] };
      try {
        timeouts = timeoutArgs(flags);
      } catch (e) {
        return usage((e as Error).message);
      }
      let traceDir: string | undefined;
      if (flags.trace !== undefined) {
        if (masters > 1) return usage("'--trace': with --masters the world trace would have several masters; trace a cluster of one master");
        traceDir = resolve(flags.trace);
        try {
          mkdirSync(traceDir, { recursive: true });
        } catch (e) {
          return usage(`'--trace': cannot make the directory ${traceDir}: ${(e as Error).message}`);
        }
        // Traces append: an earlier run's files would be merged with this one's as one world.
        const earlier = readdirSync(traceDir).filter((f) => f.endsWith('.jsonl'));
        if (earlier.length > 0) return usage(`'--trace': ${traceDir} already holds traces (${earlier.join(', ')}): give an empty or new directory`);
      }
      const workDir = resolve(flags.workDir ?? mkdtempSync(join(tmpdir(), 'mesos-ref-cluster-')));
      const { Cluster } = await import('../impl/process/cluster.ts');
      const cluster = new Cluster({
        agents,
        ...(masters > 1 ? { masters } : {}),
        resources: flags.resources,
        port: Number(flags.port),
        ip: flags.ip,
        workDir,
        authenticate: flags.authenticate,
        masterArgs: timeouts.masterArgs,
        agentArgs: timeouts.agentArgs,
        ...(flags.insecure ? { insecure: true } : {}),
        ...(flags.restartAgents ? { restartAgents: true } : {}),
        ...(flags.restartMaster ? { restartMaster: true } : {}),
        ...(traceDir !== undefined ? { traceDir } : {}),
        log: (line) => console.error(line),
      });
      let signalled: string | undefined;
      const onSignal = (signal: string) => {
        signalled ??= signal;
      };
      const stopOn = new Promise<string>((resolveSignal) => {
        for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
          process.on(s, () => {
            onSignal(s);
            resolveSignal(s);
          });
        }
      });
      try {
        await Promise.race([cluster.start(), stopOn.then((s) => Promise.reject(new Error(`interrupted by ${s}`)))]);
      } catch (e) {
        console.error(`error: the cluster did not come up: ${(e as Error).message} (logs in ${workDir})`);
        await cluster.stop();
        process.exitCode = signalled ? 0 : 1;
        return;
      }
      console.log(`master: ${cluster.masterUrl}${cluster.zkUrl ? ` (leading; ${cluster.masters.length} masters on ${cluster.zkUrl})` : ''}`);
      cluster.agents.forEach((a, i) => console.log(`agent ${i}: ${a.url}`));
      console.log(`work dir: ${workDir}`);
      if (traceDir !== undefined) console.log(`traces: ${traceDir} (check them with: mesos-ref validate-trace ${traceDir})`);
      const fc = cluster.frameworkCredential;
      if (fc) console.log(`credentials: ${cluster.credentialsFile} (frameworks and operators: --principal ${fc.principal} --secret ${fc.secret})`);
      console.log('ready');
      const reason = await Promise.race([stopOn.then((s) => ({ signal: s })), cluster.died.then((message) => ({ died: message }))]);
      if ('died' in reason) console.error(`error: ${reason.died}`);
      console.log('stopping: agents, executors, master');
      await cluster.stop();
      console.log('stopped');
      process.exit('died' in reason ? 1 : 0);
    });
}
