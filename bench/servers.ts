/**
 * The servers' bounds against greedy clients (`npm run bench -- servers [--bodies N] [--mib M]`),
 * issue 13's measurement repeated: N concurrent bodies of M MiB (default 24 of 16) at a master
 * in its own process, once with the default budget of body bytes buffered at once (32 MiB) and
 * once, as the baseline, with no budget. Reported: the master's peak RSS while the bodies
 * arrive, how many were refused 503, and the time a body trickling one byte every 200 ms stays
 * open (request timeout 30 s by default; Node's own default is 300 s).
 *
 * Plain lines a README can quote; nothing is asserted.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A master in a child process (limits passed as JSON); its URL and pid. */
async function masterProcess(limits: object): Promise<{ url: string; pid: number; stop: () => void }> {
  const code = `import('./impl/master/server.ts').then(async ({ startMaster }) => { const m = await startMaster({ port: 0, log: () => {}, limits: ${JSON.stringify(limits)} }); console.log(m.url); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: `${import.meta.dirname}/..`, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

const rssMiB = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

async function flood(url: string, pid: number, bodies: number, mib: number): Promise<{ before: number; peak: number; refused: number }> {
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 20);
  const chunk = Buffer.alloc(1 << 20, 0x20);
  const statuses = await Promise.all(
    Array.from(
      { length: bodies },
      () =>
        new Promise<number>((resolve) => {
          const req = httpRequest(`${url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(mib << 20) } });
          req.on('response', (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', () => resolve(0));
          let sent = 0;
          const write = () => {
            while (sent < mib) {
              sent++;
              if (!req.write(chunk)) return void req.once('drain', write);
            }
            req.end();
          };
          write();
        }),
    ),
  );
  clearInterval(sampler);
  peak = Math.max(peak, rssMiB(pid));
  return { before, peak, refused: statuses.filter((s) => s === 503).length };
}

async function trickle(url: string, limitMs: number): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const req = httpRequest(`${url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': '100000' } });
    const drip = setInterval(() => req.write(' '), 200);
    const done = () => {
      clearInterval(drip);
      resolve();
    };
    req.on('response', (res) => (res.resume(), res.on('end', done)));
    req.on('error', done);
    setTimeout(() => (req.destroy(), done()), limitMs);
  });
  return performance.now() - t0;
}

export async function main(args: string[] = []): Promise<void> {
  const bodies = arg(args, 'bodies', 24);
  const mib = arg(args, 'mib', 16);
  console.log(`${bodies} concurrent request bodies of ${mib} MiB at a master in its own process (peak RSS sampled every 20 ms; shared machine)`);
  const rows: { label: string; before: number; peak: number; refused: number }[] = [];
  for (const [label, limits] of [
    ['unbounded (baseline)', { maxBufferedBodyBytes: Number.MAX_SAFE_INTEGER }],
    ['default budget 32 MiB', {}],
  ] as const) {
    const m = await masterProcess(limits);
    try {
      const r = await flood(m.url, m.pid, bodies, mib);
      rows.push({ label, ...r });
      console.log(`  ${label.padEnd(24)} RSS ${r.before.toFixed(0)} -> peak ${r.peak.toFixed(0)} MiB (+${(r.peak - r.before).toFixed(0)}), ${r.refused} of ${bodies} answered 503`);
    } finally {
      m.stop();
    }
  }
  const [base, bounded] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log(`  growth with the budget: ${((bounded.peak - bounded.before) / Math.max(1, base.peak - base.before)).toFixed(2)}x the baseline's`);
  const m = await masterProcess({});
  try {
    const ms = await trickle(m.url, 60_000);
    console.log(`  a body trickling 1 byte / 200 ms is cut off after ${(ms / 1000).toFixed(1)} s (request timeout 30 s; Node's default 300 s)`);
  } finally {
    m.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
