/**
 * Reads proto/mesos-ref-v1.proto, the source of the wire descriptor table: the proto2 subset it is
 * written in (messages of fields, `oneof` groups and string-keyed maps; each enum alone in a
 * message as `enum Value`; `default` and `deprecated` options). Anything else is an error that
 * names its line, so a typo in the source never becomes a silently different table.
 */

/** An enum: its values' names and wire numbers, in declaration order. */
export interface ProtoEnum {
  readonly name: string;
  readonly values: readonly (readonly [string, number])[];
}

/** A field as written: its type is a scalar, a message name, or an enum's message name (`TaskState` for `TaskState.Value`). */
export interface ProtoField {
  readonly number: number;
  readonly name: string;
  readonly type: string;
  readonly label: 'optional' | 'required' | 'repeated' | 'map';
  /** The `default` option as written: a JSON string literal, a number, true/false, or an enum value name. */
  readonly default?: string;
  readonly deprecated: boolean;
  readonly oneof?: string;
  /** Written as an enum (`TaskState.Value`), not a message. */
  readonly enumRef: boolean;
  readonly line: number;
}

export interface ProtoMessage {
  readonly name: string;
  readonly fields: readonly ProtoField[];
}

export interface ProtoFile {
  readonly enums: readonly ProtoEnum[];
  readonly messages: readonly ProtoMessage[];
}

const SCALARS = new Set(['string', 'bytes', 'bool', 'double', 'int32', 'int64', 'uint32', 'uint64']);

interface Token {
  readonly text: string;
  readonly line: number;
}

const TOKEN = /\s+|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][A-Za-z0-9_.]*|[{}[\]=;<>,]/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new Error(`line ${line}: unexpected '${source.slice(at, at + 12).split('\n')[0]}'`);
    const text = m[0];
    if (!/^\s/.test(text) && !text.startsWith('//')) tokens.push({ text, line });
    line += text.split('\n').length - 1;
  }
  return tokens;
}

export function parseProto(source: string): ProtoFile {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const lineOf = () => (tokens[i] ?? tokens[tokens.length - 1])?.line ?? 1;
  const fail = (why: string): never => {
    throw new Error(`line ${lineOf()}: ${why}`);
  };
  const next = (): string => tokens[i++]?.text ?? fail('unexpected end of file');
  const expect = (text: string) => {
    const t = next();
    if (t !== text) {
      i--;
      fail(`expected '${text}', found '${t}'`);
    }
  };
  const ident = (what: string): string => {
    const t = next();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) {
      i--;
      fail(`expected ${what}, found '${t}'`);
    }
    return t;
  };
  const integer = (): number => {
    const t = next();
    if (!/^-?\d+$/.test(t)) {
      i--;
      fail(`expected an integer, found '${t}'`);
    }
    return Number(t);
  };

  expect('syntax');
  expect('=');
  if (next() !== '"proto2"') fail('only syntax = "proto2" is read');
  expect(';');
  expect('package');
  next();
  expect(';');

  const enums: ProtoEnum[] = [];
  const messages: ProtoMessage[] = [];
  const names = new Set<string>();

  const options = (): { default?: string; deprecated: boolean } => {
    const out: { default?: string; deprecated: boolean } = { deprecated: false };
    if (peek()?.text !== '[') return out;
    next();
    for (;;) {
      const option = ident('an option');
      expect('=');
      const value = next();
      if (option === 'default') out.default = value;
      else if (option === 'deprecated' && value === 'true') out.deprecated = true;
      else fail(`unknown option ${option} = ${value}`);
      const t = next();
      if (t === ']') break;
      if (t !== ',') fail(`expected ',' or ']', found '${t}'`);
    }
    return out;
  };

  const field = (label: ProtoField['label'] | null, oneof: string | undefined): ProtoField => {
    const line = lineOf();
    let type: string;
    if (label === 'map') {
      expect('<');
      expect('string');
      expect(',');
      type = next();
      expect('>');
    } else type = next();
    const name = ident('a field name');
    expect('=');
    const number = integer();
    const opts = options();
    expect(';');
    return {
      number,
      name,
      type: type.endsWith('.Value') ? type.slice(0, -'.Value'.length) : type,
      label: label ?? 'optional',
      ...(opts.default !== undefined ? { default: opts.default } : {}),
      deprecated: opts.deprecated,
      ...(oneof !== undefined ? { oneof } : {}),
      enumRef: type.endsWith('.Value'),
      line,
    };
  };

  while (i < tokens.length) {
    expect('message');
    const name = ident('a message name');
    if (names.has(name)) fail(`${name} is declared twice`);
    names.add(name);
    expect('{');
    if (peek()?.text === 'enum') {
      next();
      expect('Value');
      expect('{');
      const values: [string, number][] = [];
      while (peek()?.text !== '}') {
        const value = ident('an enum value');
        expect('=');
        values.push([value, integer()]);
        expect(';');
      }
      expect('}');
      expect('}');
      enums.push({ name, values });
      continue;
    }
    const fields: ProtoField[] = [];
    while (peek()?.text !== '}') {
      const t = next();
      if (t === 'oneof') {
        const group = ident('a oneof name');
        expect('{');
        while (peek()?.text !== '}') fields.push(field(null, group));
        expect('}');
      } else if (t === 'optional' || t === 'required' || t === 'repeated' || t === 'map') {
        fields.push(field(t, undefined));
      } else {
        i--;
        fail(`expected a field label, 'map' or 'oneof', found '${t}'`);
      }
    }
    expect('}');
    messages.push({ name, fields });
  }

  // Every field's type must be declared (here or a scalar), enums as `X.Value`: the line names the typo.
  const enumNames = new Set(enums.map((e) => e.name));
  const messageNames = new Set(messages.map((m) => m.name));
  for (const m of messages) {
    for (const f of m.fields) {
      const known = f.enumRef ? enumNames.has(f.type) : SCALARS.has(f.type) || messageNames.has(f.type);
      if (!known) throw new Error(`line ${f.line}: ${m.name}.${f.name} has unknown type ${f.type}${f.enumRef ? '.Value' : ''}`);
    }
  }
  return { enums, messages };
}
