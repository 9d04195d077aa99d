/** GitHub's paging: `per_page` (default 30, at most 100) and `page`, with a Link header. */

export interface Page {
  body: unknown;
  headers: Record<string, string>;
}

/** The numbers of one page: where it starts, and which pages exist. */
export function pageWindow(total: number, query: Record<string, string>): { start: number; end: number; page: number; last: number } {
  const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
  const page = Math.max(1, Number(query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(total / perPage));
  const start = (page - 1) * perPage;
  return { start, end: Math.min(total, start + perPage), page, last };
}

export function linkHeader(url: URL, page: number, last: number): string | undefined {
  const link = (target: number, rel: string): string => {
    const next = new URL(url);
    next.searchParams.set('page', String(target));
    return `<${next.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, 'prev'));
  if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) parts.push(link(1, 'first'));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** One page of a list: the body itself when `key` is true, else the array under `key`. */
export function paginate(body: unknown, key: true | string, query: Record<string, string>, url: URL): Page {
  const items = key === true ? (body as unknown[]) : ((body as Record<string, unknown[]>)[key] ?? []);
  const { start, end, page, last } = pageWindow(items.length, query);
  const slice = items.slice(start, end);
  const paged = key === true ? slice : { ...(body as Record<string, unknown>), [key]: slice };
  const link = linkHeader(url, page, last);
  return { body: paged, headers: link ? { link } : {} };
}
