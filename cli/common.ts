/**
 * What several commands share: the usage error (exit code 2, its message names the flag),
 * flag parsers, and the text helpers of their reports.
 */
import type { MesosConfig } from '../spec/world/config.ts';
import { parseDuration } from '../spec/protocol/duration.ts';
import { InvalidArgumentError } from 'commander';
import type { MasterFlags } from '../spec/machines/master/context.ts';

/** Bad flags, configuration or input: the command prints the message and exits 2. */
export class UsageError extends Error {}

export function positiveInt(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`'${flag}': expected an integer >= ${min}, got '${value}'`);
  return Number(value);
}

/** A Mesos duration flag (`2secs`, `500ms`, `1mins`) in milliseconds. */
export function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === null) throw new UsageError(`'${flag}': expected a duration such as 2secs, 1mins or 500ms, got '${value}'`);
  return ms;
}

/** The timeout flags as the master machine takes them (absent: Mesos's defaults); throws naming the flag. */
export function masterTimeouts(flags: {
  readonly agentPingTimeout?: string;
  readonly maxAgentPingTimeouts?: string;
  readonly agentReregisterTimeout?: string;
  readonly offerTimeout?: string;
}): Partial<MasterFlags> {
  const positive = (value: string | undefined, flag: string): number | undefined => {
    const ms = durationFlag(value, flag);
    if (ms !== undefined && ms <= 0) throw new UsageError(`'${flag}': expected a duration above zero, got '${value}'`);
    return ms;
  };
  const ping = positive(flags.agentPingTimeout, '--agent_ping_timeout');
  const reregister = positive(flags.agentReregisterTimeout, '--agent_reregister_timeout');
  const maxPings = positiveInt(flags.maxAgentPingTimeouts, '--max_agent_ping_timeouts');
  const offer = positive(flags.offerTimeout, '--offer_timeout');
  return {
    ...(ping !== undefined ? { agentPingTimeoutMs: ping } : {}),
    ...(maxPings !== undefined ? { maxAgentPingTimeouts: maxPings } : {}),
    ...(reregister !== undefined ? { agentReregisterTimeoutMs: reregister } : {}),
    ...(offer !== undefined ? { offerTimeoutMs: offer } : {}),
  };
}

/** An integer with thousands separators (`287,855`). */
export const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** The two header lines naming a configuration and its settings. */
export function describeConfig(c: MesosConfig): string {
  const faults = Object.entries(c.faults)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `configuration ${c.name}${c.description ? `: ${c.description}` : ''}\n  timing ${c.timing}, channel bound ${c.channelBound}, faults: ${faults || 'none'}`;
}

/** Items joined with commas into lines of at most about `width` characters. */
export function wrap(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > width) {
      lines.push(line + ',');
      line = item;
    } else line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A Mesos boolean flag's value: `--flag` alone is true (commander gives true without calling
 * this), `--flag=true` or `--flag=false` as Mesos spells them; anything else names what it expects.
 */
export function mesosBool(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`expected true or false, got '${value}'`);
}
