/**
 * The declared lifecycles of the records the master keeps: frameworks, agents, offers and tasks
 * (DESIGN.md §3). Each status is read from the record (see ../lifecycle.ts for why), each allowed
 * transition is named by the master event that causes it, and the machine's `handler` commits
 * every step through `checkStep`: a status change the table does not list throws.
 *
 * The states follow Mesos's own (src/master/master.hpp):
 * - framework: `subscribed` (Mesos's ACTIVE: a subscription stream), `disconnected` (no stream:
 *   its failover timer runs, or, known only from an agent that reregistered, Mesos's RECOVERED),
 *   `completed` (removed, remembered in `completedFrameworks`).
 * - agent: `recovered` (admitted in the registry, not reregistered with this master yet),
 *   `active`, `deactivated` (an operator's DEACTIVATE_AGENT), `draining` / `drained` (DRAIN_AGENT,
 *   kept in `registry.draining`), `disconnected` (its link broke; it has
 *   agent_reregister_timeout... to come back), `unreachable`, `gone`.
 * - offer: `offered`, then `accepted`, `declined` or `rescinded` as it leaves.
 * - task: the task states of the master's record (`TASK_STAGING` ... `TASK_UNREACHABLE`), then
 *   `completed` once its terminal update is acknowledged (or the master drops it as lost).
 */
import type { MasterContext } from './context.ts';
import { NONE, type Lifecycle, type LifecycleTransition } from '../lifecycle.ts';

/** Transitions from each of `from` to each of `to` on `on`. */
function each(from: readonly string[], to: readonly string[], on: string): LifecycleTransition[] {
  const out: LifecycleTransition[] = [];
  for (const f of from) for (const t of to) if (f !== t) out.push({ from: f, to: t, on });
  return out;
}

// ------------------------------------------------------------------------------------- frameworks

export const frameworkLifecycle: Lifecycle<MasterContext> = {
  kind: 'framework',
  machine: 'master',
  about: 'a framework as the master keeps it: subscribed, disconnected (failover timer running, or recovered from an agent), completed',
  states: ['subscribed', 'disconnected', 'completed'],
  causes: {
    // Its stream broke, or its client subscribed another framework on the same connection.
    'stream lost': ['LINK_BROKEN', 'SUBSCRIBE'],
    teardown: ['TEARDOWN', 'OPERATOR_TEARDOWN'],
    // Whatever removes a framework: the completed ones are kept up to --max_completed_frameworks,
    // the oldest forgotten when another joins them (Mesos's bounded circular buffer).
    'another removed': ['LINK_BROKEN', 'SUBSCRIBE', 'TEARDOWN', 'OPERATOR_TEARDOWN', 'FAILOVER_TIMEOUT'],
  },
  transitions: [
    { from: NONE, to: 'subscribed', on: 'SUBSCRIBE' },
    { from: 'completed', to: NONE, on: 'another removed' },
    { from: NONE, to: 'disconnected', on: 'REREGISTER_AGENT' },
    { from: 'disconnected', to: 'subscribed', on: 'SUBSCRIBE' },
    { from: 'subscribed', to: 'disconnected', on: 'stream lost' },
    // failover_timeout 0: removed as soon as its stream is lost.
    { from: 'subscribed', to: 'completed', on: 'stream lost' },
    ...each(['subscribed', 'disconnected'], ['completed'], 'teardown'),
    { from: 'disconnected', to: 'completed', on: 'FAILOVER_TIMEOUT' },
  ],
  census: (c) => {
    const out: Record<string, string> = {};
    for (const fid of c.completedFrameworks) out[fid] = 'completed';
    for (const [fid, f] of Object.entries(c.frameworks)) out[fid] = f.connection !== null ? 'subscribed' : 'disconnected';
    return out;
  },
};

// ------------------------------------------------------------------------------------- agents

const AGENT_STATES = ['recovered', 'active', 'deactivated', 'draining', 'drained', 'disconnected', 'unreachable', 'gone'];
/** The states of an agent connected to this master. */
const CONNECTED = ['active', 'deactivated', 'draining', 'drained'];

const agentLifecycle: Lifecycle<MasterContext> = {
  kind: 'agent',
  machine: 'master',
  about: 'an agent as the master keeps it: from registration to unreachable or gone',
  states: AGENT_STATES,
  initial: ['recovered'],
  causes: {
    // Too many missed pings, or no reregistration within agent_reregister_timeout.
    // With --agent_removal_rate_limit, the removal waits for its permit (master/removal-limiter.ts).
    'marked unreachable': ['PING_DUE', 'REREGISTER_TIMEOUT', 'REMOVAL_PERMIT'],
    // A drain ends when the agent's last task leaves the master's books (master/drain.ts), whatever made it leave.
    'last task left': ['ACKNOWLEDGE', 'STATUS_UPDATE', 'LINK_BROKEN', 'REREGISTER_AGENT', 'TEARDOWN', 'OPERATOR_TEARDOWN', 'FAILOVER_TIMEOUT', 'SUBSCRIBE'],
  },
  transitions: [
    { from: NONE, to: 'active', on: 'REGISTER_AGENT' },
    // An id the registry forgot (or never had) is admitted again when its agent reregisters.
    { from: NONE, to: 'active', on: 'REREGISTER_AGENT' },
    // Reregistration restores what the registry says of the agent (deactivated, draining, drained).
    ...['recovered', 'disconnected', 'unreachable'].flatMap((from) => each([from], CONNECTED, 'REREGISTER_AGENT')),
    ...each(CONNECTED, ['disconnected'], 'LINK_BROKEN'),
    ...each([...CONNECTED, 'recovered', 'disconnected'], ['unreachable'], 'marked unreachable'),
    { from: 'active', to: 'deactivated', on: 'OPERATOR_DEACTIVATE_AGENT' },
    ...each(['deactivated', 'draining', 'drained'], ['active'], 'OPERATOR_REACTIVATE_AGENT'),
    ...each(['active', 'deactivated'], ['draining', 'drained'], 'OPERATOR_DRAIN_AGENT'),
    { from: 'draining', to: 'drained', on: 'last task left' },
    // MARK_AGENT_GONE, or a drain with mark_gone once the agent has no task left.
    ...each(AGENT_STATES, ['gone'], 'OPERATOR_MARK_AGENT_GONE'),
    // A drain with mark_gone of an agent with no task left: gone at once. Master::Http::_drainAgent
    // takes any recovered, registered or unreachable agent, but transitions only a registered one
    // (connected or disconnected) at once, and drains a DRAINED one again; a recovered or
    // unreachable agent is gone when it reregisters with no task.
    ...each(['active', 'deactivated', 'disconnected', 'drained'], ['gone'], 'OPERATOR_DRAIN_AGENT'),
    // An agent drained with mark_gone while away, with no task when it comes back, is gone as it
    // reregisters (Master::__reregisterSlave and ___reregisterSlave call checkAndTransitionDrainingAgent).
    ...each(['recovered', 'disconnected', 'unreachable'], ['gone'], 'REREGISTER_AGENT'),
    { from: 'draining', to: 'gone', on: 'last task left' },
    // A connected agent that shuts down gracefully unregisters and is forgotten (master/removal.ts).
    ...each(CONNECTED, [NONE], 'UNREGISTER_AGENT'),
  ],
  census: (c) => {
    const out: Record<string, string> = {};
    for (const [aid, a] of Object.entries(c.agents)) {
      const drain = c.registry.draining?.[aid];
      out[aid] = a.recovered
        ? 'recovered'
        : a.address === null
          ? 'disconnected'
          : drain
            ? drain.state === 'DRAINED'
              ? 'drained'
              : 'draining'
            : (c.registry.deactivated ?? []).includes(aid)
              ? 'deactivated'
              : 'active';
    }
    for (const aid of c.registry.unreachable) out[aid] = 'unreachable';
    for (const aid of c.registry.gone) out[aid] = 'gone';
    return out;
  },
};

// ------------------------------------------------------------------------------------- offers

const offerLifecycle: Lifecycle<MasterContext> = {
  kind: 'offer',
  machine: 'master',
  about: 'an offer: made by an allocation, then accepted, declined or rescinded',
  states: ['offered', 'accepted', 'declined', 'rescinded'],
  causes: {
    // Whatever takes the offered resources or the framework away: its stream breaks or it fails
    // over, it is torn down, its agent leaves or is deactivated, reservations, volumes, weights or
    // quotas change, the offer times out.
    rescind: [
      'LINK_BROKEN',
      'REREGISTER_AGENT',
      'REREGISTER_TIMEOUT',
      'FAILOVER_TIMEOUT',
      'SUBSCRIBE',
      'TEARDOWN',
      'OPERATOR_TEARDOWN',
      'PING_DUE',
      'REMOVAL_PERMIT',
      'OFFER_TIMEOUT',
      'OPERATOR_DEACTIVATE_AGENT',
      'OPERATOR_DRAIN_AGENT',
      'OPERATOR_MARK_AGENT_GONE',
      'UNREGISTER_AGENT',
      'OPERATOR_RESERVE',
      'OPERATOR_UNRESERVE',
      'OPERATOR_CREATE_VOLUMES',
      'OPERATOR_DESTROY_VOLUMES',
      'OPERATOR_UPDATE_WEIGHTS',
      'OPERATOR_UPDATE_QUOTA',
    ],
  },
  transitions: [
    { from: NONE, to: 'offered', on: 'ALLOCATION_DUE' },
    { from: 'offered', to: 'accepted', on: 'ACCEPT' },
    { from: 'offered', to: 'declined', on: 'DECLINE' },
    { from: 'offered', to: 'rescinded', on: 'rescind' },
  ],
  census: (c) => Object.fromEntries(Object.keys(c.offers).map((oid) => [oid, 'offered'])),
  left: (oid, _after, event) => {
    const e = event as { accept?: { offer_ids?: readonly { value: string }[] }; decline?: { offer_ids?: readonly { value: string }[] } };
    const named = (ids: readonly { value: string }[] | undefined) => ids?.some((o) => o.value === oid) === true;
    if (event.type === 'ACCEPT' && named(e.accept?.offer_ids)) return 'accepted';
    if (event.type === 'DECLINE' && named(e.decline?.offer_ids)) return 'declined';
    return 'rescinded';
  },
};

// ------------------------------------------------------------------------------------- tasks

const LIVE = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'];
/**
 * The ends an agent reports (its executor's, or its own when the executor is gone); DROPPED only
 * before the task started; GONE_BY_OPERATOR is a kill under a drain with `mark_gone` (agent/drain.ts).
 */
const ENDS = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR'];
const STARTED_ENDS = ENDS.filter((s) => s !== 'TASK_DROPPED');

const taskLifecycle: Lifecycle<MasterContext> = {
  kind: 'task',
  machine: 'master',
  about: 'a task as the master keeps it: its state, until its terminal update is acknowledged',
  states: [...LIVE, 'TASK_UNREACHABLE', ...ENDS, 'completed'],
  causes: {
    // What the agent says of the task: a status update, or its report when it reregisters.
    'agent report': ['STATUS_UPDATE', 'REREGISTER_AGENT'],
    'agent unreachable': ['PING_DUE', 'REREGISTER_TIMEOUT', 'REMOVAL_PERMIT'],
    'agent gone': ['OPERATOR_MARK_AGENT_GONE', 'OPERATOR_DRAIN_AGENT'],
    // Its agent unregistered (a graceful shutdown): every task on it ends LOST and leaves the books.
    'agent unregistered': ['UNREGISTER_AGENT'],
  },
  transitions: [
    { from: NONE, to: 'TASK_STAGING', on: 'ACCEPT' },
    // Forward through the live states, or to an end.
    ...each(['TASK_STAGING'], ['TASK_STARTING', 'TASK_RUNNING', ...ENDS], 'agent report'),
    ...each(['TASK_STARTING'], ['TASK_RUNNING', 'TASK_KILLING', ...STARTED_ENDS], 'agent report'),
    ...each(['TASK_RUNNING'], ['TASK_KILLING', ...STARTED_ENDS], 'agent report'),
    ...each(['TASK_KILLING'], STARTED_ENDS, 'agent report'),
    // Mesos's master takes a live task's latest state as the agent reports it, in whatever order
    // (Master::updateTask checks no order): an executor (a framework's own, too) that reports out of
    // order is the executor's fault, judged at the framework by updatesInOrder, not a master crash.
    { from: 'TASK_STAGING', to: 'TASK_KILLING', on: 'agent report' },
    // An agent that restarted without a task the master has (its executor was removed as the agent
    // began to shut down, and the unregistration was lost with the crash) answers the master's
    // reconciliation TASK_DROPPED (Slave::reregistered), whatever state the master has it in.
    ...each(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'], ['TASK_DROPPED'], 'agent report'),
    { from: 'TASK_RUNNING', to: 'TASK_STARTING', on: 'agent report' },
    ...each(['TASK_KILLING'], ['TASK_STARTING', 'TASK_RUNNING'], 'agent report'),
    // A reregistering agent's report is the truth: a task the master lost (failover) or thought
    // unreachable (or LOST) comes back in whatever state the agent has it.
    ...each([NONE, 'TASK_UNREACHABLE', 'TASK_LOST'], [...LIVE, ...ENDS], 'REREGISTER_AGENT'),
    // One it does not report (its launch was lost on the way) is forgotten: every task of the agent
    // is reachable again (Master::___reregisterSlave erases its unreachable records).
    ...each(['TASK_UNREACHABLE', 'TASK_LOST'], [NONE], 'REREGISTER_AGENT'),
    // Its agent is marked unreachable: partition-aware frameworks' tasks become UNREACHABLE,
    // others' LOST; ended ones leave the books.
    ...each(LIVE, ['TASK_UNREACHABLE', 'TASK_LOST'], 'agent unreachable'),
    ...each(ENDS, ['completed'], 'agent unreachable'),
    ...each(ENDS, ['completed'], 'ACKNOWLEDGE'),
    // Its agent is gone (MARK_AGENT_GONE, a drain with mark_gone), or its link broke and the
    // framework does not checkpoint: the task leaves the books at once.
    ...each([...LIVE, 'TASK_UNREACHABLE', ...ENDS], ['completed'], 'agent gone'),
    ...each([...LIVE, ...ENDS], ['completed'], 'agent unregistered'),
    ...each([...LIVE, ...ENDS], ['completed'], 'LINK_BROKEN'),
  ],
  census: (c) => {
    const out: Record<string, string> = {};
    for (const [fid, f] of Object.entries(c.frameworks)) {
      for (const [tid, r] of Object.entries(f.unreachable)) out[`${fid}/${tid}`] = r.task.state;
      for (const [tid, r] of Object.entries(f.tasks)) out[`${fid}/${tid}`] = r.task.state;
    }
    return out;
  },
  left: (key, after) => {
    const slash = key.indexOf('/');
    const f = after.frameworks[key.slice(0, slash)];
    return f !== undefined && f.completed.includes(key.slice(slash + 1)) ? 'completed' : NONE;
  },
  // A removed framework's tasks leave with it: the framework lifecycle judges that step.
  leavesWithOwner: (key, after) => after.frameworks[key.slice(0, key.indexOf('/'))] === undefined,
};

export const MASTER_LIFECYCLES: readonly Lifecycle<MasterContext>[] = [frameworkLifecycle, agentLifecycle, offerLifecycle, taskLifecycle];
