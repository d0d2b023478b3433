/**
 * Executors a framework brings (custom executors and the default executor of task groups):
 * their ends reach the framework, and their task groups launch whole.
 */
import type { AnyEventObject } from 'xstate';
import { connectedAgents, frameworkIdOf, type Emitted, type WorldReader } from './world.ts';
import type { MasterContext } from '../spec/machines/master.ts';
import type { FaultName } from '../spec/world/causes.ts';
import type { InternalMessage } from '../spec/protocol/internal.ts';
import { executorOn } from '../spec/machines/master/executors.ts';

type ExecutorExitedMessage = Extract<InternalMessage, { type: 'EXECUTOR_EXITED' }>;

/**
 * Eventually: every custom or default executor that ran on an agent and ended (its slot is empty
 * again, and its framework learned where it ran from its tasks' updates) reached its framework,
 * if still subscribed, as FAILURE {agent_id, executor_id}. Judged in every run; the faults that
 * lose a FAILURE in Mesos excuse it (Mesos sends it once, unreliably: "TODO(vinod): Reliably
 * forward this message", src/slave/slave.cpp Slave::executorTerminated and src/master/master.cpp
 * Master::exitedExecutor). The cause record does not order faults against the executor's end
 * (causes.ts), so a fault anywhere in the run excuses; exitedExecutorForwarded below judges the
 * master's part in every step instead.
 */
export function executorEndsReported(w: WorldReader): string | null {
  const m = w.master();
  if (!m || FAILURE_LOSING_FAULTS.some((f) => w.causes?.()?.faults.includes(f) ?? true)) return null;
  for (const e of w.layout.customExecutors) {
    const s = w.scheduler(e.framework);
    const fid = frameworkIdOf(w, e.framework);
    const aid = w.agent(e.agent)?.info.id?.value;
    // Master::exitedExecutor: a framework unknown to the master (gone) or disconnected is not told.
    if (!s || fid === undefined || m.frameworks[fid]?.connection !== e.framework || aid === undefined) continue;
    if (s.executorAgents?.[e.executor] !== aid || w.stateOf(e.slot) !== null) continue;
    if (!(s.failures ?? []).some((f) => f.startsWith(`${aid}/${e.executor}:`))) return `executor ${e.executor} ended on ${e.agent}, yet ${e.framework} never heard FAILURE for it`;
  }
  return null;
}

/**
 * The faults after which Mesos may never tell a framework its executor ended, each with where:
 *   - loss: the agent's ExitedExecutorMessage and the master's FAILURE are sent once, never
 *     retried (slave.cpp Slave::sendExitedExecutorMessage, master.cpp Master::exitedExecutor);
 *   - agent-crash: an executor that ends while its agent is down is found dead during recovery,
 *     before the agent has a master to tell (sendExitedExecutorMessage sends only
 *     `if (master.isSome())`), and a non-checkpointing framework's executor dies with its agent,
 *     which never recovers it; the re-registering agent does not list it and the master drops
 *     it from its books silently (master.cpp reconcileKnownSlave, "possibly unknown to the agent");
 *   - partition: the master ignores an exit reported by an unreachable or removed agent
 *     (exitedExecutor: "on removed agent", "on unknown agent"), and the healed agent's
 *     re-registration forgets it as above;
 *   - master-failover: the new master knows no executor until the agent re-registers (exits
 *     before that are "unknown"), and frameworks are disconnected until they re-subscribe;
 *   - framework-failover: the master does not forward to a disconnected framework
 *     (exitedExecutor: "Not forwarding exited executor message ... because the framework is
 *     disconnected"), and the old connection's undelivered events go with it.
 * Every fault of the model is one of them: no fault leaves the end-to-end property judged.
 */
const FAILURE_LOSING_FAULTS = ['loss', 'agent-crash', 'partition', 'master-failover', 'framework-failover'] as const satisfies readonly FaultName[];

/**
 * Every step of the master, in every run: FAILURE is owed exactly as Master::exitedExecutor
 * (src/master/master.cpp) owes it. An EXECUTOR_EXITED from a registered agent for an executor in
 * the master's books, of a framework with a subscription connection, is forwarded once, to that
 * connection, as FAILURE {agent_id, executor_id, status}; any other (an agent not registered,
 * unknown or removed; an executor the books do not hold; a framework gone or disconnected) sends
 * no executor FAILURE at all, and neither does any other step.
 */
export function exitedExecutorForwarded(before: MasterContext, event: AnyEventObject, effects: readonly Emitted[]): string | null {
  // An executor's FAILURE (an agent's removal is FAILURE {agent_id} alone: Master::removeSlave).
  const failures = effects.filter((x) => {
    const msg = x.type === 'send' ? (x.msg as { type?: string; failure?: { executor_id?: unknown } } | undefined) : undefined;
    return msg?.type === 'FAILURE' && msg.failure?.executor_id !== undefined;
  });
  if (event.type !== 'EXECUTOR_EXITED') return failures.length === 0 ? null : `${event.type} made the master send an executor's FAILURE`;
  const e = event as AnyEventObject & ExecutorExitedMessage & { from: string };
  // Master::exitedExecutor takes the agent by the id the message names, registered (connected or
  // not); a connected agent must send it over its own connection (ours, against impersonation).
  const named = before.agents[e.agent_id.value];
  const aid = named !== undefined && !named.recovered && (named.address === e.from || named.address === null) ? e.agent_id.value : undefined;
  const f = before.frameworks[e.framework_id.value];
  const owed = aid !== undefined && f !== undefined && f.connection !== null && executorOn(f, aid, e.executor_id.value) !== undefined;
  const what = `executor ${e.executor_id.value} of ${e.framework_id.value} exited (status ${e.status})`;
  if (!owed) return failures.length === 0 ? null : `${what}: the master sent FAILURE, which Mesos does not (agent, executor or framework connection unknown)`;
  if (failures.length !== 1) return `${what} on ${aid} of a connected framework: the master sent ${failures.length} FAILURE events, not one`;
  const [x] = failures;
  const fail = (x!.msg as { failure: { agent_id?: { value: string }; executor_id?: { value: string }; status?: number } }).failure;
  if (x!.to !== f!.connection || fail.agent_id?.value !== aid || fail.executor_id?.value !== e.executor_id.value || fail.status !== e.status)
    return `${what} on ${aid}: FAILURE ${JSON.stringify(fail)} went to ${String(x!.to)}, not {agent_id: ${aid}, executor_id: ${e.executor_id.value}, status: ${e.status}} to ${f!.connection}`;
  return null;
}

/**
 * Always: the master knows every task of a task group or none of them (known: live, unreachable
 * or completed), since LAUNCH_GROUP launches all or nothing. A master that failed over forgets
 * completed tasks, so runs with a master failover are not judged.
 */
export function taskGroupAllOrNothing(w: WorldReader): string | null {
  const m = w.master();
  if (!m || w.causes?.()?.faults.includes('master-failover')) return null;
  const judged = new Set<string>();
  for (const e of w.layout.customExecutors) {
    if (!e.group || judged.has(e.executor)) continue;
    judged.add(e.executor);
    const fid = frameworkIdOf(w, e.framework);
    const f = fid === undefined ? undefined : m.frameworks[fid];
    if (!f) continue;
    const known = e.tasks.filter((t) => f.tasks[t] !== undefined || f.unreachable[t] !== undefined || f.completed.includes(t));
    if (known.length > 0 && known.length < e.tasks.length) return `the master knows ${known.join(', ')} of task group ${e.executor} (${e.tasks.join(', ')}), not the whole group`;
  }
  return null;
}

/**
 * executorBooksAgree == at quiescence, for every agent the master is connected to, the custom and
 * default executors the master books there (Mesos's Slave::executors, from launches and from the
 * executor_infos of a reregistration) are exactly the agent's own that have not terminated.
 */
export function executorBooksAgree(w: WorldReader): string | null {
  const m = w.master();
  if (!m) return null;
  for (const { name: agent, agent: a, aid } of connectedAgents(w, m)) {
    if (m.agents[aid]!.recovered) continue;
    const own = new Set<string>();
    for (const [fid, f] of Object.entries(a.frameworks)) for (const [eid, ex] of Object.entries(f.executors)) if (ex.custom && ex.state !== 'TERMINATED') own.add(`${fid}/${eid}`);
    const booked = new Set<string>();
    for (const [fid, f] of Object.entries(m.frameworks)) for (const eid of Object.keys(f.executors?.[aid] ?? {})) booked.add(`${fid}/${eid}`);
    for (const x of own) if (!booked.has(x)) return `${agent} runs executor ${x}, which the master does not book there`;
    for (const x of booked) if (!own.has(x)) return `the master books executor ${x} on ${agent}, which does not run it`;
  }
  return null;
}

/**
 * launchedGroupsDistinct == every RUN_TASK_GROUP a step of the master sends names task ids that are
 * distinct and new to the framework (task::group::validate refuses a duplicate id, within the group
 * or with a task the framework has: every task then gets TASK_ERROR and nothing reaches the agent).
 */
export function launchedGroupsDistinct(before: MasterContext, _event: AnyEventObject, effects: readonly Emitted[]): string | null {
  for (const e of effects) {
    const msg = e.type === 'send' ? (e.msg as AnyEventObject) : undefined;
    if (msg?.type !== 'RUN_TASK_GROUP') continue;
    const fid = (msg.framework as { id?: { value: string } }).id?.value ?? '';
    const f = before.frameworks[fid];
    const ids = (msg.task_group as { tasks: { task_id: { value: string } }[] }).tasks.map((t) => t.task_id.value);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) return `a task group of ${fid} with task ${twice} twice was launched`;
    const known = ids.find((id) => f?.tasks[id] !== undefined || f?.unreachable[id] !== undefined);
    if (known !== undefined) return `a task group of ${fid} reusing the id of its task ${known} was launched`;
  }
  return null;
}
