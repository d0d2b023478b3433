/**
 * Where a server binds and the address it gives out, as Mesos's master and agent name them:
 * `--port`, `--ip`, `--hostname`, `--advertise_ip`, `--advertise_port` (the dashed spellings of
 * earlier versions stay accepted). One declaration and one check for `mesos-ref master` and
 * `mesos-ref agent`; only the help texts differ.
 */
import type { Command } from 'commander';

export interface HostFlags {
  port: string;
  ip: string;
  hostname?: string;
  advertiseIp?: string;
  advertisePort?: string;
}

export interface HostHelp {
  readonly port: string;
  readonly defaultPort: string;
  readonly hostname: string;
  readonly advertiseIp: string;
  readonly advertisePort: string;
}

/** Adds the five flags to `command`; `--ip` defaults to loopback. */
export function hostOptions(command: Command, help: HostHelp): Command {
  return command
    .option('--port <port>', help.port, help.defaultPort)
    .option('--ip <ip>', 'address to bind', '127.0.0.1')
    .option('--hostname <name>', help.hostname)
    .option('--advertise_ip, --advertise-ip <ip>', help.advertiseIp)
    .option('--advertise_port, --advertise-port <port>', help.advertisePort);
}

const IP = /^[0-9.]+$|:/;
const isPort = (text: string, min: number) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= 65535;

/** What is wrong with the flags, naming the flag, or null. `--port 0` asks for any free port. */
export function hostFlagsError(f: HostFlags): string | null {
  if (!isPort(f.port, 0)) return `'--port': expected a port number (0-65535), got '${f.port}'`;
  if (!IP.test(f.ip)) return `'--ip': expected an IP address, got '${f.ip}'`;
  if (f.advertiseIp !== undefined && !IP.test(f.advertiseIp)) return `'--advertise_ip': expected an IP address, got '${f.advertiseIp}'`;
  if (f.advertisePort !== undefined && !isPort(f.advertisePort, 1)) return `'--advertise_port': expected a port number (1-65535), got '${f.advertisePort}'`;
  return null;
}
