/**
 * The intruder (DESIGN.md section 5): a component that, within a budget, sends any call with any
 * identity it can name. It shows that no one gets in where they do not belong: every invariant
 * is checked against a world in which it may strike at any moment.
 *
 * What it may send, each an environment event of the component:
 *   - to each agent, an executor call (SUBSCRIBE, UPDATE with a forged TASK_FINISHED, MESSAGE)
 *     naming any framework id the master may assign and any executor of the configuration (or
 *     one nobody runs), as an HTTP request the agent answers;
 *   - to the master, a REGISTER_AGENT claiming resources no agent has, and a REREGISTER_AGENT
 *     naming each agent id the master may assign, with that agent's hostname and inflated
 *     resources (the hijack of defect 2 of issue 13).
 * Or, `malformed` (a configuration's choice), only executor calls an agent refuses before it reads
 * the caller's identity or the executor's state: to each agent, an UPDATE without a uuid (the
 * executor API's validation refuses it first, Http::executor's validateExecutorCall) naming each
 * framework id and executor as above, and a SUBSCRIBE naming a framework id the master never
 * assigns (unknown to the agent whatever it runs, even while it terminates).
 * Each with one of two credentials: `none` (no token or credential, or a forged one: the
 * transport cannot verify it) or `own` (a genuine one, issued to the intruder as an executor
 * or agent of its own). What the receiver learns of either is the transport's business
 * (authentication.ts); the intruder cannot write an identity into a message.
 *
 * Ids are guessable (`<master>-0000`, `<master>-S0`, task ids), so the domain is finite and
 * small. The intruder takes no message it is sent: the master's answers reach it and change nothing.
 */
import { assign, emit, setup } from 'xstate';
import type { AnyEventObject } from 'xstate';
import { send } from '../machines/effects.ts';

/** The credential the intruder presents with a call. */
export type IntruderCredential = 'none' | 'own';

/** The uuid of every update the intruder forges: its mark, for the invariant that none is accepted. */
export const INTRUDER_UUID = 'aW50cnVkZXItZm9yZ2VkLQ==';

/** The intruder's own identity, as an executor token's claims and as an agent principal. */
export const INTRUDER = 'intruder';

export interface IntruderInput {
  readonly budget: number;
}

export interface IntruderContext {
  /** Calls it may still send. */
  readonly budget: number;
}

/** One call the intruder may send: to whom, what, with which credential. */
export interface IntrudeEvent {
  readonly type: 'INTRUDE';
  readonly to: string;
  readonly credential: IntruderCredential;
  readonly msg: AnyEventObject;
}

export const intruder = setup({
  types: {} as { context: IntruderContext; events: IntrudeEvent | AnyEventObject; input: IntruderInput },
  guards: {
    /** Budget left. */
    hasBudget: ({ context }) => context.budget > 0,
  },
  actions: {
    /** The call goes out with the credential the intruder chose; the transport judges it. */
    sendCall: emit(({ event }) => {
      const e = event as IntrudeEvent;
      return send(e.to, { ...e.msg, credential: e.credential });
    }),
    spend: assign(({ context }) => ({ budget: context.budget - 1 })),
  },
}).createMachine({
  id: 'intruder',
  context: ({ input }) => ({ budget: input.budget }),
  initial: 'lurking',
  states: {
    lurking: {
      on: { INTRUDE: { guard: 'hasBudget', actions: ['sendCall', 'spend'] } },
    },
  },
});

/** What the intruder knows of the world: ids it can guess. */
export interface IntruderDomain {
  readonly master: string;
  /** The master's id: framework ids are `<id>-0000`, agent ids `<id>-S0`. */
  readonly masterId: string;
  readonly agents: readonly { readonly address: string; readonly hostname: string }[];
  /** How many frameworks may subscribe (the framework ids worth guessing). */
  readonly frameworks: number;
  /** The executor ids of the configuration (the command executor's id is its task's id). */
  readonly executors: readonly string[];
}

const CREDENTIALS: readonly IntruderCredential[] = ['none', 'own'];

/** Every call the intruder may make in a world: its environment (only the malformed executor calls, when told). */
export function intruderCalls(d: IntruderDomain, malformed = false): IntrudeEvent[] {
  const calls: IntrudeEvent[] = [];
  const fids = Array.from({ length: d.frameworks }, (_, k) => `${d.masterId}-${String(k).padStart(4, '0')}`);
  if (malformed) {
    for (const a of d.agents) {
      for (const fid of fids)
        for (const eid of [...d.executors, INTRUDER]) {
          const status = { task_id: { value: eid }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', executor_id: { value: eid } };
          const msg = { type: 'UPDATE', framework_id: { value: fid }, executor_id: { value: eid }, request: INTRUDER, update: { status } };
          for (const credential of CREDENTIALS) calls.push({ type: 'INTRUDE', to: a.address, credential, msg });
        }
      const unassigned = `${d.masterId}-${String(d.frameworks).padStart(4, '0')}`;
      const msg = { type: 'SUBSCRIBE', framework_id: { value: unassigned }, executor_id: { value: INTRUDER }, request: INTRUDER, subscribe: {} };
      for (const credential of CREDENTIALS) calls.push({ type: 'INTRUDE', to: a.address, credential, msg });
    }
    return calls;
  }
  // The configuration's executors, and one nobody runs (the intruder's own).
  for (const a of d.agents)
    for (const fid of fids)
      for (const eid of [...d.executors, INTRUDER]) {
        // It is an HTTP client: each call is a request the agent answers (the model drops the answer).
        const ids = { framework_id: { value: fid }, executor_id: { value: eid }, request: INTRUDER };
        const forged = { task_id: { value: eid }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid: INTRUDER_UUID, executor_id: { value: eid } };
        const msgs: AnyEventObject[] = [
          { type: 'SUBSCRIBE', ...ids, subscribe: {} },
          { type: 'UPDATE', ...ids, update: { status: forged } },
          { type: 'MESSAGE', ...ids, message: { data: 'aW50cnVkZXI=' } },
        ];
        for (const msg of msgs) for (const credential of CREDENTIALS) calls.push({ type: 'INTRUDE', to: a.address, credential, msg });
      }
  // A fake agent: far more than any agent has.
  const inflated = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 64 } }];
  const fake = { type: 'REGISTER_AGENT', agent_info: { hostname: INTRUDER, port: 5051, resources: inflated } };
  for (const credential of CREDENTIALS) calls.push({ type: 'INTRUDE', to: d.master, credential, msg: fake });
  // The hijack: each agent id the master may assign, claimed with each agent's hostname.
  d.agents.forEach((_, i) => {
    for (const a of d.agents) {
      const msg = { type: 'REREGISTER_AGENT', agent_info: { id: { value: `${d.masterId}-S${i}` }, hostname: a.hostname, port: 5051, resources: inflated } };
      for (const credential of CREDENTIALS) calls.push({ type: 'INTRUDE', to: d.master, credential, msg });
    }
  });
  return calls;
}
