/** What every alert carries about the run, from the runner's variables. */

export interface RunContext {
  commit?: string;
  repository?: string;
  runUrl?: string;
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const context: RunContext = {};
  if (env.GITHUB_SHA) context.commit = env.GITHUB_SHA;
  if (env.GITHUB_REPOSITORY) context.repository = env.GITHUB_REPOSITORY;
  if (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    context.runUrl = `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
  }
  return context;
}
