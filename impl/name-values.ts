/**
 * A record as the `{ name, value }` list the v1 operator API answers GET_FLAGS and GET_METRICS
 * with (master and agent), sorted by name as Mesos's flag and metric maps are.
 */
export function nameValues<T>(record: Readonly<Record<string, T>>): { name: string; value: T }[] {
  return Object.keys(record)
    .sort()
    .map((name) => ({ name, value: record[name]! }));
}
