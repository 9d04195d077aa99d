/**
 * The JSON Schema of the environment file. `npm run build` writes it to schema/cutover.schema.json,
 * which editors use for completion (a test checks the two agree).
 */
import { DURATION_PATTERN } from './duration.js';
import { freezeSchema } from './freeze.js';
import { RATE_PATTERN } from './inputs.js';

const duration = { type: 'string', pattern: DURATION_PATTERN, description: 'A duration: 500ms, 30s, 1m30s, 10m, 1h.' };
const argv = {
  type: 'array',
  minItems: 1,
  items: { type: 'string' },
  description: 'A program and its arguments, as a list: never a shell string.',
};
const address = { type: 'string', pattern: '^[^\\s:]+:[0-9]{1,5}$', description: 'host:port' };
/** An absolute path of plain characters: it may reach a remote shell as an argument. */
const PATH_PATTERN = '^/[A-Za-z0-9_.@+/-]+$';
const SERVER_OPTIONS_PATTERN = '^[a-z_]+(=[A-Za-z0-9_.:]+)?( [a-z_]+(=[A-Za-z0-9_.:]+)?)*$';
const rate = {
  anyOf: [
    { type: 'number', minimum: 0, maximum: 1 },
    { type: 'string', pattern: RATE_PATTERN },
  ],
  description: 'A share: a number from 0 to 1 or a percentage such as "1%".',
};
const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'The name of an environment variable.' };

const ssh = {
  type: 'object',
  additionalProperties: false,
  required: ['host'],
  description: 'Act on a remote host over SSH (ssh -o BatchMode=yes), with the same code path as locally.',
  properties: {
    // A leading '-' would be read by ssh as an option.
    host: { type: 'string', minLength: 1, pattern: '^[^-\\s]\\S*$', description: 'Host name or address.' },
    user: { type: 'string', minLength: 1, pattern: '^[^-\\s]\\S*$', description: 'Login user (default: the runner\'s).' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port (default 22).' },
    'identity-file': { type: 'string', minLength: 1, description: 'Private key file (ssh -i).' },
    'known-hosts-file': { type: 'string', minLength: 1, description: 'known_hosts file to trust (host keys are always checked).' },
    options: { type: 'array', items: { type: 'string' }, description: 'Extra -o options, such as StrictHostKeyChecking=accept-new.' },
  },
};

const routerCommon = { kind: { enum: ['nginx', 'haproxy', 'symlink', 'command'] }, ssh };

const nginxRouter = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'upstream-file', 'upstream'],
  properties: {
    ...routerCommon,
    kind: { const: 'nginx' },
    'upstream-file': { type: 'string', minLength: 1, description: 'The file Cutover owns, holding one upstream block.' },
    upstream: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'The name of the upstream block.' },
    test: { ...argv, description: 'Checks the configuration before reload, e.g. [nginx, -t].' },
    reload: { ...argv, description: 'Reloads nginx, e.g. [nginx, -s, reload].' },
    // Written into nginx's configuration: only name=value parameters, never ';', '#', '{' or quotes.
    'server-options': {
      type: 'string',
      pattern: SERVER_OPTIONS_PATTERN,
      description: 'Added to every server line: nginx server parameters, e.g. "max_fails=0 fail_timeout=5s".',
    },
    'access-log': {
      type: 'string',
      pattern: PATH_PATTERN,
      description: "An access log in Cutover's log_format (docs/routers.md), read by traffic checks.",
    },
  },
};

const haproxyRouter = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'socket', 'backend'],
  properties: {
    ...routerCommon,
    kind: { const: 'haproxy' },
    socket: { type: 'string', minLength: 1, description: 'Runtime API: a unix socket path or host:port.' },
    // Goes into runtime API commands: a space, ';' or a new line would start another command.
    backend: { type: 'string', pattern: '^[A-Za-z0-9_.:-]+$', description: 'The backend whose servers make up the pools (matched by address).' },
  },
};

const symlinkHost = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'The host\'s name in logs; a pool of this name gives its address.' },
    ssh,
    'releases-dir': { type: 'string', minLength: 1, description: 'This host\'s releases dir, when it differs.' },
    current: { type: 'string', minLength: 1, description: 'This host\'s link, when it differs.' },
    probe: { type: 'string', description: 'A URL that must answer 2xx on this host before the next host moves.' },
  },
};

const symlinkRouter = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'releases-dir', 'current', 'hosts'],
  properties: {
    ...routerCommon,
    kind: { const: 'symlink' },
    'releases-dir': { type: 'string', minLength: 1, description: 'Holds one directory per version.' },
    current: { type: 'string', minLength: 1, description: 'The link that names the live release.' },
    hosts: {
      type: 'array',
      minItems: 1,
      items: { anyOf: [{ type: 'string', minLength: 1, pattern: '^[^-\\s]\\S*$' }, symlinkHost] },
      description: 'Machines rolled out one after another: "local", an SSH host name, or an object.',
    },
    restart: { ...argv, description: 'Run on each host after its link moves.' },
    'probe-timeout': { ...duration, description: 'Longest wait for a host\'s probe to answer 2xx (default 30s).' },
  },
};

const commandRouter = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'read', 'apply'],
  properties: {
    ...routerCommon,
    kind: { const: 'command' },
    read: { ...argv, description: 'Prints the split as JSON ({"blue":100}) or "pool weight" lines.' },
    apply: { ...argv, description: 'Sets the split; {split} is the JSON split, {pool}/{weight} repeat per pool.' },
  },
};

const statusCode = { type: 'integer', minimum: 100, maximum: 599 };

const httpCheck = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, description: 'A URL template: {address} and {pool} are filled in.' },
    method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'], description: 'HTTP method (default GET).' },
    'expect-status': {
      anyOf: [
        statusCode,
        { type: 'array', minItems: 1, items: statusCode },
        { type: 'string', pattern: '^[1-5][0-9]{2}(-[1-5][0-9]{2})?$' },
      ],
      description: 'A code, a list of codes, or a range such as 200-299.',
    },
    'max-latency': { ...duration, description: 'Slowest acceptable answer.' },
    'body-contains': { type: 'string', description: 'Text the answer must contain.' },
    timeout: { ...duration, description: 'Longest wait for an answer (default 5s): past it, a failed sample.' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers.' },
    requests: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      description: 'Requests to every address each look, fixed; unset, the watch sends as many as a step needs to decide, up to max-rate.',
    },
    'max-rate': { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'Most requests per second to one address (default 100).' },
    'max-error-rate': { ...rate, description: 'Largest share of failed or slow requests (default 2%).' },
  },
};

const trafficCheck = {
  type: 'object',
  additionalProperties: false,
  description: "Users' own requests, as the load balancer counted them per server: HAProxy's counters, or nginx's access log (router.access-log).",
  properties: {
    'max-error-rate': { ...rate, description: 'Largest share of 5xx or unanswered requests (default 2%).' },
    'max-latency': { ...duration, description: 'Slowest acceptable answer (nginx: each request; HAProxy: its mean response time).' },
  },
};

const prometheusCheck = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, description: 'The Prometheus server, e.g. http://prometheus:9090.' },
    query: { type: 'string', minLength: 1, description: 'A PromQL instant query giving one number; {pool} is filled in.' },
    requests: { type: 'string', minLength: 1, description: 'Instead of query: a counter of requests, e.g. sum(http_requests_total{pool="{pool}"}).' },
    errors: { type: 'string', minLength: 1, description: 'With requests: a counter of failed requests; their increases are judged as requests.' },
    'max-error-rate': { ...rate, description: 'With requests and errors: largest share of failed requests (default 2%).' },
    min: { type: 'number', description: 'Lowest healthy value.' },
    max: { type: 'number', description: 'Highest healthy value.' },
    'max-increase': { type: 'number', minimum: 0, description: 'Highest allowed ratio above the baseline pool (0.1 = +10%).' },
    'max-decrease': { type: 'number', minimum: 0, maximum: 1, description: 'Highest allowed ratio below the baseline pool.' },
    timeout: { ...duration, description: 'Longest wait for Prometheus: past it, a source failure.' },
  },
};

const commandCheck = {
  type: 'object',
  additionalProperties: false,
  required: ['argv'],
  properties: {
    argv,
    min: { type: 'number', description: 'Lowest healthy number printed; without min/max, exit 0 is healthy.' },
    max: { type: 'number', description: 'Highest healthy number printed.' },
    timeout: { ...duration, description: 'Longest run: past it, a failed sample.' },
  },
};

const check = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Names the check in inputs, reports and alerts.' },
    http: httpCheck,
    prometheus: prometheusCheck,
    command: commandCheck,
    traffic: trafficCheck,
    main: { type: 'boolean', description: 'The metric charted in summaries.' },
  },
};

const alert = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  properties: {
    webhook: {
      type: 'object',
      description: 'A JSON POST to the URL in the named variable.',
      additionalProperties: false,
      required: ['url-env'],
      properties: { 'url-env': envName },
    },
    slack: {
      type: 'object',
      description: 'A Slack incoming webhook (blocks); the URL in the named variable.',
      additionalProperties: false,
      required: ['url-env'],
      properties: { 'url-env': envName },
    },
    pagerduty: {
      type: 'object',
      description: 'PagerDuty Events API v2: trigger, and resolve when healthy again.',
      additionalProperties: false,
      required: ['routing-key-env'],
      properties: {
        'routing-key-env': envName,
        url: { type: 'string', description: 'Events API endpoint; defaults to PagerDuty\'s.' },
        severity: { enum: ['critical', 'error', 'warning', 'info'] },
      },
    },
  },
};

const environment = {
  type: 'object',
  description: 'One environment: its router, pools, health checks, canary steps and alerts.',
  additionalProperties: false,
  required: ['router', 'pools'],
  properties: {
    url: { type: 'string', description: 'Shown on the GitHub deployment (environment_url).' },
    router: {
      type: 'object',
      description: 'How traffic is moved between pools.',
      required: ['kind'],
      properties: { kind: { enum: ['nginx', 'haproxy', 'symlink', 'command'] } },
      allOf: [
        { if: { properties: { kind: { const: 'nginx' } } }, then: nginxRouter },
        { if: { properties: { kind: { const: 'haproxy' } } }, then: haproxyRouter },
        { if: { properties: { kind: { const: 'symlink' } } }, then: symlinkRouter },
        { if: { properties: { kind: { const: 'command' } } }, then: commandRouter },
      ],
    },
    pools: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
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
        'min-samples': { type: 'integer', minimum: 1, description: 'Looks with a measured value a prometheus query or command check needs before a healthy verdict (default 5).' },
        'failure-limit': { type: 'integer', minimum: 1, description: 'Bad looks of a check, over the whole watch, that make it unhealthy (default 3).' },
        confidence: { type: 'number', exclusiveMinimum: 0.5, exclusiveMaximum: 1, description: 'Confidence of every judgement over a whole watch or rollout (default 0.95).' },
        inconclusive: { enum: ['fail', 'pass'], description: 'What an inconclusive health-watch verdict does (default fail); canary-step always aborts on one.' },
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
        checks: { type: 'array', items: check, description: 'The checks: each has a name and one of http, traffic, prometheus, command.' },
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
        steps: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1, maximum: 100 }, description: 'Canary weights, ascending, ending at 100 (default 5, 25, 50, 100).' },
        'step-duration': { ...duration, description: 'How long each step is watched (default 1m).' },
      },
    },
    alerts: { type: 'array', items: alert, description: 'Where alerts go: each entry is one of webhook, slack, pagerduty.' },
    freeze: freezeSchema,
  },
};

export const environmentFileSchema = {
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
      description: 'Environment name -> its description; the actions\' environment input picks one.',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
      additionalProperties: environment,
    },
  },
} as const;
