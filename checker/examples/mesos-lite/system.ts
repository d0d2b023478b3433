/**
 * The MesosLite world: the machines of machines.ts wired as in MesosLite.tla. Channel names map
 * to the TLA+ links: master -> agent-a is m2a[a], agent-a -> master is a2m[a], master -> fw-f is
 * m2f[f], fw-f -> master is f2m[f].
 */
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { System, type ChannelDef, type ComponentDef } from '../../../spec/world/system.ts';
import { agent, framework, master, terminal, FINISHED, FAILED, type AgentContext, type FrameworkContext, type MasterContext, type Params } from './machines.ts';

export const defaults: Params = { A: 1, F: 1, T: 1, CPUS: 2, QSZ: 2, MAXCRASH: 1, RETX: 0 };

/** The three machines; a test passes a mutant (`master.provide({ actions: ... })`) in place of one. */
export interface MesosLiteMachines {
  readonly master?: AnyStateMachine;
  readonly agent?: AnyStateMachine;
  readonly framework?: AnyStateMachine;
}

export function mesosLiteSystem(p: Params, machines: MesosLiteMachines = {}): System {
  const nt = p.F * p.T;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const masterEnv: AnyEventObject[] = [...range(p.A).flatMap((a) => range(p.F).map((f) => ({ type: 'OFFER_CHOICE', a, f }))), ...range(nt).map((t) => ({ type: 'PENDING', t }))];
  const agentEnv: AnyEventObject[] = range(nt).flatMap((t) => [
    { type: 'TASK_END', t, s: FINISHED },
    { type: 'TASK_END', t, s: FAILED },
    { type: 'SEND_UPDATE', t },
  ]);
  const components: ComponentDef[] = [
    { name: 'master', machine: machines.master ?? master, running: true, permanent: true, input: p, environment: masterEnv },
    ...range(p.A).map((a) => ({
      name: `agent-${a}`,
      machine: machines.agent ?? agent,
      running: true,
      permanent: true,
      input: { p, me: a, myinc: 0 },
      restartInput: (c: unknown) => ({ p, me: a, myinc: (c as AgentContext).myinc + 1 }),
      environment: agentEnv,
    })),
    ...range(p.F).map((f) => ({
      name: `fw-${f}`,
      machine: machines.framework ?? framework,
      running: true,
      permanent: true,
      input: { p, me: f },
      choices: (e: AnyEventObject) => (e.type === 'OFFER' ? [{ decision: 'accept' }, { decision: 'decline' }] : [{}]),
    })),
  ];
  // The master forwards updates and acknowledgements in 'drop' mode (MesosLite.tla drops them when full).
  const link = (from: string, to: string): ChannelDef => ({ from, to, kind: 'fifo', bound: p.QSZ, ...(from === 'master' ? { mayDrop: true } : {}) });
  const channels: ChannelDef[] = [
    ...range(p.A).flatMap((a) => [link('master', `agent-${a}`), link(`agent-${a}`, 'master')]),
    ...range(p.F).flatMap((f) => [link('master', `fw-${f}`), link(`fw-${f}`, 'master')]),
  ];
  return new System({
    components,
    channels,
    timing: 'abstract',
    faults: { restarts: [{ name: 'crash', components: range(p.A).map((a) => `agent-${a}`), budget: p.MAXCRASH }] },
  });
}

/** The TLA+ invariants, over a world state. */
export function mesosLiteInvariants(sys: System, p: Params) {
  const masterCtx = (s: Int32Array) => sys.localOf(s, 'master')!.context as MasterContext;
  return {
    NoOverAllocation: (s: Int32Array) => {
      const m = masterCtx(s);
      return m.alloc.every((x, a) => x + m.offered[a]! <= p.CPUS);
    },
    AgentCapacity: (s: Int32Array) => {
      for (let a = 0; a < p.A; a++) if ((sys.localOf(s, `agent-${a}`)!.context as AgentContext).live > p.CPUS) return false;
      return true;
    },
    NoResurrection: (s: Int32Array) => {
      for (let f = 0; f < p.F; f++) {
        const head = sys.channelEvents(s, sys.channel('master', `fw-${f}`)!)[0];
        if (!head || head.type !== 'UPDATE') continue;
        const fw = sys.localOf(s, `fw-${f}`)!.context as FrameworkContext;
        const seen = fw.fst[head.y - f * p.T]!;
        if (terminal(seen) && seen !== head.z) return false;
      }
      return true;
    },
  };
}
