/**
 * "This property catches its seeded bug": one exhaustive run of a configuration with mutated
 * machines and only that property judged, its verdict, and the uvu test every seeded bug of the
 * catalogue's newer properties shares (a shortest trace within a bound, an explanation that says
 * what broke, and the same configuration clean without the bug).
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { explore } from '../../checker/index.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import type { MesosConfig } from '../../spec/world/config.ts';
import { mesosWorld, type MachineOverrides } from '../../spec/world/mesos.ts';
import { stepInvariants } from '../../invariants/index.ts';

export interface Judged {
  /** violated, holds (a state property), none (a step invariant's error verdict), ... */
  readonly status: string;
  readonly explanation: string;
  /** Actions of the shortest trace (-1 without one): a step invariant's leads to the state whose step breaks it. */
  readonly steps: number;
}

/** `property` judged alone on `config` with `machines`: a state property by name, a step invariant as the error verdict. */
export function judged(config: MesosConfig, machines: MachineOverrides, property: string): Judged {
  const r = explore(mesosModel(mesosWorld(config, machines), { only: [property] }), { maxStates: 500_000 });
  const step = stepInvariants.some((i) => i.name === property);
  const v = r.verdicts.find((x) => (step ? x.kind === 'error' : x.name === property))!;
  // A violation stops the search; a run without one must have covered the whole configuration.
  assert.ok(v.status === 'violated' || r.complete, `${config.name} explored exhaustively`);
  return { status: v.status, explanation: ('explanation' in v ? v.explanation : undefined) ?? '', steps: 'trace' in v ? v.trace.actions.length : -1 };
}

/**
 * Registers on `test`: `property` catches the bug `machines` seed on `config` with a trace of at most
 * `maxSteps` actions and an explanation matching `breach`, and holds there without the bug.
 */
export function caughtWithin(test: Test, property: string, what: string, config: MesosConfig, machines: MachineOverrides, breach: RegExp, maxSteps: number): void {
  test(`${property} catches ${what} within ${maxSteps} steps`, () => {
    const bug = judged(config, machines, property);
    assert.is(bug.status, 'violated', `${property} was not violated by ${what}`);
    assert.match(bug.explanation, breach);
    assert.ok(bug.steps >= 0 && bug.steps <= maxSteps, `shortest trace ${bug.steps} steps, expected at most ${maxSteps}`);
    const clean = judged(config, {}, property);
    assert.ok(['holds', 'none'].includes(clean.status), `${config.name} breaks ${property} without the seeded bug: ${clean.explanation}`);
  });
}
