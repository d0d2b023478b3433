/**
 * One world trace from the traces of a cluster's processes, in a causal order: each file's
 * records keep their order, and a record that receives a message (`received`, the id the
 * sender's host gave it: impl/host.ts) comes after the record that sent it (`sent`). Among the
 * records free to go next, the one recorded earliest (`at`) goes first, so the order reads as the
 * run happened; clocks only break ties, never the causal order.
 *
 * A receive whose send is in none of the traces is refused: where the sender's trace is there
 * (its other messages are), or where the traces are a whole directory (every process of the
 * cluster wrote one), the trace holding the send was cut short. Traces named one by one may
 * leave a peer out: its messages are then inputs from outside, as a framework's calls are.
 */
import type { Located, Read, TraceFile } from './read.ts';

export interface WorldTrace {
  readonly steps: readonly Located[];
  /** Messages received whose send is in the traces. */
  readonly matched: number;
}

/** The process prefix of a message id (`<origin>:<seq>:<k>`). */
const originOf = (id: string): string => id.slice(0, id.indexOf(':'));

export function mergeTraces(files: readonly TraceFile[], wholeDirectory: boolean): Read<WorldTrace> {
  const sent = new Set<string>();
  for (const f of files) for (const l of f.records) for (const id of l.record.sent ?? []) sent.add(id);
  const origins = new Set([...sent].map(originOf));
  let matched = 0;
  for (const f of files) {
    for (const l of f.records) {
      const id = l.record.received;
      if (id === undefined) continue;
      if (sent.has(id)) {
        matched++;
        continue;
      }
      if (wholeDirectory || origins.has(originOf(id))) {
        return {
          ok: false,
          error: `'${f.path}' line ${l.line}: receives message ${id}, whose send is in no trace here (${origins.has(originOf(id)) ? "its sender's trace was cut short" : 'no trace of its sender'}): a truncated trace`,
        };
      }
    }
  }
  const emitted = new Set<string>();
  const next = files.map(() => 0);
  const steps: Located[] = [];
  const total = files.reduce((n, f) => n + f.records.length, 0);
  while (steps.length < total) {
    let pick = -1;
    for (let i = 0; i < files.length; i++) {
      const head = files[i]!.records[next[i]!];
      if (head === undefined) continue;
      const id = head.record.received;
      if (id !== undefined && sent.has(id) && !emitted.has(id)) continue;
      if (pick < 0 || head.record.at < files[pick]!.records[next[pick]!]!.record.at) pick = i;
    }
    if (pick < 0) {
      // Every file's next record waits for a send later in another file: no causal order exists.
      const stuck = files.findIndex((f, i) => f.records[next[i]!] !== undefined);
      const head = files[stuck]!.records[next[stuck]!]!;
      return { ok: false, error: `'${head.file.path}' line ${head.line}: receives message ${head.record.received} before it is sent (the traces have no causal order)` };
    }
    const l = files[pick]!.records[next[pick]!++]!;
    for (const id of l.record.sent ?? []) emitted.add(id);
    steps.push(l);
  }
  return { ok: true, value: { steps, matched } };
}
