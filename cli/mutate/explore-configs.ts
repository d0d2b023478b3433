/**
 * The process a mutant runs in (started by sandbox.ts in the temporary copy, through tsx): it
 * explores the given configurations in order, each exactly as `mesos-ref verify --config` does,
 * in one process (a process per configuration cost a tsx start and a module load each, about
 * as long as the small configurations' whole exploration). One JSON line per configuration on
 * stdout; with `stopAtFailure`, it stops after the first that fails. It also reports which probes
 * (probes.ts) each configuration evaluated, for the reach pass on the unmutated tree.
 * Usage: node --import tsx cli/mutate/explore-configs.ts '{"configs":[...],"stopAtFailure":true}'
 */
import { REACHED_GLOBAL } from './probes.ts';

export interface ExploreRequest {
  readonly configs: readonly string[];
  readonly stopAtFailure: boolean;
  readonly timeoutSeconds?: number;
}

export interface ConfigRun {
  readonly config: string;
  /** As verify's: 0 every property holds, 1 a violation, 3 inconclusive (the timeout), 2 the configuration or the world failed to load or threw. */
  readonly exit: number;
  readonly failed: readonly string[];
  readonly states: number;
  readonly seconds: number;
  /** The probes this configuration evaluated, those evaluated when the modules loaded included. */
  readonly reached: readonly number[];
  readonly crash?: string;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ExploreRequest;
  const reached = new Set<number>();
  (globalThis as Record<string, unknown>)[REACHED_GLOBAL] = reached;
  // Imported only now, so the probes of code that runs at load time find the set.
  const { explore } = await import('../../checker/index.ts');
  const { mesosModel } = await import('../../model/mesos-model.ts');
  const { mesosWorld } = await import('../../spec/world/mesos.ts');
  const { loadConfig } = await import('../../impl/config.ts');
  const atLoad = [...reached];
  for (const name of request.configs) {
    reached.clear();
    for (const i of atLoad) reached.add(i);
    const started = Date.now();
    let run: ConfigRun;
    try {
      const loaded = loadConfig(name);
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      const r = explore(mesosModel(mesosWorld(loaded.config)), request.timeoutSeconds ? { timeoutMs: request.timeoutSeconds * 1000 } : {});
      const failed = r.verdicts.filter((v) => v.status === 'violated' || v.status === 'vacuous').map((v) => v.name);
      const exit = r.outcome === 'pass' ? 0 : r.outcome === 'fail' ? 1 : 3;
      run = { config: name, exit, failed, states: r.states, seconds: (Date.now() - started) / 1000, reached: [...reached].sort((a, b) => a - b) };
    } catch (err) {
      const e = err as Error;
      const where = (e.stack ?? '').split('\n').find((l) => l.includes('/spec/')) ?? '';
      run = {
        config: name,
        exit: 2,
        failed: [],
        states: 0,
        seconds: (Date.now() - started) / 1000,
        reached: [...reached].sort((a, b) => a - b),
        crash: `${e.message} ${where.trim()}`.trim(),
      };
    }
    process.stdout.write(`${JSON.stringify(run)}\n`);
    if (request.stopAtFailure && run.exit !== 0 && run.exit !== 3) break;
  }
}

await main();
