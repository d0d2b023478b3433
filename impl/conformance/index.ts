/**
 * The conformance runner: replays a suite (conformance/) against a live cluster, our own or any
 * Mesos-compatible master. This is the API for programs that replay suites themselves.
 */
export { runScenario, skipReason, type Capabilities, type Outcome, type RunOptions, type ScenarioResult } from './scenario.ts';
export { loadSuite, runSuite, SuiteError, type LoadedSuite, type SuiteResult, type SuiteRunOptions } from './suite.ts';
export { startOwnCluster, externalCluster, type ScenarioCluster, type OwnClusterOptions } from './cluster.ts';
export { junitXml } from './junit.ts';
