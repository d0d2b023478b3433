/**
 * Building an explorer session from what `mesos-ref explore` is given: a configuration (named or
 * a file), the seeded bug of `verify --example`, or a trace file `verify` saved. Every error
 * names the flag and the field, and nothing starts until the trace replays on this model.
 */
import { readFileSync } from 'node:fs';
import { mesosModel } from '../../model/mesos-model.ts';
import { EXAMPLE_BUG } from '../../model/example.ts';
import { mesosWorld } from '../../spec/world/mesos.ts';
import { checkConfig, loadConfig } from '../config.ts';
import { ExplorerSession, traceFileErrors, type TraceFile } from './session.ts';

export type Loaded = { ok: true; session: ExplorerSession } | { ok: false; errors: string[] };

function sessionOf(config: TraceFile['config'], example: boolean, trace: TraceFile | null): ExplorerSession {
  const world = mesosWorld(config, example ? EXAMPLE_BUG.machines() : {});
  return new ExplorerSession(world, mesosModel(world), trace);
}

/** `--config NAME|FILE`, or `--example` (the seeded bug's world). */
export function loadWorld(config: string, example: boolean): Loaded {
  if (example) return { ok: true, session: sessionOf(EXAMPLE_BUG.config, true, null) };
  const c = loadConfig(config);
  return c.ok ? { ok: true, session: sessionOf(c.config, false, null) } : { ok: false, errors: c.errors };
}

/** `--trace FILE`: the file's configuration (and seeded bug), its trace replayed and checked. */
export function loadTrace(file: string): Loaded {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, errors: [`'--trace': ${file}: ${(e as Error).message}`] };
  }
  const errors = traceFileErrors(raw);
  if (errors.length) return { ok: false, errors: errors.map((e) => `'--trace': ${file}: ${e}`) };
  const trace = raw as TraceFile;
  if (trace.example !== undefined && trace.example !== EXAMPLE_BUG.name)
    return { ok: false, errors: [`'--trace': ${file}: 'example': no seeded bug named '${trace.example}' (there is ${EXAMPLE_BUG.name})`] };
  const config = checkConfig(trace.config);
  if (!config.ok) return { ok: false, errors: config.errors.map((e) => `'--trace': ${file}: 'config': ${e}`) };
  const session = sessionOf(config.config, trace.example !== undefined, trace);
  const replay = session.checkTrace();
  return replay === null ? { ok: true, session } : { ok: false, errors: [`'--trace': ${file}: ${replay}`] };
}
