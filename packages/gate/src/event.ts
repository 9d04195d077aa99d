/** What the gate needs from the workflow event: which commit, which pull request, which branch. Pure. */
import { gateEvent, type GateEvent } from './verdict.js';

export interface EventFacts {
  event: GateEvent;
  /** The commit the check run belongs on: a pull request's head, not its merge commit. */
  headSha: string;
  /** The branch pushed to, or the base of the pull request or merge group. */
  branch?: string;
  /** Named in the payload; the caller asks GitHub when it is missing. */
  defaultBranch?: string;
  pullNumber?: number;
  /** Labels as the event saw them (used without a token). */
  labels: string[];
  /** A push's previous head of the branch. */
  before?: string;
}

type Payload = Record<string, unknown>;

const object = (value: unknown): Payload => (value !== null && typeof value === 'object' ? (value as Payload) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const branchOf = (ref: string | undefined) => ref?.replace(/^refs\/heads\//, '');
const NO_COMMIT = /^0+$/;

export function eventFacts(eventName: string, payload: Payload, sha: string, ref: string): EventFacts {
  const event = gateEvent(eventName);
  const facts: EventFacts = { event, headSha: sha, labels: [], defaultBranch: text(object(payload.repository).default_branch) };
  if (event === 'pull_request') {
    const pull = object(payload.pull_request);
    facts.headSha = text(object(pull.head).sha) ?? sha;
    facts.branch = text(object(pull.base).ref);
    facts.pullNumber = typeof pull.number === 'number' ? pull.number : undefined;
    facts.labels = (Array.isArray(pull.labels) ? pull.labels : []).map((label) => text(object(label).name)).filter((name): name is string => !!name);
  } else if (event === 'merge_group') {
    const group = object(payload.merge_group);
    facts.headSha = text(group.head_sha) ?? sha;
    facts.branch = branchOf(text(group.base_ref));
    // GitHub names the queue's branch gh-readonly-queue/<base>/pr-<number>-<sha>.
    const number = text(group.head_ref)?.match(/\/pr-(\d+)-[0-9a-f]+$/)?.[1];
    if (number) facts.pullNumber = Number(number);
  } else {
    facts.branch = branchOf(text(payload.ref) ?? ref);
    const before = text(payload.before);
    if (event === 'push' && before && !NO_COMMIT.test(before)) facts.before = before;
  }
  return facts;
}
