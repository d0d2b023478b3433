/**
 * `mesos-ref schemas [--out DIR] [--check]`: write the protocol's JSON Schemas (generated from
 * spec/protocol by impl/schemas.ts), or with --check list the files that are missing, extra or
 * out of date and exit 1 if there are any.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_SCHEMA_DIR, generateSchemas, staleSchemas, writeSchemas } from '../schemas.ts';

export function registerSchemas(program: Command): void {
  program
    .command('schemas')
    .description('generate the JSON Schemas of the protocol messages (one file per message)')
    .addOption(new Option('--out <dir>', 'directory to write to').default(DEFAULT_SCHEMA_DIR, 'schemas/ of the repository'))
    .option('--check', 'write nothing; list schema files that are missing, extra or different, and exit 1 if any')
    .action((options: { out: string; check?: boolean }) => {
      const dir = resolve(options.out);
      const shown = `${relative(process.cwd(), dir) || '.'}/`;
      if (!options.check) {
        const written = writeSchemas(dir);
        console.log(`wrote ${written.length} schemas to ${shown}`);
        return;
      }
      const schemas = generateSchemas();
      const stale = staleSchemas(dir, schemas);
      for (const name of stale) {
        const why = !(name in schemas) ? 'extra' : existsSync(join(dir, name)) ? 'different' : 'missing';
        console.log(`${why}: ${shown}${name}`);
      }
      if (stale.length > 0) {
        console.log(`${stale.length} of ${Object.keys(schemas).length} schema files in ${shown} are stale; run \`npm run schemas\``);
        process.exitCode = 1;
      } else {
        console.log(`${Object.keys(schemas).length} schemas in ${shown} are up to date`);
      }
    });
}
