import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('the runner loads test files', () => {
  assert.ok(true);
});

test.run();
