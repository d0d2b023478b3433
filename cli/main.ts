/**
 * `mesos-ref`: one command per file in cli/, registered here.
 * Exit codes: 0 success, 1 a property was violated or a run failed, 2 bad flags or configuration.
 */
import { Command, CommanderError } from 'commander';
import { registerSchemas } from './schemas.ts';
import { registerVerify } from './verify.ts';
import { registerValidateTrace } from './validate-trace.ts';
import { registerMaster } from './master.ts';
import { registerAgent } from './agent.ts';
import { registerExecutor } from './executor.ts';
import { registerCluster } from './cluster.ts';
import { registerRun } from './run.ts';
import { registerConformance } from './conformance.ts';
import { registerMutate } from './mutate.ts';

const program = new Command('mesos-ref')
  .description('A formally checked reference for Apache Mesos')
  .showHelpAfterError()
  .exitOverride();

registerSchemas(program);
registerVerify(program);
registerValidateTrace(program);
registerMaster(program);
registerAgent(program);
registerExecutor(program);
registerCluster(program);
registerRun(program);
registerConformance(program);
registerMutate(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are not errors; everything else commander rejects is a usage error.
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
  } else {
    throw err;
  }
}
