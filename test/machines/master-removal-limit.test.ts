/**
 * `--agent_removal_rate_limit` on the master machine alone (spec/machines/master/removal-limiter.ts):
 * with 1/60secs, the first agent that misses its pings is marked unreachable at once, the second
 * waits for the permit timer (60 s later) while still pinged; a pong meanwhile cancels its
 * removal; without the flag both go at once. The flag's parser gives Mesos's messages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MasterDriver } from '../support/master-driver.ts';
import { REMOVAL_PERMIT_TIMER } from '../../spec/machines/master/removal-limiter.ts';
import { parseRemovalRateLimit } from '../../spec/protocol/removal-rate-limit.ts';
import { parseDuration } from '../../spec/protocol/duration.ts';

const FLAGS = { heartbeatIntervalMs: 0, agentPingTimeoutMs: 1000, maxAgentPingTimeouts: 1 };

/** Two agents that stop answering pings: each ping timer fires twice (the second counts the miss). */
function twoSilentAgents(limit?: { permits: number; durationMs: number }) {
  const d = new MasterDriver(undefined, { id: 'm', flags: { ...FLAGS, ...(limit ? { agentRemovalRateLimit: limit } : {}) } });
  const a0 = d.registerAgent('agent-0');
  const a1 = d.registerAgent('agent-1');
  d.fire(`ping:${a0}`).fire(`ping:${a1}`);
  return { d, a0, a1 };
}

test('no limit: both silent agents are marked unreachable as soon as they miss their pings', () => {
  const { d, a0, a1 } = twoSilentAgents();
  d.fire(`ping:${a0}`).fire(`ping:${a1}`);
  assert.equal(d.ctx.registry.unreachable, [a0, a1]);
  assert.is(d.ctx.removals, undefined);
});

test('1/60secs: the first goes at once, the second waits for the permit timer and still gets pinged, then goes', () => {
  const { d, a0, a1 } = twoSilentAgents({ permits: 1, durationMs: 60_000 });
  d.fire(`ping:${a0}`);
  assert.equal(d.ctx.registry.unreachable, [a0]);
  assert.is(d.local.timers.find((t) => t.id === REMOVAL_PERMIT_TIMER)?.delay, 60_000);
  d.fire(`ping:${a1}`);
  assert.equal(d.ctx.registry.unreachable, [a0], 'the second removal waits');
  assert.equal(d.ctx.removals, { waiting: [a1] });
  assert.equal(d.sent('agent-1', 'PING').length, 1, 'a waiting agent is still pinged');
  d.fire(REMOVAL_PERMIT_TIMER);
  assert.equal(d.ctx.registry.unreachable, [a0, a1]);
  // The permit starts a new interval; when it ends with nobody waiting the limiter is idle.
  d.fire(REMOVAL_PERMIT_TIMER);
  assert.is(d.ctx.removals, undefined);
  assert.not.ok(d.local.timers.some((t) => t.id === REMOVAL_PERMIT_TIMER));
});

test('1/60secs: a pong while waiting cancels the removal', () => {
  const { d, a0, a1 } = twoSilentAgents({ permits: 1, durationMs: 60_000 });
  d.fire(`ping:${a0}`).fire(`ping:${a1}`);
  assert.equal(d.ctx.removals, { waiting: [a1] });
  d.deliver({ type: 'PONG', from: 'agent-1' });
  assert.equal(d.ctx.removals, { waiting: [] });
  d.fire(REMOVAL_PERMIT_TIMER);
  assert.equal(d.ctx.registry.unreachable, [a0]);
  assert.ok(d.ctx.agents[a1]);
});

test("--agent_removal_rate_limit's format and Mesos's messages", () => {
  assert.equal(parseRemovalRateLimit('1/10mins', parseDuration), { ok: true, value: { permits: 1, durationMs: 600_000 } });
  assert.equal(parseRemovalRateLimit('3/1secs', parseDuration), { ok: true, value: { permits: 3, durationMs: 1000 } });
  assert.equal(parseRemovalRateLimit('10mins', parseDuration), { ok: false, error: 'Invalid agent_removal_rate_limit: 10mins. Format is <Number of agents>/<Duration>' });
  assert.equal(parseRemovalRateLimit('x/10mins', parseDuration), {
    ok: false,
    error: "Invalid agent_removal_rate_limit: x/10mins. Format is <Number of agents>/<Duration>: Failed to convert 'x' to number",
  });
  assert.equal(parseRemovalRateLimit('1/soon', parseDuration), {
    ok: false,
    error: "Invalid agent_removal_rate_limit: 1/soon. Format is <Number of agents>/<Duration>: Invalid duration 'soon'",
  });
  assert.equal(parseRemovalRateLimit('0/1mins', parseDuration).ok, false);
});

test.run();
