/**
 * protobuf::createTask (src/common/protobuf_utils.cpp): the Task a TaskInfo becomes, both where
 * the master books a launch (Master::addTask) and where an agent reports what it runs
 * (REREGISTER_AGENT). One function, as in Mesos, so the master's books and an agent's report
 * describe a task alike: its name, ids, resources, and the descriptive fields a framework gave it.
 */
import type { Task, TaskInfo, TaskState } from '../protocol/common.ts';

export function createTask(info: TaskInfo, framework: string, agent: string, state: TaskState): Task {
  return {
    name: info.name,
    task_id: info.task_id,
    framework_id: { value: framework },
    ...(info.executor === undefined ? {} : { executor_id: info.executor.executor_id }),
    agent_id: { value: agent },
    state,
    resources: info.resources ?? [],
    ...(info.labels === undefined ? {} : { labels: info.labels }),
    ...(info.discovery === undefined ? {} : { discovery: info.discovery }),
    ...(info.container === undefined ? {} : { container: info.container }),
    ...(info.health_check === undefined ? {} : { health_check: info.health_check }),
    ...(info.kill_policy === undefined ? {} : { kill_policy: info.kill_policy }),
    ...(info.limits === undefined ? {} : { limits: info.limits }),
  };
}
