/**
 * Log lines as Mesos writes them (glog): a level letter, the date and time, the component, then
 * one sentence: `I1206 09:39:20.123456 master] Registered framework ...`. `--log_level` (Mesos's
 * `--logging_level`) drops the levels below it. Everything goes to stderr unless told otherwise.
 *
 * No logging library: the lines are few and plain, and the agent's executors start faster
 * without one.
 */
const LOG_LEVELS = ['info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(text: string): LogLevel | undefined {
  const t = text.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(t) ? (t as LogLevel) : undefined;
}

export interface Logger {
  info(line: string): void;
  warning(line: string): void;
  error(line: string): void;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `I1206 09:39:20.123000`: glog's prefix for a level and a time. */
function glogPrefix(level: LogLevel, at: Date): string {
  return `${level[0]!.toUpperCase()}${pad(at.getMonth() + 1)}${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}000`;
}

export function logger(component: string, level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const at = (l: LogLevel) => (line: string) => {
    if (LOG_LEVELS.indexOf(l) >= min) write(`${glogPrefix(l, new Date())} ${component}] ${line}`);
  };
  return { info: at('info'), warning: at('warning'), error: at('error') };
}
