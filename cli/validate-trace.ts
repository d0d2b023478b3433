/**
 * `mesos-ref validate-trace DIR | FILE...`: replay traces recorded with `--trace` against the
 * spec. DIR is what `mesos-ref cluster --trace DIR` wrote (master.jsonl, agent-<n>.jsonl): its
 * traces are merged into one world trace in causal order and judged as the model checker judges a
 * world (impl/trace/world.ts); FILE... are judged the same way, together.
 * Exit 0 when every step is one the spec allows and every invariant the traces can judge holds,
 * 1 at the first that is not (printed), 2 when there is nothing whole to judge: a missing file, a
 * directory with no trace, an empty trace (it proves nothing), a truncated one (a last line that
 * is not complete JSON, records missing, a message received whose send is in no trace).
 */
import type { Command } from 'commander';
import { readTraceFile, traceFilesOf, type TraceFile } from '../impl/trace/read.ts';
import { validateWorld } from '../impl/trace/world.ts';

export function registerValidateTrace(program: Command): void {
  program
    .command('validate-trace')
    .description('replay traces recorded with --trace against the spec machines and the invariants')
    .argument('<traces...>', 'a directory of traces (cluster --trace DIR), or JSON-lines trace files')
    .action((args: string[]) => {
      const refuse = (error: string) => {
        process.stderr.write(`mesos-ref validate-trace: ${error}\n`);
        process.exitCode = 2;
      };
      const found = traceFilesOf(args);
      if (!found.ok) return refuse(found.error);
      const files: TraceFile[] = [];
      for (const path of found.value.paths) {
        const read = readTraceFile(path);
        if (!read.ok) return refuse(read.error);
        files.push(read.value);
      }
      const world = validateWorld(files, found.value.directory !== undefined);
      if (!world.ok) return refuse(world.error);
      const v = world.value;
      if (v.problem) {
        console.log(`${v.problem.path}: line ${v.problem.line}, ${v.problem.component}: ${v.problem.message}`);
        process.exitCode = 1;
        return;
      }
      for (const f of v.files) console.log(`${f.path}: ${f.steps} steps of ${f.components.length} component(s) (${f.components.join(', ')}), every one allowed by the spec`);
      const who = [...(v.masters > 0 ? ['the master'] : []), ...(v.agents.length > 0 ? [`${v.agents.length} agent(s) (${v.agents.join(', ')})`] : [])].join(' and ');
      console.log(`world: ${v.steps} steps of ${who || 'no master or agent'} in causal order, ${v.matched} messages received after their sends`);
      console.log(`  ${v.judged.state.length} invariants hold after every step (${v.judged.acrossAgents.length} of them read the agents: ${v.judged.acrossAgents.join(', ')})`);
      console.log(`  ${v.judged.step.length} step invariants hold of every step of the master and the agents`);
      const byWhy = new Map<string, string[]>();
      for (const s of v.skipped) byWhy.set(s.why, [...(byWhy.get(s.why) ?? []), s.name]);
      console.log(`  ${v.skipped.length} invariants not judged, as the traces do not hold what they read:`);
      for (const [why, names] of byWhy) console.log(`    ${names.join(', ')}: ${why}`);
      process.exitCode = 0;
    });
}
