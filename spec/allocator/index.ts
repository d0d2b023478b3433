/**
 * A pure hierarchical DRF allocator (Mesos `HierarchicalAllocatorProcess` with DRF role and
 * framework sorters and quota), on plain JSON state. See state.ts for the representation,
 * operations.ts for the calls the master makes, allocate.ts for the allocation cycle and
 * policy.ts for the named decisions mutants replace.
 */
export * from './state.ts';
export * from './policy.ts';
export * from './operations.ts';
export * from './allocate.ts';
export * from './check.ts';
export * from './quota.ts';
