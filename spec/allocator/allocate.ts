/**
 * One allocation cycle of the hierarchical DRF allocator (Mesos
 * `HierarchicalAllocatorProcess::__generateOffers`). Without quota there is one stage, below;
 * with quota, `quotaStages` runs Mesos's two (guarantees first, then everyone within limits and
 * the headroom the guarantees need).
 *
 * For each agent, in `agentOrder` (default: sorted by agent id; Mesos shuffles, the runtime
 * may pass a shuffled order):
 *   for each role in DRF order of the role tree (weighted dominant share, then fewer
 *   allocations, then path; hierarchical roles `a/b` are ordered within their parent, a role
 *   that also has children competes with them as the virtual leaf `a/.`):
 *     for each framework of the role in DRF order (active, subscribed, not suppressed):
 *       offer it *everything* of the agent's available resources the role may have
 *       (unreserved plus reservations of the role and its ancestors: coarse-grained), unless
 *       that is below min_allocatable_resources or covered by one of its offer filters.
 * An offered framework's and role's shares grow at once and their allocation counts go up by
 * one; the next agent sees the new order (Mesos re-sorts per agent).
 *
 * Cost: O(A·(R + frameworks skipped)) plus one sort per cycle, like Mesos. The sorters are
 * built once per cycle from the state and kept sorted incrementally (a framework that gets an
 * offer is re-inserted by binary search), instead of re-sorting per agent.
 */
import { normalizeCounts } from './counts.ts';
import {
  add,
  addQuantities,
  filter,
  isEmptyQuantities,
  isUnreserved,
  reservationRole,
  scalarQuantities,
  setAllocationRole,
  subtract,
  subtractQuantities,
  type Quantities,
  type Resources,
} from '../resources/index.ts';
import { limitsLeft, quotaCycle, quotaResources, shrinkToQuantities, type QuotaCycle } from './quota.ts';
import { drfPolicy, type AllocatorPolicy, type SortKey } from './policy.ts';
import {
  allocationIndex,
  frameworkIndex,
  insertAt,
  replaceAt,
  roleIndex,
  trackedIndex,
  type AgentAllocation,
  type AgentState,
  type AllocatorState,
  type FrameworkState,
  type RoleState,
} from './state.ts';

export interface AllocateOptions {
  /**
   * Agents to visit, in order. Default: all agents sorted by id. Unknown ids and repeats are
   * ignored; agents not listed are not visited (Mesos runs a cycle for one agent after
   * `addSlave`/`updateSlave`).
   */
  readonly agentOrder?: readonly string[];
}

/** One allocation: everything offered to one framework on one agent for one role. */
export interface Offer {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  /** Allocated form: every entry carries `allocationRole: role`. */
  readonly resources: Resources;
}

export interface AllocateResult {
  readonly state: AllocatorState;
  /** Sorted by (frameworkId, role, agentId). Offered resources count as allocated until recovered. */
  readonly offers: readonly Offer[];
}

// ---------------------------------------------------------------------------------------------
// Working sorters: mutable, live only during one cycle.

interface Client extends SortKey {
  share: number;
  count: number;
  readonly path: string;
  allocated: Quantities;
  readonly fw: FrameworkState;
  touched: boolean;
}

interface Ctx {
  readonly policy: AllocatorPolicy;
  readonly total: Quantities;
  readonly excluded: readonly string[];
}

/** Inserts `item` into the sorted `arr` after every element that does not come after it. */
function insertSortedBy<T>(arr: T[], item: T, cmp: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, item);
}

class FrameworkSorter {
  readonly active: Client[] = [];
  constructor(
    private readonly ctx: Ctx,
    readonly role: string,
  ) {}

  add(client: Client): void {
    this.active.push(client);
  }

  sort(): void {
    this.active.sort(this.ctx.policy.compare);
  }

  /** The client at `i` was offered `q`: update and re-insert it in DRF order. */
  allocated(i: number, q: Quantities): Client {
    const c = this.active[i]!;
    this.active.splice(i, 1);
    c.allocated = addQuantities(c.allocated, q);
    c.count += 1;
    c.share = this.ctx.policy.share(c.allocated, this.ctx.total, 1, this.ctx.excluded);
    c.touched = true;
    insertSortedBy(this.active, c, this.ctx.policy.compare);
    return c;
  }
}

interface RoleNode extends SortKey {
  readonly name: string;
  readonly path: string;
  /** The role this node is the sorter client of (leaves, virtual leaves); null for internal nodes. */
  role: string | null;
  roleState: RoleState | null;
  readonly weight: number;
  allocated: Quantities;
  count: number;
  share: number;
  readonly parent: RoleNode | null;
  readonly children: RoleNode[];
  touched: boolean;
  changed: boolean;
}

/** The role sorter: a tree over role paths, children kept in DRF order. */
class RoleTree {
  readonly root: RoleNode;
  private readonly flat: boolean;
  private leafCache: RoleNode[] | null = null;
  private touched: RoleNode[] = [];
  readonly changed: RoleNode[] = [];

  constructor(
    private readonly ctx: Ctx,
    roles: readonly RoleState[],
    weights: Readonly<Record<string, number>>,
  ) {
    const mk = (name: string, path: string, parent: RoleNode | null): RoleNode => ({
      name,
      path,
      role: null,
      roleState: null,
      weight: weights[path] ?? 1,
      allocated: {},
      count: 0,
      share: 0,
      parent,
      children: [],
      touched: false,
      changed: false,
    });
    this.root = mk('', '', null);
    const byPath = new Map<string, RoleNode>();
    let flat = true;
    for (const r of roles) {
      let node = this.root;
      let path = '';
      for (const seg of r.role.split('/')) {
        path = path === '' ? seg : `${path}/${seg}`;
        let child = byPath.get(path);
        if (child === undefined) {
          child = mk(seg, path, node);
          node.children.push(child);
          byPath.set(path, child);
        }
        node = child;
      }
      node.role = r.role;
      node.roleState = r;
      if (r.role.includes('/')) flat = false;
    }
    this.flat = flat;
    // A role that also has sub-roles competes with them as the virtual leaf "<role>/.".
    const finish = (node: RoleNode): void => {
      for (const child of node.children) finish(child);
      if (node !== this.root && node.children.length > 0) {
        if (node.role !== null) {
          const virt = mk('.', `${node.path}/.`, node);
          virt.role = node.role;
          virt.roleState = node.roleState;
          node.children.push(virt);
          node.role = null;
          node.roleState = null;
        }
        for (const child of node.children) {
          if (child.roleState !== null) {
            child.allocated = child.roleState.allocated;
            child.count = child.roleState.count;
          }
          node.allocated = addQuantities(node.allocated, child.allocated);
          node.count += child.count;
        }
      } else if (node.roleState !== null) {
        node.allocated = node.roleState.allocated;
        node.count = node.roleState.count;
      }
    };
    finish(this.root);
    const sortTree = (node: RoleNode): void => {
      for (const child of node.children) {
        child.share = ctx.policy.share(child.allocated, ctx.total, child.weight, ctx.excluded);
        sortTree(child);
      }
      node.children.sort(ctx.policy.compare);
    };
    sortTree(this.root);
  }

  /** Client leaves in DRF order (pre-order over the sorted tree). Stable until `commit`. */
  leaves(): readonly RoleNode[] {
    if (this.flat) return this.root.children;
    if (this.leafCache === null) {
      const out: RoleNode[] = [];
      const walk = (node: RoleNode): void => {
        for (const child of node.children) {
          if (child.role !== null) out.push(child);
          else walk(child);
        }
      };
      walk(this.root);
      this.leafCache = out;
    }
    return this.leafCache;
  }

  /** The leaf's role was offered `q`: it and its ancestors grow; re-sorted at `commit`. */
  allocated(leaf: RoleNode, q: Quantities): void {
    if (!leaf.changed) {
      leaf.changed = true;
      this.changed.push(leaf);
    }
    for (let n: RoleNode | null = leaf; n !== null && n !== this.root; n = n.parent) {
      n.allocated = addQuantities(n.allocated, q);
      n.count += 1;
      if (!n.touched) {
        n.touched = true;
        this.touched.push(n);
      }
    }
  }

  /** Puts the nodes changed since the last commit back in DRF order. */
  commit(): void {
    if (this.touched.length === 0) return;
    const { policy, total, excluded } = this.ctx;
    const parents = new Map<RoleNode, RoleNode[]>();
    for (const n of this.touched) {
      n.share = policy.share(n.allocated, total, n.weight, excluded);
      n.touched = false;
      const list = parents.get(n.parent!);
      if (list === undefined) parents.set(n.parent!, [n]);
      else list.push(n);
    }
    for (const [parent, moved] of parents) {
      if (moved.length === 1) {
        const n = moved[0]!;
        parent.children.splice(parent.children.indexOf(n), 1);
        insertSortedBy(parent.children, n, policy.compare);
      } else {
        parent.children.sort(policy.compare);
      }
    }
    this.touched = [];
    this.leafCache = null;
  }
}

// ---------------------------------------------------------------------------------------------

function compareOffers(a: Offer, b: Offer): number {
  if (a.frameworkId !== b.frameworkId) return a.frameworkId < b.frameworkId ? -1 : 1;
  if (a.role !== b.role) return a.role < b.role ? -1 : 1;
  return a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0;
}

function inFrameworkSorter(fw: FrameworkState, role: string): boolean {
  return fw.active && fw.roles.includes(role) && !fw.suppressedRoles.includes(role);
}

type Grant = (ai: number, leaf: RoleNode, sorter: FrameworkSorter, i: number, toOffer: Resources) => void;

/**
 * The two stages of Mesos's `__generateOffers` with quota. Stage 1, over every agent: roles
 * with unsatisfied guarantees get their guarantees (plus, within their limits and the spare
 * headroom, the rest of the agent's unreserved scalars, their own reservations and the
 * non-scalars). Stage 2, over every agent again: every role in DRF order gets reservations,
 * non-scalars and the unreserved scalars its limits and the spare headroom allow. Unlike the
 * fast path, a framework's offer may leave something for the next framework of its role.
 *
 * Mesos checks a role's own limits; only top-level roles may have quota, so a sub-role is also
 * held to its top-level role's limits here (its allocation counts toward that role's
 * consumption), which keeps "consumption never exceeds the limits" true for the whole subtree.
 */
function quotaStages(
  state: AllocatorState,
  policy: AllocatorPolicy,
  order: readonly number[],
  tree: RoleTree,
  sorterFor: (role: string, roleState: RoleState) => FrameworkSorter,
  cycle: QuotaCycle,
  grant: Grant,
  availableOn: (ai: number) => Resources,
): void {
  const quotas = state.quotas ?? {};
  const defaultMinimum = state.options.minAllocatableResources;
  const top = (role: string): string => role.split('/')[0]!;
  const limited = (role: string): string | null => (quotas[top(role)] !== undefined && Object.keys(quotas[top(role)]!.limits).length > 0 ? top(role) : null);
  const consume = (role: string, q: Quantities): void => {
    const t = top(role);
    if (quotas[t] !== undefined) cycle.consumed.set(t, addQuantities(cycle.consumed.get(t) ?? {}, q));
  };
  const headroom = (additional: Resources): Resources =>
    isEmptyQuantities(cycle.required) || additional.length === 0 ? additional : policy.spareHeadroom(additional, subtractQuantities(cycle.available, cycle.required));

  for (const stage of [1, 2] as const) {
    for (const ai of order) {
      const agent = state.agents[ai]!;
      if (!agent.active) continue;
      for (const leaf of tree.leaves()) {
        if (availableOn(ai).length === 0) break;
        const role = leaf.role!;
        const guarantees = quotas[role]?.guarantees ?? {};
        if (stage === 1 && isEmptyQuantities(guarantees)) continue;
        const sorter = sorterFor(role, leaf.roleState!);
        if (sorter.active.length === 0) continue;
        for (const c of sorter.active.slice()) {
          const available = policy.allocatableTo(availableOn(ai), role);
          if (available.length === 0) break;
          const minimum = c.fw.minAllocatableResources[role] ?? defaultMinimum;
          if (!policy.allocatable(available, minimum)) continue;
          const scalarsUnreserved = quotaResources(available);
          let guaranteed: Resources = [];
          let toOffer: Resources;
          if (stage === 1) {
            const unsatisfied = subtractQuantities(guarantees, cycle.consumed.get(role) ?? {});
            if (isEmptyQuantities(unsatisfied)) break;
            guaranteed = shrinkToQuantities(scalarsUnreserved, unsatisfied);
            if (guaranteed.length === 0) continue;
            toOffer = add(
              guaranteed,
              filter(available, (e) => e.scalar === undefined || (!isUnreserved(e) && reservationRole(e) === role)),
            );
          } else {
            toOffer = filter(available, (e) => e.scalar === undefined || !isUnreserved(e));
          }
          let additional = subtract(scalarsUnreserved, guaranteed);
          const t = limited(role);
          if (t !== null) additional = policy.withinLimits(additional, limitsLeft(quotas[t]!.limits, addQuantities(cycle.consumed.get(t) ?? {}, scalarQuantities(guaranteed))));
          additional = headroom(additional);
          toOffer = add(toOffer, additional);
          if (!policy.allocatable(toOffer, minimum)) continue;
          if (c.fw.filters.length > 0 && policy.isFiltered(c.fw.filters, role, agent.agentId, toOffer)) continue;
          grant(ai, leaf, sorter, sorter.active.indexOf(c), toOffer);
          const increase = scalarQuantities(add(guaranteed, additional));
          consume(role, increase);
          cycle.required = subtractQuantities(cycle.required, scalarQuantities(guaranteed));
          cycle.available = subtractQuantities(cycle.available, increase);
        }
      }
      tree.commit();
    }
  }
}

/** One allocation cycle with the given policy (mutants in tests; `allocate` uses DRF). */
export function allocateWith(policy: AllocatorPolicy, state: AllocatorState, options: AllocateOptions = {}): AllocateResult {
  if (state.roles.length === 0 || state.agents.length === 0) return { state, offers: [] };

  // Agents to visit (indices into state.agents).
  let order: number[];
  if (options.agentOrder === undefined) {
    order = state.agents.map((_, i) => i);
  } else {
    const index = new Map<string, number>();
    state.agents.forEach((a, i) => index.set(a.agentId, i));
    order = [];
    for (const id of options.agentOrder) {
      const i = index.get(id);
      if (i !== undefined) {
        order.push(i);
        index.delete(id);
      }
    }
  }

  const ctx: Ctx = { policy, total: state.total, excluded: state.options.fairnessExcludeResourceNames };
  const tree = new RoleTree(ctx, state.roles, state.weights);
  const sorters = new Map<string, FrameworkSorter>();
  const sorterFor = (role: string, roleState: RoleState): FrameworkSorter => {
    let s = sorters.get(role);
    if (s === undefined) {
      s = new FrameworkSorter(ctx, role);
      for (const id of roleState.frameworks) {
        const fw = state.frameworks[frameworkIndex(state, id)]!;
        if (!inFrameworkSorter(fw, role)) continue;
        const t = fw.tracked[trackedIndex(fw, role)]!;
        s.add({
          path: id,
          share: policy.share(t.allocated, ctx.total, 1, ctx.excluded),
          count: t.count,
          allocated: t.allocated,
          fw,
          touched: false,
        });
      }
      s.sort();
      sorters.set(role, s);
    }
    return s;
  };

  const defaultMinimum = state.options.minAllocatableResources;
  const offers: Offer[] = [];
  const touchedAgents = new Map<number, { available: Resources; grants: AgentAllocation[] }>();
  const availableOn = (ai: number): Resources => touchedAgents.get(ai)?.available ?? state.agents[ai]!.available;

  /** Offers `toOffer` (unallocated, ⊆ available) on agent `ai` to the client at `i` of the role's sorter. */
  const grant = (ai: number, leaf: RoleNode, sorter: FrameworkSorter, i: number, toOffer: Resources): void => {
    const role = leaf.role!;
    const c = sorter.active[i]!;
    const q = scalarQuantities(toOffer);
    const entry = touchedAgents.get(ai);
    const available = subtract(entry?.available ?? state.agents[ai]!.available, toOffer);
    const grants = entry?.grants ?? [];
    grants.push({ frameworkId: c.path, role, resources: toOffer });
    touchedAgents.set(ai, { available, grants });
    offers.push({ frameworkId: c.path, agentId: state.agents[ai]!.agentId, role, resources: setAllocationRole(toOffer, role) });
    sorter.allocated(i, q);
    tree.allocated(leaf, q);
  };

  const quota = quotaCycle(state);
  if (quota === null) {
    for (const ai of order) {
      const agent = state.agents[ai]!;
      if (!agent.active) continue;
      let available = agent.available;
      if (available.length === 0) continue;
      const agentId = agent.agentId;

      for (const leaf of tree.leaves()) {
        if (available.length === 0) break;
        const role = leaf.role!;
        const sorter = sorterFor(role, leaf.roleState!);
        const clients = sorter.active;
        if (clients.length === 0) continue;
        const offerable = policy.allocatableTo(available, role);
        if (offerable.length === 0) continue;
        for (let i = 0; i < clients.length; i++) {
          const c = clients[i]!;
          const minimum = c.fw.minAllocatableResources[role] ?? defaultMinimum;
          if (!policy.allocatable(offerable, minimum)) continue;
          if (c.fw.filters.length > 0 && policy.isFiltered(c.fw.filters, role, agentId, offerable)) continue;
          // Coarse-grained: the framework gets all of it, so nothing is left for this role here.
          grant(ai, leaf, sorter, i, offerable);
          available = availableOn(ai);
          break;
        }
      }
      tree.commit();
    }
  } else {
    quotaStages(state, policy, order, tree, sorterFor, quota, grant, availableOn);
  }

  if (offers.length === 0) return { state, offers };

  // Write back: agents, frameworks' sorter entries, roles.
  const agents = state.agents.slice();
  for (const [ai, { available, grants }] of touchedAgents) {
    const agent = agents[ai]!;
    let allocated = agent.allocated;
    for (const g of grants) {
      const k = allocationIndex({ ...agent, allocated }, g.frameworkId, g.role);
      allocated = k >= 0 ? replaceAt(allocated, k, { ...allocated[k]!, resources: add(allocated[k]!.resources, g.resources) }) : insertAt(allocated, -k - 1, g);
    }
    agents[ai] = { ...agent, available, allocated } satisfies AgentState;
  }

  const frameworks = state.frameworks.slice();
  for (const [role, sorter] of sorters) {
    for (const c of sorter.active) {
      if (!c.touched) continue;
      const fi = frameworkIndex(state, c.path);
      const fw = frameworks[fi]!;
      const ti = trackedIndex(fw, role);
      frameworks[fi] = { ...fw, tracked: replaceAt(fw.tracked, ti, { role, allocated: c.allocated, count: c.count }) };
    }
  }

  const roles = state.roles.slice();
  for (const leaf of tree.changed) {
    const rs = leaf.roleState!;
    roles[roleIndex(state, rs.role)] = { ...rs, allocated: leaf.allocated, count: leaf.count };
  }

  offers.sort(compareOffers);
  const next: AllocatorState = { ...state, agents, frameworks, roles };
  return { state: state.options.countSpread === undefined ? next : normalizeCounts(next, state.options.countSpread), offers };
}

/** One allocation cycle of the DRF allocator. */
export function allocate(state: AllocatorState, options: AllocateOptions = {}): AllocateResult {
  return allocateWith(drfPolicy, state, options);
}
