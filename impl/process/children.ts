/**
 * Child processes the runtime starts and watches (`mesos-ref cluster`, the tests): spawn with
 * output to log files or pipes, wait for a line, stop with a signal and a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Append stdout and stderr to this file (stdout is still scanned for lines). */
  readonly logFile?: string;
  /** Own process group (Ctrl-C in a terminal does not reach it). Default true. */
  readonly detached?: boolean;
  /** Called with every stdout and stderr line (e.g. to echo it). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Give it a pipe from us as stdin, which reaches end-of-file when we are gone (a parent-death guard reads it). */
  readonly stdinPipe?: boolean;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private readonly lines: string[] = [];
  /** The last lines of stdout and stderr, for error messages. */
  private readonly recent: string[] = [];
  private readonly waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];

  constructor(
    readonly name: string,
    argv: readonly string[],
    options: ChildOptions = {},
  ) {
    let log: number | undefined;
    if (options.logFile) log = openSync(options.logFile, 'a');
    this.process = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: options.detached ?? true,
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (log !== undefined) {
          try {
            closeSync(log);
          } catch {
            // closed already
          }
        }
        resolve(this.exitInfo);
      });
      this.process.on('error', () => {
        if (this.exitInfo) return;
        this.exitInfo = { code: 127, signal: null };
        resolve(this.exitInfo);
      });
    });
    const scan = (stream: 'stdout' | 'stderr') => {
      let partial = '';
      this.process[stream]!.setEncoding('utf8');
      this.process[stream]!.on('data', (chunk: string) => {
        if (log !== undefined) {
          try {
            // Synchronous append keeps the log in order with the child's own lines.
            writeSync(log, chunk);
          } catch {
            // the log is best effort
          }
        }
        partial += chunk;
        let nl: number;
        while ((nl = partial.indexOf('\n')) >= 0) {
          const line = partial.slice(0, nl);
          partial = partial.slice(nl + 1);
          options.onLine?.(line, stream);
          if (stream === 'stdout') this.lines.push(line);
          this.recent.push(line);
          if (this.recent.length > 10) this.recent.shift();
          for (const w of [...this.waiters]) {
            const m = w.re.exec(line);
            if (m) {
              this.waiters.splice(this.waiters.indexOf(w), 1);
              w.resolve(m);
            }
          }
        }
      });
    };
    scan('stdout');
    scan('stderr');
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The last few lines the child printed (stdout and stderr). */
  tail(n = 5): string[] {
    return this.recent.slice(-n);
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Resolves with the first line (stdout or stderr, past or future) matching `re`. */
  waitForLine(re: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    for (const line of this.lines) {
      const m = re.exec(line);
      if (m) return Promise.resolve(m);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        re,
        resolve: (m: RegExpExecArray) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.name}: no line matching ${re} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- `exited` only ever resolves (on exit and on a spawn error alike)
      this.exited.then((info) => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        clearTimeout(timer);
        const said = this.tail(3).join(' | ');
        reject(new Error(`${this.name} exited (${info.signal ?? `code ${info.code}`})${said ? `: ${said}` : ` before printing a line matching ${re}`}`));
      });
    });
  }

  /** Sends `signal`; after `timeoutMs` without an exit, SIGKILL. Resolves with the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const info = await this.exited;
    clearTimeout(timer);
    return info;
  }

  /** SIGKILL, at once. */
  kill(): Promise<ExitInfo> {
    this.signal('SIGKILL');
    return this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exitInfo || this.process.pid === undefined) return;
    try {
      this.process.kill(signal);
    } catch {
      // gone
    }
  }
}
