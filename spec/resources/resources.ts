/**
 * Resources: the algebra Mesos's `Resources` class implements (src/common/resources.cpp), on
 * plain JSON data.
 *
 * ## Canonical representation
 *
 * A `Resources` value is a **sorted array of entries, one per distinct resource identity, none
 * empty**. An entry is
 *
 *     { name, reservations?, allocationRole?, scalar | ranges | set }
 *
 * - `scalar` is fixed point (integer thousandths, see values.ts): `{ name: 'cpus', scalar: 2000 }`
 *   is 2 cpus;
 * - `ranges` is a coalesced list of `[begin, end]` pairs: `{ name: 'ports', ranges: [[31000, 32000]] }`;
 * - `set` is a sorted list of distinct strings;
 * - `reservations` is the reservation stack of Mesos's post-refinement format (the last entry
 *   is the reservation role); absent = unreserved (role `*`). Never an empty array.
 * - `allocationRole` is Mesos's `allocation_info.role`; absent = unallocated.
 *
 * The identity of an entry (what Mesos calls "addable") is name + value type + reservations +
 * allocationRole. Entries are ordered by that identity (name, then SCALAR < RANGES < SET, then
 * unreserved before reserved and reservations field by field, then unallocated before allocated),
 * so two equal logical values always have equal canonical JSON. Every function here returns
 * canonical values when given canonical values; `resources()` canonicalises arbitrary entries.
 *
 * ## Subtraction
 *
 * Mesos's `Resources::operator-=` never produces negative or empty resources: it subtracts from
 * the entry with the same identity, removes an entry whose scalar drops to zero *or below*, and
 * takes set differences of ranges and sets (removing something absent is a no-op). `subtract`
 * does exactly that, so `a - b` is the clamped difference and never negative. Callers that
 * need Mesos's CHECKs (recovering resources that were never offered) test `contains` first.
 *
 * Disk info is modelled for persistent volumes only (`disk`: a persistence id and the volume's
 * container path, part of the entry's identity, so two volumes never merge with each other or
 * with plain disk). Not modelled: mount/path disk sources, revocable and shared resources,
 * resource providers.
 */
import {
  canonicalSet,
  coalesceRanges,
  MAX_FIXED,
  rangesContain,
  rangesCount,
  rangesDifference,
  rangesEqual,
  rangesUnion,
  setContains,
  setDifference,
  setEqual,
  setUnion,
  toFixed,
  type Fixed,
  type Range,
} from './values.ts';

export interface Label {
  readonly key: string;
  readonly value?: string;
}

/** One level of a reservation stack (Mesos `Resource.ReservationInfo`). */
export interface Reservation {
  readonly type: 'STATIC' | 'DYNAMIC';
  readonly role: string;
  readonly principal?: string;
  readonly labels?: readonly Label[];
}

/**
 * Mesos `Resource.DiskInfo` as far as persistent volumes go: `persistence.id` names the volume
 * (unique per agent and role), `principal` who created it; `volume` is where a task sees it.
 */
export interface DiskInfo {
  readonly persistence: { readonly id: string; readonly principal?: string };
  readonly volume: { readonly container_path: string; readonly mode: 'RW' | 'RO' };
}

interface EntryCommon {
  readonly name: string;
  /** Reservation stack, outermost first; the last one is the reservation role. Never empty. */
  readonly reservations?: readonly Reservation[];
  /** `allocation_info.role`. */
  readonly allocationRole?: string;
  /** A persistent volume's disk info (only on `disk`); absent for plain resources. */
  readonly disk?: DiskInfo;
}

export interface ScalarEntry extends EntryCommon {
  /** Fixed point: thousandths. Always > 0 in a canonical value. */
  readonly scalar: Fixed;
  readonly ranges?: undefined;
  readonly set?: undefined;
}

export interface RangesEntry extends EntryCommon {
  /** Coalesced, sorted; never empty in a canonical value. */
  readonly ranges: readonly Range[];
  readonly scalar?: undefined;
  readonly set?: undefined;
}

export interface SetEntry extends EntryCommon {
  /** Sorted, distinct; never empty in a canonical value. */
  readonly set: readonly string[];
  readonly scalar?: undefined;
  readonly ranges?: undefined;
}

export type ResourceEntry = ScalarEntry | RangesEntry | SetEntry;

/** Canonical resources: sorted by identity, one entry per identity, no empty entry. */
export type Resources = readonly ResourceEntry[];

export type ValueType = 'SCALAR' | 'RANGES' | 'SET';

export const EMPTY: Resources = Object.freeze([]) as Resources;

// ---------------------------------------------------------------------------------------------
// Identity and order

export function typeOf(e: ResourceEntry): ValueType {
  return e.scalar !== undefined ? 'SCALAR' : e.ranges !== undefined ? 'RANGES' : 'SET';
}

function kindRank(e: ResourceEntry): number {
  return e.scalar !== undefined ? 0 : e.ranges !== undefined ? 1 : 2;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpOptStr(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return cmpStr(a, b);
}

function compareLabels(a: readonly Label[] | undefined, b: readonly Label[] | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const c = cmpStr(a[i]!.key, b[i]!.key) || cmpOptStr(a[i]!.value, b[i]!.value);
    if (c !== 0) return c;
  }
  return 0;
}

function compareReservation(a: Reservation, b: Reservation): number {
  return cmpStr(a.role, b.role) || cmpStr(a.type, b.type) || cmpOptStr(a.principal, b.principal) || compareLabels(a.labels, b.labels);
}

function compareReservations(a: readonly Reservation[] | undefined, b: readonly Reservation[] | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareReservation(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Orders entries by identity; 0 means "same resource" (Mesos: addable/subtractable). */
export function compareIdentity(a: ResourceEntry, b: ResourceEntry): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const k = kindRank(a) - kindRank(b);
  if (k !== 0) return k;
  if (a.reservations !== b.reservations) {
    const c = compareReservations(a.reservations, b.reservations);
    if (c !== 0) return c;
  }
  return cmpOptStr(a.allocationRole, b.allocationRole) || compareDisk(a.disk, b.disk);
}

function compareDisk(a: DiskInfo | undefined, b: DiskInfo | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return (
    cmpStr(a.persistence.id, b.persistence.id) ||
    cmpOptStr(a.persistence.principal, b.persistence.principal) ||
    cmpStr(a.volume.container_path, b.volume.container_path) ||
    cmpStr(a.volume.mode, b.volume.mode)
  );
}

// ---------------------------------------------------------------------------------------------
// Entry construction (fixed key order, no undefined-valued keys)

interface Identity {
  readonly name: string;
  readonly reservations?: readonly Reservation[] | undefined;
  readonly allocationRole?: string | undefined;
  readonly disk?: DiskInfo | undefined;
}

function withValue(id: Identity, value: Pick<ResourceEntry, 'scalar' | 'ranges' | 'set'>): ResourceEntry {
  const out: Record<string, unknown> = { name: id.name };
  if (id.reservations !== undefined && id.reservations.length > 0) out.reservations = id.reservations;
  if (id.allocationRole !== undefined) out.allocationRole = id.allocationRole;
  if (id.disk !== undefined) out.disk = id.disk;
  if (value.scalar !== undefined) out.scalar = value.scalar;
  else if (value.ranges !== undefined) out.ranges = value.ranges;
  else out.set = value.set;
  return out as unknown as ResourceEntry;
}

function cleanReservation(r: Reservation): Reservation {
  const out: { type: Reservation['type']; role: string; principal?: string; labels?: Label[] } = {
    type: r.type,
    role: r.role,
  };
  if (r.principal !== undefined) out.principal = r.principal;
  if (r.labels !== undefined) {
    out.labels = r.labels.map((l) => (l.value === undefined ? { key: l.key } : { key: l.key, value: l.value }));
  }
  return out;
}

export interface EntryOptions {
  /** Shorthand for one STATIC reservation (`cpus(role):2`); `*` or absent = unreserved. */
  readonly role?: string;
  readonly reservations?: readonly Reservation[];
  readonly allocationRole?: string;
  readonly disk?: DiskInfo;
}

function identityFrom(name: string, opts: EntryOptions | undefined): Identity {
  let reservations = opts?.reservations?.map(cleanReservation);
  if (reservations === undefined && opts?.role !== undefined && opts.role !== '*') {
    reservations = [{ type: 'STATIC', role: opts.role }];
  }
  return { name, reservations, allocationRole: opts?.allocationRole, disk: opts?.disk === undefined ? undefined : cleanDisk(opts.disk) };
}

function cleanDisk(d: DiskInfo): DiskInfo {
  const persistence = d.persistence.principal === undefined ? { id: d.persistence.id } : { id: d.persistence.id, principal: d.persistence.principal };
  return { persistence, volume: { container_path: d.volume.container_path, mode: d.volume.mode } };
}

/** A scalar resource; `value` in natural units (e.g. 0.5 cpus), converted with Mesos's rounding. */
export function scalar(name: string, value: number, opts?: EntryOptions): Resources {
  return resources([withValue(identityFrom(name, opts), { scalar: toFixed(value) })]);
}

export function ranges(name: string, value: readonly Range[], opts?: EntryOptions): Resources {
  return resources([withValue(identityFrom(name, opts), { ranges: value })]);
}

export function set(name: string, items: readonly string[], opts?: EntryOptions): Resources {
  return resources([withValue(identityFrom(name, opts), { set: items })]);
}

// ---------------------------------------------------------------------------------------------
// Canonicalisation and validation

export class ResourcesError extends Error {
  override name = 'ResourcesError';
}

/** Why an entry cannot be part of a Resources value, or null. Empty values are fine (dropped). */
function entryError(e: ResourceEntry): string | null {
  if (typeof e.name !== 'string' || e.name === '') return 'empty resource name';
  const kinds = (e.scalar !== undefined ? 1 : 0) + (e.ranges !== undefined ? 1 : 0) + (e.set !== undefined ? 1 : 0);
  if (kinds !== 1) return `resource ${e.name} must have exactly one of scalar, ranges, set`;
  if (e.scalar !== undefined) {
    if (!Number.isSafeInteger(e.scalar) || e.scalar < 0 || e.scalar > MAX_FIXED) {
      return `resource ${e.name}: scalar must be a non-negative integer number of thousandths, got ${e.scalar}`;
    }
  } else if (e.ranges !== undefined) {
    for (const r of e.ranges) {
      if (!Array.isArray(r) || r.length !== 2 || !Number.isSafeInteger(r[0]) || !Number.isSafeInteger(r[1]) || r[0] < 0) {
        return `resource ${e.name}: ranges must be [begin, end] pairs of non-negative integers`;
      }
      if (r[0] > r[1]) return `resource ${e.name}: range begin ${r[0]} > end ${r[1]}`;
    }
  } else {
    for (const item of e.set!) if (typeof item !== 'string') return `resource ${e.name}: set items must be strings`;
  }
  if (e.reservations !== undefined) {
    for (const r of e.reservations) {
      if (r.type !== 'STATIC' && r.type !== 'DYNAMIC') return `resource ${e.name}: reservation type must be STATIC or DYNAMIC`;
      const roleError = validateRole(r.role);
      if (roleError !== null || r.role === '*') return `resource ${e.name}: ${roleError ?? "cannot reserve for role '*'"}`;
    }
  }
  if (e.allocationRole !== undefined) {
    const roleError = validateRole(e.allocationRole);
    if (roleError !== null) return `resource ${e.name}: ${roleError}`;
  }
  if (e.disk !== undefined) {
    if (e.name !== 'disk' || e.scalar === undefined) return `resource ${e.name}: DiskInfo should not be set for ${e.name} resource`;
    if (typeof e.disk.persistence?.id !== 'string' || e.disk.persistence.id === '') return 'resource disk: a persistent volume needs a persistence id';
    if (typeof e.disk.volume?.container_path !== 'string' || e.disk.volume.container_path === '') return 'resource disk: a persistent volume needs a volume container_path';
  }
  return null;
}

function isEmptyEntry(e: ResourceEntry): boolean {
  if (e.scalar !== undefined) return e.scalar <= 0;
  if (e.ranges !== undefined) return e.ranges.length === 0;
  return e.set!.length === 0;
}

function canonicalEntry(e: ResourceEntry): ResourceEntry {
  const id: Identity = {
    name: e.name,
    reservations: e.reservations?.map(cleanReservation),
    allocationRole: e.allocationRole,
    disk: e.disk === undefined ? undefined : cleanDisk(e.disk),
  };
  if (e.scalar !== undefined) return withValue(id, { scalar: e.scalar });
  if (e.ranges !== undefined) return withValue(id, { ranges: coalesceRanges(e.ranges) });
  return withValue(id, { set: canonicalSet(e.set!) });
}

/**
 * Canonicalises arbitrary entries: validates, coalesces ranges, sorts sets, drops empty entries
 * and sums entries of the same identity. Throws ResourcesError on an invalid entry.
 */
export function resources(entries: Iterable<ResourceEntry>): Resources {
  const list: ResourceEntry[] = [];
  for (const e of entries) {
    const error = entryError(e);
    if (error !== null) throw new ResourcesError(error);
    const c = canonicalEntry(e);
    if (!isEmptyEntry(c)) list.push(c);
  }
  list.sort(compareIdentity);
  const out: ResourceEntry[] = [];
  for (const e of list) {
    const last = out[out.length - 1];
    if (last !== undefined && compareIdentity(last, e) === 0) out[out.length - 1] = combine(last, e);
    else out.push(e);
  }
  return out;
}

/** Whether `r` is canonical (sorted, merged, no empty or invalid entry). */
export function isCanonical(r: Resources): boolean {
  for (let i = 0; i < r.length; i++) {
    const e = r[i]!;
    if (entryError(e) !== null || isEmptyEntry(e)) return false;
    if (e.ranges !== undefined && !rangesEqual(e.ranges, coalesceRanges(e.ranges))) return false;
    if (e.set !== undefined && !setEqual(e.set, canonicalSet(e.set))) return false;
    if (e.reservations !== undefined && e.reservations.length === 0) return false;
    if (i > 0 && compareIdentity(r[i - 1]!, e) >= 0) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function combine(a: ResourceEntry, b: ResourceEntry): ResourceEntry {
  if (a.scalar !== undefined) return withValue(a, { scalar: a.scalar + b.scalar! });
  if (a.ranges !== undefined) return withValue(a, { ranges: rangesUnion(a.ranges, b.ranges!) });
  return withValue(a, { set: setUnion(a.set!, b.set!) });
}

/** `a - b` for entries of the same identity; null when nothing is left. */
function minus(a: ResourceEntry, b: ResourceEntry): ResourceEntry | null {
  if (a.scalar !== undefined) {
    const v = a.scalar - b.scalar!;
    return v > 0 ? withValue(a, { scalar: v }) : null;
  }
  if (a.ranges !== undefined) {
    const r = rangesDifference(a.ranges, b.ranges!);
    return r.length === 0 ? null : r === a.ranges ? a : withValue(a, { ranges: r });
  }
  const s = setDifference(a.set!, b.set!);
  return s.length === 0 ? null : s === a.set ? a : withValue(a, { set: s });
}

function valueContains(a: ResourceEntry, b: ResourceEntry): boolean {
  if (a.scalar !== undefined) return a.scalar >= b.scalar!;
  if (a.ranges !== undefined) return rangesContain(a.ranges, b.ranges!);
  return setContains(a.set!, b.set!);
}

function valueEqual(a: ResourceEntry, b: ResourceEntry): boolean {
  if (a.scalar !== undefined) return a.scalar === b.scalar;
  if (a.ranges !== undefined) return rangesEqual(a.ranges, b.ranges!);
  return setEqual(a.set!, b.set!);
}

/** `a + b`: scalars summed exactly, ranges and sets united. */
export function add(a: Resources, b: Resources): Resources {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: ResourceEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = compareIdentity(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) out.push(b[j++]!);
    else out.push(combine(a[i++]!, b[j++]!));
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** Sum of many. */
export function sum(list: Iterable<Resources>): Resources {
  let acc: Resources = EMPTY;
  for (const r of list) acc = add(acc, r);
  return acc;
}

/**
 * `a - b`, clamped as Mesos does: each entry of `b` is taken from the entry of `a` with the same
 * identity; a scalar that would reach zero or below disappears; ranges and sets lose the
 * members `b` names. Entries of `b` with no counterpart in `a` are ignored. Never negative.
 */
export function subtract(a: Resources, b: Resources): Resources {
  if (b.length === 0 || a.length === 0) return a;
  if (a === b) return EMPTY;
  const out: ResourceEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length) {
    if (j >= b.length) {
      out.push(a[i++]!);
      continue;
    }
    const c = compareIdentity(a[i]!, b[j]!);
    if (c < 0) out.push(a[i++]!);
    else if (c > 0) j++;
    else {
      const left = minus(a[i++]!, b[j++]!);
      if (left !== null) out.push(left);
    }
  }
  return out;
}

/** Whether `a ⊇ b`: every entry of `b` is within the entry of `a` with the same identity. */
export function contains(a: Resources, b: Resources): boolean {
  if (b.length === 0 || a === b) return true;
  let i = 0;
  for (const e of b) {
    while (i < a.length && compareIdentity(a[i]!, e) < 0) i++;
    const have = a[i];
    if (have === undefined || compareIdentity(have, e) !== 0 || !valueContains(have, e)) return false;
  }
  return true;
}

export function equals(a: Resources, b: Resources): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (compareIdentity(a[i]!, b[i]!) !== 0 || !valueEqual(a[i]!, b[i]!)) return false;
  }
  return true;
}

export function isEmpty(r: Resources): boolean {
  return r.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Views

/** The reservation role of an entry: the role of its last reservation, or `*`. */
export function reservationRole(e: ResourceEntry): string {
  const rs = e.reservations;
  return rs === undefined || rs.length === 0 ? '*' : rs[rs.length - 1]!.role;
}

export function isUnreserved(e: ResourceEntry): boolean {
  return e.reservations === undefined || e.reservations.length === 0;
}

/** `role` is a strict descendant of `ancestor` in the role tree (`a/b` of `a`). */
export function isStrictSubrole(role: string, ancestor: string): boolean {
  return role.length > ancestor.length + 1 && role.startsWith(ancestor) && role[ancestor.length] === '/';
}

/** Mesos `isAllocatableTo`: unreserved, or reserved to `role` or one of its ancestors. */
export function isAllocatableTo(e: ResourceEntry, role: string): boolean {
  if (isUnreserved(e)) return true;
  const rr = reservationRole(e);
  return rr === role || isStrictSubrole(role, rr);
}

export function filter(r: Resources, keep: (e: ResourceEntry) => boolean): Resources {
  let all = true;
  for (const e of r) {
    if (!keep(e)) {
      all = false;
      break;
    }
  }
  return all ? r : r.filter(keep);
}

export function unreserved(r: Resources): Resources {
  return filter(r, isUnreserved);
}

/** Reserved resources; with `role`, only those whose reservation role is exactly `role`. */
export function reserved(r: Resources, role?: string): Resources {
  return filter(r, (e) => !isUnreserved(e) && (role === undefined || reservationRole(e) === role));
}

/** What may be offered to `role`: unreserved plus reservations of `role` and its ancestors. */
export function allocatableTo(r: Resources, role: string): Resources {
  return filter(r, (e) => isAllocatableTo(e, role));
}

export function scalars(r: Resources): Resources {
  return filter(r, (e) => e.scalar !== undefined);
}

export function named(r: Resources, name: string): Resources {
  return filter(r, (e) => e.name === name);
}

/** Mesos `Resources::allocate(role)`: tag every entry with `allocation_info.role`. */
export function setAllocationRole(r: Resources, role: string): Resources {
  if (r.every((e) => e.allocationRole === role)) return r;
  return resources(r.map((e) => withValue({ name: e.name, reservations: e.reservations, allocationRole: role, disk: e.disk }, e)));
}

/** Mesos `Resources::unallocate()`: drop `allocation_info`. */
export function clearAllocationRole(r: Resources): Resources {
  if (r.every((e) => e.allocationRole === undefined)) return r;
  return resources(r.map((e) => withValue({ name: e.name, reservations: e.reservations, disk: e.disk }, e)));
}

/**
 * Mesos `Resources::popReservation()`: every entry loses its last (innermost) reservation, so a
 * dynamic reservation goes back to the role it refined (unreserved when it had no parent). What
 * an UNRESERVE produces, and what a RESERVE without `source` consumes.
 */
export function popReservation(r: Resources): Resources {
  if (r.every((e) => isUnreserved(e))) return r;
  return resources(r.map((e) => withValue({ name: e.name, reservations: e.reservations?.slice(0, -1), allocationRole: e.allocationRole, disk: e.disk }, e)));
}

/** Is every entry's last reservation DYNAMIC (Mesos `isDynamicallyReserved`)? */
export function isDynamicallyReserved(e: ResourceEntry): boolean {
  const rs = e.reservations;
  return rs !== undefined && rs.length > 0 && rs[rs.length - 1]!.type === 'DYNAMIC';
}

/** Strips reservations and allocation info and merges what is left per name and type. */
export function flatten(r: Resources): Resources {
  if (r.every((e) => e.reservations === undefined && e.allocationRole === undefined)) return r;
  return resources(r.map((e) => withValue({ name: e.name }, e)));
}

/** Is the entry a persistent volume (Mesos `Resources::isPersistentVolume`)? */
export function isPersistentVolume(e: ResourceEntry): boolean {
  return e.disk !== undefined;
}

/** The entries with their volumes' disk info removed: what a DESTROY gives back (Mesos's `stripped` disk). */
export function withoutDisk(r: Resources): Resources {
  if (r.every((e) => e.disk === undefined)) return r;
  return resources(r.map((e) => withValue({ name: e.name, reservations: e.reservations, allocationRole: e.allocationRole }, e)));
}

/** Names present, sorted. */
export function names(r: Resources): string[] {
  return canonicalSet(r.map((e) => e.name));
}

// ---------------------------------------------------------------------------------------------
// Quantities

/**
 * Scalar quantities per name, fixed point (Mesos `ResourceQuantities`): only positive values,
 * no key for zero. Used for cluster totals, DRF shares and min_allocatable_resources.
 */
export type Quantities = Readonly<Record<string, Fixed>>;

/** Mesos `ResourceQuantities::fromScalarResources`: scalar entries summed by name. */
export function scalarQuantities(r: Resources): Quantities {
  const out: Record<string, number> = {};
  for (const e of r) {
    if (e.scalar !== undefined) out[e.name] = (out[e.name] ?? 0) + e.scalar;
  }
  return out;
}

/**
 * Mesos `Resources::contains(ResourceQuantities)`: for each name, the resources of that name
 * (any reservation) amount to at least the quantity; a RANGES resource counts its numbers and a
 * SET its items (`ports:1` asks for one port).
 */
export function containsQuantities(r: Resources, q: Quantities): boolean {
  for (const name in q) {
    let remaining = q[name]!;
    for (const e of r) {
      if (remaining <= 0) break;
      if (e.name !== name) continue;
      if (e.scalar !== undefined) remaining -= e.scalar;
      else if (e.ranges !== undefined) remaining -= rangesCount(e.ranges) * 1000;
      else remaining -= e.set!.length * 1000;
    }
    if (remaining > 0) return false;
  }
  return true;
}

export function addQuantities(a: Quantities, b: Quantities): Quantities {
  let out: Record<string, number> | null = null;
  for (const name in b) {
    const v = b[name]!;
    if (v === 0) continue;
    out ??= { ...a };
    out[name] = (out[name] ?? 0) + v;
  }
  return out ?? a;
}

/** `a - b`, clamped at zero per name (zero entries removed), as `ResourceQuantities::operator-=`. */
export function subtractQuantities(a: Quantities, b: Quantities): Quantities {
  let out: Record<string, number> | null = null;
  for (const name in b) {
    const have = a[name];
    if (have === undefined || b[name] === 0) continue;
    out ??= { ...a };
    const left = have - b[name]!;
    if (left > 0) out[name] = left;
    else delete out[name];
  }
  return out ?? a;
}

export function quantitiesContain(a: Quantities, b: Quantities): boolean {
  for (const name in b) if ((a[name] ?? 0) < b[name]!) return false;
  return true;
}

export function quantitiesEqual(a: Quantities, b: Quantities): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

export function isEmptyQuantities(q: Quantities): boolean {
  for (const _ in q) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Roles

const INVALID_ROLE_CHARS = /[\x00-\x20\x7f]/;

/** Mesos `roles::validate`: null when `role` is a valid role name (`*` included). */
export function validateRole(role: string): string | null {
  if (typeof role !== 'string') return 'role must be a string';
  if (role === '*') return null;
  if (role === '') return 'Role names cannot be the empty string';
  if (role.startsWith('/')) return `Role '${role}' cannot start with a slash`;
  if (role.endsWith('/')) return `Role '${role}' cannot end with a slash`;
  if (role.includes('//')) return `Role '${role}' cannot contain two adjacent slashes`;
  for (const c of role.split('/')) {
    if (c === '.') return `Role '${role}' cannot include '.' as a component`;
    if (c === '..') return `Role '${role}' cannot include '..' as a component`;
    if (c === '*') return `Role '${role}' cannot include '*' as a component`;
    if (c.startsWith('-')) return `Role component '${c}' is invalid because it starts with a dash`;
    if (INVALID_ROLE_CHARS.test(c)) return `Role component '${c}' is invalid because it contains backspace or whitespace`;
  }
  return null;
}
