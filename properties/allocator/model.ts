/**
 * Random programs for the allocator, played by a tiny "master" that keeps its own books (the
 * offers it holds, the filters it armed, who is suppressed or inactive) independently of the
 * allocator's state, and checks every allocation against them:
 *
 *   - consistency: `allocatorConsistency` holds after every step, and what the allocator
 *     believes each framework holds equals what the master holds;
 *   - never offered twice / never more than the agent: each offer fits in what is free on the
 *     agent by the master's books (total − outstanding offers − earlier offers of the cycle);
 *   - filters respected: no offer is covered by a live filter of (framework, role, agent);
 *   - suppressed roles and inactive frameworks get nothing; offers only for subscribed roles;
 *   - reservations only go to their role (or descendants).
 *
 * `runProgram` returns null or the first violation, so a property can use it and a mutant
 * test can expect it to fail.
 */
import fc from 'fast-check';
import type { AllocatorImpl } from '../../test/support/allocator-harness.ts';
import * as A from '../../spec/allocator/index.ts';
import {
  add,
  clearAllocationRole,
  contains,
  describeResources,
  equals,
  isAllocatableTo,
  mustParseResources,
  subtract,
  sum,
  unreserved,
  type Resources,
} from '../../spec/resources/index.ts';

const AGENT_SHAPES = [
  'cpus:2;mem:1024',
  'cpus:1;mem:512;ports:[1-10]',
  'cpus:4;mem:4096;cpus(r1):2;mem(r1):512',
  'cpus:0.5;mem:256;cpus(a):1;zones:{x,y}',
  'cpus(a/b):1;mem(a/b):64;ports:[5-6]',
  'cpus:0.005;mem:16',
  'cpus(r2):3;mem(r2):3000',
];
const ROLES = ['r1', 'r2', 'a', 'a/b', '*'];

export type Op =
  | { t: 'allocate'; order: number[] }
  | { t: 'decline'; k: number; refuse: number | null }
  | { t: 'declineUnreserved'; k: number }
  | { t: 'expire'; k: number }
  | { t: 'suppress'; f: number; mask: number }
  | { t: 'revive'; f: number; mask: number }
  | { t: 'deactivate'; f: number }
  | { t: 'activate'; f: number }
  | { t: 'removeAgent'; a: number }
  | { t: 'addAgent'; shape: number }
  | { t: 'weights'; role: number; w: number }
  | { t: 'removeFramework'; f: number }
  | { t: 'addFramework'; roles: number[] }
  | { t: 'updateRoles'; f: number; roles: number[] };

export interface Program {
  agents: number[];
  frameworks: number[][];
  ops: Op[];
}

const idx = fc.nat({ max: 20 });
const roleSet = fc.uniqueArray(fc.nat({ max: ROLES.length - 1 }), { minLength: 1, maxLength: 3 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('allocate' as const), order: fc.array(fc.nat({ max: 9 }), { maxLength: 8 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('decline' as const), k: idx, refuse: fc.constantFrom(null, 0, 5, 1000) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('declineUnreserved' as const), k: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('expire' as const), k: idx }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('suppress' as const), f: idx, mask: fc.nat({ max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revive' as const), f: idx, mask: fc.nat({ max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deactivate' as const), f: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('activate' as const), f: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('removeAgent' as const), a: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('addAgent' as const), shape: fc.nat({ max: AGENT_SHAPES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('weights' as const), role: fc.nat({ max: ROLES.length - 2 }), w: fc.constantFrom(0.5, 1, 2, 3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('removeFramework' as const), f: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('addFramework' as const), roles: roleSet }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('updateRoles' as const), f: idx, roles: roleSet }) },
);

export const programArb: fc.Arbitrary<Program> = fc.record({
  agents: fc.array(fc.nat({ max: AGENT_SHAPES.length - 1 }), { minLength: 1, maxLength: 5 }),
  frameworks: fc.array(roleSet, { minLength: 1, maxLength: 4 }),
  ops: fc.array(opArb, { maxLength: 40 }),
});

interface MasterFramework {
  id: string;
  roles: string[];
  suppressed: Set<string>;
  active: boolean;
}

interface MasterFilter {
  framework: string;
  role: string;
  agent: string;
  id: string;
  resources: Resources;
}

class Violation extends Error {}

/** Plays the program; returns null, or the first violated property. */
export function runProgram(impl: AllocatorImpl, program: Program): string | null {
  try {
    play(impl, program);
    return null;
  } catch (e) {
    if (e instanceof Violation || e instanceof A.AllocatorError) return e.message;
    throw e;
  }
}

function play(impl: AllocatorImpl, program: Program): void {
  let state = impl.emptyAllocator();
  const totals = new Map<string, Resources>();
  const frameworks: MasterFramework[] = [];
  let outstanding: A.Offer[] = [];
  let filters: MasterFilter[] = [];
  let nextAgent = 0;
  let nextFramework = 0;
  let nextFilter = 0;
  const fail = (what: string): never => {
    throw new Violation(what);
  };

  const check = (step: string) => {
    const problem = A.allocatorConsistency(state);
    if (problem !== null) fail(`${step}: inconsistent state: ${problem}`);
    for (const agent of state.agents) {
      for (const a of agent.allocated) {
        const held = sum(
          outstanding.filter((o) => o.agentId === agent.agentId && o.frameworkId === a.frameworkId && o.role === a.role).map((o) => clearAllocationRole(o.resources)),
        );
        if (!equals(held, a.resources))
          fail(`${step}: allocator thinks ${a.frameworkId} holds ${describeResources(a.resources)} on ${agent.agentId}, master holds ${describeResources(held)}`);
      }
    }
    for (const o of outstanding) {
      if (
        !equals(
          impl.offeredOrAllocated(state, o.frameworkId, o.agentId, o.role),
          sum(outstanding.filter((x) => x.frameworkId === o.frameworkId && x.agentId === o.agentId && x.role === o.role).map((x) => clearAllocationRole(x.resources))),
        )
      ) {
        fail(`${step}: allocator lost track of an offer to ${o.frameworkId} on ${o.agentId}`);
      }
    }
  };

  const addAgent = (shape: number) => {
    const id = `agent${nextAgent++}`;
    const resources = mustParseResources(AGENT_SHAPES[shape]!);
    state = impl.addAgent(state, { agentId: id, resources });
    totals.set(id, resources);
  };
  const addFramework = (roleIdx: number[]) => {
    const id = `framework${nextFramework++}`;
    const roles = roleIdx.map((i) => ROLES[i]!);
    state = impl.addFramework(state, { frameworkId: id, roles });
    frameworks.push({ id, roles: [...new Set(roles)], suppressed: new Set(), active: true });
  };
  const pickRoles = (fw: MasterFramework, mask: number) => fw.roles.filter((_, i) => (mask >> i) & 1);

  for (const s of program.agents) addAgent(s);
  for (const f of program.frameworks) addFramework(f);
  check('setup');

  for (const [n, op] of program.ops.entries()) {
    const step = `op ${n} ${JSON.stringify(op)}`;
    const agentIds = [...totals.keys()];
    const fw = frameworks.length > 0 ? frameworks[('f' in op ? op.f : 0) % frameworks.length]! : undefined;
    switch (op.t) {
      case 'allocate': {
        const order = op.order.length === 0 ? undefined : op.order.map((i) => agentIds[i % Math.max(1, agentIds.length)] ?? 'none');
        const result = impl.allocate(state, order === undefined ? {} : { agentOrder: order });
        state = result.state;
        const free = new Map<string, Resources>();
        for (const [id, total] of totals) {
          free.set(id, subtract(total, sum(outstanding.filter((o) => o.agentId === id).map((o) => clearAllocationRole(o.resources)))));
        }
        for (const o of result.offers) {
          const what = `${step}: offer of ${describeResources(o.resources)} to ${o.frameworkId}/${o.role} on ${o.agentId}`;
          const f = frameworks.find((x) => x.id === o.frameworkId);
          if (f === undefined || !f.active) fail(`${what}: framework not active`);
          if (!f!.roles.includes(o.role)) fail(`${what}: role not subscribed`);
          if (f!.suppressed.has(o.role)) fail(`${what}: role suppressed`);
          if (order !== undefined && !order.includes(o.agentId)) fail(`${what}: agent not in the visit order`);
          const res = clearAllocationRole(o.resources);
          if (res.length === 0 || o.resources.some((e) => e.allocationRole !== o.role)) fail(`${what}: malformed`);
          if (!res.every((e) => isAllocatableTo(e, o.role))) fail(`${what}: reserved for another role`);
          const available = free.get(o.agentId);
          if (available === undefined || !contains(available, res)) fail(`${what}: more than is free on the agent (${describeResources(available ?? [])})`);
          free.set(o.agentId, subtract(available!, res));
          const blocking = filters.find((x) => x.framework === o.frameworkId && x.role === o.role && x.agent === o.agentId && contains(x.resources, res));
          if (blocking !== undefined) fail(`${what}: covered by filter ${blocking.id}`);
          outstanding.push(o);
        }
        break;
      }
      case 'decline': {
        const o = outstanding[op.k % Math.max(1, outstanding.length)];
        if (o === undefined) continue;
        outstanding = outstanding.filter((x) => x !== o);
        const id = `filter${nextFilter++}`;
        state = impl.recoverResources(state, {
          frameworkId: o.frameworkId,
          agentId: o.agentId,
          role: o.role,
          resources: o.resources,
          ...(op.refuse === null ? {} : { filter: { id, refuseSeconds: op.refuse } }),
        });
        if (op.refuse !== null && op.refuse > 0) {
          filters.push({ framework: o.frameworkId, role: o.role, agent: o.agentId, id, resources: clearAllocationRole(o.resources) });
        }
        break;
      }
      case 'declineUnreserved': {
        const o = outstanding[op.k % Math.max(1, outstanding.length)];
        if (o === undefined) continue;
        const part = unreserved(o.resources);
        if (part.length === 0) continue;
        outstanding = outstanding.filter((x) => x !== o);
        const rest = subtract(o.resources, part);
        if (rest.length > 0) outstanding.push({ ...o, resources: rest });
        state = impl.recoverResources(state, { frameworkId: o.frameworkId, agentId: o.agentId, role: o.role, resources: part });
        break;
      }
      case 'expire': {
        const f = filters[op.k % Math.max(1, filters.length)];
        if (f === undefined) continue;
        filters = filters.filter((x) => x !== f);
        state = impl.expireFilter(state, { frameworkId: f.framework, role: f.role, agentId: f.agent, id: f.id });
        break;
      }
      case 'suppress':
      case 'revive': {
        if (fw === undefined) continue;
        const roles = pickRoles(fw, op.mask);
        const affected = roles.length === 0 ? fw.roles : roles;
        if (op.t === 'suppress') {
          state = impl.suppress(state, { frameworkId: fw.id, roles });
          for (const r of affected) fw.suppressed.add(r);
        } else {
          state = impl.revive(state, { frameworkId: fw.id, roles });
          for (const r of affected) fw.suppressed.delete(r);
          filters = filters.filter((x) => x.framework !== fw.id || !affected.includes(x.role));
        }
        break;
      }
      case 'deactivate':
        if (fw === undefined) continue;
        state = impl.deactivateFramework(state, fw.id);
        fw.active = false;
        filters = filters.filter((x) => x.framework !== fw.id);
        break;
      case 'activate':
        if (fw === undefined) continue;
        state = impl.activateFramework(state, fw.id);
        fw.active = true;
        break;
      case 'removeAgent': {
        const id = agentIds[op.a % Math.max(1, agentIds.length)];
        if (id === undefined) continue;
        state = impl.removeAgent(state, id);
        totals.delete(id);
        outstanding = outstanding.filter((o) => o.agentId !== id);
        filters = filters.filter((x) => x.agent !== id);
        break;
      }
      case 'addAgent':
        addAgent(op.shape);
        break;
      case 'weights':
        state = impl.updateWeights(state, { [ROLES[op.role]!]: op.w });
        break;
      case 'removeFramework':
        if (fw === undefined) continue;
        state = impl.removeFramework(state, fw.id);
        frameworks.splice(frameworks.indexOf(fw), 1);
        outstanding = outstanding.filter((o) => o.frameworkId !== fw.id);
        filters = filters.filter((x) => x.framework !== fw.id);
        break;
      case 'addFramework':
        addFramework(op.roles);
        break;
      case 'updateRoles': {
        if (fw === undefined) continue;
        const roles = [...new Set(op.roles.map((i) => ROLES[i]!))];
        const suppressed = [...fw.suppressed].filter((r) => roles.includes(r));
        state = impl.updateFramework(state, { frameworkId: fw.id, roles, suppressedRoles: suppressed });
        const removed = fw.roles.filter((r) => !roles.includes(r));
        fw.roles = roles;
        fw.suppressed = new Set(suppressed);
        filters = filters.filter((x) => x.framework !== fw.id || !removed.includes(x.role));
        break;
      }
    }
    check(step);
  }
  // Everything the master holds adds up to at most each agent's total.
  for (const [id, total] of totals) {
    const held = outstanding.filter((o) => o.agentId === id).map((o) => clearAllocationRole(o.resources));
    if (!contains(total, held.reduce(add, []))) fail(`agent ${id} over-committed`);
  }
}
