/** The environment file: load, validate against the schema, check what a schema cannot say. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DURATION_PATTERN, parseDuration } from './duration.js';
import { checkFreeze, FREEZE_PATTERN_WORDS } from './freeze.js';
import { checkWeights, RATE_PATTERN } from './inputs.js';
import { environmentFileSchema } from './schema.js';
import type { Environment, EnvironmentFile, NamedEnvironment, SymlinkHost } from './types.js';

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

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validate = ajv.compile(environmentFileSchema);

/** Parses and validates the text of an environment file. Throws ConfigError. */
export function parseEnvironmentFile(text: string, source = DEFAULT_CONFIG_PATH): EnvironmentFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((error) => ({
        path: '',
        line: lines.linePos(error.pos[0]).line,
        message: `not valid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const data = documentData(doc, lines, source);
  const locate = (segments: (string | number)[], key?: boolean) => lineOf(doc, lines, segments, key);
  if (!validate(data)) {
    throw new ConfigError(source, describeSchemaErrors(validate.errors ?? [], locate));
  }
  const file = data as unknown as EnvironmentFile;
  const problems = checkMeaning(file, locate);
  if (problems.length > 0) throw new ConfigError(source, problems);
  for (const environment of Object.values(file.environments)) normalize(environment);
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
        for (const pair of node.items) total += size(pair.value, [...segments, isScalar(pair.key) ? String(pair.key.value) : '?']);
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

/** Reads the environment file at `path` (relative to `workspace`). */
export async function loadEnvironmentFile(path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<EnvironmentFile> {
  const fullPath = isAbsolute(path) ? path : resolve(workspace, path);
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(path, [{ path: '', message: `cannot read the environment file (${why}); set the config input to its path` }]);
  }
  return parseEnvironmentFile(text, path);
}

/** Picks one environment by name; the error lists the names the file has. */
export function selectEnvironment(file: EnvironmentFile, name: string, source = DEFAULT_CONFIG_PATH): NamedEnvironment {
  const environment = file.environments[name];
  if (!environment) {
    const known = Object.keys(file.environments).join(', ');
    throw new ConfigError(source, [{ path: 'environment', message: `"${name}" is not in environments (it has: ${known})` }]);
  }
  return { name, ...environment };
}

export async function loadEnvironment(name: string, path = DEFAULT_CONFIG_PATH, workspace = process.cwd()): Promise<NamedEnvironment> {
  return selectEnvironment(await loadEnvironmentFile(path, workspace), name, path);
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
  '^[^\\s:]+:[0-9]{1,5}$': 'an address host:port',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'the name of an environment variable',
  '^[A-Za-z0-9_.-]+$': 'a name of letters, digits, ".", "_" and "-"',
  '^[1-5][0-9]{2}(-[1-5][0-9]{2})?$': 'a status code or a range such as 200-299',
  '^[^-\\s]\\S*$': 'a name that does not start with "-" and has no spaces',
  '^[A-Za-z0-9_.:-]+$': 'a name of letters, digits, ".", ":", "_" and "-"',
  '^/[A-Za-z0-9_.@+/-]+$': 'an absolute path of letters, digits and "_.@+/-"',
  '^[a-z_]+(=[A-Za-z0-9_.:]+)?( [a-z_]+(=[A-Za-z0-9_.:]+)?)*$': 'nginx server parameters such as "max_fails=0 fail_timeout=5s"',
  '^[0-9]+(\\.[0-9]+)?%$': 'a percentage such as "1%"',
  ...FREEZE_PATTERN_WORDS,
};

function schemaMessage(error: ErrorObject, value: unknown): string {
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
      const words = pattern.includes('(ms|s|m|h)') ? 'a duration such as 30s, 1m30s or 10m' : (PATTERN_WORDS[pattern] ?? `text matching ${pattern}`);
      return `expected ${words}, got ${describeValue(value)}`;
    }
    case 'minItems':
      return `expected at least ${params.limit} item${params.limit === 1 ? '' : 's'}`;
    case 'minLength':
      return 'must not be empty';
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
      const branches = (error.schema as { pattern?: string }[] | undefined) ?? [];
      if (branches.some((branch) => branch.pattern === RATE_PATTERN)) return `expected a share such as 0.01 or "1%", got ${describeValue(value)}`;
      return `expected ${error.parentSchema?.description ?? 'another form'}, got ${describeValue(value)}`;
    }
    default:
      return error.message ?? 'is not valid';
  }
}

function describeSchemaErrors(errors: ErrorObject[], locate: Locate): ConfigProblem[] {
  // `if` only says which branch applied; anyOf's branches repeat what anyOf itself says.
  const useful = errors.filter((error) => error.keyword !== 'if' && !error.schemaPath.includes('/anyOf/'));
  const problems = new Map<string, ConfigProblem>();
  for (const error of useful) {
    const segments = pointerToSegments(error.instancePath);
    const params = error.params as Record<string, unknown>;
    let problem: ConfigProblem;
    if (error.keyword === 'required') {
      const missing = String(params.missingProperty);
      problem = { path: dotted([...segments, missing]), line: locate(segments), message: 'is required' };
    } else if (error.keyword === 'additionalProperties') {
      const extra = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const hint = known.length ? ` (expected one of ${known.join(', ')})` : '';
      problem = { path: dotted([...segments, extra]), line: locate([...segments, extra], true), message: `unknown field${hint}` };
    } else if (error.keyword === 'propertyNames') {
      const name = String(params.propertyName);
      problem = {
        path: dotted([...segments, name]),
        line: locate([...segments, name], true),
        message: 'names may hold only letters, digits, ".", "_" and "-"',
      };
    } else {
      problem = { path: dotted(segments), line: locate(segments), message: schemaMessage(error, error.data) };
    }
    const key = `${problem.path}|${problem.message}`;
    if (!problems.has(key)) problems.set(key, problem);
  }
  return [...problems.values()];
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

function validUrl(text: string): boolean {
  try {
    const url = new URL(text.replace(/\{address\}/g, '127.0.0.1:1').replace(/\{pool\}/g, 'pool'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const CHECK_KINDS = ['http', 'traffic', 'prometheus', 'command'] as const;

interface SchemaNode {
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  allOf?: { then?: SchemaNode }[];
  anyOf?: SchemaNode[];
}

/**
 * Every duration of the file (each value the schema gives the duration pattern), with its path:
 * the schema says where durations are, so a new duration field is checked without being listed.
 */
function durations(schema: SchemaNode, data: unknown, segments: (string | number)[], found: Map<string, { segments: (string | number)[]; text: string }>): void {
  if (schema.pattern === DURATION_PATTERN && typeof data === 'string') found.set(dotted(segments), { segments, text: data });
  if (Array.isArray(data)) {
    if (schema.items) data.forEach((item, index) => durations(schema.items!, item, [...segments, index], found));
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const child = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (child) durations(child, value, [...segments, key], found);
    }
  }
  for (const branch of [...(schema.allOf ?? []).map((entry) => entry.then), ...(schema.anyOf ?? [])]) if (branch) durations(branch, data, segments, found);
}

/** What JSON Schema cannot say: ascending steps, unique names, one kind per check, real URLs, durations a job can last. */
function checkMeaning(file: EnvironmentFile, locate: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (segments: (string | number)[], message: string, key = false) =>
    problems.push({ path: dotted(segments), line: locate(segments, key), message });

  const found = new Map<string, { segments: (string | number)[]; text: string }>();
  durations(environmentFileSchema as unknown as SchemaNode, file, [], found);
  for (const { segments, text } of found.values()) {
    try {
      parseDuration(text, dotted(segments));
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

    const seen = new Set<string>();
    environment.health?.checks?.forEach((check, index) => {
      const where = [...at, 'health', 'checks', index];
      if (seen.has(check.name)) add([...where, 'name'], `another check is already named "${check.name}"`);
      seen.add(check.name);
      const kinds = CHECK_KINDS.filter((kind) => check[kind] !== undefined);
      if (kinds.length !== 1) {
        add(where, `a check needs exactly one of ${CHECK_KINDS.join(', ')}${kinds.length ? `, got ${kinds.join(' and ')}` : ''}`);
      }
      if (check.http && !validUrl(check.http.url)) add([...where, 'http', 'url'], `"${check.http.url}" is not an http or https URL`);
      const prometheus = check.prometheus;
      if (prometheus) {
        if (!validUrl(prometheus.url)) add([...where, 'prometheus', 'url'], `"${prometheus.url}" is not an http or https URL`);
        const limits = ['min', 'max', 'max-increase', 'max-decrease'] as const;
        const counters = prometheus.requests !== undefined || prometheus.errors !== undefined;
        if (counters && prometheus.query !== undefined) {
          add([...where, 'prometheus'], 'has query and counters (requests, errors): choose one form');
        } else if (counters) {
          if (prometheus.requests === undefined || prometheus.errors === undefined) add([...where, 'prometheus'], 'counters need both requests and errors');
          const stray = limits.filter((limit) => prometheus[limit] !== undefined);
          if (stray.length) add([...where, 'prometheus', stray[0]!], 'applies to query; counters are judged by max-error-rate');
        } else if (prometheus.query === undefined) {
          add([...where, 'prometheus'], 'needs query (one number) or requests and errors (counters)');
        } else if (!limits.some((limit) => prometheus[limit] !== undefined)) {
          add([...where, 'prometheus'], `needs a limit: one of ${limits.join(', ')}`);
        }
        if (prometheus.min !== undefined && prometheus.max !== undefined && prometheus.min > prometheus.max) {
          add([...where, 'prometheus', 'min'], `min ${prometheus.min} is above max ${prometheus.max}`);
        }
      }
      const range = typeof check.http?.['expect-status'] === 'string' ? check.http['expect-status'].split('-').map(Number) : [];
      if (range.length === 2 && range[0]! > range[1]!) add([...where, 'http', 'expect-status'], `the range ${range[0]}-${range[1]} is empty`);
    });

    for (const problem of checkFreeze(environment.freeze, [...at, 'freeze'])) add(problem.segments, problem.message);

    const router = environment.router;
    if (router.kind === 'symlink') {
      const names = new Set<string>();
      router.hosts.forEach((host, index) => {
        const hostName = symlinkHost(host).name;
        if (names.has(hostName)) add([...at, 'router', 'hosts', index], `host "${hostName}" is listed twice`);
        names.add(hostName);
      });
    }
  }
  return problems;
}

/** A symlink host written as a word: "local" (or "localhost") runs here, any other word is an SSH host. */
export function symlinkHost(entry: SymlinkHost | string): SymlinkHost {
  if (typeof entry !== 'string') return entry;
  return entry === 'local' || entry === 'localhost' ? { name: entry } : { name: entry, ssh: { host: entry } };
}

/** Symlink hosts may be written as a word; give every consumer the object form. */
function normalize(environment: Environment): void {
  const router = environment.router;
  if (router.kind !== 'symlink') return;
  router.hosts = router.hosts.map(symlinkHost);
}

/** The environment variables an environment's alerts read their URL or key from: secrets, kept from child processes. */
export function alertVariables(environment: Environment): string[] {
  return (environment.alerts ?? []).map((alert) => ('webhook' in alert ? alert.webhook['url-env'] : 'slack' in alert ? alert.slack['url-env'] : alert.pagerduty['routing-key-env']));
}
