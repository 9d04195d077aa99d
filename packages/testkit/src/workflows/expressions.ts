/**
 * GitHub Actions expressions (`${{ }}`), as GitHub documents them: literals (null, booleans,
 * numbers, single-quoted strings), property and index access, `!`, `< <= > >= == !=`, `&&`, `||`,
 * parentheses, object filters (`labels.*.name`), the functions contains, startsWith, endsWith, format, join, toJSON, fromJSON and the
 * status functions success, failure, always, cancelled. Comparisons coerce as GitHub does (to numbers
 * when the types differ, strings without regard to case). Pure: parsing, checking, evaluating.
 *
 * Written here because no maintained library evaluates GitHub's expression language in JavaScript
 * with GitHub's coercions (actionlint checks them, in Go, and does not evaluate).
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'context'; name: string }
  | { kind: 'member'; object: Node; name: string }
  | { kind: 'index'; object: Node; index: Node }
  /** `.*` or `[*]`: the elements of an array or the values of an object. */
  | { kind: 'filter'; object: Node }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Node; right: Node }
  | { kind: 'logical'; op: '&&' | '||'; left: Node; right: Node };

export class ExpressionError extends Error {}

type Token = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'op'; value: string } | { kind: 'name'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', ',', '.', '*'];
const NUMBER = /^(?:0x[0-9a-f]+|-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const rest = text.slice(at);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let end = 1;
      let value = '';
      for (;;) {
        if (end >= rest.length) throw new ExpressionError(`unterminated string at "${rest}"`);
        if (rest[end] === "'") {
          if (rest[end + 1] === "'") {
            value += "'";
            end += 2;
            continue;
          }
          break;
        }
        value += rest[end];
        end += 1;
      }
      tokens.push({ kind: 'string', value });
      at += end + 1;
      continue;
    }
    if (rest[0] === '"') throw new ExpressionError(`strings are written in single quotes, not "${rest.slice(0, 20)}"`);
    // A number where an operand is expected (a leading minus is part of the literal, as GitHub has no unary minus).
    const previous = tokens.at(-1);
    const operandExpected = !previous || (previous.kind === 'op' && previous.value !== ')' && previous.value !== ']');
    const number = NUMBER.exec(rest);
    if (number && operandExpected && !(rest[0] === '.' && !/^\.\d/.test(rest))) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      at += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      at += name[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!op) throw new ExpressionError(`unexpected "${rest.slice(0, 20)}"`);
    tokens.push({ kind: 'op', value: op });
    at += op.length;
  }
  return tokens;
}

/** Parses the text inside `${{ }}` (or a bare `if:`). Throws ExpressionError naming what it cannot read. */
export function parseExpression(text: string): Node {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    throw new ExpressionError(`expression "${text}": ${(error as Error).message}`);
  }
  let position = 0;
  const fail = (why: string): never => {
    throw new ExpressionError(`expression "${text}": ${why}`);
  };
  const isOp = (value: string) => tokens[position]?.kind === 'op' && tokens[position]!.value === value;
  const expect = (value: string) => {
    if (!isOp(value)) fail(`expected "${value}"${tokens[position] ? ` at "${String(tokens[position]!.value)}"` : ' at the end'}`);
    position += 1;
  };

  const primary = (): Node => {
    const token = tokens[position++];
    if (!token) return fail('unexpected end');
    if (token.kind === 'string' || token.kind === 'number') return { kind: 'literal', value: token.value };
    if (token.kind === 'op') {
      if (token.value !== '(') fail(`unexpected "${token.value}"`);
      const inner = or();
      expect(')');
      return inner;
    }
    if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true' };
    if (token.value === 'null') return { kind: 'literal', value: null };
    if (isOp('(')) {
      position += 1;
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          position += 1;
          args.push(or());
        }
      }
      expect(')');
      return { kind: 'call', name: token.value, args };
    }
    return { kind: 'context', name: token.value };
  };
  const postfix = (): Node => {
    let node = primary();
    for (;;) {
      if (isOp('.')) {
        position += 1;
        const name = tokens[position++];
        if (name?.kind === 'op' && name.value === '*') {
          node = { kind: 'filter', object: node };
          continue;
        }
        if (name?.kind !== 'name') fail('expected a property name after "."');
        node = { kind: 'member', object: node, name: String(name!.value) };
      } else if (isOp('[')) {
        position += 1;
        if (isOp('*')) {
          position += 1;
          expect(']');
          node = { kind: 'filter', object: node };
          continue;
        }
        const index = or();
        expect(']');
        node = { kind: 'index', object: node, index };
      } else return node;
    }
  };
  const unary = (): Node => {
    if (isOp('!')) {
      position += 1;
      return { kind: 'not', operand: unary() };
    }
    return postfix();
  };
  const binaryLevel = (next: () => Node, ops: string[]) => (): Node => {
    let node = next();
    while (ops.some(isOp)) {
      const op = tokens[position++]!.value as '==';
      node = { kind: 'binary', op, left: node, right: next() };
    }
    return node;
  };
  const comparison = binaryLevel(unary, ['<=', '>=', '<', '>']);
  const equality = binaryLevel(comparison, ['==', '!=']);
  const and = (): Node => {
    let node = equality();
    while (isOp('&&')) {
      position += 1;
      node = { kind: 'logical', op: '&&', left: node, right: equality() };
    }
    return node;
  };
  function or(): Node {
    let node = and();
    while (isOp('||')) {
      position += 1;
      node = { kind: 'logical', op: '||', left: node, right: and() };
    }
    return node;
  }

  if (tokens.length === 0) fail('empty expression');
  const node = or();
  if (position < tokens.length) fail(`unexpected "${String(tokens[position]!.value)}"`);
  return node;
}

// ---------------------------------------------------------------------------------------------
// Checking: names of contexts and functions, where they are allowed

export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;
/** Functions and their arity [min, max]. */
const FUNCTIONS: Record<string, [number, number]> = {
  contains: [2, 2],
  startswith: [2, 2],
  endswith: [2, 2],
  format: [1, Infinity],
  join: [1, 2],
  tojson: [1, 1],
  fromjson: [1, 1],
  success: [0, 0],
  failure: [0, 0],
  always: [0, 0],
  cancelled: [0, 0],
};
/** GitHub's functions the simulator does not evaluate: named as such when used. */
const NOT_MODELLED_FUNCTIONS = ['hashfiles', 'case'];
export const CONTEXTS = ['github', 'env', 'vars', 'job', 'jobs', 'steps', 'runner', 'secrets', 'strategy', 'matrix', 'needs', 'inputs'] as const;
export type ContextName = (typeof CONTEXTS)[number];

export interface ExpressionPlace {
  /** Where the expression is, for messages: `jobs.deploy.steps[2].with.version`. */
  where: string;
  /** Contexts GitHub makes available there. */
  contexts: readonly ContextName[];
  /** Status functions are allowed (job and step `if:`). */
  status?: boolean;
}

/** Contexts that exist but are not modelled by the simulator (no `strategy:`, no reusable workflows). */
const NOT_MODELLED_CONTEXTS = ['strategy', 'matrix', 'jobs'];

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  switch (node.kind) {
    case 'member':
    case 'filter':
      return walk(node.object, visit);
    case 'index':
      walk(node.object, visit);
      return walk(node.index, visit);
    case 'call':
      return node.args.forEach((arg) => walk(arg, visit));
    case 'not':
      return walk(node.operand, visit);
    case 'binary':
    case 'logical':
      walk(node.left, visit);
      return walk(node.right, visit);
    default:
  }
}

/** Refuses, by name, a function or context GitHub does not have or does not allow at `place`. */
export function checkExpression(node: Node, place: ExpressionPlace): void {
  walk(node, (inner) => {
    if (inner.kind === 'call') {
      const name = inner.name.toLowerCase();
      if (NOT_MODELLED_FUNCTIONS.includes(name)) throw new ExpressionError(`${place.where}: function ${inner.name}() is not modelled by the simulator`);
      const arity = FUNCTIONS[name];
      if (!arity) throw new ExpressionError(`${place.where}: unknown function ${inner.name}()`);
      if ((STATUS_FUNCTIONS as readonly string[]).includes(name) && !place.status) {
        throw new ExpressionError(`${place.where}: status function ${inner.name}() is only allowed in if: conditions`);
      }
      if (inner.args.length < arity[0] || inner.args.length > arity[1]) {
        throw new ExpressionError(
          `${place.where}: ${inner.name}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} or more`} argument(s), got ${inner.args.length}`,
        );
      }
    }
    if (inner.kind === 'context') {
      const name = inner.name.toLowerCase() as ContextName;
      if (!(CONTEXTS as readonly string[]).includes(name)) throw new ExpressionError(`${place.where}: unknown context "${inner.name}"`);
      if (NOT_MODELLED_CONTEXTS.includes(name)) throw new ExpressionError(`${place.where}: context ${name} is not modelled by the simulator`);
      if (!place.contexts.includes(name)) {
        throw new ExpressionError(`${place.where}: context ${name} is not available here (GitHub allows ${place.contexts.join(', ')})`);
      }
    }
  });
}

/** Property chains with literal names under a context: `steps.build.outputs.version` -> ['steps', 'build', 'outputs', 'version']. */
export function references(node: Node): string[][] {
  const found: string[][] = [];
  const chain = (inner: Node): string[] | undefined => {
    if (inner.kind === 'context') return [inner.name.toLowerCase()];
    if (inner.kind === 'member') {
      const head = chain(inner.object);
      return head ? [...head, inner.name] : undefined;
    }
    if (inner.kind === 'index' && inner.index.kind === 'literal' && typeof inner.index.value === 'string') {
      const head = chain(inner.object);
      return head ? [...head, inner.index.value] : undefined;
    }
    return undefined;
  };
  const seen = new Set<Node>();
  walk(node, (inner) => {
    if (seen.has(inner)) return;
    const path = chain(inner);
    if (!path) return;
    // Only the longest chain: mark the inner nodes of this chain as seen.
    let cursor: Node = inner;
    while (cursor.kind === 'member' || cursor.kind === 'index') {
      seen.add(cursor);
      cursor = cursor.object;
    }
    seen.add(cursor);
    found.push(path);
  });
  return found;
}

export function usesStatusFunction(node: Node): boolean {
  let found = false;
  walk(node, (inner) => {
    if (inner.kind === 'call' && (STATUS_FUNCTIONS as readonly string[]).includes(inner.name.toLowerCase())) found = true;
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Evaluating

export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface Scope {
  contexts: Partial<Record<ContextName, Value>>;
  status?: StatusFunctions;
}

/** GitHub's string form: null is '', objects and arrays are 'Object' and 'Array'. */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? 'Array' : 'Object';
}

export function truthy(value: Value): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return 0;
    return /^(?:0x[0-9a-f]+|[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i.test(trimmed) ? Number(trimmed) : NaN;
  }
  return NaN;
}

const kindOf = (value: Value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** `==` as GitHub does it: same kinds compare directly (strings ignoring case), others as numbers. */
export function looseEquals(left: Value, right: Value): boolean {
  const kind = kindOf(left);
  if (kind === kindOf(right)) {
    if (kind === 'string') return (left as string).toLowerCase() === (right as string).toLowerCase();
    return left === right;
  }
  if (kind === 'object' || kind === 'array' || kindOf(right) === 'object' || kindOf(right) === 'array') return false;
  return toNumber(left) === toNumber(right);
}

function compare(op: '<' | '<=' | '>' | '>=', left: Value, right: Value): boolean {
  let a: number | string;
  let b: number | string;
  if (typeof left === 'string' && typeof right === 'string') {
    a = left.toLowerCase();
    b = right.toLowerCase();
  } else {
    a = toNumber(left);
    b = toNumber(right);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
  }
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

// Arrays made by an object filter: a property of one is the property of each element.
const filtered = new WeakSet<Value[]>();

function filter(value: Value): Value[] {
  const items = Array.isArray(value) ? [...value] : value !== null && typeof value === 'object' ? Object.values(value) : [];
  filtered.add(items);
  return items;
}

/** A property as GitHub reads it: names ignore case; a missing one is null. */
export function property(object: Value, name: string): Value {
  if (object === null || typeof object !== 'object') return null;
  if (Array.isArray(object) && filtered.has(object)) {
    const items = object.map((item) => property(item, name)).filter((item) => item !== null);
    filtered.add(items);
    return items;
  }
  if (Array.isArray(object)) {
    const index = toNumber(name);
    return Number.isInteger(index) && index >= 0 ? (object[index] ?? null) : null;
  }
  if (Object.hasOwn(object, name)) return object[name] ?? null;
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? null : (object[key] ?? null);
}

function format(template: string, args: Value[], where: string): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}|[{}]/g, (match, index?: string) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (index === undefined) throw new ExpressionError(`${where}: format('${template}'): unbalanced "${match}"`);
    const value = args[Number(index)];
    if (value === undefined) throw new ExpressionError(`${where}: format('${template}'): no argument {${index}}`);
    return toText(value);
  });
}

export function evaluate(node: Node, scope: Scope, where = 'expression'): Value {
  const recurse = (inner: Node) => evaluate(inner, scope, where);
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'context': {
      const name = node.name.toLowerCase() as ContextName;
      if (!(name in scope.contexts)) throw new ExpressionError(`${where}: context ${name} is not available here`);
      return scope.contexts[name] ?? null;
    }
    case 'member':
      return property(recurse(node.object), node.name);
    case 'filter':
      return filter(recurse(node.object));
    case 'index': {
      const index = recurse(node.index);
      return property(recurse(node.object), typeof index === 'number' ? String(index) : toText(index));
    }
    case 'not':
      return !truthy(recurse(node.operand));
    case 'logical': {
      const left = recurse(node.left);
      if (node.op === '&&') return truthy(left) ? recurse(node.right) : left;
      return truthy(left) ? left : recurse(node.right);
    }
    case 'binary': {
      const left = recurse(node.left);
      const right = recurse(node.right);
      if (node.op === '==') return looseEquals(left, right);
      if (node.op === '!=') return !looseEquals(left, right);
      return compare(node.op, left, right);
    }
    case 'call':
      return call(node, scope, where);
  }
}

function call(node: Extract<Node, { kind: 'call' }>, scope: Scope, where: string): Value {
  const name = node.name.toLowerCase();
  if ((STATUS_FUNCTIONS as readonly string[]).includes(name)) {
    if (!scope.status) throw new ExpressionError(`${where}: status function ${node.name}() is only allowed in if: conditions`);
    if (name === 'always') return true;
    return scope.status[name as 'success' | 'failure' | 'cancelled']();
  }
  const args = node.args.map((arg) => evaluate(arg, scope, where));
  const [first = null, second = null] = args;
  switch (name) {
    case 'contains':
      if (Array.isArray(first)) return first.some((item) => looseEquals(item, second));
      return toText(first).toLowerCase().includes(toText(second).toLowerCase());
    case 'startswith':
      return toText(first).toLowerCase().startsWith(toText(second).toLowerCase());
    case 'endswith':
      return toText(first).toLowerCase().endsWith(toText(second).toLowerCase());
    case 'format':
      return format(toText(first), args.slice(1), where);
    case 'join':
      return Array.isArray(first) ? first.map(toText).join(args.length > 1 ? toText(second) : ',') : toText(first);
    case 'tojson':
      return JSON.stringify(first, null, 2);
    case 'fromjson':
      try {
        return JSON.parse(toText(first)) as Value;
      } catch (error) {
        throw new ExpressionError(`${where}: fromJSON(): ${(error as Error).message}`);
      }
    default:
      throw new ExpressionError(`${where}: unknown function ${node.name}()`);
  }
}

// ---------------------------------------------------------------------------------------------
// Templates: strings holding `${{ }}` parts

export type TemplatePart = { text: string } | { expression: Node; source: string };

/** Splits a string into text and `${{ }}` expressions; `}}` inside a string literal does not close one. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('${{', at);
    if (open === -1) {
      parts.push({ text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: text.slice(at, open) });
    let cursor = open + 3;
    let inString = false;
    for (; cursor < text.length; cursor++) {
      if (text[cursor] === "'") inString = !inString;
      else if (!inString && text.startsWith('}}', cursor)) break;
    }
    if (cursor >= text.length) throw new ExpressionError(`"${text}": \${{ without a closing }}`);
    const source = text.slice(open + 3, cursor).trim();
    parts.push({ expression: parseExpression(source), source });
    at = cursor + 2;
  }
  return parts;
}

export function hasExpression(text: string): boolean {
  return text.includes('${{');
}

/**
 * A template's value: its text with each `${{ }}` replaced by the value's string form; a template
 * that is one expression and nothing else keeps the value's type (as GitHub does for `if:`, booleans).
 */
export function evaluateTemplate(parts: TemplatePart[], scope: Scope, where: string): Value {
  if (parts.length === 1 && 'expression' in parts[0]!) return evaluate(parts[0].expression, scope, where);
  return parts.map((part) => ('text' in part ? part.text : toText(evaluate(part.expression, scope, where)))).join('');
}

/**
 * An `if:` condition as GitHub reads it: with or without `${{ }}`; without a status function it
 * means `success() && (...)`. Text mixed with `${{ }}` is refused: GitHub reads that as a non-empty
 * string, true whatever the expression gives.
 */
export function parseCondition(condition: string | boolean | number): Node {
  const text = String(condition).trim();
  let node: Node;
  if (hasExpression(text)) {
    const parts = parseTemplate(text);
    if (parts.length !== 1 || !('expression' in parts[0]!)) {
      throw new ExpressionError(`if: "${text}" mixes \${{ }} with other text: GitHub reads it as a non-empty string, always true`);
    }
    node = parts[0].expression;
  } else node = parseExpression(text);
  return usesStatusFunction(node) ? node : { kind: 'logical', op: '&&', left: { kind: 'call', name: 'success', args: [] }, right: node };
}
