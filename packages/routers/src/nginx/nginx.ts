/** nginx: rewrites the upstream file it owns, tests the configuration, reloads. */
import { argv, NAME_PATTERN, PATH_PATTERN, type NamedEnvironment, type Split, type TrafficReader } from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { executorFor, readRemoteFile, runChecked, writeFileAtomic, type Executor } from '../exec.js';
import type { RouterConfigOf, RouterProvider } from '../kind.js';
import { logTraffic } from './log.js';
import { parseUpstream, renderUpstream, upstreamSplit } from './upstream.js';
import { realizedSplit } from '../plan.js';
import type { Router, RouterSnapshot } from '../router.js';

// Written into nginx's configuration: only name=value parameters, never ';', '#', '{' or quotes.
// No bare word (down, backup): Cutover writes down itself, and reads back only name=value and down.
const SERVER_OPTIONS_PATTERN = '^[a-z_]+=[A-Za-z0-9_.:]+( [a-z_]+=[A-Za-z0-9_.:]+)*$';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['upstream-file', 'upstream'],
  properties: {
    // A path that may reach a remote shell as an argument.
    'upstream-file': { type: 'string', pattern: PATH_PATTERN, description: 'The file Cutover owns, holding one upstream block.' },
    upstream: { type: 'string', pattern: NAME_PATTERN, description: 'The name of the upstream block.' },
    test: { ...argv, description: 'Checks the configuration before reload, e.g. [nginx, -t].' },
    reload: { ...argv, description: 'Reloads nginx, e.g. [nginx, -s, reload].' },
    'server-options': {
      type: 'string',
      pattern: SERVER_OPTIONS_PATTERN,
      'x-expected': 'nginx server parameters such as "max_fails=0 fail_timeout=5s"',
      description: 'Added to every server line: nginx server parameters, e.g. "max_fails=0 fail_timeout=5s".',
    },
    'access-log': { type: 'string', pattern: PATH_PATTERN, description: "An access log in Cutover's log_format (docs/routers.md), read by traffic checks." },
  },
} as const;

export type NginxRouterConfig = RouterConfigOf<'nginx', FromSchema<typeof schema>>;

export const nginx: RouterProvider<NginxRouterConfig> = {
  kind: 'nginx',
  description: 'nginx: Cutover owns a file holding one upstream block, tests the configuration and reloads.',
  schema,
  // Cutover writes each server's weight from the split, and reads the file back: a second weight
  // is refused there, after nginx was reloaded with it.
  check(config, problem) {
    const options = config['server-options']?.split(' ') ?? [];
    if (options.some((option) => option.startsWith('weight='))) problem(['server-options'], 'weight is written by Cutover from the split; leave it out');
    const names = options.map((option) => option.split('=')[0]);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice) problem(['server-options'], `${twice} is given twice`);
  },
  create: (environment, config) => nginxRouter(environment, config),
};

export interface NginxRouterOptions {
  executor?: Executor;
}

export function nginxRouter(environment: NamedEnvironment, config: NginxRouterConfig, options: NginxRouterOptions = {}): Router {
  const executor = options.executor ?? executorFor(config.ssh);
  const file = config['upstream-file'];
  const field = `environments.${environment.name}.router`;
  const on = executor.where === 'local' ? '' : ` on ${executor.where}`;

  const readFile = async (): Promise<string> => {
    const text = await readRemoteFile(executor, file);
    if (text === undefined) throw new Error(`${field}.upstream-file: ${file} does not exist${on}`);
    return text;
  };
  const splitOf = (text: string): Split => {
    try {
      return upstreamSplit(parseUpstream(text, config.upstream), environment.pools);
    } catch (error) {
      throw new Error(`${field}.upstream-file: ${file}${on}: ${outside((error as Error).message)}`, { cause: error });
    }
  };

  const testAndReload = async (): Promise<void> => {
    if (config.test) await runChecked(executor, config.test);
    if (config.reload) await runChecked(executor, config.reload);
  };

  // A reload that failed may still have taken effect: until one succeeds, nginx may serve a file
  // other than the one on disk, so putting back must reload even when the file already matches.
  let servedUnknown = false;

  /** Puts `text` back, and reloads so nginx serves it, when the file differs or what nginx serves is unknown. */
  const putBack = async (text: string): Promise<void> => {
    const now = await readRemoteFile(executor, file);
    if (now === text && !servedUnknown) return;
    if (now !== text) await writeFileAtomic(executor, file, text);
    await testAndReload();
    servedUnknown = false;
  };

  return {
    kind: 'nginx',
    describe: () => `nginx upstream ${config.upstream} in ${file}${on}`,
    pools: async () => Object.keys(environment.pools),
    read: async () => splitOf(await readFile()),
    async snapshot(): Promise<RouterSnapshot> {
      const text = await readFile();
      return { split: splitOf(text), restore: () => putBack(text) };
    },
    async apply(next: Split): Promise<Split> {
      const previous = await readFile();
      const text = renderUpstream({
        upstream: config.upstream,
        pools: environment.pools,
        split: next,
        serverOptions: config['server-options'],
        environment: environment.name,
      });
      await writeFileAtomic(executor, file, text);
      let reloading = false;
      try {
        if (config.test) await runChecked(executor, config.test);
        reloading = true;
        if (config.reload) await runChecked(executor, config.reload);
      } catch (error) {
        // Put back here too, so the file on disk is never one nginx refused, even if our caller stops.
        await writeFileAtomic(executor, file, previous).catch(() => undefined);
        if (reloading && config.reload) servedUnknown = (await executor.run(config.reload).catch(() => undefined))?.code !== 0;
        throw error;
      }
      // The read-back is the file byte for byte as written: anything else there (a line added while
      // nginx reloaded) is an error, and applySplit puts the previous file back.
      const now = await readFile();
      if (now !== text) throw new Error(`${field}.upstream-file: ${file}${on} is not what Cutover wrote after the reload: it changed under the switch`);
      return splitOf(now);
    },
    expected(next: Split): Split {
      return realizedSplit(next, Object.fromEntries(Object.entries(environment.pools).map(([pool, addresses]) => [pool, addresses.length])));
    },
    ...(config['access-log'] ? { traffic: () => accessLogReader(executor, config['access-log']!, `${field}.access-log`, on) } : {}),
  };
}

/**
 * Reads what nginx appended to the access log since the previous read (on the nginx host, through
 * the same executor as the upstream file). A log that shrank was rotated: it is read from its start.
 * A line still being written waits for the next read.
 */
function accessLogReader(executor: Executor, path: string, field: string, on: string): TrafficReader {
  // A fixed script with the path and offset as $1 and $2: no input ever becomes shell code. It
  // prints the size it read up to, then the bytes from the offset to that size.
  const script =
    'f=$1; o=$2; [ -r "$f" ] || exit 3; s=$(wc -c < "$f"); [ "$s" -lt "$o" ] && o=0; echo "$s $o"; tail -c +$((o + 1)) -- "$f" | head -c $((s - o))';
  let offset: number | undefined;
  return {
    describe: () => `nginx's access log ${path}${on}`,
    async read() {
      const result = await executor.run(['sh', '-c', script, 'sh', path, String(offset ?? 0)]);
      if (result.code === 3) throw new Error(`${field}: cannot read ${path}${on} (no such file, or not readable)`);
      if (result.code !== 0) throw new Error(`${field}: reading ${path}${on} failed: ${outside(result.stderr.trim())}`);
      const newline = result.stdout.indexOf('\n');
      const [size, from] = result.stdout.slice(0, newline).split(' ').map(Number) as [number, number];
      if (offset === undefined) {
        offset = size;
        return [];
      }
      const text = result.stdout.slice(newline + 1);
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      offset = from + Buffer.byteLength(complete);
      return logTraffic(complete);
    },
  };
}
