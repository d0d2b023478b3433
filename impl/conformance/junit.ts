/**
 * A suite run as JUnit XML, the report format CI systems read: one <testcase> per scenario.
 * What a CI reader must not mistake for a pass is a <failure>: a failed scenario, and one that
 * diverged on every attempt (its targets were not reached, so what they test was not tested). A
 * skipped scenario is <skipped> with the reason, or a <failure> under `strict` (its targets were
 * not reached either). A scenario that diverged and then passed on a new cluster is a pass, with
 * the earlier attempts in <system-out>.
 */
import type { ScenarioResult } from './scenario.ts';
import type { SuiteResult } from './suite.ts';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface JunitOptions {
  /** The targets of each scenario, to name those not reached. */
  readonly targets?: ReadonlyMap<string, readonly string[]>;
  /** A skipped scenario is a failure (its targets are not reached). */
  readonly strict?: boolean;
}

function detail(r: ScenarioResult, unreached: readonly string[]): string {
  const lines = [r.reason ?? ''];
  if (r.divergence) {
    lines.push(`step ${r.divergence.step} (${r.divergence.framework})`);
    lines.push(`expected: ${r.divergence.expected ? JSON.stringify(r.divergence.expected) : 'nothing more'}`);
    lines.push(`observed: ${r.divergence.observed ? JSON.stringify(r.divergence.observed) : 'nothing'}`);
  }
  if (unreached.length) lines.push(`targets not reached: ${unreached.join(', ')}`);
  (r.retried ?? []).forEach((why, i) => lines.push(`attempt ${i + 1} diverged: ${why}`));
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.filter((l) => l !== '').join('\n');
}

/** Whether `r` counts as a failure in the report (and in the run's exit code). */
export const isFailure = (r: ScenarioResult, strict: boolean): boolean => r.outcome === 'failed' || r.outcome === 'diverged' || (strict && r.outcome === 'skipped');

export function junitXml(suiteName: string, run: SuiteResult, options: JunitOptions = {}): string {
  return junitXmlSuites([{ name: suiteName, run, ...(options.targets ? { targets: options.targets } : {}) }], options.strict ?? false);
}

/** One suite of a run of several (`conformance run --suite` of an `--all` directory). */
export interface JunitSuite {
  readonly name: string;
  readonly run: SuiteResult;
  /** The targets of each scenario, to name those not reached. */
  readonly targets?: ReadonlyMap<string, readonly string[]>;
}

/** Several suites' runs in one report: a <testsuite> per suite, the totals on <testsuites>. */
export function junitXmlSuites(suites: readonly JunitSuite[], strict = false): string {
  const failuresOf = (run: SuiteResult) => run.results.filter((r) => isFailure(r, strict)).length;
  const skippedOf = (run: SuiteResult) => run.results.filter((r) => r.outcome === 'skipped' && !strict).length;
  const sum = (f: (run: SuiteResult) => number) => suites.reduce((a, s) => a + f(s.run), 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mesos-ref conformance" tests="${sum((r) => r.results.length)}" failures="${sum(failuresOf)}" skipped="${sum(skippedOf)}" time="${(sum((r) => r.ms) / 1000).toFixed(3)}">`,
  ];
  for (const { name: suiteName, run, targets } of suites) {
    const time = (run.ms / 1000).toFixed(3);
    out.push(`  <testsuite name="${xml(suiteName)}" tests="${run.results.length}" failures="${failuresOf(run)}" errors="0" skipped="${skippedOf(run)}" time="${time}">`);
    for (const r of run.results) {
      const unreached = (targets?.get(r.name) ?? []).filter((id) => !r.reached.includes(id));
      out.push(`    <testcase classname="${xml(suiteName)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}">`);
      const attempts = r.attempts ?? 1;
      if (r.outcome === 'failed') out.push(`      <failure message="${xml(r.reason ?? 'failed')}">${xml(detail(r, unreached))}</failure>`);
      if (r.outcome === 'diverged') {
        out.push(
          `      <failure message="${xml(`diverged on ${attempts === 1 ? 'its only attempt' : `all ${attempts} attempts`}, targets not reached: ${r.reason ?? ''}`)}">${xml(detail(r, unreached))}</failure>`,
        );
      }
      if (r.outcome === 'skipped') {
        if (strict) out.push(`      <failure message="${xml(`skipped (strict: its targets are not reached): ${r.reason ?? ''}`)}">${xml(detail(r, unreached))}</failure>`);
        else out.push(`      <skipped message="${xml(r.reason ?? 'skipped')}"/>`);
      }
      if (r.outcome === 'passed' && attempts > 1) out.push(`      <system-out>${xml(`passed on attempt ${attempts} of ${attempts}\n${detail(r, [])}`)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
