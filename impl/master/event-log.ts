/**
 * One log line per framework, agent and task event of the master, from the changes the host
 * observes between steps (impl/master/observe.ts), in the words of Mesos's master log.
 */
import type { MasterContext } from '../../spec/machines/master/context.ts';
import type { Change } from './observe.ts';

function framework(ctx: MasterContext, fid: string): string {
  const name = ctx.frameworks[fid]?.info.name;
  return `framework ${fid}${name ? ` (${name})` : ''}`;
}

function agent(ctx: MasterContext, aid: string): string {
  const a = ctx.agents[aid];
  return `agent ${aid}${a ? ` at ${a.info.hostname}:${a.info.port ?? 5051}` : ''}`;
}

/** The line for one change; `after` is the context after the step. */
export function describeChange(c: Change, after: MasterContext): string {
  switch (c.kind) {
    case 'framework_added':
      return `Added ${framework(after, c.fid)}${c.connected ? '' : ' (recovered, not connected)'}`;
    case 'framework_updated':
      if (c.connected && !c.wasConnected) return `Framework ${c.fid} reconnected: ${framework(after, c.fid)}`;
      if (!c.connected && c.wasConnected) return `Disconnected ${framework(after, c.fid)}`;
      return `Updated ${framework(after, c.fid)}`;
    case 'framework_removed':
      return `Removed framework ${c.fid}${c.record.info.name ? ` (${c.record.info.name})` : ''}`;
    case 'task_added':
      return `Added task ${c.task.task_id.value} of ${framework(after, c.fid)} on ${agent(after, c.task.agent_id.value)} in ${c.task.state}`;
    case 'task_updated':
      return c.task.state !== c.previous.state
        ? `Task ${c.task.task_id.value} of framework ${c.fid} is now ${c.task.state} (was ${c.previous.state})`
        : `Updated task ${c.task.task_id.value} of framework ${c.fid} (${c.task.state})`;
    case 'task_removed':
      return `Removed task ${c.task.task_id.value} of framework ${c.fid} in ${c.task.state}${c.frameworkRemoved ? ' with its framework' : ''}`;
    case 'agent_added':
      return `Registered ${agent(after, c.aid)}`;
    case 'agent_removed':
      return `Removed agent ${c.aid} at ${c.record.info.hostname}:${c.record.info.port ?? 5051}`;
  }
}
