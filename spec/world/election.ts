/**
 * Highly available masters (issue 19): ZooKeeper as the model sees it, an environment component
 * like the cause record. It is the leader election and the registry's versioned node at once,
 * as impl/zk/ uses one ensemble for both.
 *
 * The slot `master` is the address agents and frameworks follow: whoever leads. When the
 * leader's session expires (ELECT, within the master-failover budget) the next master in line is
 * elected: it reads the registry and claims it (rewrites it at the version it read, as
 * impl/zk/registry-store.ts does), and starts in `master`; the old leader goes on running in the
 * slot `deposed`, unaware, with the messages that were on their way to it, until its own
 * contender notices and it aborts (ABORT). Agents and frameworks see their link to the leader
 * break and follow the new one (their detectors, as the runtime's follow.ts). What the deposed
 * master sends to them is lost: they left it.
 *
 * The registry's writes (the master's `persist` effects) reach the node within the master's
 * step. A write at the version the writer's host last read or wrote commits; at any other, it
 * fails with BAD_VERSION and the writer aborts before anything after the write is done (the
 * runtime's effects after a write wait for its commit). `seen` stands for each host's version.
 */
import { assign, emit, setup } from 'xstate';
import type { MasterInput, Registry } from '../machines/master/context.ts';

/** The component's name, and the slot a deposed master runs on in. */
export const ELECTION = 'zk';
export const DEPOSED = 'deposed';

export interface ElectionContext {
  /** The id of the master that leads (the one in slot `master`). */
  readonly leader: string;
  /** The id of each master slot's occupant, by slot (`master`, `deposed`). */
  readonly holders: Readonly<Record<string, string>>;
  /** Masters still in line to take over. */
  readonly standbys: number;
  /** The registry node: its data and version. */
  readonly registry: Registry;
  readonly version: number;
  /** The version each master slot's host last read or wrote (what it writes at). */
  readonly seen: Readonly<Record<string, number>>;
  /** The last committed write: who wrote it, and who led when it committed. */
  readonly lastWrite: { readonly by: string; readonly leader: string } | null;
  /** Each agent id a committed write admitted: who wrote it, and who led then. */
  readonly admissions: Readonly<Record<string, { readonly by: string; readonly leader: string }>>;
  /** The master's input (flags, info): what every master of the ensemble starts with. */
  readonly master: MasterInput;
}

export type ElectionEvent =
  { readonly type: 'ELECT' } | { readonly type: 'ABORT' } | { readonly type: 'persist'; readonly key: string; readonly value: Registry; readonly from: string };

export interface ElectionInput {
  readonly master: MasterInput;
  /** Masters besides the first one, each of which may take over once. */
  readonly standbys: number;
}

/** The id of the master elected after `id` (the model marks a generation with a prime, as masterRestartInput does). */
const successor = (id: string) => `${id}'`;

type Write = Extract<ElectionEvent, { type: 'persist' }>;

export const election = setup({
  types: {} as { context: ElectionContext; events: ElectionEvent; input: ElectionInput; emitted: { type: string; [k: string]: unknown } },
  guards: {
    /** A master waits in line and the deposed slot is free (the last deposed master has aborted). */
    standbyInLine: ({ context }) => context.standbys > 0 && context.holders[DEPOSED] === undefined,
    deposedRunning: ({ context }) => context.holders[DEPOSED] !== undefined,
    fromDeposed: ({ event }) => (event as Write).from === DEPOSED,
    /** ZooKeeper's setData(path, data, version): the version must be the node's. */
    atCurrentVersion: ({ context, event }) => context.seen[(event as Write).from] === context.version,
  },
  actions: {
    /** The leader's session expired: the next master is elected; the old one goes on, deposed. */
    elect: assign(({ context }) => {
      const next = successor(context.leader);
      return {
        leader: next,
        standbys: context.standbys - 1,
        holders: { ...context.holders, master: next, [DEPOSED]: context.holders.master! },
        seen: { ...context.seen, master: context.version, [DEPOSED]: context.seen.master! },
      };
    }),
    /** The new leader rewrites the registry at the version it read, so a deposed master's next write fails. */
    claim: assign(({ context }) => ({ version: context.version + 1, seen: { ...context.seen, master: context.version + 1 } })),
    startLeader: emit(({ context }) => ({
      type: 'depose',
      name: 'master',
      to: DEPOSED,
      input: { ...context.master, id: context.leader, info: { ...(context.master.info ?? {}), id: context.leader }, registry: context.registry } satisfies MasterInput,
    })),
    abortDeposed: emit(() => ({ type: 'stop', name: DEPOSED })),
    /** The deposed master is gone (aborted); its slot is free for the next one. */
    forgetDeposed: assign(({ context }) => {
      const { [DEPOSED]: _h, ...holders } = context.holders;
      const { [DEPOSED]: _s, ...seen } = context.seen;
      return { holders, seen };
    }),
    commit: assign(({ context, event }) => {
      const e = event as Write;
      const write = { by: context.holders[e.from]!, leader: context.leader };
      const admitted = Object.keys(e.value.admitted).filter((aid) => context.registry.admitted[aid] === undefined);
      return {
        registry: e.value,
        version: context.version + 1,
        seen: { ...context.seen, [e.from]: context.version + 1 },
        lastWrite: write,
        admissions: admitted.length ? { ...context.admissions, ...Object.fromEntries(admitted.map((aid) => [aid, write])) } : context.admissions,
      };
    }),
    /** BAD_VERSION: the writer aborts (impl/zk/registry-store.ts's onFailure). */
    abortWriter: emit(({ event }) => ({ type: 'stop', name: (event as Write).from })),
  },
}).createMachine({
  id: 'election',
  context: ({ input }) => ({
    leader: input.master.id,
    holders: { master: input.master.id },
    standbys: input.standbys,
    registry: input.master.registry ?? { admitted: {}, unreachable: [], gone: [] },
    version: 0,
    seen: { master: 0 },
    lastWrite: null,
    admissions: {},
    master: input.master,
  }),
  on: {
    ELECT: { guard: 'standbyInLine', actions: ['elect', 'claim', 'startLeader'] },
    ABORT: { guard: 'deposedRunning', actions: ['abortDeposed', 'forgetDeposed'] },
    persist: [{ guard: 'atCurrentVersion', actions: 'commit' }, { guard: 'fromDeposed', actions: ['abortWriter', 'forgetDeposed'] }, { actions: 'abortWriter' }],
  },
});

/** The leader-election events the environment may inject. */
export const ELECTION_EVENTS = [{ type: 'ELECT' }, { type: 'ABORT' }] as const;
