/**
 * The stand-in's memory: what a test seeds (pulls, compares, branch rules, refs) and what the
 * code under test writes (deployments, check runs, statuses, issues, releases, dispatches),
 * kept in GitHub's own response shapes so tests can read them back as GitHub would show them.
 */
import { createHash } from 'node:crypto';
import { type Body, type CommitSeed, type Site } from './shapes.js';

/** A pull request as a test seeds it: only what Cutover reads, the rest is filled in. */
export interface PullSeed {
  number: number;
  head: { sha: string; ref: string };
  base: { ref: string; sha?: string };
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  merged?: boolean;
  /** Set when the pull request was merged (squash or merge commit). */
  merge_commit_sha?: string | null;
  labels?: string[];
  files?: FileSeed[];
  user?: string;
}

/** A changed file of a pull request or a compare. */
export interface FileSeed {
  filename: string;
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions?: number;
  deletions?: number;
  patch?: string;
  previous_filename?: string;
}

/** A branch rule as `GET /repos/{owner}/{repo}/rules/branches/{branch}` lists it. */
export interface BranchRuleSeed {
  type: string;
  parameters?: Record<string, unknown>;
  ruleset_id?: number;
  ruleset_source_type?: 'Repository' | 'Organization';
  ruleset_source?: string;
}

export interface CompareSeed {
  commits: CommitSeed[];
  files?: FileSeed[];
  /** Commits of base missing from head; 0 by default (head is ahead of base). */
  behindBy?: number;
}

export interface WorkflowDispatch {
  workflowId: string;
  ref: string;
  inputs: Record<string, unknown>;
}

export interface StoredAsset {
  id: number;
  releaseId: number;
  name: string;
  label: string | null;
  contentType: string;
  bytes: Buffer;
  createdAt: string;
}

/** A deterministic 40-hex sha for a name, so seeded refs are stable across runs. */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

const HEX_SHA = /^[0-9a-f]{7,40}$/i;

export class GitHubStore {
  readonly site: Site;
  private nextId = 1;
  private nextNumber = 1;

  /** `heads/main` -> sha; `tags/v1.2.3` -> sha. */
  readonly refs = new Map<string, string>();
  readonly deployments: Body[] = [];
  /** Deployment statuses by deployment id, oldest first. */
  readonly deploymentStatuses = new Map<number, Body[]>();
  readonly checkRuns: Body[] = [];
  /** Annotations by check run id, in the order they were sent. */
  readonly annotations = new Map<number, Body[]>();
  readonly statuses: Body[] = [];
  readonly issues: Body[] = [];
  readonly comments: Body[] = [];
  readonly labels = new Map<string, Body>();
  readonly pulls: PullSeed[] = [];
  readonly compares = new Map<string, CompareSeed>();
  readonly branchRules = new Map<string, BranchRuleSeed[]>();
  readonly gitTags: Body[] = [];
  readonly releases: Body[] = [];
  readonly assets: StoredAsset[] = [];
  readonly dispatches: WorkflowDispatch[] = [];
  /**
   * Files of commits the stand-in made through the contents API (and those a test seeds), by
   * commit sha then path. A commit it did not make has no files here: reading one answers 404.
   */
  readonly commitFiles = new Map<string, Map<string, Buffer>>();
  /** Called for each workflow dispatch (the workflow simulator starts the workflow). */
  readonly dispatchListeners: ((dispatch: WorkflowDispatch) => void)[] = [];

  constructor(site: Site) {
    this.site = site;
    this.refs.set(`heads/${site.defaultBranch}`, fakeSha(`heads/${site.defaultBranch}`));
  }

  id(): number {
    return this.nextId++;
  }

  /** Issues and pull requests share one sequence of numbers, as on GitHub. */
  issueNumber(): number {
    return this.nextNumber++;
  }

  /** Seeds a pull request (and its branch ref). Numbers of issues created later follow it. */
  addPull(seed: PullSeed): void {
    if (this.pulls.some((pull) => pull.number === seed.number)) throw new Error(`pull request #${seed.number} already seeded`);
    this.pulls.push({ ...seed });
    this.nextNumber = Math.max(this.nextNumber, seed.number + 1);
    if (!this.refs.has(`heads/${seed.head.ref}`)) this.refs.set(`heads/${seed.head.ref}`, seed.head.sha);
  }

  /** Seeds `GET /compare/{base}...{head}`; unseeded pairs compare as identical with no commits. */
  setCompare(base: string, head: string, commits: CommitSeed[] | CompareSeed): void {
    this.compares.set(`${base}...${head}`, Array.isArray(commits) ? { commits } : commits);
  }

  compare(base: string, head: string): CompareSeed {
    return this.compares.get(`${base}...${head}`) ?? { commits: [] };
  }

  /** Seeds the rules that apply to a branch (rulesets); none by default. */
  setBranchRules(branch: string, rules: BranchRuleSeed[]): void {
    this.branchRules.set(branch, rules);
  }

  /** Seeds or moves a git ref: `setRef('heads/release', sha)`, `setRef('tags/v1.0.0', sha)`. */
  setRef(ref: string, sha: string): void {
    this.refs.set(ref.replace(/^refs\//, ''), sha);
  }

  /** A file as the head of `branch` (or a sha) has it, for reading what the code under test wrote. */
  fileAt(ref: string, path: string): Buffer | undefined {
    const sha = this.resolveSha(ref);
    return sha === undefined ? undefined : this.commitFiles.get(sha)?.get(path);
  }

  /** A branch, tag or sha as GitHub resolves it; undefined when GitHub would answer "No ref found". */
  resolveSha(ref: string): string | undefined {
    const short = ref.replace(/^refs\//, '');
    return this.refs.get(short) ?? this.refs.get(`heads/${short}`) ?? this.refs.get(`tags/${short}`) ?? (HEX_SHA.test(ref) ? ref : undefined);
  }

  /** The statuses of one deployment, newest first, as GitHub lists them. */
  statusesOf(deploymentId: number): Body[] {
    return [...(this.deploymentStatuses.get(deploymentId) ?? [])].reverse();
  }

  /** The bytes of an uploaded release asset, by asset name and release tag. */
  assetBytes(tag: string, name: string): Buffer | undefined {
    const release = this.releases.find((candidate) => candidate.tag_name === tag);
    return this.assets.find((asset) => asset.releaseId === release?.id && asset.name === name)?.bytes;
  }

  /** Check runs on a sha, oldest first. */
  checkRunsFor(sha: string): Body[] {
    return this.checkRuns.filter((run) => run.head_sha === sha);
  }
}
