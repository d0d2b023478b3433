/**
 * The protocol layer of the spec: message types, wire descriptors, the JSON codec, call
 * validation, RecordIO framing and deterministic UUIDs. Pure: no I/O, no clock, no randomness.
 */
export * from './scalars.ts';
export * from './common.ts';
export * from './scheduler.ts';
export * from './executor.ts';
export * from './operator.ts';
export * from './internal.ts';
export * from './descriptors.ts';
export * from './json.ts';
export * from './validation.ts';
export * from './recordio.ts';
export * from './uuid.ts';
export * from './bytes.ts';
