/**
 * The checker tests' smallest model with a step that moves nothing a property reads: a counter a
 * (0..`top`, action 0 counts) and a bit b (action 1 flips it). A property of a alone need not be
 * asked again after a flip.
 */
import type { Model, Property } from '../../checker/model.ts';

export function counterAndBit(properties: Property[], top: number, name = 'counter and bit'): Model {
  return {
    name,
    width: 2,
    init: (push) => push(Int32Array.of(0, 0)),
    actions: (_s, push) => {
      push(0);
      push(1);
    },
    next: (s, a, out) => {
      if (a === 0) {
        if (s[0] === top) return false;
        out[0] = s[0]! + 1;
      } else out[1] = 1 - s[1]!;
      return true;
    },
    properties,
    formatAction: (_s, a) => (a === 0 ? 'count' : 'flip'),
  };
}
