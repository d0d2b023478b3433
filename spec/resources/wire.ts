/**
 * Conversion between canonical Resources and the v1 API's `Resource[]` JSON
 * (`mesos.v1.Resource`, rendered snake_case, see reference §0.1):
 *
 *     {"name":"cpus","type":"SCALAR","scalar":{"value":4.0},"role":"*"}
 *     {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]}}
 *     {"name":"mem","type":"SCALAR","scalar":{"value":512},
 *      "reservations":[{"type":"STATIC","role":"role1"}],"allocation_info":{"role":"role1"}}
 *
 * The types below are declared locally and kept structurally compatible with
 * spec/protocol/common.ts. Parsing is lenient where stout's JSON→protobuf is (numbers may be
 * strings, unknown keys are ignored) and strict where Mesos's `Resources::validate` is.
 * Both reservation formats are read: pre-refinement (`role` + optional `reservation`) is
 * upgraded as Mesos's `upgradeResource` does; post-refinement (`reservations`) is taken as is.
 */
import {
  clearAllocationRole,
  EMPTY,
  resources,
  ResourcesError,
  validateRole,
  type DiskInfo,
  type Label,
  type Reservation,
  type ResourceEntry,
  type Resources,
} from './resources.ts';
import { fromFixed, MAX_FIXED, toFixed, type Range, type Result } from './values.ts';

export interface WireLabel {
  key: string;
  value?: string;
}

export interface WireReservationInfo {
  type?: 'STATIC' | 'DYNAMIC';
  role?: string;
  principal?: string;
  labels?: { labels?: WireLabel[] };
}

/** `mesos.v1.Resource` as JSON (the subset modelled). */
export interface WireResource {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET';
  scalar?: { value: number };
  ranges?: { range?: Array<{ begin: number; end: number }> };
  set?: { item?: string[] };
  /** Deprecated pre-refinement role (`*` = unreserved). */
  role?: string;
  allocation_info?: { role?: string };
  /** Deprecated pre-refinement dynamic reservation info. */
  reservation?: WireReservationInfo;
  reservations?: WireReservationInfo[];
  /** A persistent volume's `DiskInfo` (persistence id, volume path and mode). */
  disk?: WireDiskInfo;
}

export interface WireDiskInfo {
  persistence?: { id: string; principal?: string };
  volume?: { container_path: string; mode: 'RW' | 'RO' };
}

/**
 * Which reservation format to render (Mesos `ResourceFormat`):
 * - PRE_RESERVATION_REFINEMENT: `role` always set (`*` when unreserved), a dynamic
 *   reservation's principal/labels in `reservation`, no `reservations`. What frameworks without
 *   the RESERVATION_REFINEMENT capability receive in offers. Refined (stacked) reservations
 *   cannot be downgraded; such entries are rendered in ENDPOINT form.
 * - POST_RESERVATION_REFINEMENT: only `reservations` (absent when unreserved), no `role`.
 * - ENDPOINT: both (`role` and, for reserved resources, `reservations`), as the operator
 *   endpoints render them.
 */
export type WireFormat = 'PRE_RESERVATION_REFINEMENT' | 'POST_RESERVATION_REFINEMENT' | 'ENDPOINT';

const fail = <T>(error: string): Result<T> => ({ ok: false, error });

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** stout accepts numbers given as JSON strings. */
function num(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x === 'string' && x.trim() !== '') {
    if (x === 'Infinity') return Infinity;
    if (x === '-Infinity') return -Infinity;
    const n = Number(x);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function parseLabels(x: unknown, at: string): Result<Label[] | undefined> {
  if (x === undefined || x === null) return { ok: true, value: undefined };
  if (!isObject(x)) return fail(`${at}: expected an object`);
  const list = x.labels;
  if (list === undefined || list === null) return { ok: true, value: [] };
  if (!Array.isArray(list)) return fail(`${at}.labels: expected an array`);
  const out: Label[] = [];
  for (const [i, l] of list.entries()) {
    if (!isObject(l) || typeof l.key !== 'string') return fail(`${at}.labels[${i}].key: expected a string`);
    out.push(typeof l.value === 'string' ? { key: l.key, value: l.value } : { key: l.key });
  }
  return { ok: true, value: out };
}

function parseReservation(x: unknown, at: string, defaultType?: Reservation['type']): Result<Reservation> {
  if (!isObject(x)) return fail(`${at}: expected an object`);
  const type = x.type ?? defaultType;
  if (type !== 'STATIC' && type !== 'DYNAMIC') return fail(`${at}.type: expected STATIC or DYNAMIC`);
  const role = str(x.role);
  if (role === undefined) return fail(`${at}.role: expected a string`);
  const roleError = validateRole(role);
  if (roleError !== null || role === '*') return fail(`${at}.role: ${roleError ?? "cannot reserve for role '*'"}`);
  const labels = parseLabels(x.labels, `${at}.labels`);
  if (!labels.ok) return labels;
  const out: { type: Reservation['type']; role: string; principal?: string; labels?: readonly Label[] } = { type, role };
  if (typeof x.principal === 'string') out.principal = x.principal;
  if (labels.value !== undefined) out.labels = labels.value;
  return { ok: true, value: out };
}

/**
 * `disk`: only a persistent volume's DiskInfo is modelled (Mesos `Resources::validate` and
 * validation::operation's checks): a persistence id needs a volume, the volume is RW or RO with a
 * container path. A DiskInfo without persistence (a plain or source disk) is accepted and ignored.
 */
function parseDisk(x: unknown, at: string, name: string): Result<DiskInfo | undefined> {
  if (x === undefined || x === null) return { ok: true, value: undefined };
  if (!isObject(x)) return fail(`${at}: expected an object`);
  if (name !== 'disk') return fail(`${at}: DiskInfo should not be set for ${name} resource`);
  if (x.persistence === undefined || x.persistence === null) return { ok: true, value: undefined };
  const p = x.persistence;
  if (!isObject(p) || typeof p.id !== 'string' || p.id === '') return fail(`${at}.persistence.id: expected a non-empty string`);
  const v = x.volume;
  if (!isObject(v)) return fail(`${at}.volume: Expecting 'volume' to be set for persistent volume`);
  if (typeof v.container_path !== 'string' || v.container_path === '') return fail(`${at}.volume.container_path: expected a non-empty string`);
  const mode = v.mode ?? 'RW';
  if (mode !== 'RW' && mode !== 'RO') return fail(`${at}.volume.mode: expected RW or RO`);
  if (v.host_path !== undefined) return fail(`${at}.volume.host_path: Expecting 'host_path' to be unset for persistent volume`);
  const persistence = typeof p.principal === 'string' ? { id: p.id, principal: p.principal } : { id: p.id };
  return { ok: true, value: { persistence, volume: { container_path: v.container_path, mode } } };
}

function parseOne(x: unknown, at: string, defaultRole: string): Result<ResourceEntry> {
  if (!isObject(x)) return fail(`${at}: expected an object`);
  const name = str(x.name);
  if (name === undefined || name === '') return fail(`${at}.name: expected a non-empty string`);
  const type = x.type;
  if (type !== 'SCALAR' && type !== 'RANGES' && type !== 'SET') return fail(`${at}.type: expected SCALAR, RANGES or SET`);
  const has = (k: string) => x[k] !== undefined && x[k] !== null;
  const present = ['scalar', 'ranges', 'set'].filter(has);
  const expected = type.toLowerCase();
  if (present.length !== 1 || present[0] !== expected) return fail(`${at}: a ${type} resource must have exactly the field ${expected}`);

  // Reservations: post-refinement `reservations`, else pre-refinement `role` (+ `reservation`).
  let reservations: Reservation[] = [];
  if (Array.isArray(x.reservations) && x.reservations.length > 0) {
    for (const [i, r] of x.reservations.entries()) {
      const parsed = parseReservation(r, `${at}.reservations[${i}]`);
      if (!parsed.ok) return parsed;
      reservations.push(parsed.value);
    }
  } else if (x.reservations !== undefined && x.reservations !== null && !Array.isArray(x.reservations)) {
    return fail(`${at}.reservations: expected an array`);
  } else {
    const role = x.role === undefined || x.role === null ? defaultRole : str(x.role);
    if (role === undefined) return fail(`${at}.role: expected a string`);
    const roleError = validateRole(role);
    if (roleError !== null) return fail(`${at}.role: ${roleError}`);
    if (role !== '*') {
      if (has('reservation')) {
        const parsed = parseReservation({ ...(x.reservation as object), type: 'DYNAMIC', role }, `${at}.reservation`);
        if (!parsed.ok) return parsed;
        reservations = [parsed.value];
      } else {
        reservations = [{ type: 'STATIC', role }];
      }
    } else if (has('reservation')) {
      return fail(`${at}.reservation: unreserved resources cannot carry a reservation`);
    }
  }

  let allocationRole: string | undefined;
  if (has('allocation_info')) {
    if (!isObject(x.allocation_info)) return fail(`${at}.allocation_info: expected an object`);
    const role = x.allocation_info.role;
    if (role !== undefined && role !== null) {
      if (typeof role !== 'string') return fail(`${at}.allocation_info.role: expected a string`);
      const roleError = validateRole(role);
      if (roleError !== null) return fail(`${at}.allocation_info.role: ${roleError}`);
      allocationRole = role;
    }
  }

  const disk = parseDisk(x.disk, `${at}.disk`, name);
  if (!disk.ok) return disk;
  // Mesos's validateDiskInfo: a volume lives on a reservation, which DESTROY then UNRESERVE release.
  if (disk.value !== undefined && reservations.length === 0) return fail(`${at}.disk: Persistent volumes cannot be created from unreserved resources`);
  const id = {
    name,
    ...(reservations.length > 0 ? { reservations } : {}),
    ...(allocationRole !== undefined ? { allocationRole } : {}),
    ...(disk.value !== undefined ? { disk: disk.value } : {}),
  };
  if (type === 'SCALAR') {
    const s = x.scalar;
    const v = isObject(s) ? num(s.value) : undefined;
    if (v === undefined || Number.isNaN(v)) return fail(`${at}.scalar.value: expected a number`);
    if (!Number.isFinite(v)) return fail(`${at}.scalar.value: must be finite`);
    if (v < 0) return fail(`${at}.scalar.value: Invalid scalar resource: value <= 0`);
    const fixed = toFixed(v);
    if (v !== 0 && fixed <= 0) return fail(`${at}.scalar.value: Invalid scalar resource: value <= 0 at three decimals`);
    if (fixed > MAX_FIXED) return fail(`${at}.scalar.value: too large`);
    return { ok: true, value: { ...id, scalar: fixed } };
  }
  if (type === 'RANGES') {
    const r = x.ranges;
    if (!isObject(r)) return fail(`${at}.ranges: expected an object`);
    const list = r.range ?? [];
    if (!Array.isArray(list)) return fail(`${at}.ranges.range: expected an array`);
    const out: Range[] = [];
    for (const [i, item] of list.entries()) {
      const b = isObject(item) ? num(item.begin) : undefined;
      const e = isObject(item) ? num(item.end) : undefined;
      if (b === undefined || e === undefined || !Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || e < 0) {
        return fail(`${at}.ranges.range[${i}]: begin and end must be non-negative integers`);
      }
      if (b > e) return fail(`${at}.ranges.range[${i}]: Invalid ranges resource: begin > end`);
      out.push([b, e]);
    }
    // Mesos rejects overlapping ranges in a single Resource (adjacent ones are fine).
    const sorted = [...out].sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] <= sorted[i - 1]![1]) return fail(`${at}.ranges: Invalid ranges resource: overlapping ranges`);
    }
    return { ok: true, value: { ...id, ranges: out } };
  }
  const s = x.set;
  if (!isObject(s)) return fail(`${at}.set: expected an object`);
  const items = s.item ?? [];
  if (!Array.isArray(items) || items.some((i) => typeof i !== 'string')) return fail(`${at}.set.item: expected an array of strings`);
  if (new Set(items).size !== items.length) return fail(`${at}.set.item: Invalid set resource: duplicated elements`);
  return { ok: true, value: { ...id, set: items as string[] } };
}

/**
 * The resources of a message's optional repeated `resources` field (a TaskInfo's, an
 * ExecutorInfo's, an offer's, an AgentInfo's): absent reads as empty, as protobuf reads it.
 */
export function resourcesOf(holder: { readonly resources?: readonly unknown[] | undefined }): Result<Resources> {
  return fromWire(holder.resources ?? []);
}

/**
 * Reads a v1 `Resource[]` JSON array into canonical Resources (summing duplicates, dropping
 * empty ones as Mesos's `Resources` does). Errors name the index and field. Resources without
 * `role` or `reservations` get `defaultRole` (Mesos `Resources::fromJSON`).
 */
export function fromWire(json: unknown, defaultRole = '*'): Result<Resources> {
  if (!Array.isArray(json)) return fail('resources: expected an array');
  const entries: ResourceEntry[] = [];
  for (const [i, x] of json.entries()) {
    const parsed = parseOne(x, `resources[${i}]`, defaultRole);
    if (!parsed.ok) return parsed;
    entries.push(parsed.value);
  }
  try {
    return { ok: true, value: resources(entries) };
  } catch (e) {
    return fail(e instanceof ResourcesError ? e.message : String(e));
  }
}

function reservationToWire(r: Reservation): WireReservationInfo {
  const out: WireReservationInfo = { type: r.type, role: r.role };
  if (r.principal !== undefined) out.principal = r.principal;
  if (r.labels !== undefined) out.labels = { labels: r.labels.map((l) => ({ ...l })) };
  return out;
}

/** Renders canonical Resources as v1 `Resource[]` JSON, field order as in mesos.proto. */
export function toWire(r: Resources, format: WireFormat = 'PRE_RESERVATION_REFINEMENT'): WireResource[] {
  return r.map((e) => {
    const out: WireResource = {
      name: e.name,
      type: e.scalar !== undefined ? 'SCALAR' : e.ranges !== undefined ? 'RANGES' : 'SET',
    };
    if (e.scalar !== undefined) out.scalar = { value: fromFixed(e.scalar) };
    else if (e.ranges !== undefined) out.ranges = { range: e.ranges.map(([begin, end]) => ({ begin, end })) };
    else out.set = { item: [...e.set!] };
    const rs = e.reservations ?? [];
    const refined = rs.length > 1;
    const pre = format === 'PRE_RESERVATION_REFINEMENT' && !refined;
    if (format !== 'POST_RESERVATION_REFINEMENT') {
      if (rs.length === 0) out.role = '*';
      else if (rs.length === 1) out.role = rs[0]!.role;
    }
    if (e.allocationRole !== undefined) out.allocation_info = { role: e.allocationRole };
    if (format !== 'POST_RESERVATION_REFINEMENT' && rs.length === 1 && rs[0]!.type === 'DYNAMIC') {
      const info: WireReservationInfo = {};
      if (rs[0]!.principal !== undefined) info.principal = rs[0]!.principal;
      if (rs[0]!.labels !== undefined) info.labels = { labels: rs[0]!.labels.map((l) => ({ ...l })) };
      out.reservation = info;
    }
    if (!pre && rs.length > 0) out.reservations = rs.map(reservationToWire);
    if (e.disk !== undefined) {
      const persistence = e.disk.persistence.principal === undefined ? { id: e.disk.persistence.id } : { ...e.disk.persistence };
      out.disk = { persistence, volume: { container_path: e.disk.volume.container_path, mode: e.disk.volume.mode } };
    }
    return out;
  });
}

/**
 * Wire resources as a host's report shows them (metrics, operator views): parsed, the allocation
 * role cleared, empty if they do not parse (what a machine accepted always parses).
 */
export function unallocatedFromWire(json: unknown): Resources {
  const r = fromWire(json ?? []);
  return r.ok ? clearAllocationRole(r.value) : EMPTY;
}
