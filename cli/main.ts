/**
 * `mesos-ref`: one command per file in cli/, registered here.
 * Exit codes: 0 success, 1 a property was violated or a run failed, 2 bad flags or configuration.
 *
 * Start-up is part of the interface (the agent's executor and every script pay it), so a
 * command's module is imported only when that command runs: `mesos-ref agent` never loads the
 * checker, and `--help` or `--version` load nothing but commander (the table is cli/commands.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMANDS, type Register } from './commands.ts';

/** The package's version (package.json is the one place it is written; cli/main.ts and its bundle dist/cli/main.js are both two levels below it). */
function version(): string {
  // cli/main.ts is one level below package.json, its bundle dist/cli/main.js two.
  const url = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find((u) => existsSync(u))!;
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** The command argv names (`mesos-ref agent ...`, `mesos-ref help agent`), if any. */
function chosen(argv: readonly string[]): (typeof COMMANDS)[number] | undefined {
  const args = argv.slice(2);
  const name = args[0] === 'help' ? args[1] : args[0];
  return COMMANDS.find((c) => c.name === name);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('mesos-ref').description('A formally checked reference for Apache Mesos').version(version(), '-V, --version').showHelpAfterError().exitOverride();
  const command = chosen(argv);
  for (const c of COMMANDS) {
    if (c === command) {
      let register: Register;
      try {
        register = await c.load();
      } catch (e) {
        // Only `schemas` needs a development dependency (typescript-json-schema): say so.
        if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
        console.error(`error: mesos-ref ${c.name} needs the development dependencies (${(e as Error).message.split('\n')[0]}): run it in a checkout after npm ci`);
        process.exitCode = 2;
        return;
      }
      register(program);
    } else {
      // A stand-in, for the command list of the top-level help; never run.
      program.command(c.name).description(c.description);
    }
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    } else {
      throw err;
    }
  }
}

await main(process.argv);
