/**
 * Highly available masters (spec/world/election.ts): the registry on ZooKeeper is written only
 * by the leader. Mesos's safety across a leader change rests on it: a deposed master that still
 * runs may try to act, but nothing it decides reaches the registry a new leader recovers from.
 */
import type { ElectionContext } from '../spec/world/election.ts';

/** registryWritesByLeader == lastWrite = null ∨ lastWrite.by = lastWrite.leader */
export const registryWritesByLeader = (z: ElectionContext): string | null =>
  z.lastWrite === null || z.lastWrite.by === z.lastWrite.leader ? null : `master ${z.lastWrite.by} committed a registry write while ${z.lastWrite.leader} led`;

/** noAgentAdmittedByDeposed == ∀ a ∈ DOMAIN admissions: admissions[a].by = admissions[a].leader */
export function noAgentAdmittedByDeposed(z: ElectionContext): string | null {
  const aid = Object.keys(z.admissions).find((a) => z.admissions[a]!.by !== z.admissions[a]!.leader);
  return aid === undefined ? null : `agent ${aid} was admitted by a write of master ${z.admissions[aid]!.by}, deposed by ${z.admissions[aid]!.leader}`;
}
