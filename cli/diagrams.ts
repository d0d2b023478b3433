/**
 * `npm run diagrams`: each machine of spec/machines drawn as a Mermaid statechart, generated
 * from the machine definition (states, transitions, guards, actions), into docs/machines/.
 * Nothing here is drawn by hand, so the diagrams cannot drift from the spec.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { agent } from '../spec/machines/agent.ts';
import { executor } from '../spec/machines/executor.ts';
import { frameworkExecutor } from '../spec/machines/executor-framework.ts';
import { generalFramework } from '../spec/machines/general-framework.ts';
import { master } from '../spec/machines/master.ts';
import { scheduler } from '../spec/machines/scheduler.ts';
import { NONE, type Lifecycle } from '../spec/machines/lifecycle.ts';
import { MASTER_LIFECYCLES } from '../spec/machines/master/lifecycles.ts';
import { AGENT_LIFECYCLES } from '../spec/machines/agent/lifecycle.ts';
import { REPO_ROOT } from '../impl/paths.ts';
import { layoutStatechart } from './statechart-layout.ts';

export const MACHINES: Readonly<Record<string, { machine: AnyStateMachine; file: string; about: string }>> = {
  master: { machine: master, file: 'spec/machines/master.ts', about: 'frameworks, agents, offers and tasks; one named action per protocol handler' },
  agent: { machine: agent, file: 'spec/machines/agent.ts', about: 'registration, executors, tasks and one status-update stream per task' },
  executor: { machine: executor, file: 'spec/machines/executor.ts', about: 'the command executor: its connection to the agent and its one task' },
  scheduler: { machine: scheduler, file: 'spec/machines/scheduler.ts', about: 'a framework: subscribe, launch, acknowledge, reconcile' },
  'general-framework': {
    machine: generalFramework,
    file: 'spec/machines/general-framework.ts',
    about: 'the most general framework: any call its configuration allows, within a budget',
  },
  'framework-executor': {
    machine: frameworkExecutor,
    file: 'spec/machines/executor-framework.ts',
    about: "a framework's custom executor, or the default executor of task groups, as the model plays them",
  },
};

const id = (node: AnyStateNode) => node.id.replace(/[^A-Za-z0-9_]/g, '_');

function nameOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'object' && x !== null && 'type' in x) {
    const t = String((x as { type: unknown }).type);
    if (t === 'xstate.and' || t === 'xstate.not' || t === 'xstate.or') {
      const guards = (x as { guards?: unknown[]; guard?: unknown }).guards ?? [(x as { guard?: unknown }).guard];
      const op = t.slice(7);
      return op === 'not' ? `!${nameOf(guards[0])}` : guards.map(nameOf).join(op === 'and' ? ' && ' : ' || ');
    }
    return t;
  }
  if (typeof x === 'function') return (x as { name?: string }).name || 'inline';
  return '?';
}

function guardName(guard: unknown): string {
  if (guard === undefined) return '';
  // xstate keeps composite guards as functions carrying their parts.
  const g = guard as { type?: string; guards?: unknown[]; guard?: unknown; check?: unknown };
  if (typeof guard === 'function' && (g.guards || g.guard)) {
    const parts = g.guards ?? [g.guard];
    return (guard as { name?: string }).name === 'not' ? `!${nameOf(parts[0])}` : parts.map(nameOf).join(' && ');
  }
  return nameOf(guard);
}

function label(event: string, t: { guard?: unknown; actions?: readonly unknown[] }): string {
  const ev = event.startsWith('xstate.after.') ? `after ${event.split('.')[2]}` : event === '' ? 'always' : event;
  const guard = guardName(t.guard);
  const actions = (t.actions ?? []).map(nameOf).filter((a) => a !== 'inline' && !a.startsWith('xstate.'));
  return `${ev}${guard ? ` [${guard}]` : ''}${actions.length ? ` / ${actions.join(', ')}` : ''}`.replace(/[:;]/g, ' ');
}

function draw(node: AnyStateNode, indent: string, out: string[]): void {
  const children = Object.values(node.states) as AnyStateNode[];
  const targetsOf = (t: { target?: readonly AnyStateNode[] }) => t.target ?? [];
  if (children.length > 0 && node.parent) {
    out.push(`${indent}state "${node.key}" as ${id(node)} {`);
    drawChildren(node, children, indent + '  ', out);
    out.push(`${indent}}`);
  } else if (children.length > 0) {
    drawChildren(node, children, indent, out);
  } else if (node.parent) {
    out.push(`${indent}state "${node.key}" as ${id(node)}`);
  }
  const from = node.parent ? id(node) : undefined;
  for (const [event, defs] of node.transitions) {
    for (const t of defs as unknown as { target?: AnyStateNode[]; guard?: unknown; actions?: unknown[] }[]) {
      const targets = targetsOf(t);
      const source = from ?? '[*]';
      if (targets.length === 0) out.push(`${indent}${from ?? id(children[0] ?? node)} --> ${from ?? id(children[0] ?? node)} : ${label(event, t)}`);
      for (const target of targets) out.push(`${indent}${source === '[*]' ? id(children[0] ?? node) : source} --> ${id(target)} : ${label(event, t)}`);
    }
  }
  for (const t of (node.always ?? []) as unknown as { target?: AnyStateNode[]; guard?: unknown; actions?: unknown[] }[]) {
    for (const target of targetsOf(t)) out.push(`${indent}${from ?? '[*]'} --> ${id(target)} : ${label('', t)}`);
  }
}

function drawChildren(node: AnyStateNode, children: AnyStateNode[], indent: string, out: string[]): void {
  if (node.type === 'parallel') {
    children.forEach((c, i) => {
      if (i > 0) out.push(`${indent}--`);
      draw(c, indent, out);
    });
    return;
  }
  const initial = (node.initial as unknown as { target?: readonly AnyStateNode[] } | undefined)?.target?.[0];
  if (initial) out.push(`${indent}[*] --> ${id(initial)}`);
  for (const c of children) {
    draw(c, indent, out);
    if (c.type === 'final') out.push(`${indent}${id(c)} --> [*]`);
  }
}

/** The Mermaid statechart of a machine. */
export function statechart(machine: AnyStateMachine): string {
  const out = ['stateDiagram-v2'];
  draw(machine.root, '  ', out);
  return out.join('\n') + '\n';
}

function page(name: string): string {
  const m = MACHINES[name]!;
  return [
    `# The ${name} machine`,
    '',
    `${m.about}. Generated from \`${m.file}\` by \`npm run diagrams\`: edit the machine, not this file.`,
    '',
    '```mermaid',
    statechart(m.machine).trimEnd(),
    '```',
    '',
  ].join('\n');
}

/** The declared lifecycles of the records the machines keep (spec/machines/lifecycle.ts), drawn in docs/lifecycles/. */
const LIFECYCLES: readonly Lifecycle<never>[] = [...MASTER_LIFECYCLES, ...AGENT_LIFECYCLES] as readonly Lifecycle<never>[];

const LIFECYCLE_FILES: Readonly<Record<string, string>> = { master: 'spec/machines/master/lifecycles.ts', agent: 'spec/machines/agent/lifecycle.ts' };

/** The Mermaid state diagram of a lifecycle: one arrow per (from, to), labelled with every event that takes it. */
function lifecycleChart(lc: Lifecycle<never>): string {
  const node = (s: string) => (s === NONE ? '[*]' : s.replace(/[^A-Za-z0-9_]/g, '_'));
  const out = ['stateDiagram-v2'];
  for (const s of lc.states) out.push(`  state "${s}" as ${node(s)}`);
  for (const s of lc.initial ?? []) out.push(`  [*] --> ${node(s)} : machine starts`);
  const arrows = new Map<string, string[]>();
  for (const t of lc.transitions) {
    const key = `${node(t.from)} --> ${node(t.to)}`;
    arrows.set(key, [...(arrows.get(key) ?? []), t.on]);
  }
  for (const [key, events] of arrows) out.push(`  ${key} : ${events.join(', ')}`);
  return out.join('\n') + '\n';
}

function lifecyclePage(lc: Lifecycle<never>): string {
  return [
    `# The ${lc.kind} lifecycle`,
    '',
    `${lc.about}. Kept by the ${lc.machine} machine; ${lc.transitions.length} transitions, each named by the event that causes it. Generated from \`${LIFECYCLE_FILES[lc.machine]}\` by \`npm run diagrams\`: edit the table, not this file.`,
    '',
    '```mermaid',
    lifecycleChart(lc).trimEnd(),
    '```',
    '',
    ...(lc.causes ? ['Named causes, each the events that deliver it:', '', ...Object.entries(lc.causes).map(([cause, events]) => `- **${cause}**: ${events.join(', ')}`), ''] : []),
  ].join('\n');
}

/** Every machine's statechart laid out for the explorer's page (ui/explorer), keyed by machine id. */
export function statechartLayouts(): string {
  const layouts = Object.fromEntries(Object.values(MACHINES).map(({ machine }) => [machine.id, layoutStatechart(machine, label)]));
  return JSON.stringify(layouts) + '\n';
}

/**
 * Writes docs/machines/<name>.md for every machine, ui/generated/statecharts.json (the same
 * machines laid out for the explorer) and docs/lifecycles/<kind>.md for every declared lifecycle;
 * with `check`, only reports which differ.
 */
function writeDiagrams(check = false): string[] {
  const stale: string[] = [];
  const dir = join(REPO_ROOT, 'docs', 'machines');
  const lifecycles = join(REPO_ROOT, 'docs', 'lifecycles');
  const outputs: [string, string][] = Object.keys(MACHINES).map((name) => [join(dir, `${name}.md`), page(name)]);
  outputs.push([join(REPO_ROOT, 'ui', 'generated', 'statecharts.json'), statechartLayouts()]);
  for (const lc of LIFECYCLES) outputs.push([join(lifecycles, `${lc.kind}.md`), lifecyclePage(lc)]);
  for (const [file, text] of outputs) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) {
      stale.push(file);
      if (!check) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
    }
  }
  return stale;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = writeDiagrams(check);
  if (check && stale.length) {
    console.log(`stale: ${stale.join(', ')}; run npm run diagrams`);
    process.exitCode = 1;
  } else console.log(check ? 'diagrams are up to date' : `wrote ${Object.keys(MACHINES).length} diagrams to docs/machines/ and ${LIFECYCLES.length} to docs/lifecycles/`);
}
