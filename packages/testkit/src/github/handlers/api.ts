/** What every handler shares: its request, its result, GitHub's error answers. */
import type { Body } from '../shapes.js';
import type { GitHubStore } from '../store.js';

export interface HandlerRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body ({} when none). */
  body: Body;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  store: GitHubStore;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  /** The answer is a list to page through: the whole body, or the array under this key. */
  paginate?: true | string;
  /** Extra response headers (a redirect's location). */
  headers?: Record<string, string>;
}

export type Handler = (request: HandlerRequest) => HandlerResult;

/** An answer GitHub gives with `{ message, documentation_url }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Body[],
  ) {
    super(message);
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found');

export function byNumber<T extends Body>(items: readonly T[], key: string, value: string): T {
  const found = items.find((item) => String(item[key]) === value);
  if (!found) throw notFound();
  return found;
}

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
