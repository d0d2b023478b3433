/**
 * Mutation operators over TypeScript source, with the compiler's own parser: every candidate is
 * a text edit (start, end, replacement) at a node the operator understands, so a mutant is the
 * source with one edit applied. Which candidates become mutants, and which replacement a
 * replacing operator picks, is decided by a seeded PRNG (seededOrder below): the same seed gives
 * the same mutants.
 */
import ts from 'typescript';
import { TASK_STATES, TASK_STATUS_REASONS, TASK_STATUS_SOURCES } from '../../spec/protocol/common.ts';
import { uniform } from '../../checker/random.ts';

export type Operator = 'negate-condition' | 'delete-statement' | 'swap-comparison' | 'replace-state' | 'replace-reason' | 'replace-source' | 'off-by-one' | 'early-return';

export const OPERATORS: readonly Operator[] = [
  'negate-condition',
  'delete-statement',
  'swap-comparison',
  'replace-state',
  'replace-reason',
  'replace-source',
  'off-by-one',
  'early-return',
];

export interface Candidate {
  readonly file: string;
  readonly operator: Operator;
  /** Where the edit applies, as offsets into the file's text. */
  readonly start: number;
  readonly end: number;
  /** The replacements the operator allows here (a replacing operator offers several; the seed picks one). */
  readonly replacements: readonly string[];
  readonly line: number;
}

export interface Mutant {
  readonly id: string;
  readonly file: string;
  readonly operator: Operator;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly original: string;
  readonly replacement: string;
}

const SWAPPED: Readonly<Partial<Record<ts.SyntaxKind, string>>> = {
  [ts.SyntaxKind.LessThanToken]: '>=',
  [ts.SyntaxKind.LessThanEqualsToken]: '>',
  [ts.SyntaxKind.GreaterThanToken]: '<=',
  [ts.SyntaxKind.GreaterThanEqualsToken]: '<',
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==',
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===',
};

const VALUES: readonly [Operator, RegExp, readonly string[]][] = [
  ['replace-state', /^TASK_[A-Z_]+$/, TASK_STATES],
  ['replace-reason', /^REASON_[A-Z_]+$/, TASK_STATUS_REASONS],
  ['replace-source', /^SOURCE_[A-Z_]+$/, TASK_STATUS_SOURCES],
];

/** In a type, an import, or a property name: not code a mutant can change the behaviour of. */
function inTypeOrName(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isInterfaceDeclaration(p) || ts.isTypeAliasDeclaration(p)) return true;
  }
  const parent = node.parent;
  return parent !== undefined && (ts.isPropertyAssignment(parent) || ts.isPropertyAccessExpression(parent)) && parent.name === node;
}

const isFunctionBody = (b: ts.Block) => ts.isFunctionDeclaration(b.parent) || ts.isArrowFunction(b.parent) || ts.isFunctionExpression(b.parent) || ts.isMethodDeclaration(b.parent);

/** Every mutation the operators allow in one file, in source order. */
export function candidates(file: string, text: string): Candidate[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: Candidate[] = [];
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (operator: Operator, node: ts.Node, replacements: readonly string[], start = node.getStart(sf), end = node.getEnd()) => {
    if (replacements.length) out.push({ file, operator, start, end, replacements, line: line(start) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIfStatement(node)) add('negate-condition', node.expression, [`!(${node.expression.getText(sf)})`]);
    else if (ts.isConditionalExpression(node)) add('negate-condition', node.condition, [`!(${node.condition.getText(sf)})`]);
    if (ts.isExpressionStatement(node) && ts.isBlock(node.parent)) add('delete-statement', node, [';']);
    if (ts.isBinaryExpression(node)) {
      const swapped = SWAPPED[node.operatorToken.kind];
      if (swapped) add('swap-comparison', node.operatorToken, [swapped]);
    }
    if (ts.isStringLiteral(node) && !inTypeOrName(node)) {
      for (const [op, pattern, values] of VALUES) {
        if (pattern.test(node.text) && values.includes(node.text))
          add(
            op,
            node,
            values.filter((v) => v !== node.text).map((v) => `'${v}'`),
          );
      }
    }
    if (ts.isNumericLiteral(node) && !inTypeOrName(node)) {
      const v = Number(node.text);
      if (Number.isFinite(v)) add('off-by-one', node, [String(v + 1), ...(v >= 1 ? [String(v - 1)] : [])]);
    }
    if (ts.isBlock(node) && isFunctionBody(node) && node.statements.length > 0) {
      const first = node.statements[0]!.getStart(sf);
      add('early-return', node, ['return; '], first, first);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The candidates as mutants, in the seed's order (a Fisher-Yates shuffle), each with the
 * replacement the seed picks. Taking a prefix of this order is what "a seeded sample" means.
 */
export function seededOrder(all: readonly Candidate[], texts: ReadonlyMap<string, string>, seed: number): Mutant[] {
  const random = uniform(seed);
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.map((i) => {
    const c = all[i]!;
    const replacement = c.replacements[Math.floor(random() * c.replacements.length)]!;
    const original = texts.get(c.file)!.slice(c.start, c.end);
    return { id: `${c.operator}@${c.file}:${c.line}:${c.start}`, file: c.file, operator: c.operator, line: c.line, start: c.start, end: c.end, original, replacement };
  });
}

/** The file's text with the mutant's edit applied. */
export function apply(text: string, m: Mutant): string {
  return text.slice(0, m.start) + m.replacement + text.slice(m.end);
}

/** The changed lines, as a unified-style diff of the mutant's line(s). */
export function diffOf(text: string, m: Mutant): string {
  const lineStart = text.lastIndexOf('\n', m.start - 1) + 1;
  const endNl = text.indexOf('\n', m.end);
  const lineEnd = endNl < 0 ? text.length : endNl;
  const before = text.slice(lineStart, lineEnd);
  const after = text.slice(lineStart, m.start) + m.replacement + text.slice(m.end, lineEnd);
  return [`--- ${m.file}:${m.line}`, ...before.split('\n').map((l) => `- ${l}`), ...after.split('\n').map((l) => `+ ${l}`)].join('\n');
}
