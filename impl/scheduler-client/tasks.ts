/** Building the scheduler machine's wanted tasks. */
import type { Resource } from '../../spec/protocol/common.ts';
import type { WantedTask } from '../../spec/machines/scheduler.ts';

/** A shell command task with cpus and mem (mem in MB), like mesos-execute's. */
export function commandTask(taskId: string, command: string, cpus: number, mem: number, name = taskId): WantedTask {
  const resources: Resource[] = [{ name: 'cpus', type: 'SCALAR', scalar: { value: cpus } }];
  if (mem > 0) resources.push({ name: 'mem', type: 'SCALAR', scalar: { value: mem } });
  return { task_id: taskId, name, resources, command: { value: command, shell: true } };
}
