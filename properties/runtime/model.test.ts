/**
 * Model-based testing of the runtime: fast-check generates command sequences that drive a live
 * cluster (a real `mesos-ref master`, two real `mesos-ref agent` processes on loopback, started
 * once for this file and torn down at the end even on failure) through real scheduler clients:
 *
 *   launch N tasks (`exit 0`, `exit 1`, `sleep 30`; checkpointing or not; partition-aware or not),
 *   decline (a framework that wants nothing), kill a running task, reconcile (implicit, explicit,
 *   with an unknown task id), drop a framework's subscription connection (it re-subscribes with
 *   the same framework id), kill -9 an agent, restart it on the same port and work dir, pause.
 *
 * The model is small (frameworks, their sleeps, agents up or down) and decides which commands
 * apply; what the frameworks observe is checked against the catalogue's invariants restated
 * over observations (history.ts): after every command the safety checks, at the end of each run
 * the eventually-checks and reconciliation at quiescence. Runs are few and short (each command
 * costs real time): FC_RUNS raises their number; a failure prints the seed and a replay command.
 *
 *   FC_RUNS=40 FC_SEED=7 npm test -- properties/runtime/model     more runs, another seed
 *   FC_SEED=S FC_PATH=P FC_REPLAY_PATH=R npm test -- properties/runtime/model   replay a failure (as printed)
 *   RUNTIME_VERBOSE=1          print what every run did
 *   RUNTIME_HISTORY_DIR=DIR    write every run's observations to DIR/<run>.json
 *   RUNTIME_TRACE=1 KEEP_RUNTIME_LOGS=1   keep the processes' logs and the master's step trace
 *   RUNTIME_SHRINK_BUDGET_MS   how long shrinking may replay live runs (default 120 s)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { LiveCluster } from './cluster.ts';
import { Run, RunFailure, until } from './driver.ts';
import { checkEventually, format, type TaskCommand } from './history.ts';

const test = suite('runtime: model-based');

const NUM_RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 8;
const MAX_COMMANDS = 8;
const MAX_FRAMEWORKS = 3;
/** Shrinking replays live runs: after this long, the smallest failure found so far is reported. */
const SHRINK_BUDGET_MS = Number(process.env.RUNTIME_SHRINK_BUDGET_MS ?? 120_000);
const verbose = process.env.RUNTIME_VERBOSE === '1';

let cluster: LiveCluster | undefined;

test.before(async () => {
  cluster = new LiveCluster({ agents: 2, log: (l) => console.log(`    ${l}`) });
  await cluster.start();
});

test.after(async () => {
  await cluster?.stop();
});

// ------------------------------------------------------------------------------------ the model

interface Model {
  /** Frameworks started, and how many `sleep` tasks each wants (the tasks a kill is for). */
  frameworks: { kind: 'launch' | 'decline'; sleeps: number }[];
  agentsUp: boolean[];
}

type Cmd = fc.AsyncCommand<Model, Run, false>;

/** A command: when it applies, what it does to the model, what it does to the cluster. */
abstract class Step implements Cmd {
  abstract check(m: Readonly<Model>): boolean;
  apply(_m: Model): void {}
  abstract act(r: Run): Promise<void>;
  async run(m: Model, r: Run): Promise<void> {
    this.apply(m);
    await this.act(r);
    r.check();
  }
  abstract toString(): string;
}

class Launch extends Step {
  constructor(
    readonly tasks: readonly TaskCommand[],
    readonly checkpoint: boolean,
    readonly partitionAware: boolean,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.frameworks.length < MAX_FRAMEWORKS;
  override apply(m: Model) {
    m.frameworks.push({ kind: 'launch', sleeps: this.tasks.filter((t) => t === 'sleep 30').length });
  }
  act = async (r: Run) => void (await r.launch(this.tasks, this.checkpoint, this.partitionAware));
  toString = () => `Launch(${this.tasks.map((t) => `'${t}'`).join(', ')}${this.checkpoint ? '; checkpoint' : ''}${this.partitionAware ? '; partition-aware' : ''})`;
}

class Decline extends Step {
  check = (m: Readonly<Model>) => m.frameworks.length < MAX_FRAMEWORKS && !m.frameworks.some((f) => f.kind === 'decline');
  override apply(m: Model) {
    m.frameworks.push({ kind: 'decline', sleeps: 0 });
  }
  act = async (r: Run) => void (await r.decline());
  toString = () => 'Decline()';
}

class KillTask extends Step {
  constructor(readonly pick: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.frameworks.some((f) => f.kind === 'launch');
  act = (r: Run) => r.killTask(this.pick);
  toString = () => `KillTask(${this.pick})`;
}

class Reconcile extends Step {
  constructor(
    readonly pick: number,
    readonly kind: 'implicit' | 'explicit',
    readonly ghost: boolean,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => m.frameworks.length > 0;
  act = (r: Run) => r.reconcile(this.pick, this.kind, this.ghost);
  toString = () => `Reconcile(${this.pick}, ${this.kind}${this.kind === 'explicit' && this.ghost ? ' + unknown id' : ''})`;
}

class Drop extends Step {
  constructor(readonly pick: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.frameworks.length > 0;
  act = (r: Run) => r.drop(this.pick);
  toString = () => `DropSubscription(${this.pick})`;
}

class KillAgent extends Step {
  constructor(readonly agent: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.agentsUp[this.agent] === true;
  override apply(m: Model) {
    m.agentsUp[this.agent] = false;
  }
  act = (r: Run) => r.killAgent(this.agent);
  toString = () => `KillAgent(${this.agent})`;
}

class RestartAgent extends Step {
  constructor(readonly agent: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.agentsUp[this.agent] === false;
  override apply(m: Model) {
    m.agentsUp[this.agent] = true;
  }
  act = (r: Run) => r.restartAgent(this.agent);
  toString = () => `RestartAgent(${this.agent})`;
}

class Pause extends Step {
  constructor(readonly ms: number) {
    super();
  }
  check = () => true;
  act = (r: Run) => r.pause(this.ms);
  toString = () => `Pause(${this.ms})`;
}

/**
 * Two commands at once: fast-check's scheduler decides (and shrinks) the order in which they
 * start; neither waits for the other. Races such as a kill against its agent's death, or a
 * reconciliation against a dropped subscription.
 */
class Race extends Step {
  constructor(
    readonly a: Step,
    readonly b: Step,
    readonly s: fc.Scheduler,
  ) {
    super();
  }
  check = (m: Readonly<Model>) => {
    const after = structuredClone(m) as Model;
    if (!this.a.check(after)) return false;
    this.a.apply(after);
    return this.b.check(after);
  };
  override apply(m: Model) {
    this.a.apply(m);
    this.b.apply(m);
  }
  act = async (r: Run) => {
    r.note(`race: ${this.a} and ${this.b}`);
    this.order = [];
    const acts = [this.a, this.b].map((c, i) =>
      this.s.schedule(Promise.resolve(i), c.toString()).then(() => {
        this.order.push(i === 0 ? 'a' : 'b');
        return c.act(r);
      }),
    );
    await this.s.waitAll();
    const results = await Promise.allSettled(acts);
    for (const x of results) if (x.status === 'rejected') throw x.reason;
  };
  /** The order the scheduler started them in, in the last run. */
  private order: string[] = [];
  toString = () => `Race(${this.a}, ${this.b}${this.order.length ? `; started ${this.order.join(' then ')}` : ''})`;
}

const taskCommand = fc.constantFrom<TaskCommand>('exit 0', 'exit 1', 'sleep 30');
const launchArb = fc
  .record({ tasks: fc.array(taskCommand, { minLength: 1, maxLength: 3 }), checkpoint: fc.boolean(), partitionAware: fc.boolean() })
  .map(({ tasks, checkpoint, partitionAware }) => new Launch(tasks, checkpoint, partitionAware));
const agentArb = fc.integer({ min: 0, max: 1 });
const killTaskArb = fc.nat(7).map((p) => new KillTask(p));
const reconcileArb = fc
  .record({ pick: fc.nat(3), kind: fc.constantFrom<'implicit' | 'explicit'>('implicit', 'explicit'), ghost: fc.boolean() })
  .map((x) => new Reconcile(x.pick, x.kind, x.ghost));
const dropArb = fc.nat(3).map((p) => new Drop(p));
const killAgentArb = agentArb.map((i) => new KillAgent(i));
const racing: fc.Arbitrary<Step> = fc.oneof(launchArb, killTaskArb, reconcileArb, dropArb, killAgentArb);

const commands = fc.commands<Model, Run, false>(
  [
    launchArb,
    launchArb,
    fc.constant(new Decline()),
    killTaskArb,
    reconcileArb,
    dropArb,
    killAgentArb,
    agentArb.map((i) => new RestartAgent(i)),
    fc.constantFrom(300, 1000, 2500).map((ms) => new Pause(ms)),
    fc.tuple(racing, racing, fc.scheduler()).map(([a, b, s]) => new Race(a, b, s)),
  ],
  // Replaying a shrunk sequence needs the path fast-check printed with it (replayPath="...").
  { maxCommands: MAX_COMMANDS, ...(process.env.FC_REPLAY_PATH ? { replayPath: process.env.FC_REPLAY_PATH } : {}) },
);

// ------------------------------------------------------------------------------------ the property

test('what frameworks observe of a live cluster is what the spec allows', async () => {
  const c = cluster!;
  let runs = 0;
  let firstFailureAt: number | undefined;
  /** Live runs are not deterministic: shrinking may end on another failure than the first one. */
  let firstFailure = '';
  const t0 = performance.now();
  // Every run starts with a framework launching tasks: the other commands need one to matter.
  const property = fc.asyncProperty(launchArb, commands, async (first, cmds) => {
    // Past the shrinking budget, candidates pass at once: fast-check reports the smallest failure so far.
    if (firstFailureAt !== undefined && performance.now() - firstFailureAt > SHRINK_BUDGET_MS) return;
    const run = new Run(c, `r${runs++}`);
    const started = performance.now();
    try {
      const model: Model = { frameworks: [], agentsUp: c.agents.map(() => true) };
      await first.run(model, run);
      await fc.asyncModelRun(() => ({ model, real: run }), cmds);
      await run.finish();
    } catch (e) {
      const failure = e instanceof RunFailure ? e : new RunFailure(`${(e as Error).stack ?? String(e)}\n${run.report([], '(the run itself failed)')}`);
      if (firstFailureAt === undefined) {
        firstFailureAt = performance.now();
        firstFailure = `${failure.message}\nCommands: ${[first, ...cmds].map(String).join(', ')}`;
      }
      throw failure;
    } finally {
      await run.cleanup();
      if (process.env.RUNTIME_HISTORY_DIR)
        writeFileSync(join(process.env.RUNTIME_HISTORY_DIR, `${run.label}.json`), JSON.stringify({ notes: run.notes, history: run.history }, null, 1));
      if (verbose) console.log(`    run ${run.label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n${run.notes.map((n) => `      ${n}`).join('\n')}`);
    }
  });
  const replayPath = process.env.FC_PATH;
  // A replayed path starts at run N of the seed's sequence: at least N + 1 runs are needed to reach it.
  const numRuns = replayPath ? Math.max(NUM_RUNS, Number(replayPath.split(':')[0]) + 1) : NUM_RUNS;
  const details = await fc.check(property, { numRuns, ...(replayPath ? { path: replayPath, endOnFailure: true } : {}) });
  console.log(`    ${runs} live run(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (replayPath && runs === 0) assert.unreachable(`FC_PATH=${replayPath} reached no run: give FC_REPLAY_PATH too (the replayPath="..." printed after the commands)`);
  if (details.failed) {
    const seed = details.seed;
    const path = details.counterexamplePath ?? '';
    const commandsReplay = /replayPath="([^"]*)"/.exec(String(details.counterexample?.[1] ?? ''))?.[1];
    const replay = `FC_SEED=${seed} FC_PATH=${path}${commandsReplay ? ` FC_REPLAY_PATH=${commandsReplay}` : ''} FC_RUNS=${NUM_RUNS} npm test -- properties/runtime/model`;
    console.log(`    FAILED (seed ${seed}, path ${path}); replay: ${replay}`);
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const first = firstFailure && !firstFailure.startsWith(cause) ? `\n\nThe first failure, before shrinking:\n${firstFailure}` : '';
    throw new Error(`${fc.defaultReportMessage(details) ?? 'property failed'}\n\n${cause}${first}\n\nReplay (the same commands; a live cluster's timing varies): ${replay}`);
  }
});

// ------------------------------------------------------------------------------------ the mutant

test('mutant: acknowledgements that never reach the master are reported', async () => {
  const run = new Run(cluster!, 'mutant');
  try {
    const fw = await run.launch(['exit 0'], true, false, { dropAcks: true });
    // The agent delivers the task's first update and waits for its acknowledgement (10 s retry).
    const got = await until(() => fw.history.events.some((e) => e.kind === 'update' && e.status.uuid !== undefined), 15_000);
    assert.ok(got, 'the mutant framework received no reliable update');
    assert.ok(await until(() => fw.proxy.droppedAcks > 0, 5000), 'the proxy dropped no ACKNOWLEDGE');
    const violations = checkEventually(run.history);
    const rules = new Set(violations.map((v) => v.rule));
    assert.ok(rules.has('acknowledged'), `expected an 'acknowledged' violation, got:\n${violations.map(format).join('\n')}`);
    assert.ok(rules.has('eventuallyTerminal'), `expected the unacknowledged task to be stuck, got:\n${violations.map(format).join('\n')}`);
    // And the run's end reports it the way a failing property run would.
    let reported = '';
    try {
      await run.finish(3000);
    } catch (e) {
      reported = (e as Error).message;
    }
    assert.match(reported, /acknowledged \[mutant-f0 mutantf0-t0\]: TASK_STARTING \(uuid [^)]+\) has no acknowledgement the master answered 202/);
  } finally {
    await run.cleanup();
  }
});

// ------------------------------------------------------------------------------------ the end

test('stopping the cluster leaves no executor or task process behind', async () => {
  const c = cluster!;
  await c.stop();
  assert.equal(c.leaked, [], `${c.leaked.length} process(es) outlived their agents and the cluster (killed now)`);
});

test.run();
