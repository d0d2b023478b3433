/**
 * Scenarios carry the model master's answer to each call (its `reply` effect's status) and mark
 * the calls no master may accept: the general framework's stale-stream lie, sent by the runner
 * with a stale Mesos-Stream-Id. A refused call changes no event, so its answer is all the runner
 * can judge; the runtime mutant catalogue's master that answers refused calls 202 is killed by
 * the gate suite's SUPPRESS-2 (test/conformance/mutant-catalogue.test.ts).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallStep, Scenario } from '../../conformance/index.ts';
import { suiteOf } from './support.ts';

const calls = (s: Scenario) => s.steps.filter((x): x is CallStep => x.kind === 'call');

test('the gate suite: a SUPPRESS under a stale stream id carries the model`s 400 and is refused always', () => {
  const sc = suiteOf('gate').scenarios.find((s) => s.name === 'transition-master.leading.SUPPRESS-2')!;
  assert.ok(sc, 'the gate suite has transition-master.leading.SUPPRESS-2');
  const suppress = calls(sc).find((c) => c.call.type === 'SUPPRESS')!;
  assert.equal({ answer: suppress.answer, staleStream: suppress.staleStream, refusedAlways: suppress.refusedAlways }, { answer: 400, staleStream: true, refusedAlways: true });
  // Its SUBSCRIBE is answered by the stream, not by a status.
  assert.is(calls(sc)[0]!.call.type, 'SUBSCRIBE');
  assert.is(calls(sc)[0]!.answer, undefined);
});

test('the gate suite: every call the model refuses on its trace has a refusal status; only lies are refused always', () => {
  const all = suiteOf('gate').scenarios.flatMap(calls);
  assert.ok(
    all.some((c) => c.answer !== undefined && c.answer >= 400 && c.refusedAlways === undefined),
    'some refusals depend on the order of deliveries (a call racing its framework`s SUBSCRIBE): not judged',
  );
  for (const c of all.filter((x) => x.refusedAlways))
    assert.ok(c.answer !== undefined && c.answer >= 400, `${c.call.type}: a call refused always has a refusal answer (${c.answer})`);
});

test('the default suite: the model answers each delivered call 2xx and marks none refused always', () => {
  const all = suiteOf('default').scenarios.flatMap(calls);
  assert.ok(all.some((c) => c.answer === 202));
  assert.equal(
    all.filter((c) => c.answer !== undefined && c.answer >= 300).map((c) => `${c.call.type} ${c.answer}`),
    [],
  );
  assert.equal(all.filter((c) => c.refusedAlways || c.staleStream || c.noStream || c.api).length, 0);
});

test.run();
