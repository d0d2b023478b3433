/**
 * An agent stamps every status update it forwards to the master with the task's latest state
 * (Slave::forward: "Include the latest state of task in the update", update.set_latest_state),
 * when the task is one of its executor's launched or terminated tasks, and with nothing
 * otherwise. The master books the task in that state (Master::updateTask), not in the update's
 * own: with updates queued behind an unacknowledged one, that is how the master learns at once
 * that a task has already ended, and releases its resources.
 *
 * And it forwards them only while registered (Slave::forward drops an update "because the agent
 * is in ... state"; the model's stream manager is paused outside `running`): an update made while
 * the agent is away waits in its stream, and goes when the agent is registered again.
 *
 * Properties of every distinct agent step.
 */
import type { AnyEventObject, StateValue } from 'xstate';
import type { AgentContext } from '../spec/machines/agent.ts';
import { agentRunning, type Emitted } from './world.ts';

/** The state the agent books task `task` of `framework` in, if one of its executors has it launched or terminated. */
function bookedState(c: AgentContext, framework: string, task: string): string | undefined {
  for (const ex of Object.values(c.frameworks[framework]?.executors ?? {})) {
    const t = ex.launched[task] ?? ex.terminated[task];
    if (t) return t.state;
  }
  return undefined;
}

type Forwarded = { framework_id: { value: string }; status: { task_id: { value: string } }; latest_state?: string };

/** latestStateForwarded == every STATUS_UPDATE an agent sends its master carries the latest state it books the task in (after the step, or before it if the step let the task go), and none for a task it does not book. */
export function latestStateForwarded(before: AgentContext, _event: AnyEventObject, effects: readonly Emitted[], after: AgentContext): string | null {
  for (const e of effects) {
    const msg = e.msg as { type?: string; update?: Forwarded } | undefined;
    if (e.type !== 'send' || e.to !== before.master || msg?.type !== 'STATUS_UPDATE' || !msg.update) continue;
    const fid = msg.update.framework_id.value;
    const tid = msg.update.status.task_id.value;
    const booked = bookedState(after, fid, tid) ?? bookedState(before, fid, tid);
    if (msg.update.latest_state !== booked) {
      return `the agent forwards ${tid}'s update with latest_state ${msg.update.latest_state ?? 'absent'}, while it books the task ${booked ?? 'nowhere'}`;
    }
  }
  return null;
}

/** updatesOnlyWhileRegistered == an agent sends its master a STATUS_UPDATE only from `running`, or in the step its master's (re)registration answer takes it there. */
export function updatesOnlyWhileRegistered(before: AgentContext, event: AnyEventObject, effects: readonly Emitted[], _after: AgentContext, state: StateValue): string | null {
  if (agentRunning(state) || ((event.type === 'AGENT_REGISTERED' || event.type === 'AGENT_REREGISTERED') && event.from === before.master)) return null;
  const sent = effects.find((e) => e.type === 'send' && e.to === before.master && (e.msg as AnyEventObject | undefined)?.type === 'STATUS_UPDATE');
  if (!sent) return null;
  const u = (sent.msg as { update?: Forwarded }).update;
  return `the agent, ${JSON.stringify(state)}, forwards ${u?.status.task_id.value ?? 'a task'}'s update on ${event.type}: it is not registered`;
}
