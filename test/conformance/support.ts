/**
 * Shared by the conformance tests (one process runs them all): suites generated once per
 * configuration, and validators for the model's and the protocol's JSON Schemas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { generateSuite, type Suite } from '../../conformance/generate.ts';
import { configs } from '../../model/configs.ts';
import { DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR } from '../../impl/schemas.ts';
import type { CallStep, ExpectStep, Scenario, Step } from '../../conformance/format.ts';
import { varsIn } from '../../conformance/patterns.ts';

const suites = new Map<string, Suite>();

/** The suite of a named configuration, generated on first use. */
export function suiteOf(name: string): Suite {
  let s = suites.get(name);
  if (!s) {
    s = generateSuite(configs[name]!);
    suites.set(name, s);
  }
  return s;
}

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

function validators(dir: string): (name: string) => Validate {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return (name) => {
    const v = ajv.getSchema(name) as Validate | undefined;
    if (!v) throw new Error(`no schema ${name} in ${dir}`);
    return v;
  };
}

/** schemas/model/<name> (Scenario.json, Manifest.json). */
export const modelSchema = validators(join(DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR));
/** schemas/<name> (SchedulerCall.json). */
export const protocolSchema = validators(DEFAULT_SCHEMA_DIR);

export function errorsOf(v: Validate): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message}`).join('; ');
}

/** Structural rules every scenario keeps. */
export function wellFormed(s: Scenario): string | null {
  const index = new Map(s.steps.map((step, i) => [step.id, i] as const));
  const before = (step: Step): Set<string> => {
    // Every step `step` follows, transitively.
    const out = new Set<string>();
    const todo = [...step.after];
    while (todo.length) {
      const id = todo.pop()!;
      if (out.has(id)) continue;
      out.add(id);
      todo.push(...s.steps[index.get(id)!]!.after);
    }
    return out;
  };
  for (const [i, step] of s.steps.entries()) {
    if (step.id !== `s${i + 1}`) return `${step.id}: ids are s1, s2, ... in order`;
    // A framework's ACKNOWLEDGE may wait for events later in the file (format.ts: the runner holds
    // it as the trace did), a call the trace delivers after an agent's crash or an executor's
    // kill for that fault and what follows it, and a framework's call for a call of the same
    // framework the trace delivered before it; nothing else looks ahead, nothing waits for itself.
    const crash = (x: Step | undefined) => x?.kind === 'fault' && (x.fault.type === 'AGENT_RESTART' || x.fault.type === 'EXECUTOR_KILL');
    const crossing = step.kind === 'call' && s.steps.some((x, j) => j > i && crash(x) && before(step).has(x.id));
    const overtaken = (a: Step | undefined) => step.kind === 'call' && a?.kind === 'call' && a.framework === step.framework;
    const holds = (a: string) =>
      crossing || overtaken(s.steps[index.get(a)!]) || (step.kind === 'call' && step.call.type === 'ACKNOWLEDGE' && s.steps[index.get(a)!]?.kind === 'expect');
    for (const a of step.after) if (!(index.get(a)! < i) && !holds(a)) return `${step.id}: after ${a}, which is not an earlier step`;
    if (before(step).has(step.id)) return `${step.id}: it waits for itself`;
    if (i > 0 && step.trace < s.steps[i - 1]!.trace) return `${step.id}: steps are not in trace order`;
    if (step.kind === 'expect') {
      const key = JSON.stringify(step.event);
      if (step.orElse.some((e) => JSON.stringify(e) === key)) return `${step.id}: its event is also in orElse`;
    }
    if (step.kind === 'call') {
      // A call's variables were bound by an expect step it comes after.
      const earlier = before(step);
      for (const v of varsIn(step.call)) {
        const binder = s.steps.find((x): x is ExpectStep => x.kind === 'expect' && varsIn(x.event).includes(v));
        if (!binder || !earlier.has(binder.id)) return `${step.id}: ${v} is not bound by a step it follows`;
      }
    }
  }
  const faults = s.steps.filter((x) => x.kind === 'fault').map((x) => (x.kind === 'fault' ? x.fault.type : ''));
  if (faults.includes('MESSAGE_LOSS') !== s.requires.includes('loss')) return 'requires loss exactly when a message is lost';
  if ((faults.includes('PARTITION') || faults.includes('HEAL')) !== s.requires.includes('partition')) return 'requires partition exactly when an agent is partitioned';
  const first = s.steps.filter((x): x is CallStep => x.kind === 'call' && x.trace === 0);
  if (first.length !== s.environment.frameworks.length || first.some((c) => c.call.type !== 'SUBSCRIBE')) return 'every framework starts with a SUBSCRIBE';
  return null;
}
