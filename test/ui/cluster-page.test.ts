/**
 * The master's web UI in headless Chromium against a real master and a real agent: a task
 * launched through the scheduler API shows as running, turns TASK_FINISHED on the page within
 * 2 s of its process ending (the SUBSCRIBE stream, not a poll), and its history and sandbox
 * stdout open from its page. Every wait is on what the page shows or on a stream event.
 * Screenshots go to the test's temp dir (the README's are in docs/).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startMaster, type MasterServer } from '../../impl/master/server.ts';
import { cleanupAgent, startAgentProcess, tempDir, type AgentProcess } from '../support/agent-process.ts';
import { schedulerCall, subscribe, type EventStream } from '../support/master-http.ts';
import { launchBrowser, offlinePage } from '../support/browser.ts';

const test = suite('the cluster web UI in a browser');

let master: MasterServer | undefined;
let agent: AgentProcess | undefined;
let browser: Browser | undefined;
let stream: EventStream | undefined;
/** The task's sandbox, as Mesos's virtual path. */
let sandbox = '';
const workDir = tempDir('mesos-ref-ui-agent-');
const shots = tempDir('mesos-ref-ui-shots-');

test.after(async () => {
  stream?.close();
  await browser?.close();
  await cleanupAgent(agent, workDir);
  await master?.close();
});

/** The next UPDATE of the stream, acknowledged as a scheduler does. */
async function nextUpdate(fid: string): Promise<string> {
  const e = await stream!.nextOfType<{ update: { status: { state: string; uuid?: string; agent_id: unknown; task_id: unknown } } }>('UPDATE', 20_000);
  const s = e.update.status;
  if (s.uuid !== undefined) {
    const ack = { type: 'ACKNOWLEDGE', framework_id: { value: fid }, acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } };
    assert.is((await schedulerCall(master!.url, JSON.stringify(ack), stream!.streamId)).status, 202);
  }
  return s.state;
}

test('a task shows running, finishes live within 2 s, and its history and sandbox stdout open', async () => {
  master = await startMaster({ port: 0, log: () => {} });
  agent = await startAgentProcess({ master: master.url, workDir, args: ['--resources', 'cpus:2;mem:512;disk:1024'] });
  browser = await launchBrowser();
  const { page, externalRequests, errors } = await offlinePage(browser);

  await page.goto(`${master.url}/`);
  // Milliseconds from the start of the navigation (the page's own clock) to its load event, and to the stream going live.
  // (Code run in the page is written as strings: this project's TypeScript has no DOM types.)
  const liveAtMs = Math.round(Number(await (await page.waitForFunction("document.querySelector('#connection.live') && performance.now()")).jsonValue()));
  const loadMs = Math.round(Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")));
  await page.waitForFunction("document.querySelector('#agent-count')?.textContent === '1'");

  stream = await subscribe(
    master.url,
    JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'ui-test', roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] } } }),
  );
  const fid = (await stream.nextOfType<{ subscribed: { framework_id: { value: string } } }>('SUBSCRIBED')).subscribed.framework_id.value;
  sandbox = `/frameworks/${fid}/executors/ui-task/runs/latest`;
  const offer = (await stream.nextOfType<{ offers: { offers: { id: unknown; agent_id: unknown }[] } }>('OFFERS', 15_000)).offers.offers[0]!;
  // The task runs until the test creates `release`: its end is the test's to choose.
  const release = join(workDir, 'release');
  const task = {
    name: 'hello',
    task_id: { value: 'ui-task' },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
    ],
    command: { value: `echo ui-says-hello; while [ ! -e '${release}' ]; do sleep 0.05; done` },
  };
  const accept = { type: 'ACCEPT', framework_id: { value: fid }, accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } };
  assert.is((await schedulerCall(master.url, JSON.stringify(accept), stream.streamId)).status, 202);
  while ((await nextUpdate(fid)) !== 'TASK_RUNNING');

  const state = page.locator('tr[data-task="ui-task"] td.state');
  await state.getByText('TASK_RUNNING').waitFor({ timeout: 5000 });
  assert.is(await page.locator('#framework-count').textContent(), '1');
  await page.screenshot({ path: join(shots, 'cluster-running.png') });

  writeFileSync(release, '');
  const released = Date.now();
  await state.getByText('TASK_FINISHED').waitFor({ timeout: 2000 });
  const liveMs = Date.now() - released;

  await page.click('tr[data-task="ui-task"] a');
  const history = page.locator('#history tbody td.state');
  await history.last().getByText('TASK_FINISHED').waitFor();
  const states = await history.allTextContents();
  assert.equal(states.slice(-2), ['TASK_RUNNING', 'TASK_FINISHED'], `history: ${states.join(', ')}`);
  await page.screenshot({ path: join(shots, 'cluster-task.png') });

  // Frameworks (with its tasks) and agents (host and port; the finished task's executor is gone), then back to the task's sandbox.
  await page.click('nav a[href="#/frameworks"]');
  await page.locator('.panel h3').getByText('ui-test').waitFor({ timeout: 5000 });
  await page.click('nav a[href="#/agents"]');
  await page.locator('td').getByText(new URL(agent.url).host, { exact: true }).waitFor({ timeout: 5000 });
  await page.goBack();
  await page.goBack();
  await page.click('#sandbox-link');
  await page.click('a[data-file="stdout"]');
  await page.locator('#file-content').getByText('ui-says-hello').waitFor({ timeout: 5000 });
  await page.screenshot({ path: join(shots, 'cluster-stdout.png') });

  assert.equal(externalRequests, [], 'the page reached for a network');
  assert.equal(errors, [], 'script errors on the page');
  assert.ok(loadMs < 1000, `the page took ${loadMs} ms to load`);
  console.log(`  cluster UI: loaded in ${loadMs} ms, live at ${liveAtMs} ms, TASK_FINISHED shown ${liveMs} ms after the task was released; screenshots in ${shots}`);
});

test('the agent answers /files/* with JSONP for the page, and refuses a callback that is not a name; the master serves only its pages', async () => {
  const base = agent!.url;
  const ok = await fetch(`${base}/files/browse?path=${encodeURIComponent(sandbox)}&jsonp=cb.x_1`);
  assert.is(ok.status, 200);
  assert.is(ok.headers.get('content-type'), 'text/javascript');
  assert.match(await ok.text(), /^cb\.x_1\(\[.*"path":"[^"]*\/stdout".*\]\);$/s);
  const bad = await fetch(`${base}/files/browse?path=${encodeURIComponent(sandbox)}&jsonp=${encodeURIComponent('alert(1)//')}`);
  assert.is(bad.status, 400);
  assert.match(await bad.text(), /jsonp/);
  // The master serves its pages by name only: nothing outside dist/ui, nothing but GET and HEAD.
  assert.is((await fetch(`${master!.url}/static/%2e%2e%2fpackage.json`)).status, 404);
  assert.is((await fetch(`${master!.url}/static/cluster.js`, { method: 'HEAD' })).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.is((await fetch(`${master!.url}/`, { method: 'POST' })).status, 405);
});

test.run();
