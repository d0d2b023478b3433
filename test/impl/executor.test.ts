/**
 * The executor runtime in-process against a scripted agent (the executor HTTP API by hand):
 * SUBSCRIBE refused with 503 and retried, the update sequence of a failing command, the
 * acknowledgement-driven exit with the status recorded for the agent; and a non-checkpointing
 * executor whose agent goes away kills its task and exits.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../support/agent-process.ts';
import { ExecutorRuntime } from '../../impl/executor/runtime.ts';
import { readBody } from '../../impl/http/body.ts';
import { listen, shutdown } from '../../impl/http/listen.ts';
import { RecordIOResponse } from '../../impl/http/recordio.ts';
import { respondText } from '../../impl/http/respond.ts';
import { isAlive } from '../../impl/process/proc.ts';
import type { ExecutorInput } from '../../spec/machines/executor.ts';
import type { ExecutorCall, ExecutorEvent } from '../../spec/protocol/executor.ts';
import { encodeExecutorEvent } from '../../spec/protocol/json.ts';

const test = suite('executor runtime');

/** An agent that answers the executor API from a script. */
class ScriptedAgent {
  server: Server | undefined;
  url = '';
  readonly calls: ExecutorCall[] = [];
  stream: RecordIOResponse | undefined;
  refuseSubscriptions = 0;
  onCall: (call: ExecutorCall, agent: ScriptedAgent) => void = () => {};

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => respondText(res, 500, `scripted agent: ${e.message}`));
    });
    this.url = `http://127.0.0.1:${(await listen(this.server, 0, '127.0.0.1')).port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!body.ok) return respondText(res, 400);
    const call = JSON.parse(body.text) as ExecutorCall;
    this.calls.push(call);
    if (call.type === 'SUBSCRIBE') {
      if (this.refuseSubscriptions > 0) {
        this.refuseSubscriptions--;
        return respondText(res, 503, 'Agent has not finished recovery');
      }
      this.stream = new RecordIOResponse(res);
      this.stream.start();
    } else {
      respondText(res, 202);
    }
    this.onCall(call, this);
  }

  send(event: ExecutorEvent): void {
    this.stream!.write(encodeExecutorEvent(event));
  }

  async close(): Promise<void> {
    this.stream?.end();
    if (this.server) await shutdown(this.server);
  }
}

const dirs: string[] = [];
const agents: ScriptedAgent[] = [];

test.after(async () => {
  for (const a of agents) await a.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function input(agent: string, checkpoint: boolean): ExecutorInput {
  return {
    self: `${agent}/F/t`,
    agent,
    framework_id: { value: 'F' },
    executor_id: { value: 't' },
    framework_info: { user: 'u', name: 'F', id: { value: 'F' }, checkpoint },
    seed: 'executor-test',
  };
}

const task = (command: string) => ({ name: 't', task_id: { value: 't' }, agent_id: { value: 'S0' }, command: { value: command } });

async function setup(checkpoint: boolean) {
  const agent = new ScriptedAgent();
  agents.push(agent);
  await agent.start();
  const sandbox = tempDir('mesos-ref-executor-');
  dirs.push(sandbox);
  const lines: string[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  const runtime = new ExecutorRuntime({
    input: input(agent.url, checkpoint),
    agentUrl: agent.url,
    sandbox,
    metaDir: join(sandbox, 'meta'),
    log: (l) => lines.push(l),
    say: (l) => lines.push(l),
    exit: (code) => exited(code),
  });
  return { agent, sandbox, lines, exit, runtime };
}

test('a refused SUBSCRIBE is retried; a failing command; exit after the terminal acknowledgement', async () => {
  const { agent, sandbox, exit, runtime } = await setup(false);
  agent.refuseSubscriptions = 1;
  agent.onCall = (call, a) => {
    if (call.type === 'SUBSCRIBE') {
      a.send({
        type: 'SUBSCRIBED',
        subscribed: { executor_info: { executor_id: { value: 't' } }, framework_info: input(a.url, false).framework_info, agent_info: { hostname: 'h' } },
      });
      a.send({ type: 'LAUNCH', launch: { task: task('echo hi; exit 3') } });
    }
    if (call.type === 'UPDATE') a.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't' }, uuid: call.update.status.uuid! } });
  };
  const t0 = performance.now();
  runtime.start();
  assert.is(await exit, 0);
  const waited = performance.now() - t0;
  const types = agent.calls.map((c) => (c.type === 'UPDATE' ? c.update.status.state : c.type));
  assert.equal(types, ['SUBSCRIBE', 'SUBSCRIBE', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  assert.ok(waited >= 1000, 'the retry waits the subscription interval');
  const failed = agent.calls.at(-1) as Extract<ExecutorCall, { type: 'UPDATE' }>;
  assert.is(failed.update.status.message, 'Command exited with status 3');
  assert.is(failed.update.status.source, 'SOURCE_EXECUTOR');
  assert.ok((failed.update.status.timestamp ?? 0) > 1e9);
  assert.match(readFileSync(join(sandbox, 'stdout'), 'utf8'), /^hi$/m);
  assert.is(readFileSync(join(sandbox, 'meta', 'status'), 'utf8'), '0');
  assert.ok(existsSync(join(sandbox, 'meta', 'task.pid')));
});

test('a non-checkpointing executor whose agent goes away kills its task and exits', async () => {
  const { agent, sandbox, exit, runtime } = await setup(false);
  let running!: () => void;
  const isRunning = new Promise<void>((r) => (running = r));
  agent.onCall = (call, a) => {
    if (call.type === 'SUBSCRIBE') {
      a.send({
        type: 'SUBSCRIBED',
        subscribed: { executor_info: { executor_id: { value: 't' } }, framework_info: input(a.url, false).framework_info, agent_info: { hostname: 'h' } },
      });
      a.send({ type: 'LAUNCH', launch: { task: task('sleep 30') } });
    }
    if (call.type === 'UPDATE') {
      a.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 't' }, uuid: call.update.status.uuid! } });
      if (call.update.status.state === 'TASK_RUNNING') running();
    }
  };
  runtime.start();
  await isRunning;
  const taskPid = Number(readFileSync(join(sandbox, 'meta', 'task.pid'), 'utf8'));
  assert.ok(isAlive(taskPid));
  agent.stream!.end();
  assert.is(await exit, 128 + 9);
  assert.is(readFileSync(join(sandbox, 'meta', 'status'), 'utf8'), '9');
  const deadline = Date.now() + 3000;
  while (isAlive(taskPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.not.ok(isAlive(taskPid), 'the task died with its executor');
});

test.run();
