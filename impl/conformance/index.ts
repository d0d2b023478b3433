/**
 * The conformance runner: replays a suite (conformance/) against a live cluster, our own or any
 * Mesos-compatible master. This is the API for programs that replay suites themselves.
 */
export { runScenario, skipReason, stepTimeoutFor, type Capabilities, type Divergence, type Outcome, type RunOptions, type ScenarioResult } from './scenario.ts';
export { DEFAULT_RETRIES, loadSuite, runSuite, selectScenarios, suiteTargets, SuiteError, type LoadedSuite, type SuiteResult, type SuiteRunOptions } from './suite.ts';
export { startOwnCluster, startScenarioCluster, agentTimeoutArgv, externalCluster, preflightAgents, probeMaster, type ScenarioCluster, type OwnClusterOptions } from './cluster.ts';
export { isFailure, junitXml, type JunitOptions } from './junit.ts';
export { fillHook, hookedCluster, hookProblem, runHook, HOOK_FLAGS, HOOK_PLACEHOLDERS, type FaultHooks } from './hooks.ts';
