/**
 * The environment of the programs an action starts (users' commands, checks, routers' programs,
 * ssh, git): the job's environment without what is the action's alone. Gone are every `INPUT_*`
 * variable (the `token` input among them), the credentials the runner gives a JavaScript action,
 * and the variables the environment file names for alerts (webhook URLs, routing keys). Everything
 * else the job set still reaches them: PATH, HOME, the user's own variables.
 */

/**
 * What the runner sets for a JavaScript action that holds or leads to a credential (actions/runner,
 * src/Runner.Worker/Handlers/NodeScriptActionHandler.cs): the runtime token and the services it
 * opens (artifacts, cache, results), the OIDC request token and URL (with `id-token: write`).
 * GITHUB_TOKEN is not set by the runner, but a workflow often sets it for a step: it goes too.
 */
export const RUNNER_SECRET_VARIABLES = [
  'GITHUB_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
] as const;

const withheld = new Set<string>();

/**
 * Names variables no child may get, for the rest of the process: the alert variables of the
 * environment once it is loaded (see environmentFromInputs), so that every program started later
 * goes without them, whichever package starts it.
 */
export function withholdFromChildren(names: Iterable<string>): void {
  for (const name of names) withheld.add(name);
}

/** The environment for a child process: `env` (the process's) without what is the action's alone. */
export function childEnvironment(extraSecretNames: Iterable<string> = [], env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const secret = new Set<string>([...RUNNER_SECRET_VARIABLES, ...withheld, ...extraSecretNames]);
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    // Variable names are case-sensitive on Linux; the runner writes inputs in upper case.
    if (value === undefined || secret.has(name) || /^INPUT_/i.test(name)) continue;
    clean[name] = value;
  }
  return clean;
}
