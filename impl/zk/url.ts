/**
 * Mesos's `--zk` / `--master` ZooKeeper URL: `zk://host:port[,host:port...]/path`, optionally
 * with `user:password@` before the hosts (digest authentication, as Mesos's `zookeeper::URL`).
 * A file URL (`file:///path`) Mesos also takes is not supported here.
 */
export interface ZkUrl {
  /** The connection string the client takes: `host:port,host:port`. */
  readonly servers: string;
  /** The znode under which masters contend, e.g. `/mesos` (never ends with `/`). */
  readonly path: string;
  /** `user:password` for the digest scheme, if the URL has one. */
  readonly auth?: string;
}

/** Is this `--master` value a ZooKeeper URL (rather than a master's host:port or http:// URL)? */
export const isZkUrl = (text: string): boolean => text.startsWith('zk://');

/** Parses a ZooKeeper URL, or says what is wrong with it (the caller names the flag). */
export function parseZkUrl(text: string): { ok: true; url: ZkUrl } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `expected zk://host:port[,host:port]/path, got '${text}': ${why}` });
  if (!isZkUrl(text)) return bad("it must start with 'zk://'");
  let rest = text.slice('zk://'.length);
  let auth: string | undefined;
  const at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length : rest.indexOf('/'));
  if (at >= 0) {
    auth = rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (!/^[^:]+:.*$/.test(auth)) return bad('credentials must be user:password');
  }
  const slash = rest.indexOf('/');
  if (slash < 0) return bad('no path (such as /mesos)');
  const hosts = rest.slice(0, slash);
  const path = rest.slice(slash).replace(/\/+$/, '');
  if (
    path === '' ||
    path
      .split('/')
      .slice(1)
      .some((p) => p === '' || p === '.' || p === '..')
  )
    return bad(`'${rest.slice(slash)}' is not a znode path`);
  const servers = hosts.split(',');
  for (const s of servers) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d+)$/.exec(s);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return bad(`'${s}' is not host:port`);
  }
  return { ok: true, url: { servers: hosts, path, ...(auth !== undefined ? { auth } : {}) } };
}
