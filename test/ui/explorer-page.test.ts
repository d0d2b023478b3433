/**
 * The explorer in headless Chromium on the seeded counterexample: `mesos-ref verify --example`
 * (the CLI, as a user runs it) saves its trace and prints the explore command; the page opened on
 * that trace starts in the initial state with nothing violated, steps through the counterexample
 * one click at a time, and shows the violated invariant at its last step. Every wait is on what
 * the page shows. Screenshots go to the test's temp dir.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadTrace } from '../../impl/explore/load.ts';
import { startExplorer, type ExplorerServer } from '../../impl/explore/server.ts';
import { mesosRefArgv } from '../../impl/process/proc.ts';
import { tempDir } from '../support/agent-process.ts';
import { launchBrowser, offlinePage } from '../support/browser.ts';

const test = suite('the explorer in a browser');

let browser: Browser | undefined;
let explorer: ExplorerServer | undefined;
const dir = tempDir('mesos-ref-explore-');

test.after(async () => {
  await browser?.close();
  await explorer?.close();
});

test('verify --example saves its counterexample; the explorer steps through it to the violated invariant', async () => {
  const file = join(dir, 'example.json');
  const [cmd, ...args] = mesosRefArgv();
  let out = '';
  try {
    execFileSync(cmd, [...args, 'verify', '--example', '--save-trace', file, '--no-progress'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
    assert.is((e as { status: number }).status, 1, 'verify --example exits 1: a property is violated');
  }
  assert.match(out, /Invariant conservation violated/);
  assert.match(out, new RegExp(`Step through it in a browser: mesos-ref explore --trace ${file}`));

  const loaded = loadTrace(file);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('\n'));
  if (!loaded.ok) return;
  const steps = loaded.session.trace!.actions.length;
  explorer = await startExplorer(loaded.session, 0);
  browser = await launchBrowser();
  const { page, externalRequests, errors } = await offlinePage(browser);
  await page.goto(`${explorer.url}/`);
  await page.locator('#trace-position').getByText(`Step 0 of ${steps}`).waitFor();
  const loadMs = Math.round(Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")));
  assert.match((await page.locator('#violations').textContent()) ?? '', /No property is violated/);
  // Each machine is drawn as its statechart (ui/generated/statecharts.json); the current state's box is filled.
  const schedulerChart = page.locator('svg.statechart[data-machine="scheduler"]').first();
  const activeStates = () => schedulerChart.locator('g.state.active').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-state')));
  const fillOf = (state: string) =>
    schedulerChart
      .locator(`g[data-state="${state}"] > rect`)
      .evaluate((r) => (globalThis as unknown as { getComputedStyle(e: unknown): { fill: string } }).getComputedStyle(r).fill);
  assert.equal(await activeStates(), ['subscribing'], 'a scheduler starts subscribing');
  assert.is(await fillOf('subscribing'), 'rgb(36, 86, 199)', 'the current state is highlighted');
  assert.is(await fillOf('stopped'), 'rgb(255, 255, 255)', 'another state is not');
  assert.ok((await page.locator('svg.statechart g.transition').count()) > 20, 'transitions are drawn as arrows');
  for (let i = 1; i <= steps; i++) {
    await page.click('#trace-next');
    await page.locator('#trace-position').getByText(`Step ${i} of ${steps}`).waitFor();
    if (i === 1) await page.screenshot({ path: join(dir, 'explorer-step-1.png') });
    if (i < steps) assert.match((await page.locator('#violations').textContent()) ?? '', /No property is violated/, `step ${i} is not yet the violation`);
  }
  const violation = page.locator('#violations');
  await violation.getByText('Invariant conservation violated').waitFor();
  assert.match((await violation.textContent()) ?? '', /the allocator has cpus:1; mem:128 allocated/);
  assert.is(await page.locator('#steps li').count(), steps);
  // The master's statechart marks its current state; the message chart has every step.
  assert.ok((await page.locator('[data-component="master"] svg.statechart g.state.active').count()) >= 1);
  const after = await activeStates();
  assert.not.ok(after.includes('subscribing'), `the scheduler's highlight moved on from subscribing (now ${after.join(', ')})`);
  assert.ok(after.includes('subscribed'), `the subscribed box is highlighted (now ${after.join(', ')})`);
  assert.is(await fillOf('subscribing'), 'rgb(255, 255, 255)');
  assert.match((await page.locator('#chart').textContent()) ?? '', new RegExp(`${steps}\\.`));
  await page
    .locator('details[data-component] summary', { has: page.locator('b', { hasText: /^fw-/ }) })
    .first()
    .click();
  await page.screenshot({ path: join(dir, 'explorer-violation.png'), fullPage: false });

  // Back one step; then, from the initial state, an enabled action that is not the counterexample's.
  await page.click('#trace-back');
  await page
    .locator('#trace-position')
    .getByText(`Step ${steps - 1} of ${steps}`)
    .waitFor();
  await page.click('header nav a');
  await page.locator('#trace-position').getByText(`Step 0 of ${steps}`).waitFor();
  const other = page.locator('#enabled button:not(.next)');
  assert.ok((await other.count()) >= 1, "the initial state enables more than the counterexample's first step");
  const label = await other.first().textContent();
  await other.first().click();
  await page.locator('#trace-position').getByText('Off the counterexample').waitFor();
  // The step list re-renders with the new path after the position line: wait for it, not a frame.
  await page
    .locator('#steps li', { hasText: label ?? '' })
    .first()
    .waitFor({ timeout: 5000 });
  assert.is(await page.locator('#steps li').count(), 1, 'one step taken off the counterexample');
  assert.is(await page.locator('#steps li').first().textContent(), label);
  assert.equal(externalRequests, [], 'the page reached for a network');
  assert.equal(errors, [], 'script errors on the page');
  assert.ok(loadMs < 1000, `the page took ${loadMs} ms to load`);
  console.log(`  explorer: loaded in ${loadMs} ms, ${steps} steps to the violation; screenshots in ${dir}`);
});

test('explore refuses a bad path with 400 naming it, and a trace file that is not one with the field', async () => {
  const bad = await fetch(`${explorer!.url}/api/state?path=1,x`);
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /'path': expected action numbers/);
  const disabled = await fetch(`${explorer!.url}/api/state?path=999999`);
  assert.is(disabled.status, 400);
  assert.match(await disabled.text(), /step 1: action 999999 is not enabled/);
  const file = join(dir, 'not-a-trace.json');
  (await import('node:fs')).writeFileSync(file, JSON.stringify({ version: 1, config: {}, property: 'x', actions: [1, -2], labels: ['a'] }));
  const loaded = loadTrace(file);
  assert.is(loaded.ok, false);
  if (!loaded.ok) assert.match(loaded.errors.join('\n'), /'actions': expected an array of non-negative integers/);
});

test.run();
