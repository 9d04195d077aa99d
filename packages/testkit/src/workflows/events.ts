/**
 * `on:` as GitHub documents it, and which workflows an event starts: activity types, branch, tag
 * and path filters (GitHub's own pattern syntax, `!` patterns in order), `workflow_run`'s
 * workflows, dispatch inputs. Pure: the matching is a decision over the event and the triggers.
 */

/** Events GitHub knows; the simulator raises the modelled ones, the others are accepted in `on:`. */
const KNOWN_EVENTS = [
  'branch_protection_rule',
  'check_run',
  'check_suite',
  'create',
  'delete',
  'deployment',
  'deployment_status',
  'discussion',
  'discussion_comment',
  'fork',
  'gollum',
  'issue_comment',
  'issues',
  'label',
  'merge_group',
  'milestone',
  'page_build',
  'public',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'pull_request_target',
  'push',
  'registry_package',
  'release',
  'repository_dispatch',
  'schedule',
  'status',
  'watch',
  'workflow_call',
  'workflow_dispatch',
  'workflow_run',
];

export const MODELLED_EVENTS = ['push', 'pull_request', 'workflow_dispatch', 'schedule', 'workflow_run', 'merge_group'] as const;
export type EventName = (typeof MODELLED_EVENTS)[number];

const PULL_REQUEST_TYPES = [
  'assigned',
  'unassigned',
  'labeled',
  'unlabeled',
  'opened',
  'edited',
  'closed',
  'reopened',
  'synchronize',
  'converted_to_draft',
  'ready_for_review',
  'locked',
  'unlocked',
  'review_requested',
  'review_request_removed',
  'auto_merge_enabled',
  'auto_merge_disabled',
  'milestoned',
  'demilestoned',
  'enqueued',
  'dequeued',
];
const DEFAULT_PULL_REQUEST_TYPES = ['opened', 'synchronize', 'reopened'];
const WORKFLOW_RUN_TYPES = ['completed', 'requested', 'in_progress'];
const INPUT_TYPES = ['string', 'boolean', 'choice', 'number', 'environment'];

export interface DispatchInput {
  type: 'string' | 'boolean' | 'choice' | 'number' | 'environment';
  required: boolean;
  default?: string | boolean | number;
  options?: string[];
}

export interface Filters {
  types?: string[];
  branches?: string[];
  branchesIgnore?: string[];
  tags?: string[];
  tagsIgnore?: string[];
  paths?: string[];
  pathsIgnore?: string[];
  workflows?: string[];
  crons?: string[];
  inputs?: Record<string, DispatchInput>;
}

export interface Triggers {
  /** By event name: the filters written under it ({} when none). */
  events: Record<string, Filters>;
  /** Names of workflow_dispatch (and workflow_call) inputs; undefined when it declares none. */
  inputs?: string[];
}

type Fail = (path: (string | number)[], message: string) => never;

function list(value: unknown, path: (string | number)[], fail: Fail): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' && typeof item !== 'number')) fail(path, 'expected a list of strings');
  return (value as unknown[]).map(String);
}

function patterns(value: unknown, path: (string | number)[], fail: Fail): string[] {
  const items = list(value, path, fail);
  if (items.length && items.every((item) => item.startsWith('!'))) fail(path, 'a list of ! patterns needs at least one pattern without !');
  for (const item of items) {
    try {
      patternRegExp(item.replace(/^!/, ''));
    } catch (error) {
      fail(path, (error as Error).message);
    }
  }
  return items;
}

const FILTER_KEYS: Record<string, string[]> = {
  push: ['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore'],
  pull_request: ['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore'],
  pull_request_target: ['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore'],
  workflow_run: ['workflows', 'types', 'branches', 'branches-ignore'],
  merge_group: ['types'],
  workflow_dispatch: ['inputs'],
};

export function parseTriggers(value: unknown, fail: Fail): Triggers {
  const raw: Record<string, unknown> =
    typeof value === 'string'
      ? { [value]: null }
      : Array.isArray(value)
        ? Object.fromEntries(value.map((name) => [String(name), null]))
        : value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)
          : fail([], `expected an event, a list or a mapping, got ${JSON.stringify(value)}`);
  const triggers: Triggers = { events: {} };
  for (const [event, spec] of Object.entries(raw)) {
    if (!KNOWN_EVENTS.includes(event)) fail([event], `unknown event "${event}"`);
    const filters: Filters = {};
    triggers.events[event] = filters;
    if (event === 'schedule') {
      if (!Array.isArray(spec) || spec.length === 0) fail([event], 'schedule is a list of { cron }');
      filters.crons = (spec as unknown[]).map((item, index) => {
        const cron = (item as { cron?: unknown } | null)?.cron;
        if (typeof cron !== 'string' || cron.trim().split(/\s+/).length !== 5) fail([event, index], 'expected { cron: "<five fields>" }');
        return cron as string;
      });
      continue;
    }
    if (spec === null || spec === undefined) {
      if (event === 'workflow_run') fail([event], 'workflow_run needs workflows:');
      if (event === 'workflow_dispatch') triggers.inputs ??= [];
      continue;
    }
    if (typeof spec !== 'object' || Array.isArray(spec)) fail([event], 'expected a mapping of filters');
    const object = spec as Record<string, unknown>;
    const keys = FILTER_KEYS[event];
    if (!keys) continue; // events the simulator does not raise: their filters are not read
    for (const key of Object.keys(object)) if (!keys.includes(key)) fail([event, key], `unknown filter "${key}" for ${event}`);
    const at = (key: string) => [event, key];
    if (object.branches !== undefined && object['branches-ignore'] !== undefined) fail([event], 'branches and branches-ignore cannot be used together');
    if (object.tags !== undefined && object['tags-ignore'] !== undefined) fail([event], 'tags and tags-ignore cannot be used together');
    if (object.paths !== undefined && object['paths-ignore'] !== undefined) fail([event], 'paths and paths-ignore cannot be used together');
    if (object.branches !== undefined) filters.branches = patterns(object.branches, at('branches'), fail);
    if (object['branches-ignore'] !== undefined) filters.branchesIgnore = patterns(object['branches-ignore'], at('branches-ignore'), fail);
    if (object.tags !== undefined) filters.tags = patterns(object.tags, at('tags'), fail);
    if (object['tags-ignore'] !== undefined) filters.tagsIgnore = patterns(object['tags-ignore'], at('tags-ignore'), fail);
    if (object.paths !== undefined) filters.paths = patterns(object.paths, at('paths'), fail);
    if (object['paths-ignore'] !== undefined) filters.pathsIgnore = patterns(object['paths-ignore'], at('paths-ignore'), fail);
    if (object.types !== undefined) {
      const allowed = event === 'workflow_run' ? WORKFLOW_RUN_TYPES : event === 'merge_group' ? ['checks_requested'] : PULL_REQUEST_TYPES;
      filters.types = list(object.types, at('types'), fail);
      for (const type of filters.types) if (!allowed.includes(type)) fail(at('types'), `unknown activity type "${type}" for ${event}`);
    }
    if (event === 'workflow_run') {
      if (object.workflows === undefined) fail([event], 'workflow_run needs workflows:');
      filters.workflows = list(object.workflows, at('workflows'), fail);
    }
    if (event === 'workflow_dispatch') {
      filters.inputs = {};
      const inputs = (object.inputs ?? {}) as Record<string, unknown>;
      for (const [name, rawInput] of Object.entries(inputs)) {
        const input = (rawInput ?? {}) as Record<string, unknown>;
        const path = [event, 'inputs', name];
        for (const key of Object.keys(input))
          if (!['description', 'required', 'default', 'type', 'options'].includes(key)) fail([...path, key], `unknown key "${key}"`);
        const type = (input.type ?? 'string') as DispatchInput['type'];
        if (!INPUT_TYPES.includes(type)) fail([...path, 'type'], `unknown input type "${String(type)}"`);
        if (type === 'choice' && (!Array.isArray(input.options) || input.options.length === 0)) fail([...path, 'options'], 'a choice input needs options');
        filters.inputs[name] = {
          type,
          required: input.required === true,
          ...(input.default !== undefined ? { default: input.default as string | boolean | number } : {}),
          ...(type === 'choice' ? { options: (input.options as unknown[]).map(String) } : {}),
        };
        if (type === 'choice' && input.default !== undefined && !filters.inputs[name]!.options!.includes(String(input.default))) {
          fail([...path, 'default'], `default "${String(input.default)}" is not one of the options`);
        }
      }
      triggers.inputs = Object.keys(filters.inputs);
    }
  }
  return triggers;
}

// ---------------------------------------------------------------------------------------------
// GitHub's filter patterns

/**
 * GitHub's filter pattern cheat sheet: `*` any characters but `/`, `**` any characters, `?` zero or
 * one of the preceding character, `+` one or more of it, `[...]` a class; everything else literal.
 */
export function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') {
      if (pattern[index + 1] === '*') {
        index += 1;
        // `**/` also matches nothing, so `**/a` matches `a`.
        if (pattern[index + 1] === '/') {
          index += 1;
          source += '(?:.*/)?';
        } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?' || char === '+') {
      if (!source) throw new Error(`pattern "${pattern}": ${char} needs a character before it`);
      source += char;
    } else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) throw new Error(`pattern "${pattern}": [ without ]`);
      source += `[${pattern.slice(index + 1, end).replace(/\\/g, '\\\\')}]`;
      index = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether the patterns (in order, `!` excluding) include the name: the last matching pattern decides. */
export function matchesPatterns(name: string, list: string[]): boolean {
  let included = false;
  for (const pattern of list) {
    const negated = pattern.startsWith('!');
    if (patternRegExp(negated ? pattern.slice(1) : pattern).test(name)) included = !negated;
  }
  return included;
}

// ---------------------------------------------------------------------------------------------
// Events

export interface Commit {
  message: string;
  author?: { name: string; email: string };
}

export interface PushEvent {
  name: 'push';
  /** `refs/heads/main` or `refs/tags/v1.0.0`. */
  ref: string;
  sha: string;
  before?: string;
  /** The files the push changed, for `paths` filters; a workflow with paths filters refuses an event without them. */
  files?: string[];
  headCommit?: Commit;
}

export interface PullRequestEvent {
  name: 'pull_request';
  /** The activity type: opened (default), synchronize, labeled... */
  action?: string;
  number: number;
  head: { sha: string; ref: string; /** owner/name of the head repository: another one makes it a fork pull request. */ repo?: string };
  base: { ref: string; sha?: string };
  /** The test merge commit (github.sha); the head sha when not given. */
  mergeSha?: string;
  labels?: string[];
  files?: string[];
  title?: string;
  /** The label the labeled/unlabeled action is about. */
  label?: string;
}

export interface WorkflowDispatchEvent {
  name: 'workflow_dispatch';
  /** The workflow file (`rollback.yml`) or its id (`rollback`). */
  workflow: string;
  /** Branch dispatched on; the default branch when not given. */
  ref?: string;
  inputs?: Record<string, string | boolean | number>;
  /** The commit it runs on; the branch's head in the GitHub stand-in when not given. */
  sha?: string;
}

export interface ScheduleEvent {
  name: 'schedule';
  /** One cron of the workflows' schedules; every scheduled workflow when not given. */
  cron?: string;
  /** The commit it runs on; the default branch's head in the GitHub stand-in when not given. */
  sha?: string;
}

export interface WorkflowRunEvent {
  name: 'workflow_run';
  action: 'requested' | 'in_progress' | 'completed';
  /** The `name:` of the workflow that ran. */
  workflow: string;
  workflowPath?: string;
  runId: number;
  runNumber?: number;
  /** The event that started it. */
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  /** owner/name the head commit came from: another repository for a pull request from a fork. */
  headRepository?: string;
  /** The pull requests of the run (GitHub lists none for a pull request from a fork). */
  pullRequests?: { number: number; head: { ref: string; sha: string }; base: { ref: string; sha: string | null } }[];
  /** How many workflows of a workflow_run chain ran up to this one (GitHub stops after three). */
  level?: number;
  /** The commit the runs it starts run on; the default branch's head in the GitHub stand-in when not given. */
  sha?: string;
}

export interface MergeGroupEvent {
  name: 'merge_group';
  headSha: string;
  /** `refs/heads/gh-readonly-queue/main/pr-12-<sha>`. */
  headRef: string;
  /** `refs/heads/main`. */
  baseRef: string;
  baseSha?: string;
}

export type SimEvent = (PushEvent | PullRequestEvent | WorkflowDispatchEvent | ScheduleEvent | WorkflowRunEvent | MergeGroupEvent) & {
  /** Who triggered it (github.actor); octocat when not given. */
  actor?: string;
  /** Extra fields merged into github.event. */
  payload?: Record<string, unknown>;
};

export type Match = { starts: true; filters: Filters } | { starts: false; why: string };

const branchOf = (ref: string) => ref.replace(/^refs\/heads\//, '');

function refFilter(name: string, include: string[] | undefined, ignore: string[] | undefined, what: string): string | undefined {
  if (include && !matchesPatterns(name, include)) return `${what} ${name} does not match ${include.join(', ')}`;
  if (ignore && matchesPatterns(name, ignore)) return `${what} ${name} matches ${ignore.join(', ')} (ignored)`;
  return undefined;
}

function pathFilter(files: string[] | undefined, filters: Filters, event: string): string | undefined {
  if (!filters.paths && !filters.pathsIgnore) return undefined;
  if (!files) throw new Error(`${event} event: the workflow filters on paths, and the event lists no changed files (files:)`);
  if (filters.paths && !files.some((file) => matchesPatterns(file, filters.paths!))) return `no changed file matches paths ${filters.paths.join(', ')}`;
  if (filters.pathsIgnore && files.every((file) => matchesPatterns(file, filters.pathsIgnore!)))
    return `every changed file matches paths-ignore ${filters.pathsIgnore.join(', ')}`;
  return undefined;
}

/**
 * Whether `event` starts a workflow with these triggers, and why not. `workflowFile` and
 * `workflowId` name the workflow for workflow_dispatch.
 */
export function matchEvent(triggers: Triggers, event: SimEvent, workflow: { file: string; id: string }): Match {
  const filters = triggers.events[event.name];
  if (!filters) return { starts: false, why: `not on ${event.name}` };
  const no = (why: string | undefined): Match => (why ? { starts: false, why } : { starts: true, filters });
  switch (event.name) {
    case 'push': {
      const isTag = event.ref.startsWith('refs/tags/');
      const name = event.ref.replace(/^refs\/(heads|tags)\//, '');
      const branchFiltered = !!(filters.branches || filters.branchesIgnore);
      const tagFiltered = !!(filters.tags || filters.tagsIgnore);
      if (isTag) {
        // Only branch filters: tags do not start it (and the reverse), as GitHub documents.
        if (branchFiltered && !tagFiltered) return no(`tag ${name}: the workflow filters branches only`);
        return no(refFilter(name, filters.tags, filters.tagsIgnore, 'tag'));
      }
      if (tagFiltered && !branchFiltered) return no(`branch ${name}: the workflow filters tags only`);
      return no(refFilter(name, filters.branches, filters.branchesIgnore, 'branch') ?? pathFilter(event.files, filters, 'push'));
    }
    case 'pull_request': {
      const action = event.action ?? 'opened';
      const types = filters.types ?? DEFAULT_PULL_REQUEST_TYPES;
      if (!types.includes(action)) return no(`activity ${action} is not one of ${types.join(', ')}`);
      return no(
        refFilter(branchOf(event.base.ref), filters.branches, filters.branchesIgnore, 'base branch') ?? pathFilter(event.files, filters, 'pull_request'),
      );
    }
    case 'workflow_dispatch': {
      const target = event.workflow.replace(/^\.github\/workflows\//, '');
      const matches = target === workflow.id || target === workflow.file.split('/').at(-1);
      return no(matches ? undefined : `dispatched to ${event.workflow}`);
    }
    case 'schedule':
      return no(event.cron === undefined || filters.crons?.includes(event.cron) ? undefined : `no schedule ${event.cron}`);
    case 'workflow_run': {
      if (!filters.workflows!.includes(event.workflow)) return no(`listens to ${filters.workflows!.join(', ')}, not ${event.workflow}`);
      if (filters.types && !filters.types.includes(event.action)) return no(`activity ${event.action} is not one of ${filters.types.join(', ')}`);
      return no(refFilter(event.headBranch ?? '', filters.branches, filters.branchesIgnore, 'branch'));
    }
    case 'merge_group':
      return no(undefined);
  }
}

/** The inputs of a dispatch, checked as GitHub does (unknown, missing required, not an option) and defaulted. */
export function dispatchInputs(
  filters: Filters,
  given: Record<string, string | boolean | number>,
  workflow: string,
): Record<string, string | boolean | number> {
  const declared = filters.inputs ?? {};
  const unexpected = Object.keys(given).filter((name) => !(name in declared));
  if (unexpected.length) throw new Error(`workflow_dispatch of ${workflow}: unexpected inputs provided: ${unexpected.join(', ')}`);
  const inputs: Record<string, string | boolean | number> = {};
  for (const [name, input] of Object.entries(declared)) {
    const value = given[name] ?? input.default;
    if (value === undefined || value === '') {
      if (input.required) throw new Error(`workflow_dispatch of ${workflow}: input ${name} is required`);
      inputs[name] = input.type === 'boolean' ? false : '';
      continue;
    }
    if (input.type === 'choice' && !input.options!.includes(String(value))) {
      throw new Error(`workflow_dispatch of ${workflow}: input ${name} "${String(value)}" is not one of ${input.options!.join(', ')}`);
    }
    if (input.type === 'boolean') {
      if (!['true', 'false'].includes(String(value)))
        throw new Error(`workflow_dispatch of ${workflow}: input ${name} must be true or false, got "${String(value)}"`);
      inputs[name] = String(value) === 'true';
    } else if (input.type === 'number') {
      if (Number.isNaN(Number(value))) throw new Error(`workflow_dispatch of ${workflow}: input ${name} must be a number, got "${String(value)}"`);
      inputs[name] = Number(value);
    } else inputs[name] = String(value);
  }
  return inputs;
}

export interface Repository {
  owner: string;
  repo: string;
  defaultBranch: string;
}

function repositoryPayload(repository: Repository, fullName = `${repository.owner}/${repository.repo}`): Record<string, unknown> {
  const [owner, name] = fullName.split('/') as [string, string];
  return {
    name,
    full_name: fullName,
    owner: { login: owner },
    default_branch: repository.defaultBranch,
    html_url: `https://github.com/${fullName}`,
    fork: fullName !== `${repository.owner}/${repository.repo}`,
  };
}

export interface EventFacts {
  /** GITHUB_SHA and GITHUB_REF of the runs it starts. */
  sha: string;
  ref: string;
  headRef?: string;
  baseRef?: string;
  /** The branch of the workflow_run event of the runs it starts. */
  headBranch: string | null;
  /** head_sha of those runs (a pull request's head, not its merge commit). */
  headSha: string;
  /** A pull request from another repository: read-only token, no secrets, no variables. */
  fork: boolean;
  /** owner/name of the head commit's repository. */
  headRepository: string;
  /** The pull request a run of this event belongs to (none for pushes and the like). */
  pullRequest?: { number: number; head: { ref: string; sha: string }; base: { ref: string; sha: string | null } };
  payload: Record<string, unknown>;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extra) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return merged;
}

/**
 * The sha and ref GitHub gives the runs an event starts (its table "events that trigger workflows"),
 * and the webhook payload (github.event) with the fields Cutover and common workflows read.
 * `branchHead` gives a branch's head, for the events that run on one (schedule, dispatch, workflow_run).
 */
export function eventFacts(
  event: SimEvent,
  repository: Repository,
  branchHead: (branch: string) => string | undefined,
  inputs?: Record<string, string | boolean | number>,
): EventFacts {
  const repo = repositoryPayload(repository);
  const sender = { login: event.actor ?? 'octocat' };
  const defaultRef = `refs/heads/${repository.defaultBranch}`;
  const defaultSha = branchHead(repository.defaultBranch);
  const headOf = (ref: string, given: string | undefined): string => {
    const sha = given ?? branchHead(branchOf(ref));
    if (!sha) throw new Error(`${event.name} event: runs on the head of ${branchOf(ref)}; give sha: (no GitHub stand-in knows the branch)`);
    return sha;
  };
  const ownRepository = `${repository.owner}/${repository.repo}`;
  let facts: Omit<EventFacts, 'headRepository'> & { headRepository?: string };
  switch (event.name) {
    case 'push': {
      const isBranch = event.ref.startsWith('refs/heads/');
      facts = {
        sha: event.sha,
        ref: event.ref,
        headBranch: isBranch ? branchOf(event.ref) : null,
        headSha: event.sha,
        fork: false,
        payload: {
          ref: event.ref,
          before: event.before ?? '0'.repeat(40),
          after: event.sha,
          created: false,
          deleted: false,
          forced: false,
          base_ref: null,
          compare: `https://github.com/${repository.owner}/${repository.repo}/compare/${event.sha.slice(0, 12)}`,
          commits: event.headCommit ? [{ id: event.sha, message: event.headCommit.message, author: event.headCommit.author ?? null }] : [],
          head_commit: event.headCommit ? { id: event.sha, message: event.headCommit.message, author: event.headCommit.author ?? null } : null,
          pusher: { name: sender.login },
          repository: repo,
          sender,
        },
      };
      break;
    }
    case 'pull_request': {
      const number = event.number;
      const headRepo = event.head.repo ?? `${repository.owner}/${repository.repo}`;
      const fork = headRepo !== `${repository.owner}/${repository.repo}`;
      facts = {
        sha: event.mergeSha ?? event.head.sha,
        ref: `refs/pull/${number}/merge`,
        headRef: event.head.ref,
        baseRef: event.base.ref,
        headBranch: event.head.ref,
        headSha: event.head.sha,
        fork,
        headRepository: headRepo,
        pullRequest: { number, head: { ref: event.head.ref, sha: event.head.sha }, base: { ref: event.base.ref, sha: event.base.sha ?? defaultSha ?? null } },
        payload: {
          action: event.action ?? 'opened',
          number,
          ...(event.label ? { label: { name: event.label } } : {}),
          pull_request: {
            number,
            title: event.title ?? `Pull request #${number}`,
            state: 'open',
            draft: false,
            labels: (event.labels ?? []).map((name) => ({ name })),
            head: {
              ref: event.head.ref,
              sha: event.head.sha,
              repo: repositoryPayload(repository, headRepo),
              label: `${headRepo.split('/')[0]}:${event.head.ref}`,
            },
            base: { ref: event.base.ref, sha: event.base.sha ?? defaultSha ?? null, repo },
            user: sender,
            html_url: `https://github.com/${repository.owner}/${repository.repo}/pull/${number}`,
          },
          repository: repo,
          sender,
        },
      };
      break;
    }
    case 'workflow_dispatch': {
      const ref = event.ref ? (event.ref.startsWith('refs/') ? event.ref : `refs/heads/${event.ref}`) : defaultRef;
      const sha = headOf(ref, event.sha);
      facts = {
        sha,
        ref,
        headBranch: branchOf(ref),
        headSha: sha,
        fork: false,
        // github.event.inputs holds strings; the inputs context keeps booleans and numbers.
        payload: {
          inputs: Object.fromEntries(Object.entries(inputs ?? {}).map(([key, value]) => [key, String(value)])),
          ref,
          workflow: event.workflow,
          repository: repo,
          sender,
        },
      };
      break;
    }
    case 'schedule': {
      const sha = headOf(defaultRef, event.sha);
      facts = {
        sha,
        ref: defaultRef,
        headBranch: repository.defaultBranch,
        headSha: sha,
        fork: false,
        payload: { schedule: event.cron ?? null, repository: repo, sender: { login: 'github-actions[bot]' } },
      };
      break;
    }
    case 'workflow_run': {
      const sha = headOf(defaultRef, event.sha);
      facts = {
        sha,
        ref: defaultRef,
        headBranch: repository.defaultBranch,
        headSha: sha,
        fork: false,
        payload: {
          action: event.action,
          workflow_run: {
            id: event.runId,
            name: event.workflow,
            path: event.workflowPath ?? null,
            run_number: event.runNumber ?? null,
            event: event.event,
            status: event.status,
            conclusion: event.conclusion,
            head_sha: event.headSha,
            head_branch: event.headBranch,
            html_url: `https://github.com/${repository.owner}/${repository.repo}/actions/runs/${event.runId}`,
            repository: repo,
            head_repository: repositoryPayload(repository, event.headRepository ?? ownRepository),
            pull_requests: event.pullRequests ?? [],
          },
          workflow: { name: event.workflow, path: event.workflowPath ?? null },
          repository: repo,
          sender,
        },
      };
      break;
    }
    case 'merge_group': {
      facts = {
        sha: event.headSha,
        ref: event.headRef,
        headBranch: branchOf(event.headRef),
        headSha: event.headSha,
        fork: false,
        payload: {
          action: 'checks_requested',
          merge_group: {
            head_sha: event.headSha,
            head_ref: event.headRef,
            base_ref: event.baseRef,
            base_sha: event.baseSha ?? defaultSha ?? null,
            head_commit: { id: event.headSha },
          },
          repository: repo,
          sender,
        },
      };
      break;
    }
  }
  return { ...facts, headRepository: facts.headRepository ?? ownRepository, payload: deepMerge(facts.payload, event.payload) };
}

/** An event the simulator raises (the others are accepted in `on:` and never start anything). */
export function isModelled(name: string): name is EventName {
  return (MODELLED_EVENTS as readonly string[]).includes(name);
}
