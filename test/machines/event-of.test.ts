/**
 * eventOf (spec/machines/event-of.ts): an action bound to one event type gets that event back,
 * narrowed; an action bound to another event is a wiring bug, which throws with both types named
 * (a step that throws is the checker's `error` verdict, with its trace).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventOf } from '../../spec/machines/event-of.ts';

type Ev = { type: 'UPDATE'; task: string } | { type: 'OFFERS'; count: number };

test('the event an action was written for comes back as it is', () => {
  const e: Ev = { type: 'UPDATE', task: 't1' };
  assert.is(eventOf(e, 'UPDATE'), e);
  assert.is(eventOf(e, 'UPDATE').task, 't1');
});

test('an action bound to another event throws, naming the type it was written for and the one it got', () => {
  const e = { type: 'OFFERS', count: 1 } as Ev;
  assert.throws(() => eventOf(e, 'UPDATE'), /an action written for UPDATE was bound to OFFERS/);
});

test.run();
