/** The checker's public API: a Model (model.ts), and what explores, walks and prints it. */
export type { Model, Property, PropertyKind } from './model.ts';
export { validateModel } from './model.ts';
export { explore, failedVerdicts } from './explore.ts';
export type { ExploreOptions, ExploreProgress, ExploreResult, StopReason, Verdict } from './explore.ts';
export { simulate, replayWalk } from './simulate.ts';
export type { ReplayOptions, SimulateOptions, SimulationResult, WalkViolation } from './simulate.ts';
export type { Trace, TraceJson, FormatTraceOptions } from './trace.ts';
export { formatTrace, traceToJson, checkTrace } from './trace.ts';
export { formatExploreResult, formatSimulationResult } from './report.ts';
export { fingerprint, fingerprintHex } from './fingerprint.ts';
export { FingerprintTable } from './visited.ts';
export type { TableOptions } from './visited.ts';
export { Rng } from './random.ts';
