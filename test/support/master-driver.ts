/**
 * The master machine alone, driven through spec/step.ts: one agent and any number of scheduler
 * connections, every step's effects kept apart so a test can ask what one call was answered.
 * Used by the validation tests and the adversarial-call property.
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { fire, initial, step, type Effect, type Local } from '../../spec/step.ts';
import { master, type MasterContext, type MasterInput } from '../../spec/machines/master.ts';
import type { FrameworkInfo } from '../../spec/protocol/common.ts';
import { mustParseResources, toWire } from '../../spec/resources/index.ts';

export const agentInfo = (address: string, resources = 'cpus:2;mem:1024') => ({ hostname: address, port: 5051, resources: toWire(mustParseResources(resources)) });

export const frameworkInfo = (extra: Partial<FrameworkInfo> = {}): FrameworkInfo => ({ user: 'root', name: 'fw', failover_timeout: 60, checkpoint: true, ...extra });

export const taskInfo = (id: string, agentId: string, resources: unknown[] = toWire(mustParseResources('cpus:1;mem:128')), extra: Record<string, unknown> = {}) => ({
  name: id,
  task_id: { value: id },
  agent_id: { value: agentId },
  resources,
  command: { value: 'exit 0', shell: true },
  ...extra,
});

/** What a message sent by the master looks like to a test: the message plus its envelope. */
export interface Sent {
  readonly to: string;
  readonly msg: AnyEventObject & { stream?: string; close?: boolean };
}

export class MasterDriver {
  local: Local;
  /** The effects of the last step. */
  last: readonly Effect[] = [];

  constructor(
    readonly machine: AnyStateMachine = master,
    input: MasterInput = { id: 'm', flags: { heartbeatIntervalMs: 0 } },
  ) {
    const r = initial(machine, input);
    this.local = r.local;
    this.last = r.effects;
  }

  get ctx(): MasterContext {
    return this.local.context as MasterContext;
  }

  deliver(event: AnyEventObject): this {
    const r = step(this.machine, this.local, event);
    this.local = r.local;
    this.last = r.effects;
    return this;
  }

  fire(prefix: string): this {
    const t = this.local.timers.find((x) => x.id.startsWith(prefix));
    if (!t) throw new Error(`no timer ${prefix}*; pending: ${this.local.timers.map((x) => x.id).join(', ')}`);
    const r = fire(this.machine, this.local, t.id);
    this.local = r.local;
    this.last = r.effects;
    return this;
  }

  /** What the last step sent (to `to`, of `type`, if given). */
  sent(to?: string, type?: string): Sent['msg'][] {
    return this.last
      .filter((e) => e.type === 'send' && (to === undefined || e.to === to) && (type === undefined || (e.msg as AnyEventObject).type === type))
      .map((e) => ({ ...(e.msg as AnyEventObject), ...(e.stream ? { stream: e.stream as string } : {}), ...(e.close ? { close: true } : {}) }));
  }

  /** The HTTP answers of the last step. */
  replies(): { status: number; message?: string }[] {
    return this.last.filter((e) => e.type === 'reply').map((e) => ({ status: e.status as number, ...(e.message !== undefined ? { message: e.message as string } : {}) }));
  }

  registerAgent(address = 'agent-0', resources?: string): string {
    this.deliver({ type: 'REGISTER_AGENT', agent_info: agentInfo(address, resources), version: '1.11.0', from: address });
    return (this.sent(address, 'AGENT_REGISTERED')[0]!.agent_id as { value: string }).value;
  }

  /** SUBSCRIBE from `address`; the framework id and stream, or the ERROR's message. */
  subscribe(address: string, info: FrameworkInfo, extra: Record<string, unknown> = {}): { fid: string; stream: string } | { error: string } {
    this.deliver({ type: 'SUBSCRIBE', ...(info.id ? { framework_id: info.id } : {}), subscribe: { framework_info: info, ...extra }, from: address, request: 'r' });
    const [event] = this.sent(address);
    if (event?.type === 'SUBSCRIBED') return { fid: (event.subscribed as { framework_id: { value: string } }).framework_id.value, stream: event.stream! };
    if (event?.type === 'ERROR') return { error: (event.error as { message: string }).message };
    throw new Error(`SUBSCRIBE answered neither SUBSCRIBED nor ERROR: ${JSON.stringify(this.last)}`);
  }

  /** A call on a subscription's stream. */
  call(address: string, session: { fid: string; stream: string }, body: AnyEventObject): this {
    return this.deliver({ ...body, framework_id: { value: session.fid }, stream_id: session.stream, from: address, request: 'r' });
  }
}

/** A partition-aware framework: the master reports its tasks on a lost agent as UNREACHABLE, not LOST. */
export const partitionAware = frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] });

/**
 * A master with one agent and one framework (`info`) that runs task `t1` on it, launched from the
 * first offer; `task` adds to t1's TaskInfo (a kill policy, say). Where the operator, removal and
 * drain tests start.
 */
export function runningTask(info: FrameworkInfo = partitionAware, task: Record<string, unknown> = {}): { d: MasterDriver; aid: string; session: { fid: string; stream: string } } {
  const d = new MasterDriver();
  const aid = d.registerAgent('agent-0');
  const session = d.subscribe('sched-0', info) as { fid: string; stream: string };
  d.fire('allocation');
  const offer = d.sent('sched-0', 'OFFERS')[0]!.offers as { offers: { id: { value: string } }[] };
  const t1 = taskInfo('t1', aid, undefined, task);
  d.call('sched-0', session, { type: 'ACCEPT', accept: { offer_ids: [offer.offers[0]!.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [t1] } }] } });
  return { d, aid, session };
}
