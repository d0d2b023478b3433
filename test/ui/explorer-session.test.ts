/**
 * The explorer's JSON API without a browser or a port: a named configuration's initial state and
 * a step from it, the seeded counterexample replayed to its violation, and a trace file that does
 * not fit this build refused with the step that differs (a tampered label, an action that is not
 * enabled).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '../../checker/index.ts';
import { loadTrace, loadWorld } from '../../impl/explore/load.ts';
import type { TraceFile } from '../../impl/explore/session.ts';
import { EXAMPLE_BUG } from '../../model/example.ts';
import { mesosModel } from '../../model/mesos-model.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { configs } from '../../model/configs.ts';

const test = suite('explorer: the JSON API');
const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-explore-api-'));

/** The seeded bug's counterexample as verify saves it. */
function exampleTrace(): TraceFile {
  const world = mesosWorld(EXAMPLE_BUG.config, EXAMPLE_BUG.machines());
  const model = mesosModel(world);
  const v = explore(model, {}).verdicts.find((x) => x.status === 'violated')!;
  if (!('trace' in v)) throw new Error('the example has no counterexample');
  const labels = v.trace.actions.map((a, i) => model.formatAction(v.trace.states[i]!, a));
  return { version: 1, config: EXAMPLE_BUG.config, example: EXAMPLE_BUG.name, property: v.name, actions: v.trace.actions, labels };
}

const save = (name: string, t: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(t));
  return file;
};

test('a named configuration: the initial state, its enabled actions, one step on', () => {
  const loaded = loadWorld('default', false);
  assert.ok(loaded.ok);
  if (!loaded.ok) return;
  const first = loaded.session.state([]);
  assert.ok(first.ok);
  if (!first.ok) return;
  assert.is(first.state.step, 0);
  assert.equal(first.state.violations, []);
  assert.ok(first.state.enabled.length > 0);
  assert.ok(first.state.statecharts.find((c) => c.component === 'master')!.active.includes('leading'));
  const next = loaded.session.state([first.state.enabled[0]!.action]);
  assert.ok(next.ok && next.state.steps[0]!.label === first.state.enabled[0]!.label);
  assert.equal(loadWorld('no-such-config', false), {
    ok: false,
    errors: [`'--config': 'no-such-config' is neither a named configuration (${Object.keys(configs).join(', ')}) nor a file`],
  });
});

test('the seeded counterexample replays to its violation; a tampered or foreign trace is refused with the step', () => {
  const t = exampleTrace();
  const loaded = loadTrace(save('example.json', t));
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('\n'));
  if (!loaded.ok) return;
  const end = loaded.session.state(t.actions);
  assert.ok(end.ok && end.state.violations.some((v) => v.name === 'conservation'));
  const before = loaded.session.state(t.actions.slice(0, -1));
  assert.ok(before.ok && before.state.violations.length === 0);

  const tampered = { ...t, labels: t.labels.map((l, i) => (i === 3 ? 'fw-0 -> master: TEARDOWN' : l)) };
  const refused = loadTrace(save('tampered.json', tampered));
  assert.equal(refused.ok ? [] : refused.errors, [
    `'--trace': ${join(dir, 'tampered.json')}: the trace does not replay: step 4 is '${t.labels[3]}' here but 'fw-0 -> master: TEARDOWN' in the file`,
  ]);
  // Without the seeded bug the same actions are another world's: the fixed master gives the resources back.
  const foreign = loadTrace(save('foreign.json', { ...t, example: undefined }));
  assert.is(foreign.ok, true, 'the spec master takes the same first steps');
  const fixed = foreign.ok ? foreign.session.state(t.actions) : null;
  assert.ok(fixed?.ok && fixed.state.violations.length === 0);
  const unknown = loadTrace(save('unknown.json', { ...t, example: 'no-such-bug' }));
  assert.match(unknown.ok ? '' : unknown.errors[0]!, /'example': no seeded bug named 'no-such-bug'/);
});

test.run();
