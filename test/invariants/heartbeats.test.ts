/**
 * heartbeatsWhileSubscribed: the master's next HEARTBEAT to a framework is due exactly while it
 * is subscribed. Two seeded bugs, each a survivor of a mutation sample: a heartbeat handler that
 * returns before arming the next one (the periodic HEARTBEAT never comes again), and a
 * disconnection that leaves the framework's heartbeat timer running. pingsWhileRegistered: the
 * same for the master's PINGs to its agents; a ping handler that returns at once (a survivor of the
 * same sample), and an agent marked unreachable whose PING timer keeps running. pongCounted: a
 * PONG handler that returns at once (the sample's other early return) leaves the ping unanswered.
 * pingsAnswered: an agent that re-registers on every PING (mutate's seed-9 survivor at agent.ts:155,
 * the masterThinksDisconnected guard turned round). pingsSayConnected: mutate's seed-12 survivor at
 * master.ts:903, a master whose PINGs tell its connected agents they are disconnected.
 */
import { test } from 'uvu';
import { configs } from '../../model/configs.ts';
import { masterInternals } from '../../spec/machines/master.ts';
import { NO_FAULTS, type MesosConfig } from '../../spec/world/config.ts';
import type { MachineOverrides } from '../../spec/world/mesos.ts';
import { caughtWithin } from '../support/seeded-bugs.ts';
import { dropSends, negateGuard, withMaster } from '../support/mutants.ts';
import { agent } from '../../spec/machines/agent.ts';

const { handler, disconnectFramework, ping } = masterInternals;

/** heartbeats (health checks on) with a scheduler that fails over once: its stream breaks, and it subscribes again. */
const failingOver: MesosConfig = { ...configs.heartbeats!, faults: { ...NO_FAULTS, frameworkFailover: 1 } };

/** `invariant` catches the bug `machines` seed on `config` (test/support/seeded-bugs.ts). */
const caught = (invariant: string, what: string, config: MesosConfig, machines: MachineOverrides, breach: RegExp, maxSteps: number) =>
  caughtWithin(test, invariant, what, config, machines, breach, maxSteps);

// The heartbeat timer fires and the master returns at once: no HEARTBEAT, and none due again.
caught(
  'heartbeatsWhileSubscribed',
  'a master that stops its periodic heartbeats',
  configs.heartbeats!,
  { master: withMaster({ heartbeat: handler(() => {}) }) },
  /\S+ is subscribed but the master has no next HEARTBEAT due/,
  12,
);

// A broken stream disconnects the framework, but its heartbeat timer keeps running.
caught(
  'heartbeatsWhileSubscribed',
  'a heartbeat timer left running after a disconnection',
  failingOver,
  {
    master: withMaster({
      disconnectFramework: handler<{ type: 'LINK_BROKEN'; peer: string }>((tx, e) => {
        const fid = Object.keys(tx.c.frameworks).find((k) => tx.c.frameworks[k]!.connection === e.peer)!;
        disconnectFramework(tx, fid);
        if (tx.c.frameworks[fid] !== undefined) tx.timer(`heartbeat:${fid}`, { type: 'HEARTBEAT_DUE', framework_id: fid }, tx.c.flags.heartbeatIntervalMs);
      }),
    }),
  },
  /the master keeps sending heartbeats to \S+, which is disconnected/,
  12,
);

// The agent ping timer fires and the master returns at once: no PING, and none due again.
caught(
  'pingsWhileRegistered',
  'a master that stops pinging its agents',
  configs.heartbeats!,
  { master: withMaster({ ping: handler(() => {}) }) },
  /\S+ is registered but the master has no next PING due/,
  12,
);

// The master takes a PONG and returns at once: the agent still counts as awaiting one.
caught(
  'pongCounted',
  'a master that ignores PONGs',
  configs.heartbeats!,
  { master: withMaster({ pong: handler(() => {}) }) },
  /pongCounted: \S+ answered its PING, yet the master still counts 0 missed and awaits a PONG: true/,
  12,
);

/** heartbeats with one partition, an agent marked unreachable at its first missed PING. */
const partitioned: MesosConfig = { ...configs.heartbeats!, faults: { ...NO_FAULTS, partition: 1 }, master: { heartbeats: true, maxAgentPingTimeouts: 1 } };

// The master marks an agent unreachable at a missed PING, and keeps its PING timer running.
caught(
  'pingsWhileRegistered',
  'a PING timer left running for an agent marked unreachable',
  partitioned,
  {
    master: withMaster({
      ping: handler<{ type: 'PING_DUE'; agent_id: string }>((tx, e) => {
        ping(tx, e.agent_id);
        if (tx.c.agents[e.agent_id] === undefined) tx.timer(`ping:${e.agent_id}`, { type: 'PING_DUE', agent_id: e.agent_id }, 15_000);
      }),
    }),
  },
  /the master keeps pinging \S+, an agent it removed/,
  20,
);

caught(
  'pingsAnswered',
  'an agent that registers again on every PING',
  configs.heartbeats!,
  { agent: negateGuard(agent, 'masterThinksDisconnected') },
  /the agent \(\{"active":"running"\}\) registered again on a PING with connected true/,
  20,
);

caught(
  'pingsSayConnected',
  'a master whose PINGs tell a connected agent it is disconnected',
  configs.heartbeats!,
  {
    master: withMaster({
      ping: handler<{ type: 'PING_DUE'; agent_id: string }>((tx, e) => {
        const address = tx.c.agents[e.agent_id]?.address;
        if (address) tx.send(address, { type: 'PING', connected: false });
        else ping(tx, e.agent_id);
      }),
    }),
  },
  /pingsSayConnected: a PING to agent-0 says connected: false, the master has it connected/,
  6,
);

// mutate's seed-27 survivor at master.ts:920: the ping is counted and re-armed, and never sent.
caught(
  'pingsSent',
  'a master that counts its pings and sends none',
  configs.heartbeats!,
  {
    master: withMaster({
      ping: handler<{ type: 'PING_DUE'; agent_id: string }>((tx, e) => {
        ping(tx, e.agent_id);
        dropSends(tx.steps, 'PING');
      }),
    }),
  },
  /pingsSent: agent m-S0's ping came due and the master sent 0 PING\(s\), not one to agent-0/,
  5,
);

test.run();
