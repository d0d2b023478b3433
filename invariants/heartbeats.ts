/**
 * Heartbeats (Master::subscribe starts the framework's Heartbeater, which sends one HEARTBEAT at
 * once and then one per `heartbeat_interval_seconds`): a scheduler that announced an interval in
 * SUBSCRIBED counts on a first HEARTBEAT to know its stream is alive, so it comes right behind;
 * the Heartbeater lives exactly as long as the subscription (Master::failoverFramework and
 * Master::_removeFramework/disconnect delete it), so the next HEARTBEAT is always due while the
 * framework is subscribed, and never after.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import { agentRunning, armedFor, type Emitted, type WorldReader } from './world.ts';

/**
 * heartbeatFollowsSubscribed == ∀ fw, i: chan[fw][i] = SUBSCRIBED(interval > 0) ⇒ chan[fw][i+1] = HEARTBEAT (both leave in one step, FIFO),
 * and the interval a SUBSCRIBED announces is the master's (`--heartbeat_interval`, in seconds).
 */
export function heartbeatFollowsSubscribed(w: WorldReader): string | null {
  const flagged = w.master()?.flags.heartbeatIntervalMs;
  for (const fw of w.layout.frameworks) {
    const events = w.channel(w.layout.master, fw);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      if (e.type !== 'SUBSCRIBED') continue;
      const interval = (e.subscribed as { heartbeat_interval_seconds?: number } | undefined)?.heartbeat_interval_seconds ?? 0;
      if (flagged !== undefined && interval * 1000 !== Math.max(0, flagged))
        return `${fw} was sent SUBSCRIBED announcing heartbeats every ${interval} s, but the master sends them every ${flagged / 1000} s`;
      if (!interval) continue;
      const next = events[i + 1];
      if (next?.type !== 'HEARTBEAT') return `${fw} was sent SUBSCRIBED with a heartbeat interval, followed by ${next ? next.type : 'nothing'} instead of its first HEARTBEAT`;
    }
  }
  return null;
}

/** heartbeatsWhileSubscribed == ∀ fid: armed(master, HEARTBEAT_DUE(fid)) ⇔ interval > 0 ∧ frameworks[fid].connection ≠ null. */
export function heartbeatsWhileSubscribed(w: WorldReader): string | null {
  const m = w.master();
  const armed = armedFor(w, w.layout.master, 'HEARTBEAT_DUE', 'framework_id');
  if (m === null || armed === undefined) return null;
  for (const fid of armed) {
    const f = m.frameworks[fid];
    if (f === undefined) return `the master keeps sending heartbeats to ${fid}, a framework it removed`;
    if (f.connection === null) return `the master keeps sending heartbeats to ${fid}, which is disconnected`;
  }
  if (m.flags.heartbeatIntervalMs <= 0) return armed.size > 0 ? `the master sends heartbeats with heartbeats off` : null;
  for (const [fid, f] of Object.entries(m.frameworks)) {
    if (f.connection !== null && !armed.has(fid)) return `${fid} is subscribed but the master has no next HEARTBEAT due for it`;
  }
  return null;
}

/**
 * pingsWhileRegistered == ∀ aid: armed(master, PING_DUE(aid)) ⇔ pings on ∧ aid ∈ agents ∧ ¬agents[aid].recovered.
 * The master's SlaveObserver pings an agent from its (re)registration until the agent is removed.
 */
export function pingsWhileRegistered(w: WorldReader): string | null {
  const m = w.master();
  const armed = armedFor(w, w.layout.master, 'PING_DUE', 'agent_id');
  if (m === null || armed === undefined) return null;
  for (const aid of armed) {
    const a = m.agents[aid];
    if (a === undefined) return `the master keeps pinging ${aid}, an agent it removed`;
    if (a.recovered) return `the master pings ${aid}, which has not reregistered since the failover`;
  }
  if (m.flags.agentPingTimeoutMs <= 0) return armed.size > 0 ? `the master pings agents with pings off` : null;
  for (const [aid, a] of Object.entries(m.agents)) {
    if (!a.recovered && !armed.has(aid)) return `${aid} is registered but the master has no next PING due for it`;
  }
  return null;
}

/** pongCounted == a PONG the master takes from a registered agent's connection leaves that agent awaiting no pong, with no missed ping. */
export function pongCounted(before: MasterContext, event: AnyEventObject, _effects: unknown, after: MasterContext): string | null {
  if (event.type !== 'PONG') return null;
  const aid = Object.keys(before.agents).find((id) => before.agents[id]!.address === event.from && !before.agents[id]!.recovered);
  const a = aid === undefined ? undefined : after.agents[aid];
  if (a === undefined) return null;
  return a.awaitingPong || a.missedPings > 0 ? `${aid} answered its PING, yet the master still counts ${a.missedPings} missed and awaits a PONG: ${a.awaitingPong}` : null;
}

/**
 * pingsAnswered == an agent answers its master's PING with one PONG, in every state, and
 * re-registers on it exactly when it is registered and the PING says the master thinks it is
 * disconnected (Slave::ping: `!connected && state == RUNNING` forces a re-registration).
 */
export function pingsAnswered(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: unknown, state: StateValue): string | null {
  if (event.type !== 'PING' || event.from !== before.master) return null;
  const sent = effects.flatMap((e) => (e.type === 'send' ? [{ to: e.to, type: (e.msg as AnyEventObject).type }] : []));
  const pongs = sent.filter((m) => m.type === 'PONG');
  if (pongs.length !== 1 || pongs[0]!.to !== before.master) return `a PING was answered with ${pongs.length} PONGs (one, to ${before.master}, is due)`;
  const registered = agentRunning(state);
  const due = registered && (event as { connected?: boolean }).connected === false;
  const reregistered = sent.some((m) => m.type === 'REREGISTER_AGENT' || m.type === 'REGISTER_AGENT');
  if (reregistered && !due) return `the agent (${JSON.stringify(state)}) registered again on a PING with connected ${String(event.connected)}`;
  if (!reregistered && due) return 'the agent stayed registered on a PING that says its master thinks it disconnected';
  return null;
}

/**
 * pingTimeoutsCounted == at each PING_DUE the master counts one more ping missed in a row when the
 * last went unanswered, and none when it was answered (SlaveObserver::timeout; a PONG resets the
 * count); the agent is marked unreachable there exactly when that count reaches
 * max_agent_ping_timeouts (or waits for a removal permit, still counted at the limit).
 */
export function pingTimeoutsCounted(before: MasterContext, event: AnyEventObject, _effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'PING_DUE') return null;
  const aid = String(event.agent_id);
  const a = before.agents[aid];
  if (!a) return null;
  const max = before.flags.maxAgentPingTimeouts;
  const missed = a.awaitingPong ? a.missedPings + 1 : 0;
  const now = after.agents[aid];
  if (missed < max && now?.missedPings !== missed) {
    return `agent ${aid} ${a.awaitingPong ? `missed a ping after ${a.missedPings}` : 'answered its last ping'}, and the master counts ${now ? `${now.missedPings} missed` : 'it gone'} (${missed} is due)`;
  }
  if (missed >= max && now !== undefined && now.missedPings !== max) return `agent ${aid} missed ${missed} pings in a row and is counted ${now.missedPings}, not ${max}`;
  return null;
}

/**
 * pingsSent == a PING_DUE that leaves the agent in the master's books, not marked unreachable, sends
 * that agent one PING (SlaveObserver::ping), to the address the master has for it; none to an
 * agent whose link broke (the model's master has no address for it, where Mesos would still ping
 * its pid into the void).
 */
export function pingsSent(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  if (event.type !== 'PING_DUE') return null;
  const aid = String(event.agent_id);
  const a = after.agents[aid];
  if (!before.agents[aid] || !a) return null;
  const pings = effects.filter((e) => e.type === 'send' && (e.msg as AnyEventObject | undefined)?.type === 'PING');
  const due = a.address === null ? 0 : 1;
  if (pings.length !== due || (due === 1 && pings[0]!.to !== a.address)) {
    return `agent ${aid}'s ping came due and the master sent ${pings.length} PING(s)${pings.length === 1 ? ` to ${String(pings[0]!.to)}` : ''}, not ${due === 1 ? `one to ${a.address}` : 'none (its link is broken)'}`;
  }
  return null;
}

/**
 * pingsSayConnected == every PING the master sends tells the agent whether the master has it
 * connected on that link (SlaveObserver::ping: `PingSlaveMessage.connected`): a registered agent
 * told otherwise re-registers at every ping.
 */
export function pingsSayConnected(_before: MasterContext, _event: AnyEventObject, effects: readonly Emitted[], after: MasterContext): string | null {
  for (const e of effects) {
    const msg = e.msg as { type?: string; connected?: boolean } | undefined;
    if (e.type !== 'send' || msg?.type !== 'PING') continue;
    const connected = Object.values(after.agents).some((a) => a.address === e.to && !a.recovered);
    if (msg.connected !== connected) return `a PING to ${String(e.to)} says connected: ${String(msg.connected)}, the master has it ${connected ? 'connected' : 'not connected'}`;
  }
  return null;
}
