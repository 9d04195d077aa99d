/** The rules GitHub applies to a branch (repository and organization rulesets). */
import type { GitHubClient } from './client.js';
import type { RepoRef } from './checks.js';

export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown>;
}

export async function branchRules(client: GitHubClient, repo: RepoRef, branch: string): Promise<BranchRule[]> {
  const rules = await client.paginate(client.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 });
  return rules as BranchRule[];
}

/** The status check contexts the branch's rules require. */
export function requiredStatusChecks(rules: readonly BranchRule[]): string[] {
  return rules
    .filter((rule) => rule.type === 'required_status_checks')
    .flatMap((rule) => (rule.parameters?.required_status_checks as { context: string }[] | undefined) ?? [])
    .map((check) => check.context);
}

/** The contexts among `wanted` that no rule requires. */
export function unrequiredChecks(rules: readonly BranchRule[], wanted: readonly string[]): string[] {
  const required = new Set(requiredStatusChecks(rules));
  return wanted.filter((context) => !required.has(context));
}
