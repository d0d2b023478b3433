/**
 * MesosLite (../shared/anchors/MesosLite.tla, mesos_lite.pml) ported to XState machines that run
 * in our world: one machine per process, the TLA+ variables split over their contexts, one
 * transition per TLA+ action. The world supplies the links (bounded FIFO, capacity QSZ), the
 * agent crash fault (MAXCRASH, shared by all agents) and the nondeterminism: the master's choice
 * of which agent to offer to which framework, a framework's accept-or-decline, how a task ends.
 *
 * The port must reach exactly TLC's distinct-state count at every size in the anchors' table:
 * that is the checker's exactness test, and the MesosLite benchmark compares our time and memory
 * with SPIN's on the same graph.
 */
import { and, assign, emit, not, setup } from 'xstate';

export interface Params {
  readonly A: number;
  readonly F: number;
  readonly T: number;
  readonly CPUS: number;
  readonly QSZ: number;
  readonly MAXCRASH: number;
  readonly RETX: 0 | 1;
}

// Task states, ordered: a task only moves up.
export const NONE = 0;
export const LAUNCHED = 1;
export const RUNNING = 2;
export const FINISHED = 3;
export const FAILED = 4;
export const LOST = 5;
export const terminal = (s: number): boolean => s >= FINISHED;

/** No outstanding offer on an agent; the "agent" of a master-generated update. */
const NOFW = 255;
export const MASTER = 255;

export interface Msg {
  type: 'OFFER' | 'UPDATE' | 'REREG' | 'ACCEPT' | 'DECLINE' | 'ACK' | 'RUN';
  x: number;
  y: number;
  z: number;
}
type Delivered = Msg & { from: string };

const indexOf = (address: string): number => Number(address.slice(address.lastIndexOf('-') + 1));
const set = (xs: readonly number[], i: number, v: number): number[] => xs.map((x, j) => (j === i ? v : x));
const send = (to: string, msg: Msg, mode: 'block' | 'drop' | 'empty' = 'block') => ({ type: 'send' as const, to, msg, mode });

// ------------------------------------------------------------------------------------ master

export interface MasterContext {
  p: Params;
  alloc: number[];
  offered: number[];
  offerFw: number[];
  inc: number[];
  accepted: number[];
  mstate: number[];
  tagent: number[];
  mack: number[];
  mpend: number[];
}

type MasterEvent = Delivered | { type: 'OFFER_CHOICE'; a: number; f: number } | { type: 'PENDING'; t: number };

export const master = setup({
  types: {} as { context: MasterContext; events: MasterEvent; input: Params; emitted: ReturnType<typeof send> },
  guards: {
    canOffer: ({ context: c }, { a, f }: { a: number; f: number }) => c.offerFw[a] === NOFW && c.alloc[a]! < c.p.CPUS && c.accepted[f]! < c.p.T,
    hasPending: ({ context: c }, { t }: { t: number }) => c.mpend[t] === 1,
    ackForAgent: ({ event }) => (event as Delivered).x !== MASTER,
    offerStillValid: ({ context: c, event }) => {
      const e = event as Delivered;
      return e.z === c.inc[e.x] && c.offerFw[e.x] === indexOf(e.from);
    },
  },
  actions: {
    /** Offer(a, f): all of agent a's free cpus to framework f. */
    offer: assign(({ context: c }, { a, f }: { a: number; f: number }) => ({
      offered: set(c.offered, a, c.p.CPUS - c.alloc[a]!),
      offerFw: set(c.offerFw, a, f),
    })),
    sendOffer: emit(({ context: c }, { a, f }: { a: number; f: number }) => send(`fw-${f}`, { type: 'OFFER', x: a, y: c.offered[a]!, z: c.inc[a]! })),
    /** MasterUpdate(a, t, s): apply monotonically, release cpus on terminal, forward (drop if full). */
    applyUpdate: assign(({ context: c, event }) => {
      const e = event as Delivered;
      const a = indexOf(e.from);
      const t = e.x;
      const s = e.y;
      const apply = c.tagent[t] === a + 1 && !terminal(c.mstate[t]!) && s > c.mstate[t]!;
      if (!apply) return {};
      return {
        mstate: set(c.mstate, t, s),
        alloc: terminal(s) ? set(c.alloc, a, c.alloc[a]! - 1) : c.alloc,
      };
    }),
    forwardUpdate: emit(({ context: c, event }) => {
      const e = event as Delivered;
      return send(`fw-${Math.floor(e.x / c.p.T)}`, { type: 'UPDATE', x: indexOf(e.from), y: e.x, z: e.y }, 'drop');
    }),
    /** MasterRereg(a, z): rescind, mark LOST, take over delivery of what the framework lacks. */
    reregister: assign(({ context: c, event }) => {
      const e = event as Delivered;
      const a = indexOf(e.from);
      const mine = (t: number) => c.tagent[t] === a + 1;
      return {
        inc: set(c.inc, a, e.z),
        mstate: c.mstate.map((s, t) => (mine(t) && !terminal(s) ? LOST : s)),
        mpend: c.mpend.map((p, t) => (mine(t) && (!terminal(c.mstate[t]!) || c.mack[t] !== c.mstate[t]) ? 1 : p)),
        alloc: set(c.alloc, a, 0),
        offered: set(c.offered, a, 0),
        offerFw: set(c.offerFw, a, NOFW),
      };
    }),
    /** MasterAccept on a valid offer: launch. */
    launch: assign(({ context: c, event }) => {
      const e = event as Delivered;
      const f = indexOf(e.from);
      return {
        accepted: set(c.accepted, f, c.accepted[f]! + 1),
        offered: set(c.offered, e.x, 0),
        offerFw: set(c.offerFw, e.x, NOFW),
        alloc: set(c.alloc, e.x, c.alloc[e.x]! + 1),
        mstate: set(c.mstate, e.y, LAUNCHED),
        tagent: set(c.tagent, e.y, e.x + 1),
      };
    }),
    sendRun: emit(({ event }) => {
      const e = event as Delivered;
      return send(`agent-${e.x}`, { type: 'RUN', x: e.y, y: 0, z: e.z });
    }),
    /** MasterAccept on a rescinded offer: the task is LOST, and the master owns that update. */
    launchLost: assign(({ context: c, event }) => {
      const e = event as Delivered;
      const f = indexOf(e.from);
      return {
        accepted: set(c.accepted, f, c.accepted[f]! + 1),
        mstate: set(c.mstate, e.y, LOST),
        mpend: set(c.mpend, e.y, 1),
      };
    }),
    decline: assign(({ context: c, event }) => {
      const e = event as Delivered;
      if (e.z !== c.inc[e.x]) return {};
      return { offered: set(c.offered, e.x, 0), offerFw: set(c.offerFw, e.x, NOFW) };
    }),
    /** MasterAck: record, stop owning the update if it was the latest, forward (drop if full). */
    acknowledge: assign(({ context: c, event }) => {
      const e = event as Delivered;
      return {
        mack: set(c.mack, e.y, Math.max(c.mack[e.y]!, e.z)),
        mpend: e.z === c.mstate[e.y] ? set(c.mpend, e.y, 0) : c.mpend,
      };
    }),
    forwardAck: emit(({ event }) => {
      const e = event as Delivered;
      return send(`agent-${e.x}`, { type: 'ACK', x: e.y, y: e.z, z: 0 }, 'drop');
    }),
    /** MasterPending(t): (re)deliver the status the master owns. */
    sendPending: emit(({ context: c }, { t }: { t: number }) => send(`fw-${Math.floor(t / c.p.T)}`, { type: 'UPDATE', x: MASTER, y: t, z: c.mstate[t]! })),
  },
}).createMachine({
  id: 'mesosLiteMaster',
  context: ({ input: p }) => {
    const nt = p.F * p.T;
    return {
      p,
      alloc: Array(p.A).fill(0),
      offered: Array(p.A).fill(0),
      offerFw: Array(p.A).fill(NOFW),
      inc: Array(p.A).fill(0),
      accepted: Array(p.F).fill(0),
      mstate: Array(nt).fill(NONE),
      tagent: Array(nt).fill(0),
      mack: Array(nt).fill(0),
      mpend: Array(nt).fill(0),
    };
  },
  on: {
    OFFER_CHOICE: {
      guard: { type: 'canOffer', params: ({ event }) => event },
      actions: [
        { type: 'offer', params: ({ event }) => event },
        { type: 'sendOffer', params: ({ event }) => event },
      ],
    },
    PENDING: {
      guard: { type: 'hasPending', params: ({ event }) => event },
      actions: { type: 'sendPending', params: ({ event }) => event },
    },
    UPDATE: { actions: ['applyUpdate', 'forwardUpdate'] },
    REREG: { actions: 'reregister' },
    ACCEPT: [{ guard: 'offerStillValid', actions: ['launch', 'sendRun'] }, { actions: 'launchLost' }],
    DECLINE: { actions: 'decline' },
    // An ACK of a master-owned update (x = MASTER) stops at the master.
    ACK: [{ guard: 'ackForAgent', actions: ['acknowledge', 'forwardAck'] }, { actions: 'acknowledge' }],
  },
});

// ------------------------------------------------------------------------------------ agent

export interface AgentContext {
  p: Params;
  /** Index of this agent. */
  me: number;
  /** Per task of the whole system: running here (aon[t] = a + 1), its state, the last ack. */
  on: number[];
  st: number[];
  ack: number[];
  live: number;
  myinc: number;
}

export interface AgentInput {
  p: Params;
  me: number;
  myinc: number;
}

type AgentEvent = Delivered | { type: 'TASK_END'; t: number; s: number } | { type: 'SEND_UPDATE'; t: number };

/** The update the agent still has to get acknowledged for task t (0 = none). */
export function out(c: AgentContext, t: number): number {
  if (c.st[t] === 0) return 0;
  if (c.ack[t] === 0) return RUNNING;
  if (c.ack[t] === RUNNING && terminal(c.st[t]!)) return c.st[t]!;
  return 0;
}

export const agent = setup({
  types: {} as { context: AgentContext; events: AgentEvent; input: AgentInput; emitted: ReturnType<typeof send> },
  guards: {
    currentIncarnation: ({ context: c, event }) => (event as Delivered).z === c.myinc,
    expectedAck: ({ context: c, event }) => {
      const e = event as Delivered;
      return c.on[e.x] === 1 && e.y === out(c, e.x);
    },
    terminalAck: ({ event }) => terminal((event as Delivered).y),
    restarted: ({ context: c }) => c.myinc > 0,
    taskRunning: ({ context: c }, { t }: { t: number }) => c.on[t] === 1 && c.st[t] === RUNNING,
    hasUpdate: ({ context: c }, { t }: { t: number }) => c.on[t] === 1 && out(c, t) !== 0,
  },
  actions: {
    run: assign(({ context: c, event }) => {
      const t = (event as Delivered).x;
      return { on: set(c.on, t, 1), st: set(c.st, t, RUNNING), ack: set(c.ack, t, 0), live: c.live + 1 };
    }),
    forget: assign(({ context: c, event }) => {
      const t = (event as Delivered).x;
      return { on: set(c.on, t, 0), st: set(c.st, t, 0), ack: set(c.ack, t, 0) };
    }),
    recordAck: assign(({ context: c, event }) => {
      const e = event as Delivered;
      return { ack: set(c.ack, e.x, e.y) };
    }),
    end: assign(({ context: c }, { t, s }: { t: number; s: number }) => ({ st: set(c.st, t, s), live: c.live - 1 })),
    sendUpdate: emit(({ context: c }, { t }: { t: number }) => send('master', { type: 'UPDATE', x: t, y: out(c, t), z: 0 }, c.p.RETX === 1 ? 'block' : 'empty')),
    announce: emit(({ context: c }) => send('master', { type: 'REREG', x: 0, y: 0, z: c.myinc })),
  },
}).createMachine({
  id: 'mesosLiteAgent',
  context: ({ input }) => {
    const nt = input.p.F * input.p.T;
    return { p: input.p, me: input.me, on: Array(nt).fill(0), st: Array(nt).fill(0), ack: Array(nt).fill(0), live: 0, myinc: input.myinc };
  },
  initial: 'starting',
  states: {
    // A restarted incarnation (myinc > 0) re-registers first thing.
    starting: { always: [{ guard: 'restarted', target: 'up', actions: 'announce' }, { target: 'up' }] },
    up: {
      on: {
        RUN: { guard: 'currentIncarnation', actions: 'run' },
        ACK: [
          { guard: and(['expectedAck', 'terminalAck']), actions: 'forget' },
          { guard: 'expectedAck', actions: 'recordAck' },
        ],
        TASK_END: { guard: { type: 'taskRunning', params: ({ event }) => event }, actions: { type: 'end', params: ({ event }) => event } },
        SEND_UPDATE: { guard: { type: 'hasUpdate', params: ({ event }) => event }, actions: { type: 'sendUpdate', params: ({ event }) => event } },
      },
    },
  },
});

// ------------------------------------------------------------------------------------ framework

export interface FrameworkContext {
  p: Params;
  me: number;
  /** How many of its T tasks it has launched. */
  next: number;
  /** The highest state it has seen of each of its tasks (index t - me * T). */
  fst: number[];
}

type FrameworkEvent = Delivered & { decision?: 'accept' | 'decline' };

export const framework = setup({
  types: {} as { context: FrameworkContext; events: FrameworkEvent; input: { p: Params; me: number }; emitted: ReturnType<typeof send> },
  guards: {
    accepting: ({ event }) => event.decision === 'accept',
    hasTaskLeft: ({ context: c }) => c.next < c.p.T,
  },
  actions: {
    /** FwAccept: launch the next task on the offer. */
    accept: emit(({ context: c, event }) => send('master', { type: 'ACCEPT', x: event.x, y: c.me * c.p.T + c.next, z: event.z })),
    countLaunch: assign(({ context: c }) => ({ next: c.next + 1 })),
    decline: emit(({ event }) => send('master', { type: 'DECLINE', x: event.x, y: 0, z: event.z })),
    /** FwUpdate: remember the highest state, acknowledge. */
    record: assign(({ context: c, event }) => {
      const i = event.y - c.me * c.p.T;
      return { fst: set(c.fst, i, Math.max(c.fst[i]!, event.z)) };
    }),
    acknowledge: emit(({ event }) => send('master', { type: 'ACK', x: event.x, y: event.y, z: event.z })),
  },
}).createMachine({
  id: 'mesosLiteFramework',
  context: ({ input }) => ({ p: input.p, me: input.me, next: 0, fst: Array(input.p.T).fill(NONE) }),
  on: {
    OFFER: [
      { guard: and(['accepting', 'hasTaskLeft']), actions: ['accept', 'countLaunch'] },
      { guard: not('accepting'), actions: 'decline' },
    ],
    UPDATE: { actions: ['record', 'acknowledge'] },
  },
});
