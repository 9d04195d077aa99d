/**
 * Lead time for changes: for each change deployed in the window, the commits it shipped (GitHub's
 * compare from the previous successful deployment of the environment to it), each from its commit
 * time to the deployment's success. Pure: the compares are read at the edge from the plan.
 */
import { leadTimeBand, type Band } from './bands.js';
import { isChange, oldestFirst, previousSuccess, type DeploymentFacts } from '@cutover/github';
import { median, quantile } from './stats.js';
import { inWindow, type Window } from './window.js';

export interface PlannedCompare {
  deployment: DeploymentFacts;
  /** The previous successful deployment of the environment; none: nothing to compare from. */
  base?: DeploymentFacts;
}

/** The changes of the window, oldest first, with the deployment each one's compare starts from. */
export function leadTimePlan(all: readonly DeploymentFacts[], window: Window): PlannedCompare[] {
  return oldestFirst(all.filter((facts) => isChange(facts) && inWindow(window, facts.succeededAt))).map((deployment) => {
    const base = previousSuccess(deployment, all);
    return base ? { deployment, base } : { deployment };
  });
}

/** Whether a planned compare needs GitHub: not when there is no base or the same commit was deployed again. */
export function needsCompare(planned: PlannedCompare): planned is Required<PlannedCompare> {
  return planned.base !== undefined && planned.base.sha !== planned.deployment.sha;
}

export interface ShippedCommit {
  sha: string;
  /** The committer's time: when the commit landed on the branch (a squash merge's is the merge). */
  committedAt: number;
}

export interface Compared {
  commits: ShippedCommit[];
  /** GitHub's total_commits: more than commits.length when pages were left unread. */
  total: number;
}

export interface DeploymentLeadTime {
  id: number;
  environment: string;
  version?: string;
  succeededAt: number;
  /** The deployment the compare started from. */
  base?: { id: number; sha: string };
  /** Commits counted (a commit already shipped by an earlier deployment of the window is not counted again). */
  commits: { sha: string; seconds: number }[];
  /** Commits GitHub listed beyond those read. */
  omitted: number;
  median?: number;
  /** Why no commit was counted, when none was. */
  note?: string;
}

export interface LeadTimeFigure {
  /** Seconds, over every commit counted; undefined with no commit. */
  median?: number;
  p90?: number;
  band?: Band;
  commits: number;
  deployments: DeploymentLeadTime[];
  noData?: string;
}

/**
 * Lead times from the plan and what GitHub's compares listed. A commit is counted once per
 * environment, at the first deployment that shipped it: after a rollback, the redeployment's
 * compare lists the rolled-back commits again. A commit time after the deployment (a clock
 * skew) counts as 0 s.
 */
export function leadTime(plan: readonly PlannedCompare[], compared: ReadonlyMap<number, Compared>): LeadTimeFigure {
  const shipped = new Map<string, Set<string>>();
  const deployments: DeploymentLeadTime[] = plan.map(({ deployment, base }) => {
    const seen = shipped.get(deployment.environment) ?? new Set<string>();
    shipped.set(deployment.environment, seen);
    const result = compared.get(deployment.id);
    const commits: { sha: string; seconds: number }[] = [];
    for (const commit of result?.commits ?? []) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      commits.push({ sha: commit.sha, seconds: Math.max(0, Math.round((deployment.succeededAt! - commit.committedAt) / 1000)) });
    }
    const note = !base
      ? 'no earlier successful deployment of the environment was found to compare from'
      : base.sha === deployment.sha
        ? `the same commit as deployment ${base.id} was deployed again`
        : !result
          ? 'the compare could not be read'
          : commits.length === 0 && result.commits.length > 0
            ? 'every commit was already shipped by an earlier deployment'
            : commits.length === 0
              ? 'GitHub listed no commit ahead of the previous deployment'
              : undefined;
    const middle = median(commits.map((commit) => commit.seconds));
    return {
      id: deployment.id,
      environment: deployment.environment,
      ...(deployment.version ? { version: deployment.version } : {}),
      succeededAt: deployment.succeededAt!,
      ...(base ? { base: { id: base.id, sha: base.sha } } : {}),
      commits,
      omitted: result ? Math.max(0, result.total - result.commits.length) : 0,
      ...(middle === undefined ? {} : { median: middle }),
      ...(note ? { note } : {}),
    };
  });
  const seconds = deployments.flatMap((deployment) => deployment.commits.map((commit) => commit.seconds));
  const middle = median(seconds);
  if (middle === undefined) {
    return {
      commits: 0,
      deployments,
      noData: plan.length === 0 ? 'no deployment reached success in the window' : 'no commit shipped by the deployments of the window could be read',
    };
  }
  return { median: middle, p90: quantile(seconds, 0.9)!, band: leadTimeBand(middle), commits: seconds.length, deployments };
}
