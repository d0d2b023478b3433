/**
 * The explorer's statecharts (cli/statechart-layout.ts, checked in as ui/generated/statecharts.json
 * by `npm run diagrams`): every state of every machine has a box, every nested box lies inside its
 * parent's, every transition to another state is an arrow, and the checked-in layout is the one the
 * machines give today. A layout built from a machine with a state dropped fails the first check.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { MACHINES, statechartLayouts } from '../../cli/diagrams.ts';
import { layoutStatechart, type StatechartLayout } from '../../cli/statechart-layout.ts';
import { REPO_ROOT } from '../../impl/paths.ts';

const test = suite('statechart layout');

const states = (m: AnyStateMachine): string[] => {
  const out: string[] = [];
  const visit = (n: AnyStateNode) => {
    for (const c of Object.values(n.states) as AnyStateNode[]) {
      out.push(c.path.join('.'));
      visit(c);
    }
  };
  visit(m.root);
  return out;
};

/** What is wrong with a layout of `machine` (empty: nothing). */
function problems(machine: AnyStateMachine, l: StatechartLayout): string[] {
  const out: string[] = [];
  const boxes = new Map(l.boxes.map((b) => [b.path, b]));
  for (const s of states(machine)) if (!boxes.has(s)) out.push(`${machine.id}: no box for ${s}`);
  for (const b of l.boxes) {
    const parent = boxes.get(b.path.slice(0, Math.max(0, b.path.lastIndexOf('.'))));
    if (parent && !(b.x >= parent.x && b.y >= parent.y && b.x + b.width <= parent.x + parent.width && b.y + b.height <= parent.y + parent.height))
      out.push(`${machine.id}: ${b.path} is not inside ${parent.path}`);
    if (b.x < 0 || b.y < 0 || b.x + b.width > l.width || b.y + b.height > l.height) out.push(`${machine.id}: ${b.path} is off the drawing`);
  }
  for (const a of l.arrows) {
    if (!boxes.has(a.from) || !boxes.has(a.to)) out.push(`${machine.id}: arrow ${a.from} -> ${a.to} between unknown states`);
    if (a.points.length < 2) out.push(`${machine.id}: arrow ${a.from} -> ${a.to} has no path`);
  }
  return out;
}

test('every state of every machine is a box inside its parent, on the drawing', () => {
  const layouts = JSON.parse(statechartLayouts()) as Record<string, StatechartLayout>;
  for (const { machine } of Object.values(MACHINES)) assert.equal(problems(machine, layouts[machine.id]!), [], machine.id);
  // The executor: nested regions, and its arrows name their events.
  const ex = layouts['executor']!;
  assert.ok(ex.boxes.find((b) => b.path === 'live')!.parallel);
  assert.ok(ex.arrows.some((a) => a.from === 'live.task.idle' && a.to === 'live.task.running' && a.label === 'LAUNCH'));
  assert.ok(
    ex.boxes.find((b) => b.path === 'live.task.running')!.internal.some((t) => t.startsWith('LAUNCH')),
    'a transition that stays is listed on its state',
  );
});

test('a layout that lost a state is caught', () => {
  const { machine } = MACHINES['scheduler']!;
  const good = layoutStatechart(machine, (e) => e);
  const bad = { ...good, boxes: good.boxes.filter((b) => b.path !== 'stopped') };
  assert.equal(problems(machine, good), []);
  assert.match(problems(machine, bad).join('\n'), /no box for stopped/);
});

test('the checked-in layout is the one the machines give (npm run diagrams)', () => {
  assert.is(readFileSync(join(REPO_ROOT, 'ui', 'generated', 'statecharts.json'), 'utf8'), statechartLayouts());
});

test.run();
