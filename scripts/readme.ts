// Writes the generated parts of README.md: one section per action (intro and example from
// docs/actions/<name>.md, inputs and outputs from its action.yml) and the environment file
// reference (from the JSON Schema). `--check` fails when README.md is not what it would write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentFileSchema } from '@cutover/environment';

const root = new URL('..', import.meta.url).pathname;
export const ACTIONS = ['test-gate', 'build-candidate', 'blue-green-switch', 'canary-step', 'health-watch', 'rollback', 'delivery-metrics', 'migration-check'];

interface ActionYaml {
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function defaultText(value: string | undefined, required: boolean | undefined): string {
  if (required) return 'required';
  if (value === undefined || value === '') return '';
  return `\`${value.split('\n').length > 1 ? `${value.split('\n')[0]} …` : value}\``;
}

function actionSection(name: string): string {
  const action = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
  const doc = readFileSync(join(root, 'docs', 'actions', `${name}.md`), 'utf8');
  const intro = doc
    .split('```yaml')[0]!
    .replace(/^## .*\n+/, '')
    .trim();
  const example = /```yaml\n[\s\S]*?```/.exec(doc)?.[0] ?? '';
  const inputs = Object.entries(action.inputs).map(
    ([input, spec]) => `| \`${input}\` | ${defaultText(spec.default, spec.required)} | ${cell(spec.description)} |`,
  );
  const outputs = Object.entries(action.outputs).map(([output, spec]) => `| \`${output}\` | ${cell(spec.description)} |`);
  return [
    `### ${name}`,
    '',
    intro,
    '',
    example,
    '',
    '| input | default | description |',
    '|---|---|---|',
    ...inputs,
    '',
    '| output | description |',
    '|---|---|',
    ...outputs,
    '',
    `More: [docs/actions/${name}.md](docs/actions/${name}.md).`,
    '',
  ].join('\n');
}

interface SchemaNode {
  type?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode & { anyOf?: SchemaNode[] };
  anyOf?: SchemaNode[];
  allOf?: { if: { properties: { kind: { const: string } } }; then: SchemaNode & { allOf?: { then: { required?: string[] } }[] } }[];
  required?: string[];
  pattern?: string;
}

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.join(' \\| ');
  if (node.const !== undefined) return String(node.const);
  if (node.type === 'array') return node.items?.type === 'string' ? 'list of strings' : 'list';
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.pattern?.includes('(ms|s|m|h)')) return 'duration';
  return node.type ?? 'mapping';
}

function rows(node: SchemaNode, path: string, out: string[], required = false, kind = ''): void {
  if (path) out.push(`| \`${path}\` | ${typeOf(node)}${required ? ' (required)' : ''}${kind ? `, ${kind}` : ''} | ${cell(node.description ?? '')} |`);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema' || (path.endsWith('router') && key === 'kind' && node.allOf)) continue;
    rows(child, path ? `${path}.${key}` : key, out, node.required?.includes(key) ?? false, kind);
  }
  if (node.allOf) {
    out.push(`| \`${path}.kind\` | ${typeOf(node.properties!.kind!)} (required) | Which router; each kind's fields follow. |`);
    for (const branch of node.allOf) {
      // The kind's required fields: in the router, or in every one of its instances.
      const required = [...(branch.then.required ?? []), ...(branch.then.allOf?.[0]?.then.required ?? [])];
      for (const [key, child] of Object.entries(branch.then.properties ?? {})) {
        if (key === 'kind' || key === 'ssh' || key === 'instances') continue;
        const kind = branch.if.properties.kind.const;
        rows(child, `${path}.${key}`, out, required.includes(key), `${kind} only`);
      }
    }
    const ssh = branch0Ssh(node);
    if (ssh) rows({ ...ssh, required: ['host'] }, `${path}.ssh`, out);
    const instances = node.allOf[0]?.then.properties?.instances;
    if (instances) {
      out.push(`| \`${path}.instances\` | list | ${cell(instances.description ?? '')} A required field may be given in the router or in every instance. |`);
      out.push(`| \`${path}.instances[].name\` | string | ${cell(instances.items?.properties?.name?.description ?? '')} |`);
      out.push(
        `| \`${path}.instances[].<field>\` | | \`ssh\` (merged with the router's, field by field) or any of the kind's fields above, for this instance. |`,
      );
    }
  }
  if (typeof node.additionalProperties === 'object') rows(node.additionalProperties, `${path}.<name>`, out, false, kind);
  if (node.items && typeof node.items === 'object' && (node.items.properties || node.items.anyOf)) {
    const item = node.items.anyOf?.find((option) => option.properties) ?? node.items;
    if (item.properties) rows(item, `${path}[]`, out, false, kind);
  }
}

function branch0Ssh(node: SchemaNode): SchemaNode | undefined {
  return node.allOf?.[0]?.then.properties?.ssh;
}

/** `schema` with each reference to its definitions replaced by the definition (the table reads fields in place). */
function inlined(node: unknown, definitions: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => inlined(item, definitions));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, ...rest } = node as { $ref?: string };
  if ($ref) return inlined(definitions[$ref.replace('#/definitions/', '')], definitions);
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlined(value, definitions)]));
}

export function environmentReference(): string {
  const out: string[] = ['| field | type | description |', '|---|---|---|'];
  const { definitions, ...schema } = environmentFileSchema() as { definitions: Record<string, unknown> };
  rows(inlined(schema, definitions) as SchemaNode, '', out);
  return out.join('\n');
}

/* eslint-disable @typescript-eslint/no-explicit-any -- bench results are read as the benches wrote them */
function result(name: string): { date: string; machine: { cpus: number; node: string }; figures: any } | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'bench', 'results', `${name}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

const ms = (value: number | undefined) => (value === undefined ? '' : `${Math.round(value).toLocaleString('en')} ms`);
const n = (value: number) => value.toLocaleString('en');
const pct = (value: number) => `${Number((value * 100).toFixed(1))}%`;

/** Milliseconds per unit between the smallest and the largest count of `rows` (a straight line's slope). */
function slope(rows: { count: number; ms: number }[]): number | undefined {
  const sorted = [...rows].sort((a, b) => a.count - b.count);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last || last.count === first.count) return undefined;
  return (last.ms - first.ms) / (last.count - first.count);
}

/** How a rollout's time grows with the hosts, per batch setting, from the fleet bench's medians. */
function fleetGrowth(f: any): string[] {
  const batches = [...new Set<string>(f.rollouts.map((row: any) => String(row.batch)))];
  const perHost = batches.flatMap((batch) => {
    const value = slope(f.rollouts.filter((row: any) => String(row.batch) === batch).map((row: any) => ({ count: row.hosts, ms: row.medianMs })));
    return value === undefined ? [] : [`${ms(value)} per host at batch: ${batch}`];
  });
  if (!perHost.length) return [];
  return [
    `How it grows: in a straight line with the hosts, about ${perHost.join(' and ')} (each host: an SSH connection, the link, a probe). ` +
      "Here every sshd runs on the benchmark's own machine, so the hosts of a batch share its cores and a batch saves little; " +
      'on separate machines the hosts of a batch work at once, and a rollout takes about as many times its slowest host as there are batches.',
  ];
}

/** How a switch's time grows with the instances, per router. */
function instanceGrowth(f: any): string[] {
  const routers = [...new Set<string>(f.switches.map((row: any) => row.router))];
  const lines = routers.flatMap((router) => {
    const value = slope(f.switches.filter((row: any) => row.router === router).map((row: any) => ({ count: row.instances, ms: row.medianMs })));
    if (value === undefined) return [];
    return [Math.abs(value) < 5 ? `${router} flat (within 5 ms per instance)` : `${router} ${value < 0 ? '−' : '+'}${ms(Math.abs(value))} per instance`];
  });
  if (!lines.length) return [];
  return [
    `How it grows: ${lines.join(', ')}. An nginx instance tests its configuration and reloads (new workers: CPU, here on the cores the others use); ` +
      'an HAProxy instance takes one runtime API command, so instances cost next to nothing. Either way the change is all or nothing, each instance read back.',
  ];
}

/** The figures of bench/results/*.json, as tables; each says when it was measured. */
export function benchmarkFigures(): string {
  const parts: string[] = [];
  const measured = (r: { date: string; machine: { cpus: number; node: string } }) =>
    `_Measured ${r.date.slice(0, 10)}, ${r.machine.cpus} cores, Node ${r.machine.node}._`;
  const cutover = result('cutover');
  if (cutover) {
    parts.push(
      '**Switching under load** (`npm run bench -- cutover`): 10 blue-green switches with blue-green-switch under a steady load; "to new pool" runs from the moment the action\'s process is spawned (as the runner spawns it) to the start of the last request the old pool answered.',
      '',
      '| router | client connections | requests | failed | requests/s | to new pool, median / p95 |',
      '|---|---|---|---|---|---|',
      ...cutover.figures.scenarios.map(
        (row: any) =>
          `| ${row.router} | ${row.connections} | ${n(row.requests)} | ${row.failed}${row.failed ? ` (${Object.keys(row.failures).join(', ')})` : ''} | ${n(row.requestsPerSecond)} | ${ms(row.toNewPoolMs.median)} / ${ms(row.toNewPoolMs.p95)} |`,
      ),
      '',
      'nginx keep-alive clients lose a few requests at each reload: old workers close idle keep-alive connections while a client is sending on them, and no nginx setting prevents it. Cutover reloads once per switch, only when the file changed, after `nginx -t`; a client that retries once when a reused connection closes before any answer (as browsers do) sees few or none (the keep-alive-retry row). HAProxy switches through its runtime API, make-before-break: nothing fails.',
      measured(cutover),
      '',
    );
  }
  const canary = result('canary');
  if (canary) {
    const f = canary.figures;
    parts.push(
      '**Canary fault to stable** (`npm run bench -- canary`): at the defaults, a canary starts failing 25% of its requests mid-step; time until the router reads `{stable: 100}` and until the last canary answer through the proxy.',
      '',
      '| proxy | runs | fault to split restored, median / p95 | fault to last canary answer, median / p95 |',
      '|---|---|---|---|',
      ...f.faultToStable.map(
        (row: any) =>
          `| ${row.proxy} | ${row.runs} | ${ms(row.faultToSplitRestored.medianMs)} / ${ms(row.faultToSplitRestored.p95Ms)} | ${ms(row.faultToLastCanaryResponse.medianMs)} / ${ms(row.faultToLastCanaryResponse.p95Ms)} |`,
      ),
      '',
      `False aborts with identical pools: **${f.falseAborts.falseAborts} of ${f.falseAborts.runs}**. ${measured(canary)}`,
      '',
    );
  }
  const rollback = result('rollback');
  if (rollback) {
    const f = rollback.figures;
    parts.push(
      "**Rollback** (`npm run bench -- rollback`): from the moment the rollback process is spawned to the last answer from the bad pool through the proxy: to the last good deployment (read from GitHub's history), and `to:` a pool while GitHub takes 5 s to answer each request (traffic does not wait for it).",
      '',
      '| proxy | rollback | runs | median | p95 | failed requests |',
      '|---|---|---|---|---|---|',
      ...[
        ['nginx', 'nginx', 'to the last good deployment'],
        ['haproxy', 'haproxy', 'to the last good deployment'],
        ['haproxyToPoolSlowGitHub', 'haproxy', '`to: green`, GitHub answering after 5 s'],
      ]
        .filter(([key]) => f[key!])
        .map(([key, proxy, what]) => {
          const row = f[key!];
          return `| ${proxy} | ${what} | ${row.runs} | ${ms(row.startToGoodPoolMs.median)} | ${ms(row.startToGoodPoolMs.p95)} | ${row.failedRequests} |`;
        }),
      '',
      measured(rollback),
      '',
    );
  }
  const fleet = result('fleet');
  if (fleet) {
    const f = fleet.figures;
    const hostCounts: number[] = [...new Set<number>(f.rollouts.map((row: any) => row.hosts))];
    const batches: string[] = [...new Set<string>(f.rollouts.map((row: any) => String(row.batch)))];
    const instanceCounts: number[] = [...new Set<number>(f.switches.map((row: any) => row.instances))];
    const routers: string[] = [...new Set<string>(f.switches.map((row: any) => row.router))];
    const cell = (rows: any[], match: (row: any) => boolean) => ms(rows.find(match)?.medianMs);
    parts.push(
      '**Fleets** (`npm run bench -- fleet`): a symlink rollout of every host (SSH connections opened within, each host probed before its batch is done), median; hosts are loopback addresses of real sshd.',
      '',
      `| hosts | ${batches.map((batch) => `batch: ${batch}`).join(' | ')} |`,
      `|---|${batches.map(() => '---|').join('')}`,
      ...hostCounts.map(
        (hosts) => `| ${hosts} | ${batches.map((batch) => cell(f.rollouts, (row) => row.hosts === hosts && String(row.batch) === batch)).join(' | ')} |`,
      ),
      '',
      ...fleetGrowth(f),
      '',
      'A switch of every instance of a load balancer (`router.instances`), in parallel, median:',
      '',
      `| instances | ${routers.join(' | ')} |`,
      `|---|${routers.map(() => '---|').join('')}`,
      ...instanceCounts.map(
        (count) => `| ${count} | ${routers.map((router) => cell(f.switches, (row) => row.instances === count && row.router === router)).join(' | ')} |`,
      ),
      '',
      ...instanceGrowth(f),
      '',
      measured(fleet),
      '',
    );
  }
  const analysis = result('analysis');
  if (analysis) {
    const f = analysis.figures;
    const secondsText = (value: number | null) => (value === null ? '' : `${value} s`);
    parts.push(
      `**The judgement** (\`npm run bench -- analysis\`): ${n(f.rows[0].trials)} simulated canary steps per row at the defaults (confidence 0.95, tolerances 1 point and ×1.2, max-error-rate 2%, the false-abort budget shared by 3 steps): users' traffic counted per look every ${f.settings.intervalSeconds} s for ${f.settings.durationSeconds / 60} minutes (deadline ${f.settings.deadlineSeconds / 60}), the stable pool failing ${pct(f.settings.baseline.errorRate)} of its requests.`,
      '',
      '| canary | requests/s per pool | healthy | unhealthy | inconclusive | wrong verdicts | caught within 60 s | median time to the verdict |',
      '|---|---|---|---|---|---|---|---|',
      ...f.rows.map(
        (row: any) =>
          `| ${row.scenario} | ${row.requestsPerSecondPerPool} | ${pct(row.healthy / row.trials)} | ${pct(row.unhealthy / row.trials)} | ${pct(row.inconclusive / row.trials)} | ${'falseAbortRate' in row ? `${pct(row.falseAbortRate)} false aborts` : `${pct(row.badPromotionRate)} promoted`} | ${row.detectedWithin60s === undefined ? '' : pct(row.detectedWithin60s)} | ${secondsText(row.medianSeconds)} |`,
      ),
      '',
      `How long evidence takes: an identical canary (A/A) called healthy as soon as its evidence is in (looks every ${f.decisionTimes.intervalSeconds} s, ${n(f.decisionTimes.rows[0].trials)} trials each).`,
      '',
      '| stable pool fails | requests/s per pool | healthy within 30 min | median | p90 |',
      '|---|---|---|---|---|',
      ...f.decisionTimes.rows.map(
        (row: any) =>
          `| ${pct(row.baselineErrorRate)} | ${row.requestsPerSecondPerPool} | ${pct(row.healthy / row.trials)} | ${secondsText(row.medianSeconds)} | ${secondsText(row.p90Seconds)} |`,
      ),
      '',
      measured(analysis),
      '',
    );
  }
  const metrics = result('metrics');
  if (metrics) {
    const f = metrics.figures;
    parts.push(
      `**Delivery metrics on real volumes** (\`npm run bench -- metrics\`): delivery-metrics over ${n(f.history.deploymentsInWindow)} deployments and ${n(f.history.commits)} commits in a 30-day window, in the GitHub stand-in.`,
      '',
      '| run | GitHub requests | time | most requests in a minute |',
      '|---|---|---|---|',
      `| the bundle (a local API is not spaced) | ${n(f.action.requests)} | ${ms(f.action.ms)} | |`,
      `| paced ${f.pacedLikeGitHub.minIntervalMs} ms apart, as towards GitHub | ${n(f.pacedLikeGitHub.requests)} | ${ms(f.pacedLikeGitHub.ms)} | ${n(f.pacedLikeGitHub.peakRequestsPerMinute)} (GitHub's secondary limit: 900) |`,
      '',
      measured(metrics),
      '',
    );
  }
  const budget = result('budget');
  if (budget) {
    const f = budget.figures;
    const runs: any[] = f.runs;
    const steps: { step: string; action: string }[] = [];
    for (const run of runs) for (const row of run.steps) if (!steps.some((known) => known.step === row.step)) steps.push(row);
    const calls = (run: any, step: string) => {
      const row = run.steps.find((candidate: any) => candidate.step === step);
      return row ? `${row.main}${row.post ? ` + ${row.post}` : ''}` : '';
    };
    const good = runs.find((run) => run.scenario === 'good release') ?? runs[0];
    const largest = Math.max(...runs.map((run) => run.calls));
    parts.push(
      "**GitHub calls** (`npm run bench -- budget`): the GitHub REST calls of one run of examples/workflows/deliver.yml in the workflow simulator, per step (`+ n`: its post step's), counted by the GitHub stand-in from each step's own token (our actions' calls: actions/checkout is a stand-in here and calls nothing). A good release, once as the end-to-end test seeds production (its last deployment blue-green-switch's) and once in the pipeline's steady state (the previous release's canary); a bad one aborted by the canary and rolled back.",
      '',
      `| step (action) | ${runs.map((run) => run.scenario).join(' | ')} |`,
      `|---|${runs.map(() => '---|').join('')}`,
      ...steps.map((row) => `| ${row.step} (${row.action}) | ${runs.map((run) => calls(run, row.step)).join(' | ')} |`),
      `| **the run** | ${runs.map((run) => `**${run.calls}** (${run.reads} reads, ${run.writes} writes)`).join(' | ')} |`,
      '',
      `GITHUB_TOKEN may make ${n(f.hourlyLimit)} REST requests an hour per repository, shared by every workflow of it: a good release takes ${good.calls} (${pct(good.calls / f.hourlyLimit)}), so about ${Math.floor(f.hourlyLimit / largest)} deliveries an hour fit even when each is the costliest run above. ${measured(budget)}`,
      '',
    );
  }
  const bundles = result('bundles');
  if (bundles) {
    parts.push(
      "**Bundles** (`npm run bench -- bundles`): each action's `node dist/<name>/index.js` (stopping at its first check) in turn with `node -e 0`, the median ratio of the pairs (Node's own start is 1); cold, the first Cutover step of a job (no compile cache yet: an action with a post step writes it as it exits); warm, a later start of the same action in the job (its post step, a second run) with all its code compiled (after another action, only the chunks they share are); and with the cache off (`NODE_DISABLE_COMPILE_CACHE=1`); the size of `index.js`, of what the action reads when it starts (index.js, the action's chunk and the shared chunks of `dist/chunks/` they import at once) and of all it may load (with the chunks its paths load when needed and the files copied beside them). *Compiling* is V8's up-front compile of what the action reads at start (each file compiled as its import compiles it, in a fresh Node: the top level, functions pre-parsed, nothing run); the rest of a cold start over `node -e 0` is the functions compiled when first called, Node loading the modules and running them, its collector, and for an action with a post step, writing the compile cache.",
      '',
      '| action | cold start / `node -e 0` | cold start | compiling | warm start / `node -e 0` | cache off / `node -e 0` | index.js | read at start | all it may load |',
      '|---|---|---|---|---|---|---|---|---|',
      ...bundles.figures.rows.map(
        (row: any) =>
          `| ${row.action} | ${row.ratio}× (${row.ratioMin}–${row.ratioMax}) | ${ms(row.coldStartMs)} | ${row.compileMs === undefined ? '' : ms(row.compileMs)} | ${row.warmRatio === undefined ? '' : `${row.warmRatio}×`} | ${row.offRatio === undefined ? '' : `${row.offRatio}×`} | ${row.sizeKiB < 1 ? 'under 1' : n(row.sizeKiB)} KiB | ${n(row.startKiB)} KiB | ${n(row.allKiB)} KiB |`,
      ),
      ...(bundles.figures.yardsticks === undefined
        ? []
        : [
            '',
            `Yardsticks, measured the same way (cache off): ${bundles.figures.yardsticks.map((row: any) => `${row.name} (${row.startKiB < 1 ? 'under 1' : n(row.startKiB)} KiB), ${row.ratio}×`).join('; ')}.`,
          ]),
      ...(bundles.figures.distKiB === undefined
        ? []
        : [
            '',
            `All of dist/: ${n(bundles.figures.distKiB)} KiB${bundles.figures.distTarballKiB === undefined ? '' : `, ${n(bundles.figures.distTarballKiB)} KiB as a gzipped tarball (its part of what a runner downloads: the repository at the action's ref, as a tarball; PGlite's files are stored compressed already)`}.`,
          ]),
      '',
      measured(bundles),
    );
  }
  return parts.join('\n');
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function generatedReadme(current: string): string {
  const replace = (text: string, marker: string, body: string) => {
    const pattern = new RegExp(`(<!-- generated:${marker} -->\\n)[\\s\\S]*?(<!-- /generated:${marker} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- generated:${marker} --> block`);
    return text.replace(pattern, (_, start: string, end: string) => `${start}${body}\n${end}`);
  };
  let text = replace(current, 'actions', ACTIONS.map(actionSection).join('\n'));
  text = replace(text, 'environment', environmentReference());
  text = replace(text, 'figures', benchmarkFigures());
  return text;
}

const readmePath = join(root, 'README.md');
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, '/scripts/'))) {
  const current = readFileSync(readmePath, 'utf8');
  const next = generatedReadme(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README.md is out of date: run npm run build (it writes the generated sections)');
      process.exit(1);
    }
  } else if (next !== current) {
    writeFileSync(readmePath, next);
    console.log('wrote README.md (generated sections)');
  }
}
