/**
 * The declared lifecycle of an executor as the agent keeps it (Mesos's Executor::State in
 * src/slave/slave.hpp): REGISTERING until it subscribes (or a recovered one reregisters), RUNNING,
 * TERMINATING once the agent shuts it down or destroys it, TERMINATED when its container is gone;
 * the agent forgets it once every update of its tasks is acknowledged. The agent's `act` commits
 * every step through `checkStep` (../lifecycle.ts): a change this table does not list throws.
 */
import { NONE, type Lifecycle } from '../lifecycle.ts';
import type { AgentContext } from './types.ts';

const executorLifecycle: Lifecycle<AgentContext> = {
  kind: 'executor',
  machine: 'agent',
  about: 'an executor on the agent: registering, running, terminating, terminated, then forgotten',
  states: ['REGISTERING', 'RUNNING', 'TERMINATING', 'TERMINATED'],
  transitions: [
    ...['RUN_TASK', 'RUN_TASK_GROUP'].map((on) => ({ from: NONE, to: 'REGISTERING', on })),
    { from: 'REGISTERING', to: 'RUNNING', on: 'SUBSCRIBE' },
    // Shut down: its framework or the agent shuts down (told by the master, or gracefully: the agent
    // unregisters, UNREGISTER_REQUEST), the framework asks (SHUTDOWN), it did not register or
    // reregister in time, or it subscribed never having been sent a task, all its queued ones killed
    // before delivery (Slave::subscribe, MESOS-8411). A subscription while its framework terminates
    // is only answered SHUTDOWN: the framework's shutdown has already made it TERMINATING.
    ...['SHUTDOWN_FRAMEWORK', 'SHUTDOWN_AGENT', 'UNREGISTER_REQUEST', 'SHUTDOWN_EXECUTOR'].flatMap((on) =>
      ['REGISTERING', 'RUNNING'].map((from) => ({ from, to: 'TERMINATING', on })),
    ),
    ...['EXECUTOR_REGISTRATION_TIMEOUT', 'EXECUTOR_REREGISTRATION_TIMEOUT', 'SUBSCRIBE'].map((on) => ({ from: 'REGISTERING', to: 'TERMINATING', on })),
    // The same check on a running executor that subscribes again (Slave::subscribe takes RUNNING and
    // REGISTERING alike); model/unreachable.ts says why no run takes it.
    { from: 'RUNNING', to: 'TERMINATING', on: 'SUBSCRIBE' },
    // Its container is gone: TERMINATED while updates of its tasks wait for acknowledgement, else forgotten at once.
    ...['REGISTERING', 'RUNNING', 'TERMINATING'].flatMap((from) => ['TERMINATED', NONE].map((to) => ({ from, to, on: 'EXECUTOR_TERMINATED' }))),
    ...['STATUS_UPDATE_ACK', 'SHUTDOWN_FRAMEWORK', 'SHUTDOWN_AGENT', 'UNREGISTER_REQUEST'].map((on) => ({ from: 'TERMINATED', to: NONE, on })),
  ],
  census: (c) => {
    const out: Record<string, string> = {};
    for (const [fid, f] of Object.entries(c.frameworks)) for (const [eid, ex] of Object.entries(f.executors)) out[`${fid}/${eid}`] = ex.state;
    return out;
  },
};

export const AGENT_LIFECYCLES: readonly Lifecycle<AgentContext>[] = [executorLifecycle];
