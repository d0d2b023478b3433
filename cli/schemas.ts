/**
 * `mesos-ref schemas [--out DIR] [--check]`: write the protocol's JSON Schemas (generated from
 * spec/protocol by impl/schemas.ts), or with --check list the files that are missing, extra or
 * out of date and exit 1 if there are any.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_SCHEMA_DIR, generateSchemas, SCHEMA_SETS, staleSchemas, writeSchemas } from '../impl/schemas.ts';

export function registerSchemas(program: Command): void {
  program
    .command('schemas')
    .description('generate the JSON Schemas of the protocol messages (one file per message)')
    .addOption(new Option('--out <dir>', 'directory to write to').default(DEFAULT_SCHEMA_DIR, 'schemas/ of the repository'))
    .option('--check', 'write nothing; list schema files that are missing, extra or different, and exit 1 if any')
    .action((options: { out: string; check?: boolean }) => {
      let stale = 0;
      let total = 0;
      for (const set of SCHEMA_SETS) {
        const dir = join(resolve(options.out), set.subdir);
        const shown = `${relative(process.cwd(), dir) || '.'}/`;
        if (!options.check) {
          const written = writeSchemas(dir, set.files);
          console.log(`wrote ${written.length} schemas to ${shown}`);
          continue;
        }
        const schemas = generateSchemas(set.files);
        const names = staleSchemas(dir, schemas);
        for (const name of names) {
          const why = !(name in schemas) ? 'extra' : existsSync(join(dir, name)) ? 'different' : 'missing';
          console.log(`${why}: ${shown}${name}`);
        }
        stale += names.length;
        total += Object.keys(schemas).length;
        if (names.length === 0) console.log(`${Object.keys(schemas).length} schemas in ${shown} are up to date`);
      }
      if (stale > 0) {
        console.log(`${stale} of ${total} schema files are stale; run \`npm run schemas\``);
        process.exitCode = 1;
      }
    });
}
