/**
 * Human-readable reports of an exploration or a simulation (the CLI prints these; --json prints
 * the result objects, with traces through traceToJson).
 */
import type { ExploreResult } from './explore.ts';
import type { Model } from './model.ts';
import type { SimulationResult } from './simulate.ts';
import { formatTrace } from './trace.ts';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

export function formatExploreResult(model: Model, r: ExploreResult): string {
  const lines: string[] = [];
  lines.push(`${r.model}: ${r.outcome.toUpperCase()} (${r.summary})`);
  lines.push(
    `  ${n(r.states)} distinct states${r.symmetry ? ' (up to symmetry)' : ''}, ${n(r.transitions)} transitions, diameter ${r.diameter}, ` +
      `${(r.elapsedMs / 1000).toFixed(2)} s, ${n(r.statesPerSecond)} states/s, ${r.table.bytesPerState.toFixed(1)} bytes/state (visited set + parent links)`,
  );
  lines.push(`  ${n(r.terminal)} terminal, ${n(r.stuck)} with no enabled non-fault action, ${n(r.quiescent)} quiescent`);
  for (const v of r.verdicts) {
    lines.push(`  ${v.kind} ${JSON.stringify(v.name)}: ${v.status}`);
    if ('explanation' in v && v.explanation !== undefined) lines.push(`    ${v.explanation}`);
    if ('trace' in v) {
      const what = v.status === 'reachable' ? 'shortest trace to a witness' : 'shortest counterexample';
      lines.push(`    ${what} (${v.trace.actions.length} steps):`);
      lines.push(indent(formatTrace(model, v.trace), 6));
    }
  }
  return lines.join('\n');
}

export function formatSimulationResult(model: Model, r: SimulationResult): string {
  const lines: string[] = [];
  lines.push(`${r.model}: ${r.violations.length > 0 ? 'FAIL' : 'no violation'} (${r.summary})`);
  lines.push(`  ${n(r.stepsPerSecond)} steps/s, longest walk ${r.longestWalk} steps, stopped by ${r.stoppedBy}`);
  for (const v of r.violations) {
    lines.push(`  ${v.kind} ${JSON.stringify(v.property)} violated at step ${v.depth} of walk ${v.walk} (seed ${v.seed})`);
    if (v.explanation !== undefined) lines.push(`    ${v.explanation}`);
    lines.push(indent(formatTrace(model, v.trace), 6));
  }
  for (const s of r.sometimes) {
    lines.push(`  sometimes ${JSON.stringify(s.name)}: ${s.status}${s.status === 'reachable' ? ` (walk ${s.walk}, step ${s.depth})` : ''}`);
  }
  return lines.join('\n');
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
