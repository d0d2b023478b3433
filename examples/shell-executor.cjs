#!/usr/bin/env node
/**
 * A framework's own executor, written as a third party would (plain Node, node:http only, no
 * module of mesos-ref): it speaks the v1 executor HTTP API with RecordIO and is started by the
 * agent through `sh -c`, e.g. `mesos-ref run --executor 'node examples/shell-executor.cjs'`.
 *
 *   - SUBSCRIBE with the environment Mesos gives an executor (MESOS_AGENT_ENDPOINT,
 *     MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_EXECUTOR_AUTHENTICATION_TOKEN); when the
 *     framework checkpoints (MESOS_CHECKPOINT=1) it re-subscribes every 200 ms after its agent
 *     went away, with its unacknowledged tasks and updates, for MESOS_RECOVERY_TIMEOUT (15 min);
 *   - LAUNCH: TASK_RUNNING; a task whose `data` holds a command (base64) runs it with `sh -c`
 *     and ends TASK_FINISHED (exit 0) or TASK_FAILED; a task without one runs until killed;
 *   - MESSAGE: answers with a MESSAGE whose data is `echo:` + what it got;
 *   - KILL: TASK_KILLED; SHUTDOWN: TASK_KILLED for every task, then exit 0 once answered;
 *   - each update's `data` is `executor-uuid:<its uuid>`, so a framework can see that the
 *     update it gets is the one sent here (an agent forwards it under the executor's uuid);
 *   - it writes its MESOS_* environment to `env.json` in its sandbox (the cwd) and logs each
 *     event and call to stderr.
 */
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const env = process.env;
fs.writeFileSync('env.json', JSON.stringify(Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('MESOS_')))));
const [host, port] = env.MESOS_AGENT_ENDPOINT.split(':');
const ids = { framework_id: { value: env.MESOS_FRAMEWORK_ID }, executor_id: { value: env.MESOS_EXECUTOR_ID } };
const auth = env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN ? { Authorization: 'Bearer ' + env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN } : {};
const checkpoint = env.MESOS_CHECKPOINT === '1';
const giveUpAt = Date.now() + 15 * 60 * 1000;
const tasks = new Map(); // task id -> its child process (or null), while running
const unacked = new Map(); // uuid -> Call.Update, until ACKNOWLEDGED
const unackedTasks = new Map(); // task id -> TaskInfo, until one of its updates is acknowledged
let pending = 0;
let shuttingDown = false;

function post(body) {
  pending++;
  const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers: { 'Content-Type': 'application/json', ...auth } }, (res) => {
    let text = '';
    res.on('data', (c) => (text += c));
    res.on('end', () => {
      pending--;
      console.error(`call ${body.type}: ${res.statusCode} ${text}`);
      maybeExit();
    });
  });
  req.on('error', () => {
    pending--;
    maybeExit();
  });
  req.end(JSON.stringify({ ...ids, ...body }));
}

function maybeExit() {
  if (shuttingDown && pending === 0) process.exit(0);
}

function update(taskId, state, message) {
  const uuid = Buffer.from(crypto.randomUUID().replace(/-/g, ''), 'hex').toString('base64');
  // `data` names the uuid, so that a framework can tell the update it receives is the one sent
  // here (the conformance runner checks it: impl/conformance/executor-uuids.ts).
  const data = Buffer.from('executor-uuid:' + uuid).toString('base64');
  const u = { status: { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid, data, ...(message ? { message } : {}) } };
  unacked.set(uuid, u);
  post({ type: 'UPDATE', update: u });
}

function launch(task) {
  const id = task.task_id.value;
  unackedTasks.set(id, task);
  const command = task.data ? Buffer.from(task.data, 'base64').toString('utf8') : '';
  if (command === '') {
    tasks.set(id, null);
    update(id, 'TASK_RUNNING');
    return;
  }
  const child = spawn('/bin/sh', ['-c', command], { stdio: 'inherit' });
  tasks.set(id, child);
  update(id, 'TASK_RUNNING');
  child.on('exit', (code, signal) => {
    if (!tasks.has(id)) return; // killed: already reported
    tasks.delete(id);
    if (code === 0) update(id, 'TASK_FINISHED', 'Command exited with status 0');
    else update(id, 'TASK_FAILED', signal ? `Command terminated with signal ${signal}` : `Command exited with status ${code}`);
  });
}

function kill(id) {
  const child = tasks.get(id);
  tasks.delete(id);
  if (child) child.kill('SIGTERM');
  update(id, 'TASK_KILLED');
}

function handle(ev) {
  console.error(`event ${ev.type}`);
  switch (ev.type) {
    case 'LAUNCH':
      launch(ev.launch.task);
      break;
    case 'ACKNOWLEDGED':
      unacked.delete(ev.acknowledged.uuid);
      unackedTasks.delete(ev.acknowledged.task_id.value);
      break;
    case 'MESSAGE': {
      const text = Buffer.from(ev.message.data, 'base64').toString('utf8');
      post({ type: 'MESSAGE', message: { data: Buffer.from('echo:' + text).toString('base64') } });
      break;
    }
    case 'KILL':
      if (tasks.has(ev.kill.task_id.value)) kill(ev.kill.task_id.value);
      break;
    case 'SHUTDOWN':
      for (const id of [...tasks.keys()].sort()) kill(id);
      shuttingDown = true;
      maybeExit();
      break;
  }
}

let retrying = false;
function retry() {
  if (retrying || shuttingDown) return;
  if (!checkpoint || Date.now() > giveUpAt) process.exit(1);
  retrying = true;
  setTimeout(() => {
    retrying = false;
    subscribe();
  }, 200);
}

function subscribe() {
  const body = { type: 'SUBSCRIBE', subscribe: { unacknowledged_tasks: [...unackedTasks.values()], unacknowledged_updates: [...unacked.values()] } };
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', ...auth };
  const req = http.request({ host, port, path: '/api/v1/executor', method: 'POST', headers }, (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      retry();
      return;
    }
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
  req.end(JSON.stringify({ ...ids, ...body }));
}

subscribe();
