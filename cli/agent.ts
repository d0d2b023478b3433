/**
 * `mesos-ref agent --master URL --resources "cpus:4;mem:4096;disk:10240;ports:[31000-32000]" [--port 5051]
 * [--ip 127.0.0.1] [--work_dir DIR] [--hostname H] [--advertise_ip IP] [--advertise_port N]
 * [--attributes A] [--trace FILE] [--log_level info|warning|error]`: one reference agent (flags in Mesos's spelling; the dashed
 * ones of earlier versions, --work-dir, stay accepted)
 * (impl/agent/runtime.ts). It prints `agent listening on <url>` once it serves, and stops on
 * SIGINT/SIGTERM (its executors keep running and re-subscribe when it comes back with the same
 * work dir), on SIGUSR1 after unregistering from the master and killing its executors (Mesos's
 * graceful shutdown), or when the master shuts it down. Exit codes: 0 stopped, 2 bad flags.
 */
import { isZkUrl, parseZkUrl } from '../impl/zk/url.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { parseResources, toWire } from '../spec/resources/index.ts';
import type { AgentFlags } from '../spec/machines/agent.ts';
import type { Attribute, Resource } from '../spec/protocol/common.ts';
import { parseAttributes } from './attributes.ts';
import { logger, parseLogLevel, type LogLevel } from '../impl/log.ts';
import { UsageError, durationFlag, mesosBool } from './common.ts';
import { loadCredential, loadCredentials, type Credential } from '../impl/http/auth.ts';
import { Acls, AclsError } from '../impl/http/acls.ts';
import { bindRefusal } from '../impl/http/bind.ts';
import { hostFlagsError, hostOptions, type HostFlags } from './host-flags.ts';

interface AgentCliFlags extends HostFlags {
  master: string;
  resources: string;
  workDir?: string;
  attributes?: string;
  trace?: string;
  registrationBackoffFactor?: string;
  executorRegistrationTimeout?: string;
  executorReregistrationTimeout?: string;
  executorShutdownGracePeriod?: string;
  recoveryTimeout?: string;
  executorTerminalAckTimeout?: string;
  executorCommand?: string;
  checkpointMode?: 'group' | 'each';
  masterLinkMode?: 'batch' | 'each';
  logLevel?: string;
  logging_level?: string;
  /** Undefined when neither --authenticate_http_executors nor its negation was given: on. */
  authenticateHttpExecutors?: boolean;
  jwtSecretKey?: string;
  credential?: string;
  insecure?: boolean;
  credentials?: string;
  authenticateHttpReadonly?: boolean;
  acls?: string;
  authorizers?: string;
}

/**
 * An agent's resources when `--resources` is not given. A Mesos agent always detects cpus, mem,
 * disk and ports; without disk a default cluster could not run a default executor (which asks
 * disk:32), so a fixed 10 GiB stands in for the detected disk.
 */
export const DEFAULT_AGENT_RESOURCES = 'cpus:4;mem:4096;disk:10240;ports:[31000-32000]';

export interface ParsedAgentFlags {
  master: string;
  resources: Resource[];
  port: number;
  ip: string;
  workDir: string;
  hostname?: string;
  advertiseIp?: string;
  advertisePort?: number;
  attributes?: Attribute[];
  trace?: string;
  flags: Partial<AgentFlags>;
  executorArgv?: string[];
  checkpointMode?: 'group' | 'each';
  masterLinkMode?: 'batch' | 'each';
  logLevel: LogLevel;
  authenticateHttpExecutors: boolean;
  jwtSecretKey?: string;
  credential?: Credential;
  readonlyAuth?: { credentials: Credential[]; acls: Acls };
}

export function parseAgentFlags(o: AgentCliFlags): ParsedAgentFlags {
  const parsed = parseResources(o.resources);
  if (!parsed.ok) throw new UsageError(`'--resources': ${parsed.error}`);
  const hostError = hostFlagsError(o);
  if (hostError) throw new UsageError(hostError);
  if (isZkUrl(o.master)) {
    const zk = parseZkUrl(o.master);
    if (!zk.ok) throw new UsageError(`'--master': ${zk.error}`);
  } else
    try {
      new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(o.master) ? o.master : `http://${o.master}`);
    } catch {
      throw new UsageError(`'--master': expected a URL such as http://127.0.0.1:5050, got '${o.master}'`);
    }
  const levelText = o.logging_level ?? o.logLevel ?? 'info';
  const logLevel = parseLogLevel(levelText);
  if (!logLevel) throw new UsageError(`'--log_level': expected info, warning or error, got '${levelText}'`);
  let credential: Credential | undefined;
  try {
    if (o.credential) credential = loadCredential(resolve(o.credential));
  } catch (e) {
    throw new UsageError(`'--credential': ${(e as Error).message}`);
  }
  let readonlyAuth: { credentials: Credential[]; acls: Acls } | undefined;
  if (o.authorizers !== undefined && o.authorizers !== 'local') throw new UsageError(`'--authorizers': only 'local' is available, got '${o.authorizers}'`);
  const authenticateHttpExecutors = o.authenticateHttpExecutors ?? true;
  if (o.authenticateHttpReadonly && !o.credentials) throw new UsageError("'--credentials': required with --authenticate_http_readonly");
  // The agent's ACLs judge authenticated principals; without authentication they would be ignored in silence.
  if (o.acls && !o.authenticateHttpReadonly)
    throw new UsageError("'--acls': the agent applies its ACLs to authenticated requests: give --authenticate_http_readonly and --credentials too");
  try {
    if (o.authenticateHttpReadonly) readonlyAuth = { credentials: loadCredentials(resolve(o.credentials!)), acls: o.acls ? Acls.load(resolve(o.acls)) : Acls.none };
  } catch (e) {
    throw new UsageError(`'--${e instanceof AclsError ? 'acls' : 'credentials'}': ${(e as Error).message}`);
  }
  const missing = [
    ...(authenticateHttpExecutors ? [] : ['--authenticate_http_executors']),
    ...(credential ? [] : ['--credential']),
    ...(readonlyAuth ? [] : ['--authenticate_http_readonly']),
  ];
  const refusal = bindRefusal(o.ip, missing, o.insecure ?? false);
  if (refusal) throw new UsageError(`'--ip': ${refusal}`);
  const flags: Partial<AgentFlags> = {};
  const set = (key: keyof AgentFlags, value: number | undefined) => {
    if (value !== undefined) (flags as Record<string, number>)[key] = value;
  };
  set('registrationBackoffMs', durationFlag(o.registrationBackoffFactor, '--registration-backoff-factor'));
  set('executorRegistrationTimeoutMs', durationFlag(o.executorRegistrationTimeout, '--executor-registration-timeout'));
  set('executorReregistrationTimeoutMs', durationFlag(o.executorReregistrationTimeout, '--executor-reregistration-timeout'));
  set('executorShutdownGraceMs', durationFlag(o.executorShutdownGracePeriod, '--executor-shutdown-grace-period'));
  set('recoveryTimeoutMs', durationFlag(o.recoveryTimeout, '--recovery-timeout'));
  set('executorTerminalAckTimeoutMs', durationFlag(o.executorTerminalAckTimeout, '--executor-terminal-ack-timeout'));
  return {
    master: o.master,
    resources: toWire(parsed.value) as Resource[],
    port: Number(o.port),
    ip: o.ip,
    workDir: resolve(o.workDir ?? mkdtempSync(join(tmpdir(), 'mesos-ref-agent-'))),
    ...(o.hostname ? { hostname: o.hostname } : {}),
    ...(o.advertiseIp ? { advertiseIp: o.advertiseIp } : {}),
    ...(o.advertisePort ? { advertisePort: Number(o.advertisePort) } : {}),
    ...(o.attributes ? { attributes: parseAttributes(o.attributes) } : {}),
    ...(o.trace ? { trace: resolve(o.trace) } : {}),
    flags,
    logLevel,
    ...(o.executorCommand ? { executorArgv: ['/bin/sh', '-c', o.executorCommand] } : {}),
    ...(o.checkpointMode ? { checkpointMode: o.checkpointMode } : {}),
    ...(o.masterLinkMode ? { masterLinkMode: o.masterLinkMode } : {}),
    authenticateHttpExecutors,
    ...(o.jwtSecretKey ? { jwtSecretKey: resolve(o.jwtSecretKey) } : {}),
    ...(credential ? { credential } : {}),
    ...(readonlyAuth ? { readonlyAuth } : {}),
  };
}

export function registerAgent(program: Command): void {
  const command = program
    .command('agent')
    .description('run a reference agent: registers with the master, runs command tasks through `mesos-ref executor`')
    .requiredOption('--master <url>', 'the master, e.g. http://127.0.0.1:5050, or zk://host:port/path to follow the leader ZooKeeper names')
    .option('--resources <text>', "the agent's resources, Mesos syntax", DEFAULT_AGENT_RESOURCES);
  hostOptions(command, {
    port: 'port to serve on (0: any free port)',
    defaultPort: '5051',
    hostname: 'hostname to report (default: the advertised IP)',
    advertiseIp: "IP given to the master and executors (default: the bound one; for 0.0.0.0 the machine's address)",
    advertisePort: 'port given to the master and executors (default: the bound one)',
  })
    .option('--work_dir, --work-dir <dir>', 'checkpoints and sandboxes (default: a fresh temporary directory)')
    .option('--attributes <text>', 'attributes in Mesos syntax, e.g. "rack:r1;zone:east"')
    .option('--trace <file>', 'append every step of the agent machine as JSON lines')
    .option('--log_level, --log-level <level>', 'info (every framework and task event), warning or error', 'info')
    .addOption(new Option('--logging_level <level>', "Mesos's name for --log_level").hideHelp())
    .option('--registration_backoff_factor, --registration-backoff-factor <duration>', 'first registration retry within twice this', undefined)
    .option('--executor_registration_timeout, --executor-registration-timeout <duration>', 'how long an executor has to subscribe (1mins)')
    .option('--executor_reregistration_timeout, --executor-reregistration-timeout <duration>', 'how long recovered executors have to re-subscribe (2secs)')
    .option('--executor_shutdown_grace_period, --executor-shutdown-grace-period <duration>', 'SHUTDOWN to destroy (5secs)')
    // Mesos's spellings (a bare flag is true; =true / =false as Mesos takes them); the dashed ones are aliases.
    .option('--authenticate_http_executors, --authenticate-http-executors [bool]', "executor calls need the executor's token (default true here; Mesos's is false)", mesosBool)
    .option('--recovery_timeout, --recovery-timeout <duration>', 'how long a checkpointing executor waits for its restarted agent (15mins; its MESOS_RECOVERY_TIMEOUT)')
    .option('--executor-terminal-ack-timeout <duration>', "the command executor's fail-safe exit after an unacknowledged terminal update (1mins; not a Mesos flag)")
    .option('--no-authenticate-http-executors', "take executor calls without the executor's token (Mesos's default; the reference's is to require it)")
    .option('--credential <file>', 'the principal and secret the agent presents to the master (Mesos JSON or "principal secret")')
    .option('--credentials <file>', "principals and secrets the agent's own endpoints check (with --authenticate_http_readonly)")
    .option('--authenticate_http_readonly, --authenticate-http-readonly [bool]', '/state, /flags, /files/* and POST /api/v1 need credentials', mesosBool)
    .option(
      '--acls <file>',
      "Mesos's ACLs (with --authenticate_http_readonly): access_sandboxes on /files/*, view_frameworks/view_executors/view_tasks/view_containers on /state and the v1 GET_* calls, access_sandboxes on READ_FILE/LIST_FILES",
    )
    .option('--authorizers <name>', 'the authorizer', 'local')
    .option('--insecure', 'allow binding a non-loopback address without executor and read-endpoint authentication and a credential')
    .option('--jwt-secret-key <file>', 'the key executor tokens are signed with (default: one generated in the work dir)')
    .addOption(new Option('--executor-command <cmd>', 'run this shell command instead of `mesos-ref executor` (testing)').hideHelp())
    .addOption(
      new Option('--checkpoint-mode <mode>', 'group: steps share a write+fsync while one is in flight; each: one per step (the bench compares them)')
        .choices(['group', 'each'])
        .default('group')
        .hideHelp(),
    )
    .addOption(
      new Option(
        '--master-link-mode <mode>',
        'batch: a POST to the master carries every message queued behind the one in flight; each: one message per POST (the bench compares them)',
      )
        .choices(['batch', 'each'])
        .default('batch')
        .hideHelp(),
    )
    .action(async (options: AgentCliFlags) => {
      let flags: ParsedAgentFlags;
      try {
        flags = parseAgentFlags(options);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        console.error(`error: ${e.message}`);
        process.exitCode = 2;
        return;
      }
      const { AgentRuntime } = await import('../impl/agent/runtime.ts');
      const log = logger('agent', flags.logLevel);
      const agent = new AgentRuntime({
        master: flags.master,
        resources: flags.resources,
        port: flags.port,
        ip: flags.ip,
        workDir: flags.workDir,
        ...(flags.hostname ? { hostname: flags.hostname } : {}),
        ...(flags.advertiseIp ? { advertiseIp: flags.advertiseIp } : {}),
        ...(flags.advertisePort ? { advertisePort: flags.advertisePort } : {}),
        ...(flags.attributes ? { attributes: flags.attributes } : {}),
        ...(flags.trace ? { trace: flags.trace } : {}),
        flags: flags.flags,
        ...(flags.executorArgv ? { executorArgv: flags.executorArgv } : {}),
        ...(flags.checkpointMode ? { checkpointMode: flags.checkpointMode } : {}),
        ...(flags.masterLinkMode ? { masterLinkMode: flags.masterLinkMode } : {}),
        // The runtime's own lines are mostly progress (info); those about a failure are warnings.
        log: (line) => (/^(Failed|Error|Step failed|Cannot)/.test(line) ? log.warning(line) : log.info(line)),
        events: log.info,
        authenticateHttpExecutors: flags.authenticateHttpExecutors,
        ...(flags.jwtSecretKey ? { jwtSecretKey: flags.jwtSecretKey } : {}),
        ...(flags.credential ? { credential: flags.credential } : {}),
        ...(flags.readonlyAuth ? { readonlyAuth: flags.readonlyAuth } : {}),
      });
      try {
        await agent.start();
      } catch (e) {
        console.error(`error: cannot start the agent: ${(e as Error).message}`);
        process.exitCode = 2;
        return;
      }
      console.log(`agent listening on ${agent.self} (work dir ${flags.workDir})`);
      const stop = (signal: string) => {
        log.info(`Received ${signal}, stopping (executors keep running)`);
        agent.stop().catch((e: Error) => {
          console.error(`error: stopping the agent: ${e.message}`);
          process.exitCode = 1;
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      // Mesos's graceful shutdown (Slave::signaled): unregister, shut every framework down, stop.
      process.once('SIGUSR1', () => {
        log.info('Received SIGUSR1, unregistering and shutting down');
        agent.unregister();
      });
      await agent.stopped;
      process.exit(0);
    });
}
