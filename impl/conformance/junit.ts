/**
 * A suite run as JUnit XML, the report format CI systems read: one <testcase> per scenario, a
 * <failure> for a failed one, <skipped> for a skipped one (with the reason), and a diverged one
 * as passed with its divergence in <system-out> (the master took a path the model allows).
 */
import type { ScenarioResult } from './scenario.ts';
import type { SuiteResult } from './suite.ts';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function detail(r: ScenarioResult): string {
  const lines = [r.reason ?? ''];
  if (r.divergence) {
    lines.push(`step ${r.divergence.step} (${r.divergence.framework})`);
    lines.push(`expected: ${JSON.stringify(r.divergence.expected)}`);
    lines.push(`observed: ${r.divergence.observed ? JSON.stringify(r.divergence.observed) : 'nothing'}`);
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function junitXml(suiteName: string, run: SuiteResult): string {
  const { counts } = run;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mesos-ref conformance" tests="${run.results.length}" failures="${counts.failed}" skipped="${counts.skipped}" time="${(run.ms / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${run.results.length}" failures="${counts.failed}" errors="0" skipped="${counts.skipped}" time="${(run.ms / 1000).toFixed(3)}">`,
  ];
  for (const r of run.results) {
    out.push(`    <testcase classname="${xml(suiteName)}" name="${xml(r.name)}" time="${(r.ms / 1000).toFixed(3)}">`);
    if (r.outcome === 'failed') out.push(`      <failure message="${xml(r.reason ?? 'failed')}">${xml(detail(r))}</failure>`);
    if (r.outcome === 'skipped') out.push(`      <skipped message="${xml(r.reason ?? 'skipped')}"/>`);
    if (r.outcome === 'diverged') out.push(`      <system-out>${xml(`diverged: ${detail(r)}`)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}
