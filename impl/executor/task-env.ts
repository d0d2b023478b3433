/**
 * The environment a task's process starts with, for the command executor and the default
 * executor alike: the executor's own, less what only the executor may hold, plus MESOS_SANDBOX and
 * the task's CommandInfo.environment (VALUE variables; Mesos resolves secrets elsewhere).
 */
import type { CommandInfo } from '../../spec/protocol/common.ts';

/** Environment variables not passed on to tasks: the reference's own, and the executor's token (a task must not speak for its executor). */
const INTERNAL_ENV = ['MESOS_REF_EXECUTOR_INPUT', 'MESOS_REF_EXECUTOR_META', 'MESOS_REF_EXECUTOR_TRACE', 'MESOS_EXECUTOR_AUTHENTICATION_TOKEN'];

export function taskEnv(command: CommandInfo, sandbox: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INTERNAL_ENV) delete env[name];
  env['MESOS_SANDBOX'] = sandbox;
  for (const v of command.environment?.variables ?? []) if ((v.type ?? 'VALUE') === 'VALUE' && v.value !== undefined) env[v.name] = v.value;
  return env;
}
