/**
 * A test entry point: the command executor hosting a runtime mutant of its machine
 * (test/support/runtime-mutants.ts), configured by the agent's environment as `mesos-ref
 * executor` is. test/support/mutant-agent.ts makes it its agent's executor program.
 *
 *   node --import tsx test/support/mutant-executor.ts NAME
 */
import { ExecutorRuntime, executorOptionsFromEnv } from '../../impl/executor/runtime.ts';
import { runtimeMutant } from './runtime-mutants.ts';

const name = process.argv[2];
if (name === undefined) throw new Error('mutant-executor: give the name of an executor mutant');
const parsed = executorOptionsFromEnv(process.env);
if (!parsed.ok) throw new Error(`mutant-executor: ${parsed.error}`);
new ExecutorRuntime({ ...parsed.options, machine: runtimeMutant(name, 'executor').machine() }).start();
