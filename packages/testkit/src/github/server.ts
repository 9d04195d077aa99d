/**
 * The GitHub REST API stand-in: an HTTP server on 127.0.0.1 that answers the operations of
 * fixtures/github-openapi.json from an in-memory store. Every request is checked against
 * GitHub's OpenAPI description; what GitHub would refuse is refused and recorded as a violation.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, HANDLERS, type HandlerResult } from './handlers/index.js';
import { ASSET_DOWNLOAD_PATH } from './handlers/releases.js';
import { describeErrors, loadOpenApi, matchRoute, type OpenApi } from './openapi.js';
import { paginate } from './pagination.js';
import { GitHubStore } from './store.js';

export interface StandInOptions {
  /** 'octo-org' by default, as runAction's GITHUB_REPOSITORY (octo-org/app). */
  owner?: string;
  /** 'app' by default. */
  repo?: string;
  /** 'main' by default; its ref `heads/main` is seeded with a fixed sha. */
  defaultBranch?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /repos/acme/shop/deployments. */
  path: string;
  query: Record<string, string>;
  /** The matched operation, e.g. 'repos/create-deployment'; undefined for an unknown route. */
  operationId: string | undefined;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the raw text when not JSON, undefined when empty. */
  body: unknown;
  status: number;
  /** When the request arrived (ms since the epoch): request rates, for benchmarks. */
  at: number;
  /**
   * Who made it: the label of the token it carried (`tokenFor(caller)`), e.g. the workflow
   * simulator's `deliver#1/production.canary`; undefined for `token`, `readOnlyToken` or none.
   */
  caller?: string;
}

export interface InjectedFailure {
  method: string;
  /** A path (`/repos/o/r/deployments`), an OpenAPI template (`/repos/{owner}/{repo}/deployments`) or a RegExp on the path. */
  path: string | RegExp;
  status: number;
  headers: Record<string, string>;
  remaining: number;
}

export interface GitHubStandIn {
  /** Origin of the stand-in, e.g. http://127.0.0.1:40123. */
  url: string;
  /** The same as url: the value for GITHUB_API_URL. */
  apiUrl: string;
  /** The token the stand-in accepts: 'test-token'. */
  token: string;
  /**
   * A GITHUB_TOKEN with read permissions only, as a pull request from a fork gets: reads are
   * answered, writes get GitHub's 403 "Resource not accessible by integration".
   */
  readOnlyToken: string;
  /**
   * A token of its own for `caller` (a step, an action), with the rights of `token` (or of
   * `readOnlyToken`): requests carrying it are recorded with `caller`, to count who called what.
   * GitHub gives each job a GITHUB_TOKEN of its own; these are as many as the test asks for.
   */
  tokenFor(caller: string, options?: { readOnly?: boolean }): string;
  owner: string;
  repo: string;
  requests: RecordedRequest[];
  /** Requests GitHub would refuse (and responses the stand-in got wrong): one line each. */
  violations: string[];
  store: GitHubStore;
  /** Requests matching `method` + `path` are answered `status` (once, or `times` times) before reaching the store. */
  failNext(method: string, path: string | RegExp, status: number, options?: { times?: number; headers?: Record<string, string> }): void;
  /** The recorded requests of one operation, e.g. `calls('repos/create-deployment')`. */
  calls(operationId: string): RecordedRequest[];
  assertNoViolations(): void;
  stop(): Promise<void>;
}

const TOKEN = 'test-token';
const READ_ONLY_TOKEN = 'test-token-read-only';
const DOCS = 'https://docs.github.com/rest';

let cachedOpenApi: OpenApi | undefined;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    'x-github-request-id': `STANDIN:${Date.now().toString(16)}`,
    ...headers,
  });
  response.end(text);
}

function matchesFailure(failure: InjectedFailure, method: string, path: string, template: string | undefined): boolean {
  if (failure.method !== method) return false;
  if (failure.path instanceof RegExp) return failure.path.test(path);
  return failure.path === path || failure.path === template;
}

export async function startGitHubStandIn(options: StandInOptions = {}): Promise<GitHubStandIn> {
  cachedOpenApi ??= loadOpenApi();
  const openApi = cachedOpenApi;
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'app';
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const failures: InjectedFailure[] = [];
  /** Tokens handed out by tokenFor: who they name, and whether they may write. */
  const callers = new Map<string, { caller: string; readOnly: boolean }>();
  const site = { apiUrl: '', htmlUrl: 'https://github.com', owner, repo, defaultBranch: options.defaultBranch ?? 'main', repoId: 700001 };
  const store = new GitHubStore(site);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', site.apiUrl);
    const query = Object.fromEntries(url.searchParams.entries());
    const rawBody = await readBody(request);
    const text = rawBody.toString('utf8');
    const contentType = String(request.headers['content-type'] ?? '');
    const isJson = contentType.includes('json') || (contentType === '' && /^\s*[[{]/.test(text));
    let body: unknown = rawBody.length === 0 ? undefined : text;
    const route = matchRoute(openApi.operations, method, url.pathname);
    const auth = String(request.headers.authorization ?? '');
    const given = /^(token|bearer) /i.test(auth) ? auth.replace(/^(token|bearer) /i, '') : '';
    const issued = callers.get(given);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      operationId: route?.operation.operationId,
      params: route?.params ?? {},
      headers: request.headers,
      body,
      status: 0,
      at: Date.now(),
      ...(issued ? { caller: issued.caller } : {}),
    };
    requests.push(record);
    const answer = (status: number, payload: unknown, headers?: Record<string, string>): void => {
      record.status = status;
      send(response, status, payload, headers);
    };
    const refuse = (status: number, message: string, problems: string[] = []): void => {
      violations.push(`${method} ${url.pathname}${url.search}: ${[message, ...problems].join('; ')}`);
      answer(status, { message, errors: problems, documentation_url: DOCS, status: String(status) });
    };

    // Release asset bytes, where getReleaseAsset redirects (GitHub's signed storage URL: no token needed).
    if (method === 'GET' && url.pathname.startsWith(ASSET_DOWNLOAD_PATH)) {
      const asset = store.assets.find((candidate) => candidate.id === Number(url.pathname.slice(ASSET_DOWNLOAD_PATH.length)));
      record.status = asset ? 200 : 404;
      response.writeHead(record.status, { 'content-type': 'application/octet-stream' });
      response.end(asset?.bytes ?? '');
      return;
    }
    if (!route) return refuse(404, 'Not Found (no such operation in the OpenAPI subset)');
    const { operation, params } = route;

    const failure = failures.find((candidate) => candidate.remaining > 0 && matchesFailure(candidate, method, url.pathname, operation.template));
    if (failure) {
      failure.remaining -= 1;
      return answer(failure.status, { message: `Injected failure ${failure.status}`, documentation_url: DOCS }, failure.headers);
    }

    if (auth === '') return refuse(401, 'Requires authentication');
    if (given !== TOKEN && given !== READ_ONLY_TOKEN && !issued) {
      return answer(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }
    if ((given === READ_ONLY_TOKEN || issued?.readOnly) && method !== 'GET' && method !== 'HEAD') {
      return answer(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
    }

    if (isJson && rawBody.length > 0) {
      try {
        body = JSON.parse(text);
        record.body = body;
      } catch {
        return refuse(400, 'Problems parsing JSON');
      }
    }

    const paramValues: Record<string, unknown> = { ...query, ...params };
    const unknownQuery = Object.keys(query).filter((name) => !operation.queryNames.has(name));
    if (unknownQuery.length > 0)
      violations.push(`${method} ${url.pathname}: query parameters GitHub does not define for ${operation.operationId}: ${unknownQuery.join(', ')}`);
    if (!operation.validateParams(paramValues)) {
      return refuse(422, 'Validation Failed', describeErrors('parameters', operation.validateParams.errors));
    }
    if (operation.validateBody) {
      if (body === undefined && operation.bodyRequired) return refuse(422, 'Validation Failed', ['body is required']);
      if (body !== undefined && !operation.validateBody(body)) {
        return refuse(422, 'Invalid request.', describeErrors('body', operation.validateBody.errors));
      }
    }

    // Another repository is one the token cannot see: GitHub answers 404, not 403.
    const otherOwner = params.owner !== undefined && params.owner.toLowerCase() !== owner.toLowerCase();
    const otherRepo = params.repo !== undefined && params.repo.toLowerCase() !== repo.toLowerCase();
    if (otherOwner || otherRepo) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

    const handler = HANDLERS[operation.operationId];
    if (!handler) return refuse(501, `The stand-in has no handler for ${operation.operationId}`);
    let result: HandlerResult;
    try {
      result = handler({
        params,
        query,
        body: body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {},
        rawBody,
        headers: request.headers,
        store,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        return answer(error.status, {
          message: error.message,
          documentation_url: DOCS,
          status: String(error.status),
          ...(error.errors ? { errors: error.errors } : {}),
        });
      }
      throw error;
    }

    const { body: payload, headers } = result.paginate ? paginate(result.body, result.paginate, query, url) : { body: result.body, headers: {} };
    const validateResponse = operation.responses.get(String(result.status));
    if (validateResponse === undefined) {
      violations.push(`stand-in answered ${operation.operationId} with ${result.status}, a status GitHub's description does not list`);
    } else if (validateResponse && !validateResponse(payload)) {
      violations.push(
        `stand-in response to ${operation.operationId} does not match GitHub's schema: ${describeErrors('response', validateResponse.errors).slice(0, 5).join('; ')}`,
      );
    }
    answer(result.status, payload, { ...headers, ...result.headers });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      violations.push(`stand-in crashed on ${request.method} ${request.url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) send(response, 500, { message: 'Stand-in error', documentation_url: DOCS });
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  site.apiUrl = `http://127.0.0.1:${port}`;

  return {
    url: site.apiUrl,
    apiUrl: site.apiUrl,
    token: TOKEN,
    readOnlyToken: READ_ONLY_TOKEN,
    tokenFor(caller, tokenOptions = {}) {
      // Opaque, as GitHub's are: the caller's name stays in the stand-in, out of headers and logs.
      const token = `ghs_standin${String(callers.size + 1).padStart(6, '0')}${tokenOptions.readOnly ? 'r' : 'w'}`;
      callers.set(token, { caller, readOnly: tokenOptions.readOnly ?? false });
      return token;
    },
    owner,
    repo,
    requests,
    violations,
    store,
    failNext(method, path, status, failureOptions = {}) {
      failures.push({ method: method.toUpperCase(), path, status, headers: failureOptions.headers ?? {}, remaining: failureOptions.times ?? 1 });
    },
    calls(operationId) {
      return requests.filter((request) => request.operationId === operationId);
    },
    assertNoViolations() {
      if (violations.length > 0) throw new Error(`The GitHub stand-in saw ${violations.length} violation(s):\n${violations.join('\n')}`);
    },
    stop() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
