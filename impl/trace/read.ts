/**
 * Reading trace files (`--trace`, JSON lines of impl/host.ts TraceRecord) for `validate-trace`,
 * and refusing what is not a whole recording: an empty file (an empty trace proves nothing), a
 * line that is not a JSON record (the last one: a recording cut mid-write), records missing in the
 * middle (a component's `seq` skips), a directory with no trace. Each refusal is one line naming
 * the file and line; the command exits 2 on it, since nothing was judged.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TraceRecord } from '../host.ts';

/** One recorded step and where it is. */
export interface Located {
  readonly file: TraceFile;
  /** 1-based line in the file. */
  readonly line: number;
  readonly record: TraceRecord;
}

export interface TraceFile {
  /** The path as given (or found in the directory). */
  readonly path: string;
  /** The file's name without `.jsonl`: what the world calls its process (`master`, `agent-0`). */
  readonly label: string;
  readonly records: readonly Located[];
}

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The traces a `validate-trace` argument list names: the files given, or every `*.jsonl` of one directory. */
export function traceFilesOf(args: readonly string[]): Read<{ paths: string[]; directory: string | undefined }> {
  for (const a of args) if (!existsSync(a)) return { ok: false, error: `'${a}': no such file or directory` };
  const dirs = args.filter((a) => statSync(a).isDirectory());
  if (dirs.length === 0) return { ok: true, value: { paths: [...args], directory: undefined } };
  if (args.length > 1) return { ok: false, error: `'${dirs[0]}': a directory is validated alone (its traces are one cluster's); give it, or trace files, not both` };
  const dir = dirs[0]!;
  const paths = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
  if (paths.length === 0) return { ok: false, error: `'${dir}': no trace in it (no *.jsonl file; record one with mesos-ref cluster --trace ${dir})` };
  return { ok: true, value: { paths, directory: dir } };
}

/** A file's records, or the one-line reason it is not a whole recording. */
export function readTraceFile(path: string): Read<TraceFile> {
  const lines = readFileSync(path, 'utf8').split('\n');
  const records: Located[] = [];
  const file: TraceFile = { path, label: basename(path).replace(/\.jsonl$/, ''), records };
  let last = lines.length;
  while (last > 0 && lines[last - 1]!.trim() === '') last--;
  const nextSeq = new Map<string, number>();
  for (let i = 0; i < last; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    let r: TraceRecord;
    try {
      r = JSON.parse(text) as TraceRecord;
    } catch {
      return {
        ok: false,
        error: i === last - 1 ? `'${path}' line ${i + 1}: the trace is truncated: its last line is not complete JSON` : `'${path}' line ${i + 1}: not a JSON trace record`,
      };
    }
    if (typeof r !== 'object' || r === null || typeof r.component !== 'string' || typeof r.machine !== 'string' || typeof r.after !== 'string' || typeof r.seq !== 'number') {
      return { ok: false, error: `'${path}' line ${i + 1}: not a trace record (expected seq, component, machine, kind and after)` };
    }
    // A host numbers its records from 0 at its start: a gap is records lost.
    const expected = r.kind === 'init' ? 0 : nextSeq.get(r.component);
    if (expected !== undefined && r.seq !== expected) {
      return { ok: false, error: `'${path}' line ${i + 1}: ${r.component}'s record ${r.seq} follows record ${expected - 1}: records are missing (a truncated trace?)` };
    }
    nextSeq.set(r.component, r.seq + 1);
    records.push({ file, line: i + 1, record: r });
  }
  if (records.length === 0) return { ok: false, error: `'${path}': no step recorded (an empty trace proves nothing)` };
  return { ok: true, value: file };
}
