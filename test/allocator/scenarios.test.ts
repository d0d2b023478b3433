/** Mesos's HierarchicalAllocatorTest scenarios on the real allocator. */
import { test } from 'uvu';
import { realAllocator } from '../support/allocator-harness.ts';
import { scenarios } from './scenarios.ts';

for (const [name, run] of Object.entries(scenarios)) {
  test(`HierarchicalAllocatorTest.${name}`, () => run(realAllocator));
}

test.run();
