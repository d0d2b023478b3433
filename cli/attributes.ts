/**
 * An agent's `--attributes` in Mesos's syntax (`rack:r1;zone:east;level:3;ports:[1-2];os:{a,b}`):
 * a number is a SCALAR, `[a-b,...]` RANGES, `{x,y}` a SET, anything else TEXT.
 */
import type { Attribute } from '../spec/protocol/common.ts';
import { UsageError } from './common.ts';

function value(name: string, text: string): Attribute {
  if (/^-?\d+(\.\d+)?$/.test(text)) return { name, type: 'SCALAR', scalar: { value: Number(text) } };
  const ranges = /^\[(.*)\]$/.exec(text);
  if (ranges) {
    const range = ranges[1]!.split(',').map((r) => {
      const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(r);
      if (!m || Number(m[1]) > Number(m[2])) throw new UsageError(`'--attributes': attribute '${name}': expected ranges such as [1-10,20-30], got '${text}'`);
      return { begin: Number(m[1]), end: Number(m[2]) };
    });
    return { name, type: 'RANGES', ranges: { range } };
  }
  const set = /^\{(.*)\}$/.exec(text);
  if (set) return { name, type: 'SET', set: { item: set[1]!.split(',').map((x) => x.trim()) } };
  return { name, type: 'TEXT', text: { value: text } };
}

export function parseAttributes(text: string): Attribute[] {
  return text
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const i = part.indexOf(':');
      const name = i > 0 ? part.slice(0, i).trim() : '';
      if (name === '' || i === part.length - 1) throw new UsageError(`'--attributes': expected name:value pairs separated by ';', got '${part}'`);
      return value(name, part.slice(i + 1).trim());
    });
}
