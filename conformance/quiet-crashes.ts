/**
 * Crashes a runner can arrange: a restart of an agent or of the master only when no message is
 * in flight to or from it.
 *
 * The model's crash clears its channels: what the crashed component had sent and not yet
 * delivered is lost, and so is what was on its way to it. A real process sends at once and
 * reads at once (a TCP write is in the peer's buffer in microseconds), so a kill -9 between a
 * send and its delivery is a race no runner wins reliably: such a crash is a message loss in
 * disguise. The generator's first pass admits only quiet crashes, so that a target reachable
 * that way gets a witness whose crash happens between messages; with the agent's state at the
 * crash as the runner's condition for injecting it (project.ts `AGENT_RESTART.when`), the
 * runner can land on it.
 *
 * A framework's failover is the runner's own (it drops its connection and never sends the
 * calls the model lost), so it is always admitted, and so are all other actions.
 */
import type { MesosWorld } from '../spec/world/mesos.ts';
import { ActionKind, decodeAction } from '../spec/world/system.ts';

/** `admit` for findWitnesses: false for a restart of an agent or the master with a message in flight to or from it. */
export function quietCrashes(world: MesosWorld): (s: Int32Array, a: number) => boolean {
  const sys = world.system;
  const frameworks = new Set(world.layout.frameworks.map((f) => sys.comp(f)));
  // Per component: the channels a restart of it clears (to it, from it).
  const touching = sys.components.map((c) => sys.channels.flatMap((ch, i) => (ch.from === c.name || ch.to === c.name ? [i] : [])));
  return (s, a) => {
    const { kind, arg1 } = decodeAction(a);
    if (kind !== ActionKind.Restart || frameworks.has(arg1)) return true;
    return touching[arg1]!.every((c) => sys.channelLength(s, c) === 0);
  };
}
