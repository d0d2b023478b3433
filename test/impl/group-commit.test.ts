/**
 * impl/agent/group-commit.ts on its own: effects wait, in order, for the checkpoint of the persist
 * before them; persists that arrive while a write is in flight share the next write; a discarded
 * checkpoint is not brought back by a write still in flight; `each` writes every persist before
 * it returns.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GroupCommit, type CheckpointMode } from '../../impl/agent/group-commit.ts';
import type { Effect } from '../../spec/step.ts';
import { eventually } from '../support/eventually.ts';

const test = suite('group commit');

function setup(mode: CheckpointMode) {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ref-group-commit-'));
  const path = join(dir, 'meta', 'checkpoint.json');
  const applied: { name: string; onDisk: unknown }[] = [];
  const onDisk = () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined);
  const commit = new GroupCommit({
    path,
    mode,
    apply: (e) => applied.push({ name: (e as unknown as { name: string }).name, onDisk: onDisk() }),
    fail: (e) => {
      throw e;
    },
  });
  const effect = (name: string) => ({ type: 'send', name }) as unknown as Effect;
  return { dir, path, applied, commit, effect, onDisk };
}

test('group: effects are held until their checkpoint is on disk, in order; persists in flight share one write', async () => {
  const { dir, applied, commit, effect, onDisk } = setup('group');
  try {
    commit.effect(effect('before any persist'));
    assert.equal(applied, [{ name: 'before any persist', onDisk: undefined }]);
    commit.persist({ n: 1 });
    commit.effect(effect('a'));
    commit.persist({ n: 2 });
    commit.effect(effect('b'));
    commit.persist({ n: 3 });
    commit.effect(effect('c'));
    assert.is(applied.length, 1, 'nothing after a persist happens before its write');
    await eventually(() => (applied.length === 4 ? true : undefined), 5000, 'the held effects');
    // 'a' needed checkpoint 1 (the first write); 'b' and 'c' needed 2 and 3, covered by one write of 3.
    assert.equal(
      applied.map((a) => a.name),
      ['before any persist', 'a', 'b', 'c'],
    );
    assert.equal(applied[1]!.onDisk, { n: 1 });
    assert.equal(applied[2]!.onDisk, { n: 3 });
    assert.equal(onDisk(), { n: 3 });
    assert.equal([commit.persists, commit.writes], [3, 2]);
    // Nothing pending: effects happen at once again.
    commit.effect(effect('d'));
    assert.is(applied.at(-1)!.name, 'd');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('group: flush writes the newest checkpoint at once; discard is not undone by a write in flight', async () => {
  const first = setup('group');
  try {
    first.commit.persist({ n: 1 });
    first.commit.persist({ n: 2 });
    first.commit.flush();
    assert.equal(first.onDisk(), { n: 2 });
    // The write of 1 still in flight must not replace 2 when it lands.
    await first.commit.settled();
    assert.equal(first.onDisk(), { n: 2 });
  } finally {
    rmSync(first.dir, { recursive: true, force: true });
  }
  const second = setup('group');
  try {
    second.commit.persist({ n: 1 });
    second.commit.discard();
    await second.commit.settled();
    assert.is(existsSync(second.path), false);
  } finally {
    rmSync(second.dir, { recursive: true, force: true });
  }
});

test('each: every persist is on disk before it returns, effects happen at once', () => {
  const { dir, applied, commit, effect, onDisk } = setup('each');
  try {
    commit.persist({ n: 1 });
    assert.equal(onDisk(), { n: 1 });
    commit.effect(effect('a'));
    commit.persist({ n: 2 });
    commit.effect(effect('b'));
    assert.equal(applied, [
      { name: 'a', onDisk: { n: 1 } },
      { name: 'b', onDisk: { n: 2 } },
    ]);
    assert.equal([commit.persists, commit.writes], [2, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('whenDurable: resolves only once every persist so far is on disk (what an answer about the state waits for)', async () => {
  const { dir, commit, onDisk } = setup('group');
  try {
    await commit.whenDurable();
    commit.persist({ n: 1 });
    commit.persist({ n: 2 });
    const seen: unknown[] = [];
    const waited = commit.whenDurable().then(() => seen.push(onDisk()));
    assert.equal(seen, [], 'not before the write');
    await waited;
    assert.equal(seen, [{ n: 2 }], 'the checkpoint it waited for, not an older one');
    await commit.whenDurable();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
