/**
 * `mesos-ref explore [--config NAME|FILE | --example | --trace FILE] [--port P]`: a page on
 * loopback where a person walks the state space from the initial state, one enabled action at a
 * time, or steps through a counterexample that `verify` saved (impl/explore). Exit 2 for bad
 * flags or a trace that does not replay; otherwise it serves until interrupted.
 */
import type { Command } from 'commander';
import { loadTrace, loadWorld } from '../impl/explore/load.ts';
import { startExplorer } from '../impl/explore/server.ts';
import { positiveInt, UsageError } from './common.ts';

interface ExploreFlags {
  config: string;
  example?: boolean;
  trace?: string;
  port: string;
}

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description('a web page to step through the state space of a configuration, or through a counterexample verify saved')
    .option('--config <name|file>', 'a named configuration or a JSON file', 'default')
    .option('--example', "the seeded bug of 'verify --example'")
    .option('--trace <file>', 'a counterexample saved by verify (its configuration comes with it)')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free one)', '0')
    .action(async (flags: ExploreFlags) => {
      let port: number;
      try {
        port = positiveInt(flags.port, '--port', 0)!;
        if (port > 65535) throw new UsageError(`'--port': expected at most 65535, got ${port}`);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        process.stderr.write(`mesos-ref explore: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      const loaded = flags.trace !== undefined ? loadTrace(flags.trace) : loadWorld(flags.config, flags.example === true);
      if (!loaded.ok) {
        for (const e of loaded.errors) process.stderr.write(`mesos-ref explore: ${e}\n`);
        process.exitCode = 2;
        return;
      }
      const server = await startExplorer(loaded.session, port);
      const t = loaded.session.trace;
      console.log(`explorer: ${server.url}/${t ? ` (counterexample: ${t.property}, ${t.actions.length} steps)` : ''}`);
      console.log('ready');
      await new Promise<void>((resolve) => {
        for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => resolve());
      });
      await server.close();
    });
}
