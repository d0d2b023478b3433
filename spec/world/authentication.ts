/**
 * Authentication in the model: what the transport of an authenticated Mesos world tells a
 * receiver about a sender, as `--authenticate_http_executors` and `--authenticate_agents` do in
 * the runtime (impl/agent/executor-tokens.ts, impl/http/auth.ts).
 *
 *   - An executor holds the token its agent signed for it at launch: its calls carry that
 *     token's claims as `principal: { fid, eid }` (the framework and executor it was launched as).
 *   - An agent holds its own `--credential`: its messages to the master carry `principal: <its
 *     name>` (one credential per agent, so an agent id can be bound to the agent that holds it).
 *   - The intruder presents its credential of choice (intruder.ts): a genuine one of its own
 *     (`principal` names the intruder), or none at all (an executor call then carries no claims,
 *     which the runtime answers 401 before the agent machine sees it; an agent message carries
 *     no principal, which a master with `authenticateAgents` refuses as Mesos does).
 * Whatever a sender writes into a message as `principal` is overwritten: identity comes from the
 * transport, never from the message.
 */
import type { AnyEventObject } from 'xstate';
import { INTRUDER } from './intruder.ts';

export interface AuthenticatedParts {
  readonly master: string;
  readonly agents: readonly string[];
  readonly executorSlots: readonly string[];
  readonly intruder: string;
}

export function mesosAuthentication(p: AuthenticatedParts): (from: string, to: string, context: unknown, msg: AnyEventObject) => AnyEventObject {
  const agents = new Set(p.agents);
  const slots = new Set(p.executorSlots);
  return (from, to, context, msg) => {
    if (slots.has(from)) {
      const c = context as { framework_id: { value: string }; executor_id: { value: string } };
      return { ...msg, principal: { fid: c.framework_id.value, eid: c.executor_id.value } };
    }
    if (agents.has(from) && to === p.master) return { ...msg, principal: from };
    if (from === p.intruder) {
      const { credential, principal: _claimed, ...rest } = msg as AnyEventObject & { credential?: string; principal?: unknown };
      const own = credential === 'own';
      if (to === p.master) return own ? { ...rest, principal: INTRUDER } : rest;
      return { ...rest, principal: own ? { fid: INTRUDER, eid: INTRUDER } : {} };
    }
    return msg;
  };
}
