/**
 * What a step is, in the world's words rather than its encoding: who takes it, what message or
 * event, which fault and what the fault rules clear. Traces, charts, scenarios and the conformance
 * projection read steps through this (and ActionInfo, its one-line form) instead of decoding
 * actions and re-deriving the fault rules from the state vector.
 */
import type { AnyEventObject } from 'xstate';
import { canonicalJson } from '../canonical.ts';
import { ActionKind, CHOICE_LIMIT, decodeAction } from './action-code.ts';
import type { SystemDef } from './definition.ts';
import type { StateLayout } from './encoding.ts';
import type { Faults } from './faults.ts';
import type { Interning } from './interning.ts';
import type { LocalSteps } from './local-steps.ts';

export interface ActionInfo {
  readonly kind: ActionKind;
  readonly label: string;
  readonly component?: string;
  readonly channel?: string;
  readonly event?: AnyEventObject;
  readonly fault: boolean;
}

/** A step, by kind. Channels are named `from>to`. */
export type StepDescription =
  /** `component` takes the head (or a bag item) of `channel`; `message` includes the reaction chosen, if any. */
  | {
      readonly kind: 'deliver';
      readonly component: string;
      readonly channel: string;
      readonly from: string;
      readonly message: AnyEventObject;
      readonly choice: Readonly<Record<string, unknown>> | null;
    }
  | { readonly kind: 'timer'; readonly component: string; readonly timer: string; readonly delayMs: number; readonly message: AnyEventObject }
  | { readonly kind: 'environment'; readonly component: string; readonly message: AnyEventObject }
  /** The head of `channel` is lost; it spends the `loss` budget. */
  | { readonly kind: 'loss'; readonly channel: string; readonly from: string; readonly to: string; readonly message: AnyEventObject; readonly budget: 'loss' }
  /** `component` crashes and restarts (spends `budget`: a restart group's name); `cleared` are its channels, emptied. */
  | { readonly kind: 'restart'; readonly component: string; readonly budget: string; readonly cleared: readonly string[] }
  /** `component` is cut off; `cleared` are the channels the partition cuts (its own but loopback ones), emptied. */
  | { readonly kind: 'partition'; readonly component: string; readonly budget: 'partition'; readonly cleared: readonly string[] }
  | { readonly kind: 'heal'; readonly component: string };

/** The kinds of step that are faults (they spend a budget, or end a partition). */
export const FAULT_STEPS: ReadonlySet<StepDescription['kind']> = new Set(['loss', 'restart', 'partition', 'heal']);

export class Describer {
  constructor(
    private readonly def: SystemDef,
    private readonly layout: StateLayout,
    private readonly ids: Interning,
    private readonly steps: LocalSteps,
    private readonly faults: Faults,
  ) {}

  step(s: Int32Array, a: number): StepDescription {
    const { kind, arg1, arg2 } = decodeAction(a);
    const L = this.layout;
    const name = (c: number) => this.def.components[c]!.name;
    const channelNames = (chans: readonly number[]) => chans.map((c) => L.channelName(c));
    switch (kind) {
      case ActionKind.Deliver: {
        const ch = this.def.channels[arg1]!;
        const ev = L.item(s, arg1, Math.floor(arg2 / CHOICE_LIMIT));
        const to = L.chanTo[arg1]!;
        const choice = this.steps.choicesOf(to, ev)[arg2 % CHOICE_LIMIT]!;
        const message = this.ids.events[this.steps.choiceEvent(ev, choice)]!;
        return { kind: 'deliver', component: ch.to, channel: L.channelName(arg1), from: ch.from, message, choice: Object.keys(choice).length ? choice : null };
      }
      case ActionKind.Timer: {
        const timer = this.ids.locals[s[arg1]!]!.timers[arg2]!;
        return { kind: 'timer', component: name(arg1), timer: timer.id, delayMs: timer.delay, message: timer.event };
      }
      case ActionKind.Environment:
        return { kind: 'environment', component: name(arg1), message: this.def.components[arg1]!.environment![arg2]! };
      case ActionKind.Lose: {
        const ch = this.def.channels[arg1]!;
        return { kind: 'loss', channel: L.channelName(arg1), from: ch.from, to: ch.to, message: this.ids.events[L.item(s, arg1, 0)]!, budget: 'loss' };
      }
      case ActionKind.Restart:
        return { kind: 'restart', component: name(arg1), budget: this.faults.budgetOf(kind, arg1)!, cleared: channelNames(this.faults.clearedByRestart(arg1)) };
      case ActionKind.Partition:
        return { kind: 'partition', component: name(arg1), budget: 'partition', cleared: channelNames(this.faults.cutBy(arg1)) };
      case ActionKind.Heal:
        return { kind: 'heal', component: name(arg1) };
    }
  }

  /** The one-line form (and the kind code) of a step, for traces and charts. */
  info(s: Int32Array, a: number): ActionInfo {
    const kind = decodeAction(a).kind;
    const d = this.step(s, a);
    switch (d.kind) {
      case 'deliver': {
        const extra = d.choice ? ' ' + canonicalJson(d.choice) : '';
        return { kind, fault: false, component: d.component, channel: d.channel, event: d.message, label: `${d.from} -> ${d.component}: ${d.message.type}${extra}` };
      }
      case 'timer':
        return { kind, fault: false, component: d.component, event: d.message, label: `${d.component}: timer ${d.timer} fires` };
      case 'environment':
        return { kind, fault: false, component: d.component, event: d.message, label: `${d.component}: environment ${canonicalJson(d.message)}` };
      case 'loss':
        return { kind, fault: true, channel: d.channel, event: d.message, label: `fault: ${d.from} -> ${d.to}: ${d.message.type} lost` };
      case 'restart':
        return { kind, fault: true, component: d.component, label: `fault: ${d.component} ${d.budget} (restart)` };
      case 'partition':
        return { kind, fault: true, component: d.component, label: `fault: ${d.component} partitioned` };
      case 'heal':
        return { kind, fault: true, component: d.component, label: `${d.component} partition heals` };
    }
  }
}
