/**
 * Symlink releases: `<releases-dir>/<version>` directories and a `current` link on each host,
 * moved host after host. A split's keys are release names; a release's weight is its share of hosts.
 */
import { randomBytes } from 'node:crypto';
import {
  argv,
  duration,
  errorMessage,
  parseDuration,
  PATH_PATTERN,
  SAFE_NAME_PATTERN,
  ssh,
  validUrl,
  type NamedEnvironment,
  type SshTarget,
  type Split,
} from '@cutover/config';
import { outside } from '@cutover/runtime';
import type { FromSchema } from 'json-schema-to-ts';
import { executorFor, runChecked, type Executor } from '../exec.js';
import type { RouterConfigOf, RouterProvider } from '../kind.js';
import { forEachAttempted, type Router, type RouterSnapshot } from '../router.js';
import { assignHosts, BATCH_PERCENT_PATTERN, batchSize, hostSplit, inBatches, releaseOf, symlinkExpected } from './plan.js';

// Paths reach a shell on each host as arguments: plain characters only.
const path = { type: 'string', pattern: PATH_PATTERN } as const;

const hostSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: SAFE_NAME_PATTERN, description: "The host's name in logs; a pool of this name gives its address." },
    ssh,
    'releases-dir': { ...path, description: "This host's releases dir, when it differs." },
    current: { ...path, description: "This host's link, when it differs." },
    probe: { type: 'string', description: 'A URL that must answer 2xx on this host before the next host moves.' },
  },
} as const;

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['releases-dir', 'current', 'hosts'],
  properties: {
    'releases-dir': { ...path, description: 'Holds one directory per version.' },
    current: { ...path, description: 'The link that names the live release.' },
    hosts: {
      type: 'array',
      minItems: 1,
      items: {
        anyOf: [{ type: 'string', minLength: 1, pattern: SAFE_NAME_PATTERN }, hostSchema],
        'x-expected': '"local", an SSH host name, or a host mapping',
      },
      description: 'Machines rolled out one after another: "local", an SSH host name, or an object.',
    },
    restart: { ...argv, description: 'Run on each host after its link moves.' },
    'probe-timeout': { ...duration, description: "Longest wait for a host's probe to answer 2xx (default 30s)." },
    batch: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: BATCH_PERCENT_PATTERN, 'x-expected': 'a percentage of the hosts such as "25%"' },
      ],
      'x-expected': 'a number of hosts, or a percentage of them such as "25%"',
      description:
        'Hosts moved at once, in parallel, each probed before the next batch: a number, or a percentage of the hosts such as "25%" (rounded down, at least 1; default 1).',
    },
  },
} as const;

export type SymlinkHost = FromSchema<typeof hostSchema>;
export type SymlinkRouterConfig = RouterConfigOf<'symlink', FromSchema<typeof schema>>;

/** A symlink host written as a word: "local" (or "localhost") runs here, any other word is an SSH host. */
export function symlinkHost(entry: SymlinkHost | string): SymlinkHost {
  if (typeof entry !== 'string') return entry;
  return entry === 'local' || entry === 'localhost' ? { name: entry } : { name: entry, ssh: { host: entry } };
}

export const symlink: RouterProvider<SymlinkRouterConfig> = {
  kind: 'symlink',
  description: 'Symlink releases: a directory per version and a `current` link on each host, moved host after host.',
  schema,
  // Instances would each round a canary's share to their own hosts and disagree (a step of 1 of 5
  // hosts moved one host of a 3-host instance and none of a 2-host one): one list of hosts instead.
  noInstances: 'list every machine under hosts (one symlink router is already a fleet of hosts, moved in batches)',
  check(config, problem) {
    const names = new Set<string>();
    config.hosts.forEach((entry, index) => {
      const host = symlinkHost(entry);
      if (names.has(host.name)) problem(['hosts', index], `host "${host.name}" is listed twice`);
      names.add(host.name);
      if (host.probe !== undefined && !validUrl(host.probe)) problem(['hosts', index, 'probe'], `"${host.probe}" is not an http or https URL`);
    });
  },
  // Hosts may be written as a word; the router and the watch read the object form.
  normalize(config) {
    config.hosts = config.hosts.map(symlinkHost);
  },
  create: (environment, config, options) => symlinkRouter(environment, config, { log: options.log }),
};

interface Host {
  name: string;
  executor: Executor;
  releasesDir: string;
  current: string;
  probe?: string;
}

/** What a host's `current` is: a link (its raw target), nothing, or something else. */
type LinkState = { kind: 'link'; target: string } | { kind: 'missing' };

// Fixed scripts, paths as "$1"...: no input ever becomes shell code. One SSH round trip per look
// at a host: its link, then its releases.
const INSPECT = [
  'if [ -L "$2" ]; then printf "link %s\\n" "$(readlink -- "$2")"; elif [ -e "$2" ]; then echo "$2 exists and is not a symbolic link" >&2; exit 4; else echo missing; fi',
  'cd -- "$1" 2>/dev/null || { echo "cannot enter releases-dir $1" >&2; exit 5; }',
  'for d in */; do if [ -d "$d" ]; then printf "release %s\\n" "${d%/}"; fi; done',
].join('\n');
// A new link beside the old one, renamed over it: readers see the old release or the new, never
// none. Then the restart argv, if any, in the same round trip.
const MOVE_LINK = 'ln -s -- "$1" "$2" || exit 1; if ! mv -T -- "$2" "$3"; then rm -f -- "$2"; exit 1; fi; shift 3; if [ "$#" -gt 0 ]; then exec "$@"; fi';
const REMOVE_LINK = 'if [ -L "$1" ]; then rm -f -- "$1"; fi';

const DEFAULT_PROBE_TIMEOUT_MS = 30_000;

export interface SymlinkRouterOptions {
  /** Logs each host as it moves. */
  log?: (line: string) => void;
}

function hostsOf(config: SymlinkRouterConfig): Host[] {
  return config.hosts.map((entry) => {
    const host = symlinkHost(entry);
    // Host-level ssh settings override the router's (port, user, key shared once at router level).
    const ssh: SshTarget | undefined = host.ssh ? { ...config.ssh, ...host.ssh } : undefined;
    return {
      name: host.name,
      executor: executorFor(ssh),
      releasesDir: host['releases-dir'] ?? config['releases-dir'],
      current: host.current ?? config.current,
      probe: host.probe,
    };
  });
}

export function symlinkRouter(environment: NamedEnvironment, config: SymlinkRouterConfig, options: SymlinkRouterOptions = {}): Router {
  const field = `environments.${environment.name}.router`;
  const hosts = hostsOf(config);
  const log = options.log ?? (() => undefined);
  const probeTimeoutMs = config['probe-timeout'] ? parseDuration(config['probe-timeout'], `${field}.probe-timeout`) : DEFAULT_PROBE_TIMEOUT_MS;

  const inHost = async <T>(host: Host, what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (error) {
      throw new Error(`host ${host.name}: ${(error as Error).message}`, { cause: error });
    }
  };

  // A look at each host is kept until this router changes something, so that pools, read and
  // snapshot in one run cost one SSH round trip per host.
  const looks = new Map<Host, Promise<{ link: LinkState; releases: string[] }>>();
  const inspect = (host: Host) => {
    let look = looks.get(host);
    if (!look) {
      look = inHost(host, async () => {
        const result = await host.executor.run(['sh', '-c', INSPECT, 'sh', host.releasesDir, host.current]);
        if (result.code === 5) throw new Error(`${field}.releases-dir: ${outside(result.stderr.trim())}`);
        if (result.code !== 0) throw new Error(outside(result.stderr.trim()) || `inspecting ${host.current} exited ${result.code}`);
        const lines = result.stdout.split('\n').filter(Boolean);
        const linkLine = lines[0] ?? 'missing';
        const link: LinkState = linkLine.startsWith('link ') ? { kind: 'link', target: linkLine.slice(5) } : { kind: 'missing' };
        return { link, releases: lines.filter((line) => line.startsWith('release ')).map((line) => line.slice(8)) };
      });
      looks.set(host, look);
      look.catch(() => looks.delete(host));
    }
    return look;
  };
  const readLink = async (host: Host): Promise<LinkState> => (await inspect(host)).link;
  const releaseOn = (host: Host, state: LinkState) => (state.kind === 'link' ? releaseOf(state.target, host.releasesDir, host.current) : undefined);
  const readAll = () => Promise.all(hosts.map(readLink));

  /** Moves the link (and restarts, when `release` is known and a restart is configured) in one round trip. */
  const setLink = (host: Host, target: string, release: string | undefined) => {
    looks.delete(host);
    const restart = config.restart && release ? config.restart.map((arg) => arg.replace(/\{version\}/g, release).replace(/\{host\}/g, host.name)) : [];
    return inHost(host, () =>
      runChecked(host.executor, ['sh', '-c', MOVE_LINK, 'sh', target, `${host.current}.tmp-${randomBytes(4).toString('hex')}`, host.current, ...restart]),
    );
  };

  const probe = async (host: Host): Promise<void> => {
    if (!host.probe) return;
    const deadline = Date.now() + probeTimeoutMs;
    let last: string;
    for (;;) {
      try {
        const response = await fetch(host.probe, { signal: AbortSignal.timeout(Math.max(1, Math.min(5_000, deadline - Date.now()))) });
        await response.body?.cancel();
        if (response.status >= 200 && response.status < 300) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() >= deadline) throw new Error(`host ${host.name}: probe ${host.probe} did not answer 2xx within ${probeTimeoutMs} ms (last: ${last})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  return {
    kind: 'symlink',
    describe: () => `symlink ${config.current} on ${hosts.map((h) => `${h.name}${h.executor.where === 'local' ? '' : ` (${h.executor.where})`}`).join(', ')}`,
    async pools() {
      // A release can be switched to only if every host has it.
      const lists = await Promise.all(hosts.map(async (host) => (await inspect(host)).releases));
      return lists.reduce((common, list) => common.filter((release) => list.includes(release)));
    },
    read: async () => {
      const states = await readAll();
      return hostSplit(states.map((state, index) => releaseOn(hosts[index]!, state)));
    },
    async snapshot(): Promise<RouterSnapshot> {
      const states = await readAll();
      return {
        split: hostSplit(states.map((state, index) => releaseOn(hosts[index]!, state))),
        async restore() {
          // Each host on its own: one unreachable host must not keep the others off their old link.
          const now = hosts.map(readLink);
          for (const look of now) look.catch(() => undefined); // awaited, and reported, below
          await forEachAttempted(
            hosts.keys(),
            async (index) => {
              const host = hosts[index]!;
              const was = states[index]!;
              const is = await now[index]!;
              if (was.kind === is.kind && (was.kind === 'missing' || was.target === (is as { target: string }).target)) return;
              if (was.kind === 'missing') {
                looks.delete(host);
                await inHost(host, () => runChecked(host.executor, ['sh', '-c', REMOVE_LINK, 'sh', host.current]));
              } else {
                await setLink(host, was.target, releaseOn(host, was));
              }
              log(`${host.name}: restored ${was.kind === 'link' ? was.target : '(no link)'}`);
              // All hosts at once: the way back is to releases that served; SSH's cap bounds the connections.
            },
            hosts.length,
          );
        },
      };
    },
    async apply(next: Split): Promise<Split> {
      const states = await readAll();
      const releases = states.map((state, index) => releaseOn(hosts[index]!, state));
      const wanted = assignHosts(releases, Object.fromEntries(Object.entries(next).filter(([, weight]) => weight > 0)));
      // Batch by batch: the hosts of a batch move in parallel, and the next batch moves only when
      // every host of this one answers its probe. A failure stops the rollout once its batch has
      // settled (no host is left half moved), naming each failed host; applySplit restores them all.
      const movers = [...hosts.keys()].filter((index) => releases[index] !== wanted[index]);
      for (const batch of inBatches(movers, batchSize(config.batch, hosts.length))) {
        const settled = await Promise.allSettled(
          batch.map(async (index) => {
            const host = hosts[index]!;
            const release = wanted[index]!;
            await setLink(host, `${host.releasesDir.replace(/\/+$/, '')}/${release}`, release);
            await probe(host);
            log(`${host.name}: ${releases[index] ?? '(none)'} -> ${release}`);
          }),
        );
        const failed = settled.flatMap((result) => (result.status === 'rejected' ? [errorMessage(result.reason)] : []));
        if (failed.length > 0) throw new Error(failed.join('; '));
      }
      return hostSplit((await readAll()).map((state, index) => releaseOn(hosts[index]!, state)));
    },
    expected: (next) => symlinkExpected(next, hosts.length),
    hostReleases: async () => (await readAll()).map((state, index) => ({ host: hosts[index]!.name, release: releaseOn(hosts[index]!, state) })),
  };
}
