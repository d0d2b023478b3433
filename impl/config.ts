/**
 * Loading a model configuration: a named one (model/configs.ts) or a JSON file, checked
 * against schemas/MesosConfig.json (the shape) and then validateConfig (the meaning). Errors
 * name the field; they are the CLI's exit code 2.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { validateConfig, type FaultBudgets, type MesosConfig } from '../spec/world/config.ts';
import { configs } from '../model/configs.ts';
import { DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR } from './paths.ts';

export type Loaded = { readonly ok: true; readonly config: MesosConfig } | { readonly ok: false; readonly errors: string[] };

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: { additionalProperty?: string } }[] | null };
let ajv: Ajv | undefined;

/** The validator of schemas/model/<name> (MesosConfig.json, Scenario.json, Manifest.json). */
function modelValidator(name: string): Validator {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false });
    const dir = join(DEFAULT_SCHEMA_DIR, MODEL_SCHEMA_SUBDIR);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  const v = ajv.getSchema(name) as Validator | undefined;
  if (!v) throw new Error(`schemas/model/${name} is missing: run npm run schemas`);
  return v;
}

/** What is wrong with `raw` as schemas/model/<name> says, each message naming the field. */
export function modelSchemaErrors(name: string, raw: unknown): string[] {
  const v = modelValidator(name);
  if (v(raw)) return [];
  // An unknown field is named (a field that moved, such as master.offerTimeoutSeconds to timeouts.offerTimeoutMs, is then findable).
  return (v.errors ?? []).map((e) => {
    const extra = e.params?.additionalProperty !== undefined ? ` ('${e.params.additionalProperty}')` : '';
    return `'${e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)'}': ${e.message ?? 'invalid'}${extra}`;
  });
}

/** Shape first (JSON Schema), then meaning (validateConfig). */
export function checkConfig(raw: unknown): Loaded {
  const shape = modelSchemaErrors('MesosConfig.json', raw);
  if (shape.length) return { ok: false, errors: shape };
  const errors = validateConfig(raw);
  return errors.length ? { ok: false, errors } : { ok: true, config: raw as MesosConfig };
}

/** `default`, another named configuration, or a path to a JSON file. */
export function loadConfig(nameOrPath: string): Loaded {
  const named = configs[nameOrPath];
  if (named) return checkConfig(named);
  if (!existsSync(nameOrPath)) {
    return { ok: false, errors: [`'--config': '${nameOrPath}' is neither a named configuration (${Object.keys(configs).join(', ')}) nor a file`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(nameOrPath, 'utf8'));
  } catch (err) {
    return { ok: false, errors: [`'--config': ${nameOrPath} is not valid JSON: ${(err as Error).message}`] };
  }
  return checkConfig(raw);
}

const FAULTS: Record<string, keyof FaultBudgets> = {
  loss: 'loss',
  crash: 'agentCrash',
  failover: 'frameworkFailover',
  'master-failover': 'masterFailover',
  partition: 'partition',
};

/** A configuration from `--agents N --frameworks N --tasks N --faults a,b`: one of each fault named. */
export function generatedConfig(agents: number, frameworks: number, tasks: number, faults: readonly string[]): Loaded {
  const errors: string[] = [];
  const budgets: Record<keyof FaultBudgets, number> = { loss: 0, agentCrash: 0, frameworkFailover: 0, masterFailover: 0, partition: 0 };
  for (const f of faults) {
    const key = FAULTS[f];
    if (!key) errors.push(`'--faults': unknown fault '${f}' (known: ${Object.keys(FAULTS).join(', ')})`);
    else budgets[key] = 1;
  }
  if (errors.length) return { ok: false, errors };
  const raw: MesosConfig = {
    name: `generated-${agents}a-${frameworks}f-${tasks}t`,
    description: `${agents} agent(s), ${frameworks} framework(s) with ${tasks} task(s) each; faults: ${faults.join(', ') || 'none'}`,
    agents: [{ resources: `cpus:${tasks * frameworks};mem:${1024 * tasks * frameworks}`, count: agents }],
    frameworks: Array.from({ length: frameworks }, (_, j) => ({
      name: `fw-${String.fromCharCode(97 + j)}`,
      partitionAware: j % 2 === 0,
      checkpoint: true,
      failoverTimeoutSeconds: 60,
      reconcile: 'explicit' as const,
      tasks: Array.from({ length: tasks }, (_, k) => ({ id: `${String.fromCharCode(97 + j)}${k + 1}`, resources: 'cpus:1;mem:128', outcome: 'finish' as const })),
    })),
    faults: budgets,
    channelBound: 3,
    timing: 'eager',
    master: { agentPings: budgets.partition > 0, ...(budgets.partition > 0 ? { maxAgentPingTimeouts: 2 } : {}) },
  };
  return checkConfig(raw);
}
