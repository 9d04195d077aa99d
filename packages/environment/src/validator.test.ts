// The standalone validator the actions load (validate.generated.js, written by the build) is the
// schema of every kind, compiled: it is current, and it answers as a freshly compiled one does,
// errors included, on the example file and on files each wrong in one way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { compileValidator, type SchemaValidator, VALIDATOR_OPTIONS, withoutAnnotations } from '@cutover/config';
import { validatorSource, VALIDATOR_FILE } from '../../../scripts/write-validator.js';
import { schemaAt as schemaAtPath } from './file.js';
import { environmentFileSchema } from './load.js';
import { validate as standalone } from './validate.generated.js';

const example = parse(readFileSync(new URL('../../../examples/cutover.yml', import.meta.url), 'utf8')) as {
  environments: Record<string, Record<string, unknown>>;
};
const [name, first] = Object.entries(example.environments)[0]!;

/** The example with one environment changed by `change`. */
function changed(change: (environment: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(example);
  change(copy.environments[name]!);
  return copy;
}

const routers: [string, unknown][] = [
  ['nginx', { kind: 'nginx', 'upstream-file': '/etc/nginx/conf.d/up.conf', upstream: 'app', test: ['nginx', '-t'], reload: ['nginx', '-s', 'reload'] }],
  ['haproxy', { kind: 'haproxy', socket: '/run/haproxy.sock', backend: 'app' }],
  ['symlink', { kind: 'symlink', 'releases-dir': '/srv/releases', current: '/srv/current', hosts: ['local'] }],
  ['command', { kind: 'command', read: ['lb', 'read'], apply: ['lb', 'apply'] }],
];

const files: [string, unknown][] = [
  ['the example', example],
  ...routers.map(([kind, router]): [string, unknown] => [`a ${kind} router`, changed((environment) => (environment.router = router))]),
  ['an unknown router', changed((environment) => (environment.router = { kind: 'traefik' }))],
  [
    'an haproxy backend with a command in it',
    changed((environment) => (environment.router = { kind: 'haproxy', socket: '/run/h.sock', backend: 'web;set server' })),
  ],
  ['an unknown field', changed((environment) => (environment.rooter = {}))],
  ['no pools', changed((environment) => delete environment.pools)],
  ['an empty pool', changed((environment) => (environment.pools = { blue: [] }))],
  ['an address without a port', changed((environment) => (environment.pools = { blue: ['10.0.0.1'] }))],
  ['a pool name with a space', changed((environment) => (environment.pools = { 'blue pool': ['10.0.0.1:80'] }))],
  ['a duration in words', changed((environment) => (environment.health = { interval: 'ten minutes' }))],
  ['a weight above 100', changed((environment) => (environment.canary = { steps: [5, 150] }))],
  [
    'a check of two kinds and an unknown one',
    changed((environment) => (environment.health = { checks: [{ name: 'x', http: { url: 'http://a/' }, dns: {} }] })),
  ],
  ['a latency tolerance that is no share', changed((environment) => (environment.health = { 'latency-tolerance': -1 }))],
  ['an empty alert', changed((environment) => (environment.alerts = [{}]))],
  ['an alert variable that is a URL', changed((environment) => (environment.alerts = [{ webhook: { 'url-env': 'https://x' } }]))],
  ['no environments', { environment: {} }],
  ['nothing', null],
];

/** What a validator says of `data`: its answer and its errors (the loader finds their schema by schemaPath). */
function verdict(validate: SchemaValidator, data: unknown) {
  const valid = validate(structuredClone(data));
  const errors = (validate.errors ?? []).map(({ instancePath, schemaPath, keyword, params, message }) => ({
    instancePath,
    schemaPath,
    keyword,
    params,
    message,
  }));
  return { valid, errors: valid ? [] : errors };
}

/** The node of the assembled schema an error's schemaPath leads to, as the loader finds it. */
const schemaAt = (schemaPath: string) => schemaAtPath(environmentFileSchema(), schemaPath);

describe('the standalone validator', () => {
  it('is what the build writes from the kinds today (npm run build rewrites it)', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8') === validatorSource(), 'validate.generated.js is stale: run npm run build').toBe(true);
  });

  it('has valid and invalid files to compare', () => {
    expect(first).toBeDefined();
    const fresh = compileValidator(environmentFileSchema());
    const answers = files.map(([, data]) => fresh(structuredClone(data)));
    expect(answers.filter(Boolean).length).toBe(1 + routers.length);
    expect(answers.filter((answer) => !answer).length).toBeGreaterThanOrEqual(15);
  });

  // The loader's messages read an error's schema (x-expected, the fields a mapping allows, anyOf's
  // description) at its schemaPath: ajv gives an error inside a definition a path from that
  // definition, made whole by standaloneValidatorCode.
  it.each(files.filter(([, data]) => !standalone(structuredClone(data))))('gives each error of %s a schemaPath that leads to its keyword', (_, data) => {
    const { errors } = verdict(standalone, data);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      const parent = schemaAt(error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'))) as Record<string, unknown> | undefined;
      expect(parent?.[error.keyword], `${error.schemaPath} (${error.instancePath})`).toBeDefined();
    }
  });

  // ajv's own compile, verbose: each error carries its schema, the schema holding it and its value,
  // which the loader now finds by the error's paths.
  const verbose = new Ajv({ ...VALIDATOR_OPTIONS, verbose: true }).compile(environmentFileSchema());
  it.each(files)("answers as ajv's own verbose compile on %s, each error's paths leading to the schema it gives", (_, data) => {
    const ours = verdict(standalone, data);
    expect(verbose(structuredClone(data))).toBe(ours.valid);
    const theirs = ours.valid ? [] : (verbose.errors ?? []);
    expect(ours.errors.map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }))).toEqual(
      theirs.map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params })),
    );
    ours.errors.forEach((error, index) => {
      const parentPath = error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/'));
      expect(schemaAt(parentPath), error.schemaPath).toEqual(theirs[index]!.parentSchema);
      expect(schemaAt(error.schemaPath), error.schemaPath).toEqual(theirs[index]!.schema);
    });
  });

  const fresh = compileValidator(environmentFileSchema());
  it.each(files)('answers as a freshly compiled validator on %s', (_, data) => {
    expect(verdict(standalone, data)).toEqual(verdict(fresh, data));
  });
});

// The code is generated from the schema without its annotations (the descriptions were 26 KB of
// the 308 KB generated file); the loader reads the whole schema, so nothing else may change.
describe('withoutAnnotations', () => {
  it('drops what annotates wherever a schema is, and keeps names and values that spell a keyword', () => {
    const schema = {
      description: 'root',
      type: 'object',
      properties: {
        description: { type: 'string', title: 'a field named description', default: 'x', examples: ['y'] },
        mode: { enum: ['title', { description: 'a value' }], $comment: 'why' },
      },
      definitions: { d: { description: 'a definition', anyOf: [{ description: 'a branch', minimum: 1 }] } },
      items: [{ description: 'first', const: { title: 'kept' } }],
      if: { description: 'cond', required: ['a'] },
      then: { additionalProperties: { description: 'extra', type: 'number' } },
    };
    expect(withoutAnnotations(schema)).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, mode: { enum: ['title', { description: 'a value' }] } },
      definitions: { d: { anyOf: [{ minimum: 1 }] } },
      items: [{ const: { title: 'kept' } }],
      if: { required: ['a'] },
      then: { additionalProperties: { type: 'number' } },
    });
  });

  it('changes no answer and no error of the environment schema (ajv, compiled with and without)', () => {
    const whole = new Ajv({ ...VALIDATOR_OPTIONS }).compile(environmentFileSchema());
    const bare = new Ajv({ ...VALIDATOR_OPTIONS }).compile(withoutAnnotations(environmentFileSchema()) as object);
    for (const [, file] of files) {
      expect(bare(file)).toBe(whole(file));
      expect(bare.errors).toEqual(whole.errors);
    }
  });
});
