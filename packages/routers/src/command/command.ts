/**
 * A user's own router: argv templates to read and to set the split. Run as argv (never through a
 * shell), locally or over SSH.
 */
import { argv, formatSplit, type NamedEnvironment, type Split } from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { executorFor, runChecked } from '../exec.js';
import type { RouterConfigOf, RouterProvider } from '../kind.js';
import { planTransition } from '../plan.js';
import { forEachAttempted, validateRead, type Router, type RouterSnapshot } from '../router.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['read', 'apply'],
  properties: {
    read: { ...argv, description: 'Prints the split as JSON ({"blue":100}) or "pool weight" lines.' },
    apply: { ...argv, description: 'Sets the split; {split} is the JSON split, {pool}/{weight} repeat per pool.' },
  },
} as const;

export type CommandRouterConfig = RouterConfigOf<'command', FromSchema<typeof schema>>;

export const command: RouterProvider<CommandRouterConfig> = {
  kind: 'command',
  description: 'Your own router: argv templates to read and to set the split, run without a shell.',
  schema,
  create: (environment, config) => commandRouter(environment, config),
};

/** Reads what `read` printed: a JSON object {"blue": 100}, or lines "blue 100" (also "blue=100", "blue: 100"). */
export function parseCommandSplit(output: string): Split {
  const text = output.trim();
  if (text.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new Error(`printed JSON that does not parse: ${(error as Error).message}`, { cause: error });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('printed JSON that is not an object of weights');
    for (const [pool, weight] of Object.entries(data as Record<string, unknown>)) {
      if (typeof weight !== 'number') throw new Error(`printed ${pool}: ${JSON.stringify(weight)}; weights are numbers`);
    }
    // Own properties only (a pool named "__proto__" stays a pool, and is refused as unknown).
    return Object.fromEntries(Object.entries(data as Record<string, number>));
  }
  const split: Split = {};
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))) {
    const match = /^([A-Za-z0-9_.-]+)\s*[:=\s]\s*(\d+)$/.exec(line);
    if (!match) throw new Error(`printed "${line}"; expected JSON like {"blue": 100} or lines "<pool> <weight>"`);
    split[match[1]!] = Number(match[2]);
  }
  if (Object.keys(split).length === 0) throw new Error('printed nothing; expected JSON like {"blue": 100} or lines "<pool> <weight>"');
  return split;
}

/** The argv runs that set `next` coming from `current`: one with {split}, or one per changed pool in make-before-break order. */
export function commandRuns(template: string[], current: Split, next: Split, environment: string): { argv: string[]; input?: string }[] {
  const fill = (arg: string, values: Record<string, string>) => arg.replace(/\{(split|pool|weight|environment)\}/g, (all, key: string) => values[key] ?? all);
  const json = JSON.stringify(next);
  if (template.some((arg) => arg.includes('{pool}') || arg.includes('{weight}'))) {
    return planTransition(current, next).map((change) => ({
      argv: template.map((arg) => fill(arg, { pool: change.pool, weight: String(change.to), split: json, environment })),
    }));
  }
  const argv = template.map((arg) => fill(arg, { split: json, environment }));
  // Without placeholders the split arrives on stdin.
  return [template.some((arg) => arg.includes('{split}')) ? { argv } : { argv, input: json + '\n' }];
}

export function commandRouter(environment: NamedEnvironment, config: CommandRouterConfig): Router {
  const field = `environments.${environment.name}.router`;
  const executor = executorFor(config.ssh);
  const on = executor.where === 'local' ? '' : ` on ${executor.where}`;

  const read = async (): Promise<Split> => {
    const argv = config.read.map((arg) => arg.replace(/\{environment\}/g, environment.name));
    const result = await runChecked(executor, argv).catch((error: Error) => {
      throw new Error(`${field}.read: ${error.message}`);
    });
    try {
      // Checked as an input, before anything is planned from it: apply, and restore, read through here.
      const split = parseCommandSplit(result.stdout);
      try {
        return validateRead(split, Object.keys(environment.pools), 'read');
      } catch (error) {
        throw new Error(`printed ${formatSplit(split)}, not a split: ${(error as Error).message.replace(/^read: /, '')}`, { cause: error });
      }
    } catch (error) {
      // What it printed is quoted in the message: made safe to log.
      throw new Error(`${field}.read: ${argv.join(' ')}${on} ${outside((error as Error).message)}`, { cause: error });
    }
  };
  const runApply = async (run: { argv: string[]; input?: string }): Promise<void> => {
    await runChecked(executor, run.argv, { input: run.input }).catch((error: Error) => {
      throw new Error(`${field}.apply: ${error.message}`);
    });
  };

  return {
    kind: 'command',
    describe: () => `command ${config.apply[0]}${on}`,
    pools: async () => Object.keys(environment.pools),
    read,
    async snapshot(): Promise<RouterSnapshot> {
      const split = await read();
      return {
        split,
        async restore() {
          // Every pool's run is tried: one failing must not leave the others at the new weights.
          await forEachAttempted(commandRuns(config.apply, await read(), split, environment.name), runApply);
        },
      };
    },
    async apply(next: Split): Promise<Split> {
      for (const run of commandRuns(config.apply, await read(), next, environment.name)) await runApply(run);
      return read();
    },
    expected: (next) => next,
  };
}
