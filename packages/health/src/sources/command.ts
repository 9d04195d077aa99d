/** The command check: argv (never a shell); healthy on exit 0, or the number it prints within min/max. */
import { execFile } from 'node:child_process';
import { argv, duration, parseDuration } from '@cutover/config';
import { childEnvironment, outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { fillTemplate, type Check, type LookContext, type PoolLook } from '../check.js';
import { breach, describeLimits, hasAbsoluteLimit, type Limits } from '../limits.js';
import type { CheckProvider, NamedCheck } from './kind.js';

export const COMMAND_DEFAULT_TIMEOUT_MS = 30_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Could not start, or was killed for the timeout. */
  failure?: string;
}

function run(argv: string[], env: NodeJS.ProcessEnv, timeout: number, signal?: AbortSignal): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env, timeout, signal, maxBuffer: 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
      if (typeof code === 'number') return resolve({ code, stdout, stderr });
      const killed = (error as { killed?: boolean }).killed;
      resolve({ code: null, stdout, stderr, failure: killed ? `no result within ${timeout}ms` : `cannot run ${argv[0]}: ${code ?? error.message}` });
    });
  });
}

/** The number a command printed: its last non-empty line. */
export function printedNumber(stdout: string): number | undefined {
  const last = stdout.trim().split(/\r?\n/).at(-1)?.trim() ?? '';
  if (last === '') return undefined;
  const value = Number(last);
  return Number.isFinite(value) ? value : undefined;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['argv'],
  properties: {
    argv,
    min: { type: 'number', description: 'Lowest healthy number printed; without min/max, exit 0 is healthy.' },
    max: { type: 'number', description: 'Highest healthy number printed.' },
    timeout: { ...duration, description: 'Longest run: past it, a failed sample.' },
  },
} as const;

export type CommandCheckConfig = FromSchema<typeof schema>;

export const command: CheckProvider<CommandCheckConfig> = {
  kind: 'command',
  description: 'Your own program, run per pool ({pool}, {addresses}): exit 0 is healthy, or the number it prints within min and max.',
  schema,
  check(config, problem) {
    if (config.min !== undefined && config.max !== undefined && config.min > config.max) problem(['min'], `min ${config.min} is above max ${config.max}`);
  },
  create: (check, path) => commandCheck(check as NamedCheck<'command', CommandCheckConfig>, path),
};

export function commandCheck(config: NamedCheck<'command', CommandCheckConfig>, path = `health.checks.${config.name}`): Check {
  const command = config.command;
  const timeout = command.timeout === undefined ? COMMAND_DEFAULT_TIMEOUT_MS : parseDuration(command.timeout, `${path}.command.timeout`);
  const limits: Limits = { min: command.min, max: command.max };
  const numeric = hasAbsoluteLimit(limits);

  return {
    name: config.name,
    kind: 'command',
    main: config.main ?? false,
    threshold: numeric ? describeLimits(limits) : 'exit 0',
    unit: '',
    measures: 'value',
    needsBaseline: false,
    async look(context: LookContext): Promise<PoolLook[]> {
      const argv = command.argv.map((arg) => fillTemplate(arg, { pool: context.pool }));
      const env = { ...childEnvironment(), CUTOVER_POOL: context.pool, CUTOVER_ADDRESSES: context.addresses.join(' ') };
      const exit = await run(argv, env, timeout, context.signal);
      const base = { check: config.name, kind: 'command', role: 'target' as const, pool: context.pool, at: Date.now() };
      // The command's own last line, made safe to log (it reaches the look lines and the summary).
      const tail = outside((exit.stderr.trim() || exit.stdout.trim()).split('\n').at(-1)?.slice(0, 200) ?? '');
      if (exit.failure) return [{ ...base, outcome: 'source-failure', error: exit.failure }];
      if (!numeric) {
        const ok = exit.code === 0;
        return [
          {
            ...base,
            outcome: ok ? 'pass' : 'fail',
            ...(exit.code !== null ? { value: exit.code } : {}),
            ...(ok ? {} : { error: `exit ${exit.code}${tail ? `: ${tail}` : ''}` }),
          },
        ];
      }
      const value = printedNumber(exit.stdout);
      if (exit.code !== 0 || value === undefined) {
        const why = exit.code !== 0 ? `exit ${exit.code}` : 'printed no number';
        return [{ ...base, outcome: 'source-failure', error: `${argv[0]}: ${why}${tail ? `: ${tail}` : ''}` }];
      }
      const problem = breach(value, limits);
      return [{ ...base, outcome: problem ? 'fail' : 'pass', value, ...(problem ? { error: problem } : {}) }];
    },
  };
}
