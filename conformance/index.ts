/**
 * Conformance (DESIGN.md section 9): suites of scenarios generated from the model, for any
 * Mesos-compatible master. This is the API for programs that generate or check suites
 * themselves; the runner that replays them against a live cluster is impl/conformance/.
 */
export type {
  AfterEnd,
  CallJson,
  CallStep,
  Coverage,
  EventPattern,
  ExpectStep,
  Fault,
  FaultStep,
  Manifest,
  ManifestScenario,
  ManifestTarget,
  Requirement,
  Scenario,
  ScenarioEnvironment,
  ScenarioTarget,
  Step,
  TargetInfo,
  TargetKind,
  TimerNote,
  TraceLine,
  Var,
} from './format.ts';
export { generateSuite, writeSuite, json, type GenerateOptions, type Suite } from './generate.ts';
export { checkScenario, type CheckOptions, type CheckResult } from './check.ts';
export { eventPattern, matchPattern, scalars, Vars, type IdKind } from './patterns.ts';
export { project, ProjectionError, SLEEP_COMMAND, type ProjectInput, type ProjectOptions } from './project.ts';
export { findWitnesses, situationReader, transitionIds, type Witnesses, type WitnessOptions } from './witnesses.ts';
export { situations, type Situation, type SituationReader } from './situations.ts';
export { universe, scenarioName, type TargetId } from './targets.ts';
export { replayRaw, rawSystem, ReplayError, type RawTrace, type RawStep } from './replay.ts';
export { Beliefs, looseEvent, type Closure } from './beliefs.ts';
