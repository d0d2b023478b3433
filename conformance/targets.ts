/**
 * Coverage targets of a configuration: what a conformance suite should drive a cluster through.
 *
 *   transition  every `on`/`after` transition of every machine (spec/world/coverage.ts), each
 *               guarded alternative apart
 *   state       every TaskState a framework receives in an UPDATE event
 *   reason      every TaskStatus reason a framework receives in an UPDATE event
 *   situation   each invariant's guarded situation (situations.ts)
 *
 * The universe is everything the spec defines; a target is a member of it that is reachable in
 * the configuration (an exploration found a witness). Ids are stable strings; file names are
 * derived from them.
 */
import type { AnyStateMachine } from 'xstate';
import { TASK_STATES, TASK_STATUS_REASONS } from '../spec/protocol/common.ts';
import { transitionsOf } from '../spec/world/coverage.ts';
import type { TargetInfo } from './format.ts';
import { situations } from './situations.ts';

/** `transition:<state node id>|<event>|<alternative>`, `state:<TaskState>`, `reason:<Reason>`, `situation:<invariant>`. */
export type TargetId = string;

export const transitionTarget = (coverageId: string): TargetId => `transition:${coverageId}`;
export const stateTarget = (state: string): TargetId => `state:${state}`;
export const reasonTarget = (reason: string): TargetId => `reason:${reason}`;
export const situationTarget = (invariant: string): TargetId => `situation:${invariant}`;

/** Every target the spec defines for these machines, in a fixed order (machines, states, reasons, situations). */
export function universe(machines: readonly AnyStateMachine[]): TargetInfo[] {
  const out: TargetInfo[] = [];
  const seen = new Set<string>();
  for (const m of machines) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    for (const t of transitionsOf(m)) {
      out.push({
        id: transitionTarget(t.id),
        kind: 'transition',
        description: `${t.machine}: ${t.source} on ${t.event}${t.guard ? ` [${t.guard}]` : ''}${t.index > 0 || t.guard ? ` (alternative ${t.index})` : ''}`,
      });
    }
  }
  for (const s of TASK_STATES) out.push({ id: stateTarget(s), kind: 'state', description: `a framework receives an update with state ${s}` });
  for (const r of TASK_STATUS_REASONS) out.push({ id: reasonTarget(r), kind: 'reason', description: `a framework receives an update with reason ${r}` });
  for (const s of situations) out.push({ id: situationTarget(s.invariant), kind: 'situation', description: `${s.invariant}: ${s.description} (${s.name})` });
  return out;
}

/** A file-name-safe stem for a target: `transition-agent.active.running.KILL_TASK-0`. */
export function scenarioName(target: TargetId): string {
  const [kind, rest] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
  const body =
    kind === 'transition'
      ? (() => {
          const parts = rest.split('|');
          return `${parts[0]}.${parts[1]}-${parts[2]}`;
        })()
      : rest;
  return `${kind}-${body}`.replace(/[^A-Za-z0-9._-]+/g, '_');
}
