/**
 * A trace of the world as a message-sequence chart: one lifeline per component that takes part,
 * one row per step (a delivery is an arrow from sender to receiver; a timer, an environment
 * event or a fault is a note on its component). Text for the terminal, Mermaid for documents.
 */
import type { ActionInfo } from './system.ts';

/** The lifelines, in a stable order: master first, then agents, executors, frameworks. */
function lifelines(steps: readonly ActionInfo[]): string[] {
  const names = new Set<string>();
  for (const s of steps) {
    if (s.channel) for (const n of s.channel.split('>')) names.add(n);
    else if (s.component) names.add(s.component);
  }
  const order = (n: string) => (n === 'master' ? 0 : n.startsWith('agent-') && !n.includes('/') ? 1 : n.includes('/') ? 2 : 3);
  return [...names].sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function describeEvent(info: ActionInfo): string {
  const e = info.event as Record<string, unknown> | undefined;
  if (!e) return '';
  const status = (e.update as { status?: Record<string, unknown> } | undefined)?.status ?? (e.status as Record<string, unknown> | undefined);
  if (e.type === 'UPDATE' || e.type === 'STATUS_UPDATE') {
    const s = (e.type === 'STATUS_UPDATE' ? (e.update as { status: Record<string, unknown> }).status : status) as Record<string, unknown>;
    const task = (s?.task_id as { value?: string } | undefined)?.value;
    return `${e.type} ${task ?? ''} ${s?.state ?? ''}${s?.reason ? ` (${s.reason})` : ''}`.trim();
  }
  return String(e.type);
}

/** A fixed-width text chart. */
export function textChart(steps: readonly ActionInfo[]): string {
  const lanes = lifelines(steps);
  const width = Math.max(12, ...lanes.map((l) => l.length + 2));
  const col = (name: string) => lanes.indexOf(name) * width + Math.floor(width / 2);
  const lineWidth = lanes.length * width;
  const num = String(steps.length).length;
  const lines: string[] = [];
  const header = lanes.map((l) => l.padStart(Math.floor((width + l.length) / 2)).padEnd(width)).join('');
  lines.push(' '.repeat(num + 2) + header);
  steps.forEach((info, i) => {
    const row: string[] = Array.from({ length: lineWidth }, (_, x) => (lanes.some((l) => col(l) === x) ? '|' : ' '));
    let label: string;
    if (info.channel) {
      const [from, to] = info.channel.split('>') as [string, string];
      const a = col(from);
      const b = col(to);
      const [lo, hi] = a < b ? [a, b] : [b, a];
      for (let x = lo + 1; x < hi; x++) row[x] = '-';
      if (info.fault) row[Math.floor((lo + hi) / 2)] = 'X';
      row[b] = a < b ? '>' : '<';
      label = (info.fault ? 'lost: ' : '') + describeEvent(info);
    } else {
      const c = col(info.component ?? lanes[0]!);
      row[c] = info.fault ? '#' : '*';
      label = info.label.replace(`${info.component}: `, '');
    }
    lines.push(`${String(i + 1).padStart(num)}. ${row.join('')}  ${label}`);
  });
  return lines.join('\n');
}

const mermaidId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

/** A Mermaid sequenceDiagram. */
export function mermaidChart(steps: readonly ActionInfo[], title?: string): string {
  const lanes = lifelines(steps);
  const out = ['sequenceDiagram'];
  if (title) out.push(`  title ${title.replace(/[:;#]/g, ' ')}`);
  for (const l of lanes) out.push(`  participant ${mermaidId(l)} as ${l}`);
  for (const info of steps) {
    const text = (info.channel ? describeEvent(info) : info.label.replace(`${info.component}: `, '')).replace(/[;#]/g, ' ');
    if (info.channel) {
      const [from, to] = info.channel.split('>') as [string, string];
      out.push(`  ${mermaidId(from)}${info.fault ? '-x' : '->>'}${mermaidId(to)}: ${info.fault ? 'lost ' : ''}${text}`);
    } else {
      out.push(`  Note over ${mermaidId(info.component ?? lanes[0]!)}: ${info.fault ? 'FAULT ' : ''}${text}`);
    }
  }
  return out.join('\n') + '\n';
}
