/**
 * The JSON Schema of the environment file, assembled from the kinds of routers, checks and alerts
 * (kinds.ts). `npm run build` writes it to schema/cutover.schema.json, which editors use for
 * completion (a test checks the two agree).
 *
 * Each kind's object, each router kind's `instances` and `freeze` sit in `definitions`, referred to
 * where they apply: ajv's standalone code (scripts/write-validator.ts) then makes each a function of
 * its own, and V8 compiles a function when it is first called, so a file pays only for the kinds it
 * uses. With every kind inlined the validator was one function of 480 KB: importing it and its first
 * call took 61 ms of an action's start; with definitions, 30 ms (Node 24, 2 cores, the README's file).
 */
import { address, duration, freezeSchema, NAME_PATTERN, rate, RATE_PATTERN, ssh, type EnvironmentKinds, type KindSchema } from '@cutover/config';

/** One kind's object: its own fields and nothing else (the router's common fields are added there). */
function kindObject(kind: KindSchema, common: object = {}, required: readonly string[] = []): object {
  return {
    type: 'object',
    ...(kind.description ? { description: kind.description } : {}),
    additionalProperties: false,
    required: [...required, ...(kind.schema.required ?? [])],
    properties: { ...common, ...kind.schema.properties },
  };
}

/**
 * A router's `instances`: machines driven as one router, each entry overriding any of the kind's
 * fields (and `ssh`) for its machine, with a `name` for messages. A field the kind requires must
 * be in the router or in every instance: said in the schema, so editors see it too.
 */
function instancesSchema(kind: KindSchema): object {
  return {
    type: 'array',
    minItems: 1,
    description:
      "Machines driven as one router (an HA pair, one per zone): every change is made on all of them or on none. Each entry overrides the router's fields for its machine.",
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: NAME_PATTERN, description: 'Names the instance in messages.' },
        ssh,
        ...kind.schema.properties,
      },
    },
  };
}

/** Where the definitions of one schema are collected; `ref` files `schema` under `name` and refers to it. */
type Definitions = Record<string, object>;
function ref(definitions: Definitions, name: string, schema: object): object {
  // The name goes into a JSON pointer as it is: a kind named with "/", "~" or "%" would break it.
  if (!new RegExp(NAME_PATTERN).test(name)) throw new Error(`schema: a kind's name may hold only letters, digits, ".", "_" and "-": "${name}"`);
  definitions[name] = schema;
  return { $ref: `#/definitions/${name}` };
}

function routerObject(kind: KindSchema, definitions: Definitions): object {
  const required = kind.schema.required ?? [];
  // With instances, the router's ssh may hold only what they share (user, port, key): each instance names its host.
  const { required: _host, ...sharedSsh } = ssh;
  const common = { kind: { const: kind.kind, description: "Which router; each kind's fields follow." }, ssh: sharedSsh };
  const instances = ref(definitions, `instances-${kind.kind}`, instancesSchema(kind));
  const object = kindObject({ ...kind, schema: { properties: { ...kind.schema.properties, instances } } }, common, ['kind']);
  return {
    ...object,
    allOf: [
      { if: { not: { required: ['instances'] } }, then: { required: [...required], properties: { ssh: { required: ['host'] } } } },
      {
        if: { required: ['ssh'], properties: { ssh: { not: { required: ['host'] } } } },
        then: { properties: { instances: { items: { required: ['ssh'] } } } },
      },
      ...required.map((field) => ({ if: { not: { required: [field] } }, then: { properties: { instances: { items: { required: [field] } } } } })),
    ],
  };
}

function routerSchema(kinds: readonly KindSchema[], definitions: Definitions): object {
  const names = kinds.map((kind) => kind.kind);
  return {
    type: 'object',
    description: 'How traffic is moved between pools.',
    required: ['kind'],
    properties: { kind: { enum: names } },
    allOf: kinds.map((kind) => ({
      // kind required in the `if` too: an `if` of properties alone holds when kind is missing, and
      // every kind's fields were asked for at once (13 problems for a router without its kind).
      if: { required: ['kind'], properties: { kind: { const: kind.kind } } },
      then: ref(definitions, `router-${kind.kind}`, routerObject(kind, definitions)),
    })),
  };
}

function checkSchema(kinds: readonly KindSchema[], definitions: Definitions): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: NAME_PATTERN, description: 'Names the check in inputs, reports and alerts.' },
      ...Object.fromEntries(kinds.map((kind) => [kind.kind, ref(definitions, `check-${kind.kind}`, kindObject(kind))])),
      main: { type: 'boolean', description: 'The metric charted in summaries.' },
    },
  };
}

function alertSchema(kinds: readonly KindSchema[], definitions: Definitions): object {
  return {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    properties: Object.fromEntries(kinds.map((kind) => [kind.kind, ref(definitions, `alert-${kind.kind}`, kindObject(kind))])),
  };
}

const or = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join(''));

export function environmentFileSchema(kinds: EnvironmentKinds): object {
  const definitions: Definitions = {};
  const environment = {
    type: 'object',
    description: 'One environment: its router, pools, health checks, canary steps and alerts.',
    additionalProperties: false,
    required: ['router', 'pools'],
    properties: {
      url: { type: 'string', description: 'Shown on the GitHub deployment (environment_url).' },
      router: routerSchema(kinds.routers, definitions),
      pools: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: { type: 'array', minItems: 1, items: address },
        description: 'Pool name -> addresses (host:port).',
      },
      health: {
        type: 'object',
        additionalProperties: false,
        properties: {
          interval: { ...duration, description: 'Time between looks (default 10s).' },
          deadline: {
            ...duration,
            description: 'Longest watch when evidence is short: then the verdict is inconclusive (default the duration and as long again, at least 30s more).',
          },
          duration: { ...duration, description: 'How long a watch lasts (default 5m).' },
          'min-samples': {
            type: 'integer',
            minimum: 1,
            description: 'Looks with a measured value a prometheus query or command check needs before a healthy verdict (default 5).',
          },
          'failure-limit': { type: 'integer', minimum: 1, description: 'Bad looks of a check, over the whole watch, that make it unhealthy (default 3).' },
          confidence: {
            type: 'number',
            exclusiveMinimum: 0.5,
            exclusiveMaximum: 1,
            description: 'Confidence of every judgement over a whole watch or rollout (default 0.95).',
          },
          inconclusive: {
            enum: ['fail', 'pass'],
            description: 'What an inconclusive health-watch verdict does (default fail); canary-step always aborts on one.',
          },
          'error-tolerance': {
            ...rate,
            description: 'Comparisons: how much higher the error rate may be than the baseline\'s ("1%" = one percentage point, the default).',
          },
          'latency-tolerance': {
            anyOf: [
              { type: 'number', minimum: 0, maximum: 10 },
              { type: 'string', pattern: RATE_PATTERN },
            ],
            description: 'Comparisons: how much slower than the baseline\'s the latency may be, as the median ratio of paired requests ("20%", the default).',
          },
          checks: {
            type: 'array',
            items: checkSchema(kinds.checks, definitions),
            description: `The checks: each has a name and one of ${or(kinds.checks.map((kind) => kind.kind))}.`,
          },
          'version-url': {
            type: 'string',
            minLength: 1,
            description:
              'A URL template ({address}, {pool}) answering the version a server runs: plain text, or JSON with a "version" field. Rollback reads it before putting traffic back on a pool.',
          },
        },
      },
      canary: {
        type: 'object',
        additionalProperties: false,
        properties: {
          steps: {
            type: 'array',
            minItems: 1,
            items: { type: 'integer', minimum: 1, maximum: 100 },
            description: 'Canary weights, ascending, ending at 100 (default 5, 25, 50, 100).',
          },
          'step-duration': { ...duration, description: 'How long each step is watched (default 1m).' },
        },
      },
      alerts: {
        type: 'array',
        items: alertSchema(kinds.alerts, definitions),
        description: `Where alerts go: each entry is one of ${or(kinds.alerts.map((kind) => kind.kind))}.`,
      },
      freeze: ref(definitions, 'freeze', freezeSchema),
    },
  };

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/cutover/cutover/blob/main/schema/cutover.schema.json',
    title: 'Cutover environment file',
    description: 'Describes the environments that Cutover actions deploy to (.github/cutover.yml).',
    type: 'object',
    additionalProperties: false,
    required: ['environments'],
    properties: {
      $schema: { type: 'string' },
      environments: {
        type: 'object',
        description: "Environment name -> its description; the actions' environment input picks one.",
        minProperties: 1,
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: environment,
      },
    },
    // Keys of the file's own, read by nobody: a place for anchors that fields merge (<<: *name), as
    // in Compose files.
    patternProperties: { '^x-': { description: 'Yours: anchors for fields to merge (<<: *name), not read by Cutover.' } },
    definitions,
  };
}
