/**
 * The "shipped in" comment on a pull request, as text: read back from the comment's body, one
 * event applied (a deployment that shipped it, or a rollback that took it away from an
 * environment), written again. Pure: no I/O here (shipped-comments.ts does the GitHub part).
 *
 * One comment per pull request, found again by its hidden marker and edited: the comment holds
 * its entries as data in a hidden HTML comment, and the visible text is rendered from them, so a
 * re-run changes nothing and the order never depends on which run came first. What lies before
 * the marker or after the end marker (someone's note, another tool's line) is kept as it is.
 *
 * Text from outside (a version from a deployment payload, which anyone with write access sets)
 * cannot break out: in the visible part every character markdown or HTML reads (`<`, `|`, `#`,
 * `@`, `*`...) is written as a numeric character reference, so no marker, mention, table cell or
 * `##[` can be formed from it; in the data, `<` and `>` are JSON escapes, so `-->` cannot end the
 * hidden comment early.
 */

/** The first line of every comment Cutover writes on a shipped pull request. */
export const SHIPPED_MARKER = '<!-- cutover:shipped -->';
export const SHIPPED_END_MARKER = '<!-- /cutover:shipped -->';
const DATA_OPEN = '<!-- cutover:shipped:data ';
const DATA_CLOSE = ' -->';
/** The shape of the data; a comment written by a newer Cutover (a higher number) is left as it is. */
export const SHIPPED_DATA_VERSION = 1;
/** Entries kept: the newest by time (a pull request reaches a handful of environments). */
export const MAX_ENTRIES = 50;
/** Entries this version does not read (written by a newer Cutover, or hand-edited), kept as they are, up to this many. */
export const MAX_UNKNOWN_ENTRIES = 20;
/** Longest version or environment text shown. */
export const MAX_TEXT = 80;
/** Longest version kept in the data (a payload's version is anyone's text, of any length). */
export const MAX_STORED_TEXT = 200;
/** GitHub refuses a longer comment body. */
export const MAX_BODY = 65_536;

/** One environment a pull request reached, by one deployment. */
export interface ShippedEntry {
  environment: string;
  /** The release: the deployment payload's version, else the commit's short sha. */
  version: string;
  /** The GitHub deployment that shipped it. */
  deployment: number;
  /** ISO time the deployment reached success. */
  shippedAt: string;
  /** The run that deployed it. */
  url?: string;
  /** ISO time a rollback took it away from the environment. */
  rolledBackAt?: string;
  /** What the rollback put back: a version, or a short sha. */
  rolledBackTo?: string;
  /** The rollback's run. */
  rollbackUrl?: string;
}

export type ShippedEvent =
  | { kind: 'shipped'; environment: string; version: string; deployment: number; at: string; url?: string }
  | { kind: 'rolled-back'; environment: string; at: string; to?: string; url?: string };

export interface ParsedShippedComment {
  /** Text before the marker and after the end marker: not Cutover's, kept. */
  before: string;
  after: string;
  entries: ShippedEntry[];
  /** Entries this version cannot read, kept in the data as they were. */
  unknown: unknown[];
  /** The data's version when it is newer than this code's. */
  newer?: number;
}

export interface MergedShippedComment {
  body: string;
  /** False when the body would stay the same (a re-run): nothing to write. */
  changed: boolean;
  entries: ShippedEntry[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const SAFE_URL = /^https?:\/\/[^\s()<>"'`\\]+$/;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 1000;
const isTime = (value: unknown): value is string => typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
const isUrl = (value: unknown): value is string => typeof value === 'string' && value.length <= 2000 && SAFE_URL.test(value);

/** An entry as read from the data, or undefined when it is not one this version writes. */
function readEntry(value: unknown): ShippedEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  if (!isText(raw.environment) || !isText(raw.version) || !Number.isSafeInteger(raw.deployment) || !isTime(raw.shippedAt)) return undefined;
  if (raw.url !== undefined && !isUrl(raw.url)) return undefined;
  if (raw.rolledBackAt !== undefined && !isTime(raw.rolledBackAt)) return undefined;
  if (raw.rolledBackTo !== undefined && !isText(raw.rolledBackTo)) return undefined;
  if (raw.rollbackUrl !== undefined && !isUrl(raw.rollbackUrl)) return undefined;
  // Fields a newer version may add are kept: the entry is written back as it was read.
  return raw as unknown as ShippedEntry;
}

/** The comment's parts, or undefined when the body has no marker (not a "shipped in" comment). */
export function parseShippedComment(body: string): ParsedShippedComment | undefined {
  const start = body.indexOf(SHIPPED_MARKER);
  if (start < 0) return undefined;
  const endAt = body.indexOf(SHIPPED_END_MARKER, start);
  const blockEnd = endAt < 0 ? body.length : endAt + SHIPPED_END_MARKER.length;
  const block = body.slice(start, blockEnd);
  const parsed: ParsedShippedComment = { before: body.slice(0, start), after: body.slice(blockEnd), entries: [], unknown: [] };
  const open = block.indexOf(DATA_OPEN);
  const close = open < 0 ? -1 : block.indexOf(DATA_CLOSE, open + DATA_OPEN.length);
  if (close < 0) return parsed;
  let data: unknown;
  try {
    data = JSON.parse(block.slice(open + DATA_OPEN.length, close));
  } catch {
    return parsed;
  }
  if (typeof data !== 'object' || data === null) return parsed;
  const { v, entries } = data as { v?: unknown; entries?: unknown };
  if (typeof v === 'number' && v > SHIPPED_DATA_VERSION) return { ...parsed, newer: v };
  for (const item of Array.isArray(entries) ? entries : []) {
    const entry = readEntry(item);
    if (entry) parsed.entries.push(entry);
    else parsed.unknown.push(item);
  }
  return parsed;
}

const stored = (text: string) => (text.length > MAX_STORED_TEXT ? `${text.slice(0, MAX_STORED_TEXT - 1)}…` : text);

function byTime(a: ShippedEntry, b: ShippedEntry): number {
  return Date.parse(a.shippedAt) - Date.parse(b.shippedAt) || a.deployment - b.deployment;
}

/** The entries once `event` happened; the same entries (equal, not the same array) when it changes nothing. */
export function applyShippedEvent(entries: readonly ShippedEntry[], event: ShippedEvent): ShippedEntry[] {
  if (event.kind === 'shipped') {
    // A re-run of the same deployment (a resumed canary, a retried job) is already there.
    if (entries.some((entry) => entry.environment === event.environment && entry.deployment === event.deployment)) return [...entries];
    const added: ShippedEntry = {
      environment: stored(event.environment),
      version: stored(event.version),
      deployment: event.deployment,
      shippedAt: event.at,
      ...(event.url ? { url: event.url } : {}),
    };
    return [...entries, added].sort(byTime).slice(-MAX_ENTRIES);
  }
  // Every entry of the environment still live is gone with the rollback: the rollback's compare
  // says the pull request's commits are not in what is live now.
  return entries.map((entry) =>
    entry.environment !== event.environment || entry.rolledBackAt !== undefined
      ? entry
      : { ...entry, rolledBackAt: event.at, ...(event.to ? { rolledBackTo: stored(event.to) } : {}), ...(event.url ? { rollbackUrl: event.url } : {}) },
  );
}

/**
 * Text from outside as markdown shows it and reads nothing in it: control characters become
 * blanks, it is cut at MAX_TEXT, and every character with a meaning in markdown or HTML is a
 * numeric character reference (GitHub shows `&#60;` as `<` and parses nothing from it).
 */
export function plainText(text: string, max = MAX_TEXT): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[&<>"'|@#\\`*_[\]()~!:]/g, (character) => `&#${character.codePointAt(0)};`);
}

/** `14:02 UTC`; with the day when `withDay` (the table). */
function clock(iso: string, withDay = false): string {
  const text = new Date(Date.parse(iso)).toISOString();
  return `${withDay ? `${text.slice(0, 10)} ` : ''}${text.slice(11, 16)} UTC`;
}

const linked = (text: string, url: string | undefined) => (url && isUrl(url) ? `[${text}](${url})` : text);

/** "Shipped in 1.4.0: staging 14:02 UTC, production 14:31 UTC (rolled back 15:10 UTC)", a line per version. */
function headlines(entries: readonly ShippedEntry[]): string[] {
  const versions = new Map<string, ShippedEntry[]>();
  for (const entry of entries) versions.set(entry.version, [...(versions.get(entry.version) ?? []), entry]);
  return [...versions].map(([version, shipped]) => {
    const places = shipped.map(
      (entry) => `${plainText(entry.environment)} ${clock(entry.shippedAt)}${entry.rolledBackAt ? ` (rolled back ${clock(entry.rolledBackAt)})` : ''}`,
    );
    return `**Shipped in ${plainText(version)}**: ${places.join(', ')}`;
  });
}

function tableRow(entry: ShippedEntry): string {
  const rolledBack = entry.rolledBackAt
    ? `${linked(clock(entry.rolledBackAt, true), entry.rollbackUrl)}${entry.rolledBackTo ? `, back to ${plainText(entry.rolledBackTo)}` : ''}`
    : '';
  return `| ${plainText(entry.environment)} | ${plainText(entry.version)} | ${linked(clock(entry.shippedAt, true), entry.url)} | ${rolledBack} |`;
}

/**
 * JSON that cannot end an HTML comment, nor hold `##[` or a mention should the body ever be shown
 * raw: `<`, `>`, `&`, `#` and `@` only occur inside JSON strings, where JSON reads them back from
 * `\u003c`... (new lines are escaped by JSON itself, so the data stays one line).
 */
function hiddenJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&#@]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The whole body: the kept text around Cutover's block, which is rendered from the entries. */
export function renderShippedComment(entries: readonly ShippedEntry[], kept: { before?: string; after?: string; unknown?: readonly unknown[] } = {}): string {
  const unknown = (kept.unknown ?? []).slice(-MAX_UNKNOWN_ENTRIES);
  const lines = [
    SHIPPED_MARKER,
    ...headlines(entries),
    '',
    '| Environment | Release | Shipped | Rolled back |',
    '| :-- | :-- | :-- | :-- |',
    ...entries.map(tableRow),
    '',
    '<sub>Cutover edits this comment as the change reaches each environment, and when it is rolled back.</sub>',
    `${DATA_OPEN}${hiddenJson({ v: SHIPPED_DATA_VERSION, entries: [...entries, ...unknown] })}${DATA_CLOSE}`,
    SHIPPED_END_MARKER,
  ];
  return `${kept.before ?? ''}${lines.join('\n')}${kept.after ?? ''}`;
}

/**
 * The comment's body once `event` is applied to `existing` (undefined: no comment yet). Undefined
 * when there is nothing to write: a rollback of a pull request that has no comment yet, or a
 * comment written by a newer Cutover. `changed` is false on a re-run.
 */
export function mergeShippedComment(existing: string | undefined, event: ShippedEvent): MergedShippedComment | undefined {
  const parsed = existing === undefined ? undefined : parseShippedComment(existing);
  if (parsed?.newer !== undefined) return undefined;
  if (!parsed && event.kind === 'rolled-back') return undefined;
  let entries = applyShippedEvent(parsed?.entries ?? [], event);
  let unknown = parsed?.unknown ?? [];
  let body = renderShippedComment(entries, { ...parsed, unknown });
  // Within GitHub's limit: entries this version cannot read go first, then the oldest entries.
  while (body.length > MAX_BODY && (unknown.length > 0 || entries.length > 1)) {
    if (unknown.length > 0) unknown = unknown.slice(1);
    else entries = entries.slice(1);
    body = renderShippedComment(entries, { ...parsed, unknown });
  }
  return { body, changed: body !== existing, entries };
}
