/**
 * A scenario: a world driven by a script instead of explored. Each step names one enabled action
 * of the world (deliver the next message from A to B, fire a timer, an environment event, a
 * fault); `settle()` delivers everything in flight. Tests assert what a framework received and
 * what each component knows; conformance generation replays explored traces the same way.
 */
import type { AnyEventObject } from 'xstate';
import type { AgentContext } from '../machines/agent.ts';
import type { ExecutorContext } from '../machines/executor.ts';
import type { MasterContext } from '../machines/master.ts';
import type { SchedulerContext } from '../machines/scheduler.ts';
import type { MesosConfig } from './config.ts';
import { mesosWorld, type MesosWorld } from './mesos.ts';
import { ActionKind, type ActionInfo } from './system.ts';

export class ScenarioError extends Error {}

export class Scenario {
  readonly world: MesosWorld;
  state: Int32Array;
  /** Every step taken, as the world describes it. */
  readonly steps: ActionInfo[] = [];
  private readonly delivered = new Map<string, AnyEventObject[]>();

  constructor(config: MesosConfig | MesosWorld) {
    this.world = 'system' in config ? config : mesosWorld(config);
    let s: Int32Array | undefined;
    this.world.system.init((x) => (s = x));
    this.state = s!;
  }

  private enabled(): { a: number; info: ActionInfo }[] {
    const sys = this.world.system;
    const acts: number[] = [];
    sys.actions(this.state, (a) => acts.push(a));
    const out = new Int32Array(sys.width);
    return acts.filter((a) => sys.next(this.state, a, out)).map((a) => ({ a, info: sys.describe(this.state, a) }));
  }

  private take(a: number, info: ActionInfo): ActionInfo {
    const out = new Int32Array(this.world.system.width);
    if (!this.world.system.next(this.state, a, out)) throw new ScenarioError(`not enabled: ${info.label}`);
    this.state = out;
    this.steps.push(info);
    if (info.kind === ActionKind.Deliver && info.component && info.event) {
      const list = this.delivered.get(info.component) ?? [];
      list.push(info.event);
      this.delivered.set(info.component, list);
    }
    return info;
  }

  private pick(what: string, match: (x: { a: number; info: ActionInfo }) => boolean): ActionInfo {
    const all = this.enabled();
    const found = all.find(match);
    if (!found) throw new ScenarioError(`${what} is not enabled; enabled: ${all.map((x) => x.info.label).join('; ') || 'nothing'}`);
    return this.take(found.a, found.info);
  }

  /** Delivers the next message from `from` to `to` (of `type`, if given: for a bag, any such). */
  deliver(from: string, to: string, type?: string): AnyEventObject {
    return this.pick(
      `a delivery ${from} -> ${to}${type ? ` of ${type}` : ''}`,
      ({ info }) => info.kind === ActionKind.Deliver && info.channel === `${from}>${to}` && (type === undefined || info.event?.type === type),
    ).event!;
  }

  /** Fires a pending timer of `component` whose id starts with `prefix`. */
  fire(component: string, prefix: string): ActionInfo {
    return this.pick(`a timer ${prefix}* of ${component}`, ({ info }) => info.kind === ActionKind.Timer && info.component === component && info.label.includes(`timer ${prefix}`));
  }

  /** An environment event of `component` of `type` (and fields, if given). */
  env(component: string, event: AnyEventObject): ActionInfo {
    return this.pick(
      `environment ${JSON.stringify(event)} at ${component}`,
      ({ info }) => info.kind === ActionKind.Environment && info.component === component && JSON.stringify({ ...info.event, ...event }) === JSON.stringify(info.event),
    );
  }

  /** Loses the next message from `from` to `to`. */
  lose(from: string, to: string): AnyEventObject {
    return this.pick(`losing ${from} -> ${to}`, ({ info }) => info.kind === ActionKind.Lose && info.channel === `${from}>${to}`).event!;
  }

  /** Crashes and restarts a component (agent crash, framework failover, master failover). */
  restart(component: string): ActionInfo {
    return this.pick(`a restart of ${component}`, ({ info }) => info.kind === ActionKind.Restart && info.component === component);
  }

  partition(component: string): ActionInfo {
    return this.pick(`a partition of ${component}`, ({ info }) => info.kind === ActionKind.Partition && info.component === component);
  }

  heal(component: string): ActionInfo {
    return this.pick(`healing ${component}`, ({ info }) => info.kind === ActionKind.Heal && info.component === component);
  }

  /**
   * Delivers messages (lowest channel first) until nothing is in flight, or `limit` steps. With
   * `except`, messages to those components stay where they are.
   */
  settle(options: { limit?: number; except?: readonly string[] } = {}): this {
    const limit = options.limit ?? 500;
    for (let i = 0; i < limit; i++) {
      const next = this.enabled().find(({ info }) => info.kind === ActionKind.Deliver && !(options.except ?? []).includes(info.component!));
      if (!next) return this;
      this.take(next.a, next.info);
    }
    throw new ScenarioError(`settle: still delivering after ${limit} steps`);
  }

  /** Every event delivered so far to `component`, in order. */
  received(component: string, type?: string): AnyEventObject[] {
    return (this.delivered.get(component) ?? []).filter((e) => type === undefined || e.type === type);
  }

  /** The task statuses a framework received, as `task STATE` strings. */
  updates(framework: string): string[] {
    return this.received(framework, 'UPDATE').map((e) => {
      const s = (e.update as { status: { task_id: { value: string }; state: string; reason?: string } }).status;
      return `${s.task_id.value} ${s.state}${s.reason ? ` ${s.reason}` : ''}`;
    });
  }

  inFlight(from: string, to: string): AnyEventObject[] {
    const c = this.world.system.channel(from, to);
    return c === undefined ? [] : this.world.system.channelEvents(this.state, c);
  }

  /** The labels of the enabled actions: what could happen next. */
  options(): string[] {
    return this.enabled().map((x) => x.info.label);
  }

  private ctx<T>(name: string): T {
    const l = this.world.system.localOf(this.state, name);
    if (!l) throw new ScenarioError(`${name} is not running`);
    return l.context as T;
  }

  master(): MasterContext {
    return this.ctx('master');
  }
  agent(name = 'agent-0'): AgentContext {
    return this.ctx(name);
  }
  scheduler(name = 'fw-0'): SchedulerContext {
    return this.ctx(name);
  }
  executor(slot: string): ExecutorContext | null {
    return (this.world.system.localOf(this.state, slot)?.context as ExecutorContext | undefined) ?? null;
  }
  stateOf(name: string): unknown {
    return this.world.system.localOf(this.state, name)?.value ?? null;
  }
}
