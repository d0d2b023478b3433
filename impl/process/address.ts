/**
 * The address a server advertises (in MasterInfo, in an agent's registration, to executors): the
 * one it was told to advertise, else the one it binds, except that a wildcard bind (0.0.0.0, ::)
 * is nobody's address, so it advertises the machine's first external IPv4 address (loopback if it
 * has none), as Mesos's `--advertise_ip` default does from the hostname's address.
 */
import { networkInterfaces } from 'node:os';

export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

export function advertisedIp(bindIp: string, advertise?: string): string {
  if (advertise !== undefined) return advertise;
  if (!isWildcard(bindIp)) return bindIp;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
