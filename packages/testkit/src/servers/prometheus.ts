import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireBinary, sleep, spawnDaemon, stopDaemon, waitReady } from './process.js';
import { freePort, makeTempDir, removeDir } from './temp.js';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface PrometheusOptions {
  /** host:port of each server to scrape (its /metrics). */
  targets: string[];
  /** Prometheus duration; '1s' unless set. */
  scrapeInterval?: string;
}

export interface Prometheus {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** The instant query's first value, or undefined when it returns nothing. */
  query(promql: string): Promise<number | undefined>;
  /**
   * Resolves once every target has been scraped successfully (up == 1). Prometheus 2.42 hands new
   * targets to its scrapers on a fixed 5 s tick, so this takes about 6 s after start.
   */
  waitForTargets(timeoutMs?: number): Promise<void>;
}

interface QueryResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

interface TargetsResponse {
  data?: { activeTargets?: { scrapeUrl: string; health: string }[] };
}

/** Prometheus scraping the given targets, with its TSDB in a temp dir. */
export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  await requireBinary(PROMETHEUS_BINARY, 'prometheus');
  const dir = await makeTempDir('cutover-prometheus-');
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, prometheusConfig(options.targets, options.scrapeInterval ?? '1s'));
    const daemon = spawnDaemon(
      [
        PROMETHEUS_BINARY,
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
      ],
      join(dir, 'prometheus.log'),
    );
    const stop = async () => {
      await stopDaemon(daemon, 'SIGTERM', 10_000);
      await removeDir(dir);
    };
    try {
      await waitReady('prometheus', daemon, async () => (await fetch(`${url}/-/ready`)).ok, 30_000);
    } catch (error) {
      await stop();
      throw error;
    }

    const query = async (promql: string) => {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as QueryResponse;
      if (body.status !== 'success') throw new Error(`prometheus query "${promql}" failed: ${body.error ?? response.status}`);
      return firstValue(body.data);
    };

    const waitForTargets = async (timeoutMs = 30_000) => {
      const wanted = options.targets.map((t) => `http://${t}/metrics`);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as TargetsResponse;
        const active = body.data?.activeTargets ?? [];
        const down = wanted.filter((w) => !active.some((t) => t.scrapeUrl === w && t.health === 'up'));
        if (down.length === 0) return;
        if (Date.now() > deadline) throw new Error(`prometheus: targets not up within ${timeoutMs} ms: ${down.join(', ')}`);
        await sleep(200);
      }
    };

    return { url, port, stop, query, waitForTargets };
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

function prometheusConfig(targets: string[], interval: string): string {
  // JSON is valid YAML, and quoting it this way needs no YAML writer.
  return JSON.stringify(
    {
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      scrape_configs: [{ job_name: 'backends', static_configs: [{ targets }] }],
    },
    null,
    2,
  );
}

function firstValue(data: QueryResponse['data']): number | undefined {
  if (!data) return undefined;
  if (data.resultType === 'scalar') return Number((data.result as [number, string])[1]);
  const samples = data.result as { value?: [number, string] }[];
  const value = samples[0]?.value?.[1];
  return value === undefined ? undefined : Number(value);
}
