/**
 * Crashes a runner can arrange: a restart of an agent or of the master only when no message is
 * in flight to or from it.
 *
 * The model's crash clears its channels: what the crashed component had sent and not yet
 * delivered is lost, and so is what was on its way to it. A real process sends at once and
 * reads at once (a TCP write is in the peer's buffer in microseconds), so a kill -9 between a
 * send and its delivery is a race no runner wins reliably: such a crash is a message loss in
 * disguise. The generator's first pass admits only quiet crashes, so that a target reachable
 * that way gets a witness whose crash happens between messages; with the agent's tasks at the
 * crash as the runner's condition for injecting it (project.ts, `AGENT_RESTART.when`), the
 * runner can land on it.
 *
 * One message in flight is no race: an executor's SUBSCRIBE to its agent. The model's executor
 * sends it as it starts; a real one is a program that takes a while to start (a command
 * executor: hundreds of milliseconds), and the agent lists its tasks as queued until it has
 * subscribed, so the runner can see that window and crash the agent in it.
 *
 * A framework's failover is the runner's own (it drops its connection and never sends the
 * calls the model lost), so it is always admitted, and so are all other actions.
 */
import type { System } from '../spec/world/system.ts';
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction } from '../spec/world/system.ts';

/** Whether a crash of component `name` in `state` loses no message but its executors' SUBSCRIBEs. */
export function quietAt(sys: System, state: Int32Array, name: string): boolean {
  return sys.channels.every((ch, c) => {
    if (ch.from !== name && ch.to !== name) return true;
    if (sys.channelLength(state, c) === 0) return true;
    const fromOwnExecutor = ch.to === name && ch.from.startsWith(`${name}/`);
    return fromOwnExecutor && sys.channelEvents(state, c).every((e) => e.type === 'SUBSCRIBE');
  });
}

/** Whether action `a` in `s` may be taken in a quiet pass: false for a restart of an agent or the master that is not quiet. */
export function quietCrashes(world: MesosWorld): (s: Int32Array, a: number) => boolean {
  const sys = world.system;
  const frameworks = new Set(world.layout.frameworks.map((f) => sys.comp(f)));
  return (s, a) => {
    const { kind, arg1 } = decodeAction(a);
    if (kind !== ActionKind.Restart || frameworks.has(arg1)) return true;
    return quietAt(sys, s, sys.components[arg1]!.name);
  };
}

/**
 * Whether every crash in a trace is one a runner can land on: quiet, or loud only in ways the
 * runner arranges (project.ts): a framework's call in flight to a restarted master is not sent
 * (`lost`); what the master has on its way to an agent whose only act before its first crash was
 * to register is held off from the scenario's start (`idleUntil`), and an agent that crashes with
 * its registration's answer in flight is restarted as a new agent (`unregistered`). A loud crash
 * that loses anything else (an agent's update to the master, a message between an agent and its
 * executors) is a race.
 */
export function steerableCrashes(world: MesosWorld, trace: { readonly states: readonly Int32Array[]; readonly actions: readonly number[] }): boolean {
  const sys = world.system;
  const frameworks = new Set(world.layout.frameworks);
  const crashed = new Set<string>();
  return trace.actions.every((a, i) => {
    const { kind, arg1 } = decodeAction(a);
    if (kind !== ActionKind.Restart) return true;
    const name = sys.components[arg1]!.name;
    if (frameworks.has(name)) return true;
    const s = trace.states[i]!;
    const first = !crashed.has(name);
    crashed.add(name);
    if (quietAt(sys, s, name)) return true;
    const onlyRegistered = first && actedOnlyToRegister(world, trace, i, name);
    return sys.channels.every((ch, c) => {
      if ((ch.from !== name && ch.to !== name) || sys.channelLength(s, c) === 0) return true;
      if (ch.to === name && ch.from.startsWith(`${name}/`)) return sys.channelEvents(s, c).every((e) => e.type === 'SUBSCRIBE');
      if (ch.to === name && frameworks.has(ch.from)) return true;
      if (ch.to === name && ch.from === world.layout.master) return onlyRegistered || (first && sys.channelEvents(s, c).every((e) => e.type === 'AGENT_REGISTERED'));
      return false;
    });
  });
}

/** Whether agent `name` took no step before line `at` but its registration's answer. */
function actedOnlyToRegister(world: MesosWorld, trace: { readonly states: readonly Int32Array[]; readonly actions: readonly number[] }, at: number, name: string): boolean {
  const sys = world.system;
  for (let line = 0; line < at; line++) {
    const d = sys.describeStep(trace.states[line]!, trace.actions[line]!);
    if (!('component' in d) || d.component !== name) continue;
    if (d.kind === 'deliver' && d.message.type === 'AGENT_REGISTERED') continue;
    return false;
  }
  return true;
}
