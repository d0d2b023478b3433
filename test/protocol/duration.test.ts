import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, parseDuration } from '../../spec/protocol/duration.ts';

test('stout prints a duration in the largest unit not above it', () => {
  assert.is(formatDuration(500), '500ms');
  assert.is(formatDuration(1000), '1secs');
  assert.is(formatDuration(15_000), '15secs');
  assert.is(formatDuration(60_000), '1mins');
  assert.is(formatDuration(90_000), '1.5mins');
  assert.is(formatDuration(600_000), '10mins');
  assert.is(formatDuration(3_600_000), '1hrs');
  assert.is(formatDuration(7 * 86_400_000), '1weeks');
  assert.is(formatDuration(0.5), '0.5ms');
});

test("stout's syntax parses, in every spelling, and rejects what stout rejects", () => {
  assert.is(parseDuration('5secs'), 5000);
  assert.is(parseDuration('2s'), 2000);
  assert.is(parseDuration('1.5mins'), 90_000);
  assert.is(parseDuration(' 10 mins '), 600_000);
  assert.is(parseDuration('100us'), 0.1);
  for (const bad of ['', 'secs', '5', '-1secs', '5 fortnights', '1e3ms']) assert.is(parseDuration(bad), null, bad);
});

test('what is printed parses back to the same duration', () => {
  for (const ms of [1, 250, 1000, 1500, 59_999, 60_000, 90_000, 3_600_000, 86_400_000, 1_209_600_000]) {
    assert.is(parseDuration(formatDuration(ms)), ms, formatDuration(ms));
  }
});

test.run();
