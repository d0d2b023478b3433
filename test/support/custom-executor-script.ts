/**
 * A framework's own executor, as a third party writes one: a small Node program (plain
 * JavaScript, node:http only, none of our modules) speaking the v1 executor HTTP API with
 * RecordIO, started by the agent through `sh -c`. Tests write it to a file and name it in an
 * ExecutorInfo. What it does:
 *   - SUBSCRIBE with the environment Mesos gives (MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID,
 *     MESOS_EXECUTOR_ID, MESOS_EXECUTOR_AUTHENTICATION_TOKEN); a checkpointing one
 *     (MESOS_CHECKPOINT=1) re-subscribes every 200 ms after its agent went away, with its
 *     unacknowledged tasks and updates, and gives up after MESOS_RECOVERY_TIMEOUT's 15 min;
 *   - LAUNCH: TASK_RUNNING, and the task keeps running (nothing to run: the executor is the task);
 *   - MESSAGE: answers with a MESSAGE call whose data is `echo:` + what it got;
 *   - KILL: TASK_KILLED; SHUTDOWN: TASK_KILLED for every task, then exit 0 once answered;
 *   - it writes its environment to `env.json` in its sandbox (the cwd), for the test to read.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = String.raw`
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const env = process.env;
fs.writeFileSync('env.json', JSON.stringify(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('MESOS_')))));
const [host, port] = env.MESOS_AGENT_ENDPOINT.split(':');
const ids = { framework_id: { value: env.MESOS_FRAMEWORK_ID }, executor_id: { value: env.MESOS_EXECUTOR_ID } };
const auth = env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN ? { Authorization: 'Bearer ' + env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN } : {};
const checkpoint = env.MESOS_CHECKPOINT === '1';
const tasks = new Map();    // task id -> TaskInfo, while running
const unacked = new Map();  // uuid -> Call.Update, until ACKNOWLEDGED
const unackedTasks = new Map(); // task id -> TaskInfo, until one of its updates is acknowledged
let pending = 0;
let shuttingDown = false;
let gaveUpAt = Date.now() + 15 * 60 * 1000;

function post(body, onAnswer) {
  pending++;
  const data = JSON.stringify(Object.assign({}, ids, body));
  const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, auth) }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => { pending--; console.error('call ' + body.type + ': ' + res.statusCode + ' ' + text); if (onAnswer) onAnswer(res.statusCode); maybeExit(); });
  });
  req.on('error', () => { pending--; maybeExit(); });
  req.end(data);
}
function maybeExit() { if (shuttingDown && pending === 0) process.exit(0); }
function update(taskId, state) {
  const uuid = Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex').toString('base64');
  const u = { status: { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid } };
  unacked.set(uuid, u);
  post({ type: 'UPDATE', update: u });
}
function handle(ev) {
  console.error('event ' + ev.type);
  switch (ev.type) {
    case 'LAUNCH': {
      const t = ev.launch.task;
      tasks.set(t.task_id.value, t);
      unackedTasks.set(t.task_id.value, t);
      update(t.task_id.value, 'TASK_RUNNING');
      break;
    }
    case 'ACKNOWLEDGED': {
      unacked.delete(ev.acknowledged.uuid);
      unackedTasks.delete(ev.acknowledged.task_id.value);
      break;
    }
    case 'MESSAGE': {
      const text = Buffer.from(ev.message.data, 'base64').toString('utf8');
      post({ type: 'MESSAGE', message: { data: Buffer.from('echo:' + text).toString('base64') } });
      break;
    }
    case 'KILL': {
      tasks.delete(ev.kill.task_id.value);
      update(ev.kill.task_id.value, 'TASK_KILLED');
      break;
    }
    case 'SHUTDOWN': {
      for (const id of [...tasks.keys()].sort()) update(id, 'TASK_KILLED');
      tasks.clear();
      shuttingDown = true;
      maybeExit();
      break;
    }
  }
}
function subscribe() {
  const body = { type: 'SUBSCRIBE', subscribe: { unacknowledged_tasks: [...unackedTasks.values()], unacknowledged_updates: [...unacked.values()] } };
  const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, auth) }, (res) => {
    if (res.statusCode !== 200) { res.resume(); return retry(); }
    let buf = Buffer.alloc(0);
    res.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const nl = buf.indexOf(10);
        if (nl < 0) break;
        const len = Number(buf.subarray(0, nl).toString('utf8'));
        if (buf.length < nl + 1 + len) break;
        const ev = JSON.parse(buf.subarray(nl + 1, nl + 1 + len).toString('utf8'));
        buf = buf.subarray(nl + 1 + len);
        handle(ev);
      }
    });
    res.on('end', retry);
    res.on('error', retry);
  });
  req.on('error', retry);
  req.end(JSON.stringify(Object.assign({}, ids, body)));
}
let retrying = false;
function retry() {
  if (retrying || shuttingDown) return;
  if (!checkpoint || Date.now() > gaveUpAt) process.exit(1);
  retrying = true;
  setTimeout(() => { retrying = false; subscribe(); }, 200);
}
subscribe();
`;

/** Writes the executor program to `dir`; returns its path. */
export function writeCustomExecutor(dir: string): string {
  const path = join(dir, 'my-executor.cjs');
  writeFileSync(path, SOURCE);
  return path;
}
