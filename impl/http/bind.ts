/**
 * Secure by default: a server that binds an address other hosts can reach must authenticate,
 * unless told `--insecure`. Loopback is 127.0.0.0/8, ::1 and `localhost`.
 */
export function isLoopback(ip: string): boolean {
  return ip === 'localhost' || ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip) || /^::ffff:127\./i.test(ip);
}

/**
 * Why binding `ip` is refused: `missing` names the authentication flags that are off. Null when
 * the bind is allowed (loopback, everything authenticated, or `--insecure`).
 */
export function bindRefusal(ip: string, missing: readonly string[], insecure: boolean): string | null {
  if (isLoopback(ip) || insecure || missing.length === 0) return null;
  return `refusing to bind ${ip}, an address other hosts can reach, without authentication (${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set); set ${missing.length === 1 ? 'it' : 'them'}, or pass --insecure to accept that anyone who reaches this port can act as any framework, agent or operator`;
}
