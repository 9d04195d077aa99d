/**
 * The environment file: load, validate against the schema assembled from the kinds it is given,
 * check what a schema cannot say (generic rules here, each kind's own in its `check`).
 *
 * Here, not in @cutover/config, which every action imports: in esbuild's split build, the actions
 * that reached this file through config's index loaded yaml (95 KiB) and this loader when they
 * started without ever calling them (a build of test-gate alone had none of it). Moved, it cut
 * what test-gate reads at start by 110 KiB.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import {
  ADDRESS_PATTERN,
  checkFreeze,
  checkWeights,
  DURATION_PATTERN,
  instanceName,
  mergeInstance,
  NAME_PATTERN,
  parseDuration,
  parseRate,
  RATE_PATTERN,
  validUrl,
  type Environment,
  type EnvironmentFile,
  type EnvironmentKinds,
  type KindSchema,
  type NamedEnvironment,
  type RouterConfig,
  type SchemaValidator,
} from '@cutover/config';
import { environmentFileSchema } from './schema.js';

export const DEFAULT_CONFIG_PATH = '.github/cutover.yml';

export interface ConfigProblem {
  path: string;
  line?: number;
  message: string;
}

/** A refused environment file; `message` has one line per problem, each naming the field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line ? ` (line ${problem.line})` : '';
  return `${problem.path ? `${problem.path}: ` : ''}${problem.message}${where}`;
}

/**
 * The validator of `kinds`: the one compiled ahead of time that they carry (the build's standalone
 * code for every kind Cutover ships), else an error: compiling here would bring ajv's compiler into
 * every bundle (see @cutover/config's validator.ts; compileValidator makes one for other kinds).
 */
function validatorFor(kinds: EnvironmentKinds): SchemaValidator {
  if (!kinds.validate) throw new Error('these kinds carry no validator: give them validate: compileValidator(environmentFileSchema(kinds))');
  return kinds.validate;
}

/** Parses and validates the text of an environment file against `kinds`. Throws ConfigError. */
export function parseEnvironmentFile(text: string, kinds: EnvironmentKinds, source = DEFAULT_CONFIG_PATH): EnvironmentFile {
  const lines = new LineCounter();
  // logLevel error: yaml's warnings (a key that is a collection, stringified) would print the file's text on
  // stderr; the schema refuses such a key anyway, naming field and line.
  // merge: `<<: *anchor` merges the anchor's fields, as users of YAML anchors expect (YAML 1.1's merge
  // key; in YAML 1.2, which yaml reads by default, `<<` is a plain key, refused as an unknown field).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, logLevel: 'error', merge: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((error) => ({
        path: '',
        line: lines.linePos(error.pos[0]).line,
        // yaml's advice for this one is about its own API (parseAllDocuments).
        message:
          error.code === 'MULTIPLE_DOCS'
            ? 'holds more than one YAML document (a "---" line starts another); the environment file is one'
            : `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const data = documentData(doc, lines, source);
  if (data === null || data === undefined)
    throw new ConfigError(source, [{ path: '', message: 'is empty (or holds only comments); expected a mapping with environments:' }]);
  const locate = (segments: (string | number)[], key?: boolean) => lineOf(doc, lines, segments, key);
  const validate = validatorFor(kinds);
  const schema = environmentFileSchema(kinds);
  if (!validate(data)) {
    throw new ConfigError(source, describeSchemaErrors(validate.errors ?? [], locate, schema, data));
  }
  const file = data as unknown as EnvironmentFile;
  const problems = checkMeaning(file, kinds, schema, locate);
  if (problems.length > 0) throw new ConfigError(source, problems);
  for (const environment of Object.values(file.environments)) normalize(environment, kinds);
  return file;
}

/**
 * The document's data. The YAML library refuses aliases that expand past its limit (an "alias
 * bomb": a few lines of anchors that would take gigabytes); the refusal names the file, the field
 * holding the alias that expands most and its line, as any other problem of the file.
 */
function documentData(doc: Document, lines: LineCounter, source: string): unknown {
  try {
    return doc.toJS();
  } catch (error) {
    const merge = badMerge(doc.contents, []);
    if (merge) {
      const offset = merge.node.range?.[0];
      throw new ConfigError(source, [
        {
          path: dotted([...merge.segments, '<<']),
          ...(offset !== undefined ? { line: lines.linePos(offset).line } : {}),
          message: 'merges a mapping (or a list of mappings) into this one; *anchor names something else',
        },
      ]);
    }
    const heaviest = heaviestAlias(doc);
    const expands = heaviest ? `; *${heaviest.source} here stands for about ${heaviest.size.toExponential(1)} values` : '';
    throw new ConfigError(source, [
      {
        path: heaviest ? dotted(heaviest.segments) : '',
        ...(heaviest?.line !== undefined ? { line: heaviest.line } : {}),
        message: `not read: ${(error as Error).message}${expands}. Write the values out instead of aliasing aliases`,
      },
    ]);
  }
  /** The first merge key (<<) whose value is not a mapping or a list of them, with where it is. */
  function badMerge(node: unknown, segments: (string | number)[]): { segments: (string | number)[]; node: Node } | undefined {
    const mapping = (value: unknown): boolean => isMap(isAlias(value) ? value.resolve(doc) : value);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key === 'symbol' && !(mapping(pair.value) || (isSeq(pair.value) && pair.value.items.every(mapping))))
          return { segments, node: pair.key as Node };
        const inner = badMerge(pair.value, [...segments, keySegment(pair)]);
        if (inner) return inner;
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const inner = badMerge(item, [...segments, index]);
        if (inner) return inner;
      }
    }
    return undefined;
  }
  function heaviestAlias(document: Document): { segments: (string | number)[]; source: string; size: number; line?: number } | undefined {
    // The number of values each node stands for once aliases are expanded (anchors resolved in document order).
    const anchors = new Map<string, number>();
    let heaviest: { segments: (string | number)[]; source: string; size: number; line?: number } | undefined;
    const size = (node: unknown, segments: (string | number)[]): number => {
      let total: number;
      if (isAlias(node)) {
        total = anchors.get(node.source) ?? 1;
        if (!heaviest || total > heaviest.size) {
          const offset = node.range?.[0];
          heaviest = { segments, source: node.source, size: total, ...(offset !== undefined ? { line: lines.linePos(offset).line } : {}) };
        }
      } else if (isMap(node)) {
        total = 1;
        for (const pair of node.items) total += size(pair.value, [...segments, keySegment(pair)]);
      } else if (isSeq(node)) {
        total = 1;
        node.items.forEach((item, index) => (total += size(item, [...segments, index])));
      } else {
        total = 1;
      }
      const anchor = (node as { anchor?: string } | null)?.anchor;
      if (anchor) anchors.set(anchor, total);
      return total;
    };
    size(document.contents, []);
    return heaviest;
  }
}

/** A pair's key as a path segment, as the file writes it: yaml reads a merge key as a symbol (`Symbol(<<)` in a path). */
function keySegment(pair: { key: unknown }): string {
  if (!isScalar(pair.key)) return '?';
  const key = pair.key.value;
  return typeof key === 'symbol' ? (key.description ?? '<<') : String(key);
}

/** Reads the environment file at `path` (relative to `workspace`). */
export async function loadEnvironmentFile(kinds: EnvironmentKinds, path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<EnvironmentFile> {
  const fullPath = isAbsolute(path) ? path : resolve(workspace, path);
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(path, [{ path: '', message: `cannot read the environment file (${why}); set the config input to its path` }]);
  }
  return parseEnvironmentFile(text, kinds, path);
}

/** Picks one environment by name; the error lists the names the file has. */
export function selectEnvironment(file: EnvironmentFile, name: string, source = DEFAULT_CONFIG_PATH): NamedEnvironment {
  // Own names only: "toString" or "constructor" found Object's and crashed the action.
  const environment = Object.hasOwn(file.environments, name) ? file.environments[name] : undefined;
  if (!environment) {
    const known = Object.keys(file.environments).join(', ');
    throw new ConfigError(source, [{ path: 'environment', message: `"${name}" is not in environments (it has: ${known})` }]);
  }
  return { name, ...environment };
}

export async function loadEnvironment(kinds: EnvironmentKinds, name: string, path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<NamedEnvironment> {
  return selectEnvironment(await loadEnvironmentFile(kinds, path, workspace), name, path);
}

type Locate = (segments: (string | number)[], key?: boolean) => number | undefined;

function pointerToSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function dotted(segments: (string | number)[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    return path ? `${path}.${segment}` : segment;
  }, '');
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
};

const PATTERN_WORDS: Record<string, string> = {
  [ADDRESS_PATTERN]: 'an address host:port (a name or an IPv4 address, a port from 1 to 65535 without leading zeros)',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'the name of an environment variable',
  [NAME_PATTERN]: 'a name of letters, digits, ".", "_" and "-"',
  '^[^-\\s]\\S*$': 'a name that does not start with "-" and has no spaces',
  '^/[A-Za-z0-9_.@+/-]+$': 'an absolute path of letters, digits and "_.@+/-"',
  '^[0-9]+(\\.[0-9]+)?%$': 'a percentage such as "1%"',
};

/** What `segments` lead to in `root` (a schema or the file's data), or undefined. */
function at(root: unknown, segments: (string | number)[]): unknown {
  let node = root;
  for (const segment of segments) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

/**
 * The node of `schema` an ajv schemaPath leads to (`#/definitions/router-nginx/properties`). A
 * schemaPath is a URI fragment: ajv percent-encodes its segments (`%24schema`).
 */
export function schemaAt(schema: object, schemaPath: string): unknown {
  const segments = pointerToSegments(schemaPath.replace(/^#/, '')).map((segment) => (typeof segment === 'string' ? decodeURIComponent(segment) : segment));
  return at(schema, segments);
}

/** An error, with the schema it failed (its keyword's value), the schema holding it, and the value. */
interface SchemaError {
  error: ErrorObject;
  schema: unknown;
  parentSchema: { description?: string; properties?: object; 'x-expected'?: string } | undefined;
  value: unknown;
}

/**
 * The keywords whose errors the loader words itself (`if` only says which branch applied, and is
 * not reported). The validator carries no messages of its own (@cutover/config's validator.ts), so
 * a kind using another keyword needs its words here: schema.test.ts holds the schema to this list.
 * Under anyOf and oneOf, a value that fits one form by its type is told that form's errors
 * (formErrors); one that fits none is told what the field takes (formsWords).
 */
export const WORDED_KEYWORDS: ReadonlySet<string> = new Set([
  'enum',
  'const',
  'type',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minProperties',
  'maxProperties',
  'anyOf',
  'oneOf',
  'not',
  'false schema',
  'required',
  'additionalProperties',
  'propertyNames',
  'if',
]);

/** A schemaPath inside a form of anyOf or oneOf. */
const UNDER_FORMS = /\/(anyOf|oneOf)\//;

/**
 * What a field of several forms takes, in words: its x-expected; else its description when it is
 * one short sentence (a paragraph pasted into a message hid the value); else the forms' types.
 */
function formsWords(parentSchema: SchemaError['parentSchema'], forms: unknown): string {
  const expected = parentSchema?.['x-expected'];
  if (expected) return expected;
  const description = parentSchema?.description?.replace(/\.$/, '');
  if (description && description.length <= 80 && !description.includes('. ')) return description.charAt(0).toLowerCase() + description.slice(1);
  const types = (Array.isArray(forms) ? forms : []).map((form: { type?: string }) => (form.type ? (TYPE_WORDS[form.type] ?? form.type) : 'another form'));
  const unique = [...new Set(types)];
  return unique.length > 1 ? `${unique.slice(0, -1).join(', ')} or ${unique.at(-1)}` : (unique[0] ?? 'another form');
}

/** Whether a value of `value`'s JSON type may meet a schema of `type` (no type: any). */
function typeFits(type: string | undefined, value: unknown): boolean {
  if (type === undefined) return true;
  if (value === null) return type === 'null';
  if (Array.isArray(value)) return type === 'array';
  if (typeof value === 'number') return type === 'number' || (type === 'integer' && Number.isInteger(value));
  return typeof value === type;
}

/**
 * anyOf and oneOf errors whose value fits exactly one form by its type (a mapping where the forms
 * are a string and a mapping): that form's own errors say what is wrong ("hosts[0].nmae: unknown
 * field"), and they are reported instead of "expected <the forms>". Forms written in place only: a
 * form that is a $ref reports from its definition, out of reach here. Shares keep their message.
 */
function formErrors(errors: ErrorObject[], schema: object, data: unknown): { promoted: Set<ErrorObject>; replaced: Set<ErrorObject> } {
  const promoted = new Set<ErrorObject>();
  const replaced = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    if (UNDER_FORMS.test(error.schemaPath) || Array.isArray((error.params as { passingSchemas?: unknown }).passingSchemas)) continue;
    const forms = schemaAt(schema, error.schemaPath);
    if (!Array.isArray(forms) || forms.some((form: SchemaNode) => form.$ref !== undefined || form.pattern === RATE_PATTERN)) continue;
    const value = at(data, pointerToSegments(error.instancePath));
    const fitting = forms.map((form: SchemaNode, index) => ({ form, index })).filter(({ form }) => typeFits(form.type, value));
    if (fitting.length !== 1) continue;
    const prefix = `${error.schemaPath}/${fitting[0]!.index}/`;
    // This value's: a definition's schemaPath is the same for every value that uses it.
    const within = (other: ErrorObject) => other.instancePath === error.instancePath || other.instancePath.startsWith(`${error.instancePath}/`);
    const inner = errors.filter((other) => within(other) && other.schemaPath.startsWith(prefix) && !UNDER_FORMS.test(other.schemaPath.slice(prefix.length)));
    if (inner.length === 0) continue;
    inner.forEach((other) => promoted.add(other));
    replaced.add(error);
  }
  return { promoted, replaced };
}

function schemaMessage({ error, schema, parentSchema, value }: SchemaError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `expected one of ${(params.allowedValues as unknown[]).join(', ')}, got ${describeValue(value)}`;
    case 'const':
      return `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(value)}`;
    case 'type':
      return `expected ${TYPE_WORDS[String(params.type)] ?? params.type}, got ${describeValue(value)}`;
    case 'pattern': {
      const pattern = String(params.pattern);
      // A kind's pattern says in its schema what it expects (x-expected); the shared ones are listed here.
      const expected = parentSchema?.['x-expected'];
      const words =
        expected ?? (pattern.includes('(ms|s|m|h)') ? 'a duration such as 30s, 1m30s or 10m' : (PATTERN_WORDS[pattern] ?? `text matching ${pattern}`));
      return `expected ${words}, got ${describeValue(value)}`;
    }
    case 'minItems':
      return `expected at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `expected at most ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'uniqueItems':
      // Counted from 0, as the paths count ([0]); ajv gives the two in either order.
      return `holds the same item twice, at [${Math.min(Number(params.i), Number(params.j))}] and [${Math.max(Number(params.i), Number(params.j))}]`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `expected at least ${params.limit} characters, got ${describeValue(value)}`;
    case 'maxLength':
      return `expected at most ${params.limit} character${params.limit === 1 ? '' : 's'}, got ${describeValue(value)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params.comparison)} ${params.limit}, got ${describeValue(value)}`;
    case 'minProperties':
      return params.limit === 1 ? 'must not be empty' : `expected at least ${params.limit} entries`;
    case 'maxProperties':
      return `expected at most ${params.limit} entr${params.limit === 1 ? 'y' : 'ies'}`;
    case 'anyOf': {
      const branches = (schema as { pattern?: string }[] | undefined) ?? [];
      if (branches.some((branch) => branch.pattern === RATE_PATTERN)) return `expected a share such as 0.01 or "1%", got ${describeValue(value)}`;
      return `expected ${formsWords(parentSchema, schema)}, got ${describeValue(value)}`;
    }
    case 'oneOf': {
      // ajv names the forms that matched when more than one did; none matched otherwise.
      const passing = params.passingSchemas;
      if (Array.isArray(passing))
        return `fits more than one of its forms (${passing.map((index) => Number(index) + 1).join(' and ')}), got ${describeValue(value)}`;
      return `expected ${formsWords(parentSchema, schema)}, got ${describeValue(value)}`;
    }
    case 'not':
      return `${describeValue(value)} is not allowed here`;
    case 'false schema':
      return 'is not allowed here';
    default:
      // A keyword not in WORDED_KEYWORDS (schema.test.ts refuses a shipped kind that uses one): the
      // keyword and its parameters, as they are (the validator carries no messages).
      return `does not satisfy ${error.keyword} ${JSON.stringify(params)}`;
  }
}

// The validator is not verbose (@cutover/config's validator.ts says why): an error's schema is found
// in `schema` by its schemaPath, whole from the root, and its value in `data` by its instancePath.
function describeSchemaErrors(errors: ErrorObject[], locate: Locate, schema: object, data: unknown): ConfigProblem[] {
  // `if` only says which branch applied; anyOf's branches repeat what anyOf itself says, unless the
  // value fits one of them by its type (formErrors).
  const { promoted, replaced } = formErrors(errors, schema, data);
  const useful = errors.filter((error) => error.keyword !== 'if' && !replaced.has(error) && (promoted.has(error) || !UNDER_FORMS.test(error.schemaPath)));
  const names = refusedNames(errors);
  const problems = new Map<string, ConfigProblem>();
  for (const error of useful) {
    const segments = pointerToSegments(error.instancePath);
    const parentSchema = schemaAt(schema, error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'))) as SchemaError['parentSchema'];
    const params = error.params as Record<string, unknown>;
    let problem: ConfigProblem;
    if (error.keyword === 'required') {
      const missing = String(params.missingProperty);
      // Under a router's instances: the field was in neither the router nor this instance.
      const instance = segments.length >= 2 && segments.at(-2) === 'instances' && typeof segments.at(-1) === 'number';
      // The router has ssh, without a host: what is missing is the host, in either ssh.
      const sshHost = instance && missing === 'ssh' && at(data, [...segments.slice(0, -2), 'ssh']) !== undefined;
      // At the key of the mapping that lacks it ("prod:"), not at the mapping's first field.
      problem = {
        path: dotted([...segments, missing, ...(sshHost ? ['host'] : [])]),
        line: locate(segments, true),
        message: sshHost
          ? "is required, in the router's ssh or in every instance's"
          : instance
            ? 'is required, in the router or in every instance'
            : 'is required',
      };
    } else if (error.keyword === 'additionalProperties') {
      const extra = String(params.additionalProperty);
      const known = Object.keys(parentSchema?.properties ?? {});
      const hint = known.length ? ` (expected one of ${known.join(', ')})` : '';
      problem = { path: dotted([...segments, extra]), line: locate([...segments, extra], true), message: `unknown field${hint}` };
    } else if (names.has(error)) {
      // A name refused by propertyNames' schema, reported by the keyword of that schema it failed,
      // at the mapping's path (refusedNames). The name is the field and the value.
      const name = names.get(error)!;
      const failed = { error, schema: schemaAt(schema, error.schemaPath), parentSchema, value: name };
      problem = { path: dotted([...segments, name]), line: locate([...segments, name], true), message: schemaMessage(failed) };
    } else if (error.keyword === 'propertyNames') {
      // What the name failed is reported above, by the keyword that refused it (ajv gives both). A
      // propertyNames error with none before it has not been seen; its name is said all the same.
      const name = String(params.propertyName);
      if (useful.some((other) => names.get(other) === name && other.instancePath === error.instancePath)) continue;
      problem = { path: dotted([...segments, name]), line: locate([...segments, name], true), message: 'is not an allowed name here' };
    } else {
      const failed = { error, schema: schemaAt(schema, error.schemaPath), parentSchema, value: at(data, segments) };
      problem = { path: dotted(segments), line: locate(segments), message: schemaMessage(failed) };
    }
    const key = `${problem.path}|${problem.message}`;
    if (!problems.has(key)) problems.set(key, problem);
  }
  return [...problems.values()];
}

/**
 * The name each error of a propertyNames schema refused. ajv reports a refused name twice: first
 * the keyword of propertyNames' schema that refused it, at the mapping's path, then propertyNames
 * itself, with the name in its params. The first carries the name beside it (`propertyName`) when
 * the schema is written in place; when it is a $ref (a function of its own in the validator, which
 * inlines no ref), it does not, and its schemaPath is the definition's. Such errors come just
 * before their propertyNames error, at the same path, from outside the mapping's own schema.
 */
function refusedNames(errors: ErrorObject[]): Map<ErrorObject, string> {
  const names = new Map<ErrorObject, string>();
  errors.forEach((error, index) => {
    const beside = (error as { propertyName?: unknown }).propertyName;
    if (beside !== undefined) names.set(error, String(beside));
    if (error.keyword !== 'propertyNames') return;
    const name = String((error.params as { propertyName?: unknown }).propertyName);
    const mapping = error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/') + 1);
    for (let before = index - 1; before >= 0; before--) {
      const other = errors[before]!;
      if (other.instancePath !== error.instancePath || other.schemaPath.startsWith(mapping) || names.has(other)) break;
      names.set(other, name);
    }
  });
  return names;
}

function lineOf(doc: Document, lines: LineCounter, segments: (string | number)[], key = false): number | undefined {
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const segment of segments) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = (key && keyNode) || (node as Node | undefined) || keyNode;
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

interface SchemaNode {
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  type?: string;
  maximum?: number;
  allOf?: { then?: SchemaNode }[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

/**
 * Calls `visit` with each schema the file's data meets and the value there, with its path: the
 * schema says where durations and shares are, so a new field of either is checked without being
 * listed.
 */
function walkSchema(
  node: SchemaNode,
  data: unknown,
  segments: (string | number)[],
  visit: (schema: SchemaNode, data: unknown, segments: (string | number)[]) => void,
  definitions: Record<string, SchemaNode> = node.definitions ?? {},
): void {
  // The schema's references are to its own definitions (schema.ts): `#/definitions/<name>`; any
  // other (a kind's schema may hold its own) says nothing of durations or shares here.
  const schema = node.$ref ? (definitions[node.$ref.replace(/^#\/definitions\//, '')] ?? {}) : node;
  visit(schema, data, segments);
  if (Array.isArray(data)) {
    if (schema.items) data.forEach((item, index) => walkSchema(schema.items!, item, [...segments, index], visit, definitions));
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const child = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (child) walkSchema(child, value, [...segments, key], visit, definitions);
    }
  }
  for (const branch of [...(schema.allOf ?? []).map((entry) => entry.then), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    if (branch) walkSchema(branch, data, segments, visit, definitions);
}

/** The kind of `name` among `kinds`, if any. */
function kindNamed(kinds: readonly KindSchema[], name: unknown): KindSchema | undefined {
  return kinds.find((kind) => kind.kind === name);
}

/** The keys of `config` that name a kind among `kinds` (a check or an alert holds exactly one). */
function kindKeys(kinds: readonly KindSchema[], config: object): KindSchema[] {
  return kinds.filter((kind) => (config as Record<string, unknown>)[kind.kind] !== undefined);
}

/**
 * What JSON Schema cannot say: ascending steps, unique names, one kind per check, real URLs,
 * durations a job can last; then each kind's own rules (its `check`), at paths under its object.
 */
function checkMeaning(file: EnvironmentFile, kinds: EnvironmentKinds, schema: object, locate: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (segments: (string | number)[], message: string, key = false) => problems.push({ path: dotted(segments), line: locate(segments, key), message });
  const under = (segments: (string | number)[]) => (rest: (string | number)[], message: string) => add([...segments, ...rest], message);

  // Durations within what a job can last; shares written as a percentage within the bound the
  // number form has (the pattern takes any percentage: "150%" passed it). Once per value: a value
  // may meet its schema twice (a form of anyOf, a then).
  const checked = new Map<string, { segments: (string | number)[]; check: () => void }>();
  walkSchema(schema as SchemaNode, file, [], (node, value, segments) => {
    if (typeof value !== 'string') return;
    const field = dotted(segments);
    if (node.pattern === DURATION_PATTERN) checked.set(field, { segments, check: () => parseDuration(value, field) });
    const share = node.anyOf?.some((form) => form.pattern === RATE_PATTERN);
    const max = node.anyOf?.find((form) => form.type === 'number')?.maximum;
    if (share) checked.set(field, { segments, check: () => parseRate(value, field, max) });
  });
  for (const { segments, check } of checked.values()) {
    try {
      check();
    } catch (error) {
      add(segments, (error as Error).message.replace(/^[^:]+: /, ''));
    }
  }

  for (const [name, environment] of Object.entries(file.environments)) {
    const at = ['environments', name];
    if (environment.url !== undefined && !validUrl(environment.url)) add([...at, 'url'], `"${environment.url}" is not an http or https URL`);

    const owner = new Map<string, string>();
    for (const [pool, addresses] of Object.entries(environment.pools)) {
      addresses.forEach((address, index) => {
        const other = owner.get(address);
        if (other && other !== pool) add([...at, 'pools', pool, index], `${address} is also in pool ${other}; a server belongs to one pool`);
        // A router lists a server once (nginx's upstream file could not be read back).
        else if (other) add([...at, 'pools', pool, index], `${address} is listed twice in pool ${pool}`);
        owner.set(address, pool);
      });
    }

    const steps = environment.canary?.steps;
    if (steps) {
      try {
        checkWeights(steps, dotted([...at, 'canary', 'steps']));
      } catch (error) {
        const message = (error as Error).message.replace(/^[^:]+: /, '');
        add([...at, 'canary', 'steps'], message);
      }
    }

    const versionUrl = environment.health?.['version-url'];
    if (versionUrl !== undefined && !validUrl(versionUrl)) add([...at, 'health', 'version-url'], `"${versionUrl}" is not an http or https URL`);

    checkRouter(environment.router, kindNamed(kinds.routers, environment.router.kind), [...at, 'router'], add);

    const seen = new Set<string>();
    environment.health?.checks?.forEach((check, index) => {
      const where = [...at, 'health', 'checks', index];
      if (seen.has(check.name)) add([...where, 'name'], `another check is already named "${check.name}"`);
      seen.add(check.name);
      const present = kindKeys(kinds.checks, check);
      if (present.length !== 1) {
        const names = kinds.checks.map((kind) => kind.kind);
        add(where, `a check needs exactly one of ${names.join(', ')}${present.length ? `, got ${present.map((kind) => kind.kind).join(' and ')}` : ''}`);
      }
      for (const kind of present) kind.check?.(check[kind.kind], under([...where, kind.kind]));
    });

    for (const problem of checkFreeze(environment.freeze, [...at, 'freeze'])) add(problem.segments, problem.message);

    environment.alerts?.forEach((alert, index) => {
      for (const kind of kindKeys(kinds.alerts, alert)) kind.check?.(alert[kind.kind], under([...at, 'alerts', index, kind.kind]));
    });
  }
  return problems;
}

/**
 * A router's own rules (its kind's `check`). With instances, each instance's merged config is
 * checked, a problem reported at the instance when the field is the instance's own, else at the
 * router (once); instance names are unique.
 */
function checkRouter(
  router: RouterConfig,
  kind: KindSchema | undefined,
  at: (string | number)[],
  add: (segments: (string | number)[], message: string) => void,
): void {
  if (!router.instances) {
    kind?.check?.(router, (segments, message) => add([...at, ...segments], message));
    return;
  }
  if (kind?.noInstances) {
    add([...at, 'instances'], `a ${router.kind} router has no instances: ${kind.noInstances}`);
    return;
  }
  const names = new Set<string>();
  const reported = new Set<string>();
  router.instances.forEach((instance, index) => {
    const name = instanceName(instance, index);
    if (names.has(name)) add([...at, 'instances', index, 'name'], `another instance is already named "${name}"`);
    names.add(name);
    kind?.check?.(mergeInstance(router, instance), (segments, message) => {
      const field = segments[0];
      const where = typeof field === 'string' && field in instance ? [...at, 'instances', index, ...segments] : [...at, ...segments];
      const key = `${dotted(where)}|${message}`;
      if (reported.has(key)) return;
      reported.add(key);
      add(where, message);
    });
  });
}

/**
 * Rewrites checked configs into the forms their kinds' factories expect (each kind's `normalize`).
 * A router with instances: each instance becomes its complete, normalized config (with its name),
 * so that a kind's normalize sees whole configs and runs once on each value.
 */
function normalize(environment: Environment, kinds: EnvironmentKinds): void {
  const router = environment.router;
  const kind = kindNamed(kinds.routers, router.kind);
  if (router.instances) {
    router.instances = router.instances.map((instance) => {
      const merged = mergeInstance(router, instance);
      kind?.normalize?.(merged);
      const { kind: _kind, ...fields } = merged;
      return instance.name === undefined ? fields : { name: instance.name, ...fields };
    });
  } else {
    kind?.normalize?.(router);
  }
  for (const check of environment.health?.checks ?? []) for (const kind of kindKeys(kinds.checks, check)) kind.normalize?.(check[kind.kind]);
  for (const alert of environment.alerts ?? []) for (const kind of kindKeys(kinds.alerts, alert)) kind.normalize?.(alert[kind.kind]);
}

/** The environment variables an environment's alerts read their URL or key from: secrets, kept from child processes. */
export function alertVariables(environment: Environment, kinds: EnvironmentKinds): string[] {
  return (environment.alerts ?? []).flatMap((alert) => kindKeys(kinds.alerts, alert).flatMap((kind) => kind.variables?.(alert[kind.kind]) ?? []));
}
