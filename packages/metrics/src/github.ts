/**
 * Reading what Cutover recorded from GitHub's REST API: deployments with their statuses,
 * compares, incident issues, the pull requests of a commit. The one place with I/O.
 *
 * Real volumes (1,000 deployments and 5,000 commits in a window) mean about two thousand
 * requests. GitHub's secondary rate limits ask for requests one at a time, and at most 900
 * points a minute on REST endpoints (a GET is one point):
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 * So every request here waits for the previous one, pages hold 100 items, the deployments list
 * (newest first) stops at the window's start, and requests to GitHub start at least 67 ms apart
 * (60,000 / 900). A request to an API on this machine (the test stand-in) is not spaced.
 * Every HTTP attempt has a timeout; the client's plugins retry 5xx and wait out short rate limits.
 */
import {
  deploymentFacts,
  ROLLBACK_TASK,
  spacesWrites,
  type AssociatedPull,
  type DeploymentRecord,
  type GitHubClient,
  type RepoRef,
  type ShippedSource,
} from '@cutover/github';
import { errorMessage } from '@cutover/config';
import type { IncidentIssue } from './incidents.js';
import type { Compared } from './lead-time.js';
import type { Window } from './window.js';

export const PER_PAGE = 100;
/** 60,000 ms / 900 points a minute, GitHub's secondary limit on REST endpoints. */
export const GITHUB_MIN_INTERVAL_MS = 67;
export const REQUEST_TIMEOUT_MS = 30_000;
/** Deployments before the window whose statuses are read, per environment, to find the base of the first compare. */
export const BASE_SEARCH_LIMIT = 10;
/**
 * The environment GitHub Pages deploys to (actions/deploy-pages, also the metrics page's own
 * publication): left out when every environment is read, since it ships no change of the product.
 */
export const PAGES_ENVIRONMENT = 'github-pages';
/** Pages of deployments read past the window's start in that search. */
export const BASE_SEARCH_PAGES = 3;
/** Pages of one compare (100 commits each): a deployment shipping more is counted on its first 3,000. */
export const MAX_COMPARE_PAGES = 30;

export interface ReaderOptions {
  timeoutMs?: number;
  /** Least time between the starts of two requests; default 67 ms to GitHub, 0 to a local API. */
  minIntervalMs?: number;
  log?: (line: string) => void;
}

type Fetch = typeof globalThis.fetch;

export class GitHubReader implements ShippedSource {
  /** Requests made (each page is one). */
  calls = 0;
  compares = 0;
  private lastStart = 0;
  private readonly fetch: Fetch;
  private readonly minIntervalMs: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    options: ReaderOptions = {},
  ) {
    const defaults = client.request.endpoint.DEFAULTS as { baseUrl: string; request?: { fetch?: Fetch } };
    // The client's own fetch (it goes through the runner's proxy), with a deadline per attempt.
    const base: Fetch = defaults.request?.fetch ?? globalThis.fetch;
    const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.fetch = ((url: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      return base(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
    }) as Fetch;
    this.minIntervalMs = options.minIntervalMs ?? (spacesWrites(defaults.baseUrl) ? GITHUB_MIN_INTERVAL_MS : 0);
    this.log = options.log ?? (() => {});
  }

  private async call<T>(what: string, request: (options: { fetch: Fetch }) => Promise<{ data: T }>): Promise<T> {
    const wait = this.lastStart + this.minIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastStart = Date.now();
    this.calls += 1;
    try {
      return (await request({ fetch: this.fetch })).data;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const name = (error as { cause?: { name?: string } }).cause?.name;
      const why = name === 'TimeoutError' ? 'no answer in time' : errorMessage(error);
      throw Object.assign(new Error(`GitHub ${what}: ${why}`, { cause: error }), { status });
    }
  }

  private async statuses(id: number): Promise<DeploymentRecord['statuses']> {
    return this.call(`statuses of deployment ${id}`, (request) =>
      this.client.rest.repos.listDeploymentStatuses({ ...this.repo, deployment_id: id, per_page: PER_PAGE, request }),
    );
  }

  private async deploymentsPage(environment: string | undefined, page: number) {
    return this.call(`deployments, page ${page}`, (request) =>
      this.client.rest.repos.listDeployments({ ...this.repo, ...(environment ? { environment } : {}), per_page: PER_PAGE, page, request }),
    );
  }

  /**
   * The deployments created in the window, with their statuses, and before them, per
   * environment, the newest that reached success (what the first compare starts from; up to
   * BASE_SEARCH_LIMIT looked at). Rollbacks of the window bring the deployment they rolled back
   * when it is older than the window.
   */
  async deployments(environment: string | undefined, window: Window): Promise<DeploymentRecord[]> {
    type Listed = Awaited<ReturnType<GitHubReader['deploymentsPage']>>[number];
    const recent: Listed[] = [];
    const older: Listed[] = [];
    let page = 0;
    let exhausted = false;
    const readPage = async (): Promise<void> => {
      page += 1;
      const listed = await this.deploymentsPage(environment, page);
      for (const deployment of listed) {
        if (!environment && deployment.environment === PAGES_ENVIRONMENT) continue;
        (Date.parse(deployment.created_at) >= window.since ? recent : older).push(deployment);
      }
      exhausted = listed.length < PER_PAGE;
    };
    // Newest first: once a page reaches past the window's start, the next pages are older still.
    do await readPage();
    while (!exhausted && older.length === 0);

    const read: DeploymentRecord[] = [];
    for (const deployment of recent) {
      if (Date.parse(deployment.created_at) > window.until) continue;
      read.push({ ...deployment, statuses: await this.statuses(deployment.id) });
    }

    const looked = new Map<string, number>();
    const pending = new Set(read.map((deployment) => deployment.environment));
    let next = 0;
    for (let extra = 0; ; extra++) {
      for (; next < older.length && pending.size > 0; next++) {
        const deployment = older[next]!;
        const count = looked.get(deployment.environment) ?? 0;
        if (!pending.has(deployment.environment) || count >= BASE_SEARCH_LIMIT) continue;
        looked.set(deployment.environment, count + 1);
        const record = { ...deployment, statuses: await this.statuses(deployment.id) };
        read.push(record);
        if (record.statuses.some((status) => status.state === 'success')) pending.delete(deployment.environment);
      }
      const searching = [...pending].some((name) => (looked.get(name) ?? 0) < BASE_SEARCH_LIMIT);
      if (!searching || exhausted || extra >= BASE_SEARCH_PAGES) break;
      await readPage();
    }

    const known = new Set(read.map((deployment) => deployment.id));
    for (const rollback of read.filter((deployment) => deployment.task === ROLLBACK_TASK)) {
      const bad = deploymentFacts(rollback).rolledBackFrom;
      if (bad === undefined || known.has(bad)) continue;
      known.add(bad);
      try {
        const deployment = await this.call(`deployment ${bad}`, (request) =>
          this.client.rest.repos.getDeployment({ ...this.repo, deployment_id: bad, request }),
        );
        read.push({ ...deployment, statuses: await this.statuses(bad) });
      } catch (error) {
        this.log(`Deployment ${bad}, rolled back by ${rollback.id}, not read: ${errorMessage(error)}`);
      }
    }
    return read;
  }

  /** GitHub's compare base...head, every page (up to MAX_COMPARE_PAGES): the commits head adds. */
  async compare(base: string, head: string): Promise<Compared> {
    this.compares += 1;
    const commits: Compared['commits'] = [];
    let total = 0;
    for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
      const data = await this.call(`compare ${base.slice(0, 7)}...${head.slice(0, 7)}, page ${page}`, (request) =>
        this.client.rest.repos.compareCommitsWithBasehead({ ...this.repo, basehead: `${base}...${head}`, per_page: PER_PAGE, page, request }),
      );
      total = data.total_commits;
      for (const commit of data.commits) {
        const at = Date.parse(commit.commit.committer?.date ?? commit.commit.author?.date ?? '');
        if (!Number.isNaN(at)) commits.push({ sha: commit.sha, committedAt: at });
      }
      if (data.commits.length < PER_PAGE || commits.length >= total) break;
    }
    return { commits, total };
  }

  /** Issues with `label` updated since the window's start (GitHub's `since` is on updates), pull requests left out. */
  async incidents(label: string, since: number): Promise<IncidentIssue[]> {
    const issues: IncidentIssue[] = [];
    for (let page = 1; ; page++) {
      const listed = await this.call(`issues labelled ${label}, page ${page}`, (request) =>
        this.client.rest.issues.listForRepo({
          ...this.repo,
          labels: label,
          state: 'all',
          since: new Date(since).toISOString(),
          per_page: PER_PAGE,
          page,
          request,
        }),
      );
      issues.push(...listed.filter((issue) => !issue.pull_request));
      if (listed.length < PER_PAGE) return issues;
    }
  }

  /** The pull requests GitHub associates with a commit (merged into it, or open with it). */
  async pullsOf(sha: string): Promise<AssociatedPull[]> {
    return this.call(`pull requests of ${sha.slice(0, 7)}`, (request) =>
      this.client.rest.repos.listPullRequestsAssociatedWithCommit({ ...this.repo, commit_sha: sha, per_page: PER_PAGE, request }),
    );
  }
}
