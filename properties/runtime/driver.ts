/**
 * One model-based run against the live cluster: the actions the generated commands take
 * (frameworks launching tasks or declining, kills, reconciliations, dropped subscriptions,
 * agents killed with SIGKILL and restarted), the History they record, and the checks: the
 * safety checks after every command, and at the end (every agent up again) the eventually-
 * checks once the cluster had time to settle, then reconciliation at quiescence.
 */
import { isTerminal, type TaskState } from '../../spec/protocol/common.ts';
import type { LiveCluster } from './cluster.ts';
import { LiveFramework, TASK_CPUS, TASK_MEM } from './framework.ts';
import {
  checkEventually,
  checkQuiescent,
  checkSafety,
  EXPECTED_FAILURES,
  fates,
  format,
  splitExpected,
  type FwEvent,
  type History,
  type TaskCommand,
  type Violation,
} from './history.ts';

/** How long the end of a run waits for the eventually-properties (agents retry updates after 10 s, then 20 s). */
const SETTLE_MS = 45_000;

export class RunFailure extends Error {}

/** How many reconciliation answers are among `events`. */
function reconciliationAnswers(events: readonly FwEvent[]): number {
  return events.filter((e) => e.kind === 'update' && e.status.reason === 'REASON_RECONCILIATION').length;
}

export async function until(cond: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (cond()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export class Run {
  private readonly t0 = performance.now();
  readonly clock = (): number => performance.now() - this.t0;
  readonly history: History;
  readonly frameworks: LiveFramework[] = [];
  /** What the run did, for the failure report. */
  readonly notes: string[] = [];
  private calls = 0;
  private ghosts = 0;
  private readonly alarmsBefore: number;

  constructor(
    readonly cluster: LiveCluster,
    readonly label: string,
  ) {
    this.history = { agents: cluster.agents.map((a) => ({ index: a.index, id: a.id, total: a.total })), agentEvents: [], frameworks: [] };
    this.alarmsBefore = cluster.alarms.length;
  }

  note(line: string): void {
    this.notes.push(`${this.clock().toFixed(0).padStart(6)} ms  ${line}`);
  }

  // ---------------------------------------------------------------------------------- actions

  async launch(tasks: readonly TaskCommand[], checkpoint: boolean, partitionAware: boolean, mutant: { dropAcks?: boolean } = {}): Promise<LiveFramework> {
    const k = this.frameworks.length;
    const name = `${this.label}-f${k}`;
    const wanted: Record<string, TaskCommand> = {};
    tasks.forEach((c, j) => (wanted[`${this.label}f${k}-t${j}`] = c));
    this.note(
      `launch ${name}: ${Object.entries(wanted)
        .map(([id, c]) => `${id}=\`${c}\``)
        .join(', ')}${checkpoint ? ', checkpoint' : ''}${partitionAware ? ', partition-aware' : ''}`,
    );
    const fw = await this.addFramework({ name, kind: 'launch', tasks: wanted, checkpoint, partitionAware, refuseSeconds: 5, ...mutant });
    // The command is done once the tasks are launched (an ACCEPT made), or after 5 s if the cluster is full.
    await until(() => Object.keys(wanted).every((t) => fw.launched.includes(t)), 5000);
    return fw;
  }

  async decline(): Promise<LiveFramework> {
    const name = `${this.label}-f${this.frameworks.length}`;
    this.note(`decline ${name}: wants nothing, declines with refuse_seconds 2`);
    return this.addFramework({ name, kind: 'decline', tasks: {}, checkpoint: false, partitionAware: false, refuseSeconds: 2 });
  }

  private async addFramework(o: {
    name: string;
    kind: 'launch' | 'decline';
    tasks: Record<string, TaskCommand>;
    checkpoint: boolean;
    partitionAware: boolean;
    refuseSeconds: number;
    dropAcks?: boolean;
  }): Promise<LiveFramework> {
    const fw = await LiveFramework.start({ ...o, masterUrl: this.cluster.masterUrl, clock: this.clock, nextCallId: () => ++this.calls });
    this.frameworks.push(fw);
    this.history.frameworks.push(fw.history);
    if (!(await fw.waitSubscribed(15_000))) this.fail([{ rule: 'subscribes', framework: o.name, message: 'not subscribed within 15 s' }]);
    return fw;
  }

  /**
   * Kills the `pick`-th task its framework sees running (waiting up to 5 s for one), else the
   * `pick`-th one still alive, if any.
   */
  async killTask(pick: number): Promise<void> {
    const candidates = (running: boolean) =>
      this.frameworks.flatMap((fw) =>
        fw.launched.filter((t) => (running ? fw.seen(t) === 'TASK_RUNNING' : !isTerminal((fw.seen(t) ?? 'TASK_STAGING') as TaskState))).map((t) => ({ fw, t })),
      );
    await until(() => candidates(true).length > 0, 5000);
    const alive = candidates(true).length > 0 ? candidates(true) : candidates(false);
    if (alive.length === 0) return this.note('kill: no task alive');
    const { fw, t } = alive[pick % alive.length]!;
    if (!(await fw.waitSubscribed(5000))) return this.note(`kill ${t}: ${fw.options.name} not subscribed, skipped`);
    this.note(`kill ${t} (${fw.seen(t) ?? 'no update yet'})`);
    fw.kill(t);
  }

  async reconcile(pick: number, kind: 'implicit' | 'explicit', ghost: boolean): Promise<void> {
    if (this.frameworks.length === 0) return;
    const fw = this.frameworks[pick % this.frameworks.length]!;
    if (!(await fw.waitSubscribed(5000))) return this.note(`reconcile: ${fw.options.name} not subscribed, skipped`);
    let tasks: string[] | null = null;
    if (kind === 'explicit') {
      tasks = [...fw.launched];
      if (ghost || tasks.length === 0) {
        const g = `${this.label}-ghost${this.ghosts++}`;
        fw.history.ghosts.push(g);
        tasks.push(g);
      }
    }
    const from = fw.history.events.length;
    const status = await fw.reconcile(tasks);
    this.note(`reconcile ${fw.options.name} ${tasks ? `explicit [${tasks.join(', ')}]` : 'implicit'}: ${status ?? 'no answer'}`);
    // The answers, before the next command: one per task asked about (implicitly, per task launched).
    if (status === 202) await until(() => reconciliationAnswers(fw.history.events.slice(from)) >= (tasks ?? [...fw.launched]).length, 2000);
  }

  /** Drops a framework's subscription connection; it must re-subscribe (same framework id). */
  async drop(pick: number): Promise<void> {
    if (this.frameworks.length === 0) return;
    const fw = this.frameworks[pick % this.frameworks.length]!;
    const before = fw.history.events.filter((e) => e.kind === 'subscribed').length;
    const n = fw.drop();
    this.note(`drop ${fw.options.name}'s subscription (${n} connection${n === 1 ? '' : 's'})`);
    const again = await until(() => fw.history.events.filter((e) => e.kind === 'subscribed').length > before && fw.isSubscribed, 15_000);
    if (!again) this.fail([{ rule: 'resubscribes', framework: fw.options.name, message: 'did not re-subscribe within 15 s of its connection dropping' }]);
  }

  async killAgent(i: number): Promise<void> {
    this.note(`kill -9 agent ${i}`);
    this.history.agentEvents.push({ t: this.clock(), agent: i, kind: 'kill' });
    await this.cluster.killAgent(i);
  }

  async restartAgent(i: number): Promise<void> {
    await this.cluster.restartAgent(i);
    this.history.agentEvents.push({ t: this.clock(), agent: i, kind: 'restart' });
    this.note(`agent ${i} restarted (same port and work dir)`);
    try {
      await this.cluster.waitRegistered([this.cluster.agents[i]!], 20_000);
    } catch (e) {
      this.fail([{ rule: 'agentReregisters', message: (e as Error).message }]);
    }
    this.history.agentEvents.push({ t: this.clock(), agent: i, kind: 'reregistered' });
    this.note(`agent ${i} active at the master again`);
  }

  /** Lets the cluster run until some framework hears of something, or `ms` passed. */
  async pause(ms: number): Promise<void> {
    const heard = () => this.frameworks.reduce((n, fw) => n + fw.history.events.length, 0);
    const before = heard();
    await until(() => heard() > before, ms);
  }

  // ---------------------------------------------------------------------------------- checks

  private alarms(): Violation[] {
    const out: Violation[] = this.cluster.alarms.slice(this.alarmsBefore).map((line) => ({ rule: 'processAlarm', message: line }));
    for (const fw of this.frameworks) for (const m of fw.errors) out.push({ rule: 'noError', framework: fw.options.name, message: `ERROR event: ${m}` });
    return out;
  }

  /** The safety checks over everything observed so far; throws on a violation. */
  check(): void {
    const v = [...this.alarms(), ...checkSafety(this.history)];
    if (v.length) this.fail(v);
  }

  /**
   * The end of a run: every agent up again, then the eventually-checks once they hold (or
   * SETTLE_MS passed), then reconciliation at quiescence, then the safety checks once more.
   */
  async finish(settleMs = SETTLE_MS): Promise<void> {
    for (const a of this.cluster.agents) if (!this.cluster.isUp(a.index)) await this.restartAgent(a.index);
    this.note('settling');
    let pending: Violation[] = [];
    const launchAll = this.wantedTasks() <= this.capacity();
    await until(() => (pending = splitExpected(checkEventually(this.history, { launchAll })).unexpected).length === 0, settleMs, 200);
    if (pending.length) this.fail(pending, `after ${settleMs / 1000} s of settling`);
    this.noteExpected(checkEventually(this.history, { launchAll }));
    this.note('settled');
    this.check();
    await this.quiescentReconciliation();
    const v = [...checkQuiescent(this.history, { now: this.clock() }), ...checkSafety(this.history), ...this.alarms()];
    if (v.length) this.fail(v);
  }

  /** The open finding's occurrences: printed as expected failures, never failing the run. */
  readonly expected: Violation[] = [];
  private noteExpected(v: readonly Violation[]): void {
    for (const x of splitExpected(v).expected) {
      this.expected.push(x);
      this.note(`expected failure ${x.rule} (${EXPECTED_FAILURES[x.rule]}): ${format(x)}`);
      console.log(`    expected failure ${x.rule}: ${format(x)}`);
    }
  }

  private wantedTasks(): number {
    return this.history.frameworks.reduce((n, fw) => n + Object.keys(fw.tasks).length, 0);
  }

  /** How many tasks the cluster runs at once (every task has the same size). */
  private capacity(): number {
    return this.cluster.agents.reduce((n, a) => {
      const cpus = a.total.find((r) => r.name === 'cpus')?.scalar?.value ?? 0;
      const mem = a.total.find((r) => r.name === 'mem')?.scalar?.value ?? 0;
      return n + Math.min(Math.floor(cpus / TASK_CPUS), Math.floor(mem / TASK_MEM));
    }, 0);
  }

  private async quiescentReconciliation(): Promise<void> {
    for (const fw of this.frameworks) {
      if (fw.history.kind !== 'launch' || !(await fw.waitSubscribed(5000))) continue;
      fw.history.events.push({ t: this.clock(), kind: 'quiescent' });
      const g = `${this.label}-ghost${this.ghosts++}`;
      fw.history.ghosts.push(g);
      const tasks = [...fw.launched, g];
      const from = fw.history.events.length;
      if ((await fw.reconcile(tasks)) !== 202) continue;
      const answeredAll = () => {
        const got = new Set(fw.history.events.slice(from).flatMap((e) => (e.kind === 'update' && e.status.reason === 'REASON_RECONCILIATION' ? [e.status.task_id.value] : [])));
        return tasks.every((t) => got.has(t));
      };
      await until(answeredAll, 5000);
      const beforeImplicit = fw.history.events.length;
      if ((await fw.reconcile(null)) !== 202) continue;
      // Implicit reconciliation answers once per task the master knows of this framework's: at least the live ones.
      const live = fates(this.history, fw.history).filter((f) => !f.gone && !(f.last !== undefined && isTerminal(f.last))).length;
      await until(() => reconciliationAnswers(fw.history.events.slice(beforeImplicit)) >= live, 5000);
    }
  }

  /** Tears every framework down and brings every agent back, so the next run starts clean. */
  async cleanup(): Promise<void> {
    await Promise.all(this.frameworks.map((fw) => fw.teardown(this.cluster.masterUrl).catch(() => undefined)));
    this.note('frameworks torn down');
    for (const a of this.cluster.agents) {
      if (this.cluster.isUp(a.index)) continue;
      await this.cluster.restartAgent(a.index);
      await this.cluster.waitRegistered([a], 20_000);
    }
  }

  // ---------------------------------------------------------------------------------- report

  fail(violations: readonly Violation[], when = ''): never {
    throw new RunFailure(this.report(violations, when));
  }

  report(violations: readonly Violation[], when = ''): string {
    const lines = [`${violations.length} violation(s)${when ? ` ${when}` : ''} in run ${this.label}:`, ...violations.slice(0, 12).map((v) => `  - ${format(v)}`)];
    if (violations.length > 12) lines.push(`  ... and ${violations.length - 12} more`);
    lines.push('What the run did:', ...this.notes.map((n) => `  ${n}`));
    const tasks = new Set(violations.flatMap((v) => (v.task ? [`${v.framework} ${v.task}`] : [])));
    for (const key of [...tasks].slice(0, 4)) {
      const [name, task] = key.split(' ');
      const fw = this.history.frameworks.find((f) => f.name === name);
      if (!fw) continue;
      lines.push(`What ${name} saw of ${task}:`);
      for (const e of fw.events) {
        const at = `${e.t.toFixed(0).padStart(6)} ms`;
        if (e.kind === 'update' && e.status.task_id.value === task) {
          const s = e.status;
          lines.push(`  ${at}  UPDATE ${s.state} ${s.source ?? ''} ${s.reason ?? ''} ${s.uuid ? `uuid ${s.uuid}` : 'no uuid'}`);
        } else if (e.kind === 'call' && JSON.stringify(e.call).includes(`"${task}"`)) {
          const a = fw.events.find((x) => x.kind === 'answer' && x.id === e.id);
          const answer = a?.kind === 'answer' ? (a.status ?? a.error) : 'no answer';
          lines.push(`  ${at}  call #${e.id} ${e.call.type}${e.call.type === 'ACKNOWLEDGE' ? ` ${e.call.acknowledge.uuid}` : ''} -> ${answer}`);
        } else if (e.kind === 'drop' || e.kind === 'subscribed' || e.kind === 'quiescent') {
          lines.push(`  ${at}  ${e.kind}`);
        }
      }
    }
    const alarms = this.cluster.alarms.slice(this.alarmsBefore);
    if (alarms.length) lines.push('Process alarms:', ...alarms.slice(0, 5).map((a) => `  ${a}`));
    lines.push(`Process logs: ${this.cluster.logDir} (KEEP_RUNTIME_LOGS=1 keeps them)`);
    return lines.join('\n');
  }
}
