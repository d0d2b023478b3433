/**
 * Shared by the conformance tests (one process runs them all): suites generated once per
 * configuration, and validators for the model's and the protocol's JSON Schemas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { generateSuite, type Suite } from '../../conformance/generate.ts';
import { configs } from '../../model/configs.ts';
import { DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR } from '../../impl/schemas.ts';

const suites = new Map<string, Suite>();

/** The suite of a named configuration, generated on first use. */
export function suiteOf(name: string): Suite {
  let s = suites.get(name);
  if (!s) {
    s = generateSuite(configs[name]!);
    suites.set(name, s);
  }
  return s;
}

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

function validators(dir: string): (name: string) => Validate {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return (name) => {
    const v = ajv.getSchema(name) as Validate | undefined;
    if (!v) throw new Error(`no schema ${name} in ${dir}`);
    return v;
  };
}

/** schemas/model/<name> (Scenario.json, Manifest.json). */
export const modelSchema = validators(join(DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR));
/** schemas/<name> (SchedulerCall.json). */
export const protocolSchema = validators(DEFAULT_SCHEMA_DIR);

export function errorsOf(v: Validate): string {
  return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message}`).join('; ');
}
