/** Is the gate required? Read from the rules GitHub applies to the default branch. Pure. */

/** An item of `GET /repos/{owner}/{repo}/rules/branches/{branch}`, as much as matters here. */
export interface BranchRule {
  type: string;
  parameters?: { required_status_checks?: { context: string }[] } & Record<string, unknown>;
}

/** The contexts among `wanted` that no rule requires. */
export function unrequiredChecks(rules: readonly BranchRule[], wanted: readonly string[]): string[] {
  const required = new Set(
    rules
      .filter((rule) => rule.type === 'required_status_checks')
      .flatMap((rule) => rule.parameters?.required_status_checks ?? [])
      .map((check) => check.context),
  );
  return wanted.filter((context) => !required.has(context));
}
