/** Shared set-up of the blue-green end-to-end tests: an environment file in a workspace, and one switch. */
import { runAction, type ActionRun, type Workspace } from '@cutover/testkit';

export const healthz = { checks: [{ name: 'healthz', http: { url: 'http://{address}/healthz', 'expect-status': 200, 'max-latency': '2s' } }] };

export function runSwitch(workspace: Workspace, inputs: Record<string, string> = {}, github?: { apiUrl: string; token: string }): Promise<ActionRun> {
  return runAction('blue-green-switch', {
    workspace: workspace.dir,
    inputs: { environment: 'production', config: 'cutover.yml', ...inputs },
    sha: 'a'.repeat(40),
    ...(github ? { apiUrl: github.apiUrl, token: github.token } : {}),
    post: false,
    timeoutMs: 60_000,
  });
}
