/**
 * The executor program a scenario's custom executor runs. The model names it
 * CUSTOM_EXECUTOR_COMMAND and never runs it; a replay needs a real one that speaks the v1
 * executor API as the model's framework executor behaves (TASK_RUNNING, the task's `data` as a
 * shell command, MESSAGE answered with `echo:<data>`): examples/shell-executor.cjs, a plain Node
 * script, unless the runner is told another.
 */
import { join } from 'node:path';
import { CUSTOM_EXECUTOR_COMMAND } from '../../spec/world/mesos.ts';
import { REPO_ROOT } from '../paths.ts';
import { shellWord } from './hooks.ts';

/** `node examples/shell-executor.cjs`, by absolute paths (the agent runs it with `sh -c` in the executor's sandbox). */
export const DEFAULT_EXECUTOR_COMMAND = `${shellWord(process.execPath)} ${shellWord(join(REPO_ROOT, 'examples', 'shell-executor.cjs'))}`;

/** The call with every ExecutorInfo command that names the model's custom executor replaced by `command`. */
export function withExecutorProgram<T>(call: T, command: string): T {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x === null || typeof x !== 'object') return x;
    const o = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)])) as Record<string, unknown>;
    const c = o.command as { value?: unknown } | undefined;
    if ('executor_id' in o && c?.value === CUSTOM_EXECUTOR_COMMAND) o.command = { ...c, value: command };
    return o;
  };
  return walk(call) as T;
}
