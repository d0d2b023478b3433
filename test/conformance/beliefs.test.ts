/**
 * What a runner may see (conformance/beliefs.ts), on the sequence that failed stop 23's CI: the
 * runner subscribes, restarts the agent at once (holding the events that arrive meanwhile), then
 * reads SUBSCRIBED and OFFERS. A real master allocated before the restart reached it, so the
 * offer was for the agent that died, and a RESCIND followed. The belief must allow it: the
 * master's timers fire while events wait unread for a framework.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Beliefs } from '../../conformance/beliefs.ts';
import { configs } from '../../model/configs.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import type { ActionInfo } from '../../spec/world/system.ts';

test('a RESCIND may follow the OFFERS of an agent restarted while SUBSCRIBED was unread', () => {
  const world = mesosWorld(configs['default']!);
  const sys = world.system;
  const beliefs = new Beliefs(world, 50_000, new Map([['t1', null]]));
  let init!: Int32Array;
  sys.init((s) => (init = Int32Array.from(s)));
  const fw = world.layout.frameworks[0]!;

  /** The runner's visible action whose label matches, from any state of the closure. */
  const visibleAction = (states: readonly Int32Array[], label: RegExp): ActionInfo => {
    for (const t of states) {
      let found: ActionInfo | undefined;
      sys.actions(t, (a) => {
        if (found === undefined && beliefs.visible(t, a) && label.test(sys.describe(t, a).label)) found = sys.describe(t, a);
      });
      if (found) return found;
    }
    throw new Error(`no visible action matches ${label}`);
  };
  const observe = (states: readonly Int32Array[], type: string): Int32Array[] => {
    const c = beliefs.closure(states);
    const head = [...beliefs.heads(c, fw).keys()].find((k) => JSON.parse(k).type === type);
    assert.ok(head, `${type} may come next`);
    return beliefs.observe(c, fw, head!);
  };

  // The restart, injected right after the SUBSCRIBE call (the initial state's).
  const first = beliefs.closure([init]);
  let belief = beliefs.act(first, visibleAction(first.states, /agent-crash/));
  belief = observe(belief, 'SUBSCRIBED');
  belief = observe(belief, 'OFFERS');
  const next = [...beliefs.heads(beliefs.closure(belief), fw).keys()].map((k) => JSON.parse(k).type as string);
  assert.ok(next.includes('RESCIND'), `after OFFERS the framework may see ${next.join(', ')}`);
  assert.ok(next.includes('UPDATE'), 'and the launched task may report as well');
});

test.run();
