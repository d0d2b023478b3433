/**
 * `mesos-ref master --port 5050 [--ip 127.0.0.1] [--work_dir DIR] [--hostname H] [--advertise_ip IP]
 * [--advertise_port N] [--check-invariants] [--trace FILE] [--external_log_file FILE] [--log_level info|warning|error]
 * [--credentials FILE --authenticate_frameworks --authenticate_agents --authenticate_http_readonly
 * --authenticate_http_readwrite] [--acls FILE] [--authorizers local] [--insecure] [--weights role=weight,...]
 * [--offer_timeout DURATION] [--agent_removal_rate_limit N/DURATION] [--zk zk://host:port/path --quorum N [--zk_session_timeout DURATION]]` (dashed spellings too): the master machine behind Mesos's
 * HTTP APIs (impl/master/server.ts), flags in Mesos's spelling (--work-dir stays accepted).
 * Binds loopback unless told otherwise; a non-loopback address needs authentication, or
 * --insecure. Exit codes: 2 bad flags, 1 the master failed.
 */
import { resolve } from 'node:path';
import { parseRemovalRateLimit } from '../spec/protocol/removal-rate-limit.ts';
import { Option, type Command } from 'commander';
import { RegistryError } from '../impl/master/registry.ts';
import { logger, parseLogLevel } from '../impl/log.ts';
import { startMaster, type MasterSecurity } from '../impl/master/server.ts';
import { Acls, AclsError } from '../impl/http/acls.ts';
import { CredentialsError, loadCredentials } from '../impl/http/auth.ts';
import { bindRefusal } from '../impl/http/bind.ts';
import { parseWeightsFlag } from '../spec/allocator/index.ts';
import { parseDuration } from '../spec/protocol/duration.ts';
import { masterTimeouts, mesosBool } from './common.ts';
import { hostFlagsError, hostOptions, type HostFlags } from './host-flags.ts';
import { parseZkUrl, type ZkUrl } from '../impl/zk/url.ts';

interface MasterFlags extends HostFlags {
  workDir?: string;
  checkInvariants?: boolean;
  trace?: string;
  externalLogFile?: string;
  logLevel: string;
  logging_level?: string;
  credentials?: string;
  authenticateFrameworks?: boolean;
  authenticateAgents?: boolean;
  authenticateHttpReadonly?: boolean;
  authenticateHttpReadwrite?: boolean;
  acls?: string;
  authorizers: string;
  insecure?: boolean;
  weights?: string;
  offerTimeout?: string;
  agentRemovalRateLimit?: string;
  agentPingTimeout?: string;
  maxAgentPingTimeouts?: string;
  agentReregisterTimeout?: string;
  zk?: string;
  quorum?: string;
  zkSessionTimeout?: string;
}

/** --zk, --quorum and --zk_session_timeout, as Mesos checks them; throws naming the flag. */
export function masterZk(flags: MasterFlags): { url: ZkUrl; sessionTimeoutMs: number; quorum: number } | undefined {
  if (flags.zk === undefined) {
    if (flags.quorum !== undefined || flags.zkSessionTimeout !== undefined) throw new Error('--quorum/--zk_session_timeout: only meaningful with --zk');
    return undefined;
  }
  const parsed = parseZkUrl(flags.zk);
  if (!parsed.ok) throw new Error(`--zk: ${parsed.error}`);
  if (flags.quorum === undefined) throw new Error('--quorum: required with --zk (a majority of the masters, e.g. 2 of 3)');
  if (!/^\d+$/.test(flags.quorum) || Number(flags.quorum) < 1) throw new Error(`--quorum: expected a positive integer, got '${flags.quorum}'`);
  const sessionTimeoutMs = flags.zkSessionTimeout === undefined ? 10_000 : parseDuration(flags.zkSessionTimeout);
  if (sessionTimeoutMs === null || sessionTimeoutMs <= 0) throw new Error(`--zk_session_timeout: expected a positive duration such as 10secs, got '${flags.zkSessionTimeout}'`);
  return { url: parsed.url, sessionTimeoutMs, quorum: Number(flags.quorum) };
}

/** The security flags as the server takes them; throws a UsageError-like message naming the flag. */
export function masterSecurity(flags: MasterFlags): MasterSecurity {
  const authenticate = {
    authenticateFrameworks: flags.authenticateFrameworks ?? false,
    authenticateAgents: flags.authenticateAgents ?? false,
    authenticateHttpReadonly: flags.authenticateHttpReadonly ?? false,
    authenticateHttpReadwrite: flags.authenticateHttpReadwrite ?? false,
  };
  if (flags.authorizers !== 'local') throw new Error(`--authorizers: only 'local' is available, got '${flags.authorizers}'`);
  const any = Object.values(authenticate).some(Boolean);
  if (any && !flags.credentials) throw new Error('--credentials: required when any --authenticate_* flag is set (the principals and secrets to check against)');
  try {
    const credentials = flags.credentials ? loadCredentials(resolve(flags.credentials)) : [];
    const acls = flags.acls ? Acls.load(resolve(flags.acls)) : Acls.none;
    return { credentials, acls, ...authenticate };
  } catch (e) {
    if (e instanceof CredentialsError) throw new Error(`--credentials: ${e.message}`);
    if (e instanceof AclsError) throw new Error(`--acls: ${e.message}`);
    throw e;
  }
}

function usage(message: string): void {
  console.error(`mesos-ref master: ${message}`);
  process.exitCode = 2;
}

export function registerMaster(program: Command): void {
  const command = program.command('master').description('run a Mesos master: the scheduler, operator and agent APIs over HTTP');
  hostOptions(command, {
    port: 'port to listen on',
    defaultPort: '5050',
    hostname: "hostname in MasterInfo (default: localhost on loopback, else the machine's name)",
    advertiseIp: "IP in MasterInfo, for agents and frameworks on other hosts (default: the bound one; for 0.0.0.0 the machine's address)",
    advertisePort: 'port in MasterInfo (default: the bound one)',
  })
    .option('--work_dir, --work-dir <dir>', 'where the registry is kept (registry.json); in memory without it')
    .option('--check-invariants', 'check the master invariants after every step; log violations to stderr')
    .option('--trace <file>', 'append every step of the master machine to FILE as JSON lines')
    .option('--external_log_file, --external-log-file <file>', 'the log something else writes for this master (e.g. its redirected output), served at /master/log')
    .option('--log_level, --log-level <level>', 'info (every framework, agent and task event), warning or error', 'info')
    .addOption(new Option('--logging_level <level>', "Mesos's name for --log_level").hideHelp())
    .option('--credentials <file>', 'principals and secrets, Mesos JSON ({"credentials":[{"principal":..,"secret":..}]}) or "principal secret" lines')
    // Mesos's spellings (a bare flag is true; =true / =false as Mesos takes them); the dashed ones are aliases.
    .option('--authenticate_frameworks, --authenticate-frameworks [bool]', 'scheduler API calls need credentials (HTTP Basic)', mesosBool)
    .option('--authenticate_agents, --authenticate-agents [bool]', 'agents need their --credential to connect', mesosBool)
    .option('--authenticate_http_readonly, --authenticate-http-readonly [bool]', 'read-only operator endpoints need credentials', mesosBool)
    .option('--authenticate_http_readwrite, --authenticate-http-readwrite [bool]', 'operator endpoints that change state need credentials', mesosBool)
    .option('--acls <file>', "Mesos's ACLs, JSON (register_frameworks, run_tasks, teardown_frameworks, view_*, register_agents, ...)")
    .option('--authorizers <name>', 'the authorizer', 'local')
    .option('--insecure', 'allow binding a non-loopback address without authentication')
    .option('--weights <role=weight,...>', 'DRF weights of roles (default 1 each); UPDATE_WEIGHTS overrides them')
    .option('--offer_timeout, --offer-timeout <duration>', 'rescind an offer a framework holds longer than this (e.g. 30secs; default: never)')
    .option('--agent_removal_rate_limit, --agent-removal-rate-limit <n/duration>', 'at most n agents marked unreachable per duration (e.g. 1/10mins; default: no limit)')
    .option('--agent_ping_timeout, --agent-ping-timeout <duration>', 'an agent that answers no PING for this long misses one (15secs)')
    .option('--max_agent_ping_timeouts, --max-agent-ping-timeouts <n>', 'missed PINGs before an agent is unreachable (5)')
    .option('--agent_reregister_timeout, --agent-reregister-timeout <duration>', "agents of a failed-over master's registry must reregister within this (10mins)")
    .option('--zk <url>', 'contend for leadership and keep the registry on ZooKeeper: zk://host:port[,host:port]/path')
    .option('--quorum <n>', 'with --zk: the size of a majority of the masters (Mesos requires it with --zk)')
    .option('--zk_session_timeout, --zk-session-timeout <duration>', 'with --zk: the ZooKeeper session timeout; a leader that loses its session aborts (10secs)')
    .action(async (flags: MasterFlags) => {
      const hostError = hostFlagsError(flags);
      if (hostError) return usage(hostError);
      const port = Number(flags.port);
      const levelText = flags.logging_level ?? flags.logLevel;
      const level = parseLogLevel(levelText);
      if (!level) return usage(`--log_level: expected info, warning or error, got '${levelText}'`);
      const log = logger('master', level);
      const advertisePort = flags.advertisePort === undefined ? undefined : Number(flags.advertisePort);
      const weights = flags.weights === undefined ? undefined : parseWeightsFlag(flags.weights);
      if (weights !== undefined && !weights.ok) return usage(weights.error);
      const removalLimit = flags.agentRemovalRateLimit === undefined ? undefined : parseRemovalRateLimit(flags.agentRemovalRateLimit, parseDuration);
      if (removalLimit !== undefined && !removalLimit.ok) return usage(`--agent_removal_rate_limit: ${removalLimit.error}`);
      let timeouts: ReturnType<typeof masterTimeouts>;
      try {
        timeouts = masterTimeouts(flags);
      } catch (e) {
        return usage((e as Error).message);
      }
      let zk: ReturnType<typeof masterZk>;
      try {
        zk = masterZk(flags);
      } catch (e) {
        return usage((e as Error).message);
      }
      let security: MasterSecurity;
      try {
        security = masterSecurity(flags);
      } catch (e) {
        return usage((e as Error).message);
      }
      const missing = (
        [
          ['--authenticate_frameworks', security.authenticateFrameworks],
          ['--authenticate_agents', security.authenticateAgents],
          ['--authenticate_http_readwrite', security.authenticateHttpReadwrite],
        ] as const
      )
        .filter(([, on]) => !on)
        .map(([name]) => name);
      const refusal = bindRefusal(flags.ip, missing, flags.insecure ?? false);
      if (refusal) return usage(`--ip: ${refusal}`);
      let server;
      try {
        server = await startMaster({
          port,
          ip: flags.ip,
          ...(flags.hostname ? { hostname: flags.hostname } : {}),
          ...(flags.advertiseIp ? { advertiseIp: flags.advertiseIp } : {}),
          ...(advertisePort !== undefined ? { advertisePort } : {}),
          ...(flags.workDir ? { workDir: resolve(flags.workDir) } : {}),
          checkInvariants: flags.checkInvariants ?? false,
          log: log.error,
          events: log.info,
          ...(flags.trace ? { trace: resolve(flags.trace) } : {}),
          ...(flags.externalLogFile ? { externalLogFile: resolve(flags.externalLogFile) } : {}),
          security,
          ...(zk ? { zk: { url: zk.url, sessionTimeoutMs: zk.sessionTimeoutMs, quorum: zk.quorum } } : {}),
          flags: {
            ...timeouts,
            ...(weights?.ok ? { weights: weights.value } : {}),
            ...(removalLimit?.ok ? { agentRemovalRateLimit: removalLimit.value } : {}),
          },
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL' || err.code === 'EACCES') {
          return usage(`--port/--ip: cannot listen on ${flags.ip}:${port}: ${err.code}`);
        }
        console.error(`mesos-ref master: ${err.message}`);
        process.exitCode = err instanceof RegistryError ? 2 : 1;
        return;
      }
      console.log(
        `mesos-ref master ${server.id} listening on ${server.url}${zk ? ` (registry in ${flags.zk}/registry)` : flags.workDir ? ` (registry in ${resolve(flags.workDir)})` : ''}`,
      );
      if (zk) {
        const announce = () => console.log(`mesos-ref master ${server.id} elected leader`);
        server.elected.then(announce, () => {});
      }
      const stop = () => {
        server.close().catch((e: Error) => {
          console.error(`error: stopping the master: ${e.message}`);
          process.exitCode = 1;
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const error = await server.stopped;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.exitCode = error ? 1 : 0;
    });
}
