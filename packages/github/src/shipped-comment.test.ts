import { describe, expect, it } from 'vitest';
import { trustedComment } from './comments.js';
import {
  applyShippedEvent,
  MAX_BODY,
  MAX_ENTRIES,
  MAX_STORED_TEXT,
  mergeShippedComment,
  parseShippedComment,
  plainText,
  renderShippedComment,
  SHIPPED_END_MARKER,
  SHIPPED_MARKER,
  type ShippedEvent,
} from './shipped-comment.js';

const RUN = 'https://github.com/o/r/actions/runs/';
const staging: ShippedEvent = { kind: 'shipped', environment: 'staging', version: '1.4.0', deployment: 11, at: '2026-12-03T14:02:10Z', url: `${RUN}1` };
const production: ShippedEvent = { kind: 'shipped', environment: 'production', version: '1.4.0', deployment: 12, at: '2026-12-03T14:31:40Z', url: `${RUN}2` };
const rollback: ShippedEvent = { kind: 'rolled-back', environment: 'production', at: '2026-12-03T15:10:00Z', to: '1.3.0', url: `${RUN}3` };

/** Applies events one after the other, as successive runs would, each on the body the last one wrote. */
function runs(...events: ShippedEvent[]): string {
  let body: string | undefined;
  for (const event of events) body = mergeShippedComment(body, event)?.body ?? body;
  return body!;
}

const count = (text: string, part: string) => text.split(part).length - 1;
/** What GitHub shows: the body without its hidden data. */
const visible = (body: string) => body.replace(/<!-- cutover:shipped:data .* -->/, '');

describe('the "shipped in" comment', () => {
  it('says where the release went and when, a line per version and a row per environment', () => {
    const body = runs(staging, production);
    expect(body.startsWith(`${SHIPPED_MARKER}\n`)).toBe(true);
    expect(body).toContain('**Shipped in 1.4.0**: staging 14:02 UTC, production 14:31 UTC');
    expect(body).toContain(`| staging | 1.4.0 | [2026-12-03 14:02 UTC](${RUN}1) |  |`);
    expect(body).toContain(`| production | 1.4.0 | [2026-12-03 14:31 UTC](${RUN}2) |  |`);
    expect(body.endsWith(SHIPPED_END_MARKER)).toBe(true);
  });

  it('marks the release rolled back in that environment only, with when and to what', () => {
    const body = runs(staging, production, rollback);
    expect(body).toContain('**Shipped in 1.4.0**: staging 14:02 UTC, production 14:31 UTC (rolled back 15:10 UTC)');
    expect(body).toContain(`| production | 1.4.0 | [2026-12-03 14:31 UTC](${RUN}2) | [2026-12-03 15:10 UTC](${RUN}3), back to 1.3.0 |`);
    expect(body).toContain(`| staging | 1.4.0 | [2026-12-03 14:02 UTC](${RUN}1) |  |`);
    expect(parseShippedComment(body)!.entries.map((entry) => [entry.environment, entry.rolledBackAt])).toEqual([
      ['staging', undefined],
      ['production', '2026-12-03T15:10:00Z'],
    ]);
  });

  it('changes nothing when a run is repeated: the same deployment, the same rollback', () => {
    const shipped = runs(staging, production);
    expect(mergeShippedComment(shipped, production)).toMatchObject({ body: shipped, changed: false });
    expect(mergeShippedComment(shipped, staging)).toMatchObject({ body: shipped, changed: false });
    const rolledBack = runs(staging, production, rollback);
    // A second rollback run (the action run again) keeps the first one's time.
    expect(mergeShippedComment(rolledBack, { ...rollback, at: '2026-12-03T15:20:00Z' })).toMatchObject({ body: rolledBack, changed: false });
  });

  it('orders by when each environment got it, whichever run wrote first', () => {
    expect(runs(production, staging)).toBe(runs(staging, production));
    const body = runs(production, staging);
    expect(body.indexOf('| staging |')).toBeLessThan(body.indexOf('| production |'));
  });

  it('keeps a row per deployment: shipped again after a rollback, by a later version', () => {
    const again: ShippedEvent = { kind: 'shipped', environment: 'production', version: '1.4.1', deployment: 14, at: '2026-12-03T16:00:00Z' };
    const body = runs(staging, production, rollback, again);
    expect(body).toContain('**Shipped in 1.4.0**: staging 14:02 UTC, production 14:31 UTC (rolled back 15:10 UTC)');
    expect(body).toContain('**Shipped in 1.4.1**: production 16:00 UTC');
    expect(body).toContain('| production | 1.4.1 | 2026-12-03 16:00 UTC |  |');
  });

  it('writes nothing for a rollback of a pull request without a comment', () => {
    expect(mergeShippedComment(undefined, rollback)).toBeUndefined();
  });

  it('keeps what others wrote around it, and entries it cannot read', () => {
    const ours = runs(staging);
    const data = /<!-- cutover:shipped:data (.*) -->/.exec(ours)![1]!;
    const future = { kind: 'canary-step', environment: 'production', weight: 25 };
    const withForeign = `Release notes by @ana:\n- faster search\n\n${ours.replace(data, data.replace(/\]\}$/, `,${JSON.stringify(future)}]}`))}\n\n> Reviewed by QA`;
    const merged = mergeShippedComment(withForeign, production)!;
    expect(merged.changed).toBe(true);
    expect(merged.body.startsWith(`Release notes by @ana:\n- faster search\n\n${SHIPPED_MARKER}\n`)).toBe(true);
    expect(merged.body.endsWith(`${SHIPPED_END_MARKER}\n\n> Reviewed by QA`)).toBe(true);
    expect(merged.body).toContain('**Shipped in 1.4.0**: staging 14:02 UTC, production 14:31 UTC');
    // The entry of a newer kind is neither shown nor lost.
    expect(visible(merged.body)).not.toContain('canary-step');
    expect(parseShippedComment(merged.body)!.unknown).toEqual([future]);
    expect(count(merged.body, SHIPPED_MARKER)).toBe(1);
  });

  it('starts its entries again from the event when its data was mangled, keeping the text around', () => {
    const mangled = `note\n${SHIPPED_MARKER}\nsomething edited by hand\n<!-- cutover:shipped:data {not json -->\n${SHIPPED_END_MARKER}\nafter`;
    const merged = mergeShippedComment(mangled, production)!;
    expect(merged.entries.map((entry) => entry.deployment)).toEqual([12]);
    expect(merged.body.startsWith(`note\n${SHIPPED_MARKER}\n**Shipped in 1.4.0**`)).toBe(true);
    expect(merged.body.endsWith(`${SHIPPED_END_MARKER}\nafter`)).toBe(true);
    expect(merged.body).not.toContain('edited by hand');
  });

  it('leaves a comment written by a newer Cutover as it is', () => {
    const newer = `${SHIPPED_MARKER}\n<!-- cutover:shipped:data {"v":2,"entries":[]} -->\n${SHIPPED_END_MARKER}`;
    expect(parseShippedComment(newer)?.newer).toBe(2);
    expect(mergeShippedComment(newer, production)).toBeUndefined();
  });

  it("stays within GitHub's 65,536 characters: long versions cut, foreign entries then the oldest dropped", () => {
    const long: ShippedEvent = { ...production, version: '@'.repeat(100_000) };
    const merged = mergeShippedComment(runs(staging), long)!;
    expect(merged.entries.find((entry) => entry.environment === 'production')!.version).toHaveLength(MAX_STORED_TEXT);
    const big = { note: 'x'.repeat(40_000) };
    const withUnknown = runs(staging).replace(/\]\} -->/, `,${JSON.stringify(big)},${JSON.stringify(big)}]} -->`);
    expect(parseShippedComment(withUnknown)!.unknown).toHaveLength(2);
    const fitted = mergeShippedComment(withUnknown, production)!;
    expect(fitted.body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(parseShippedComment(fitted.body)!.unknown).toHaveLength(1);
    expect(fitted.entries).toHaveLength(2);
  });

  it('keeps the newest entries when there are too many', () => {
    let entries = applyShippedEvent([], staging);
    for (let index = 0; index < MAX_ENTRIES + 10; index++) {
      entries = applyShippedEvent(entries, { ...production, deployment: 100 + index, at: new Date(Date.parse(production.at) + index * 60_000).toISOString() });
    }
    expect(entries).toHaveLength(MAX_ENTRIES);
    expect(entries.at(-1)!.deployment).toBe(100 + MAX_ENTRIES + 9);
    expect(entries.some((entry) => entry.environment === 'staging')).toBe(false);
  });
});

describe('text from outside in the comment', () => {
  // A version (any text in a deployment payload) and an environment made to break out.
  const hostile =
    '1.4.0 <!-- cutover:shipped --> --> <!-- /cutover:shipped -->\n::error::pwned\r\n  ::set-output name=x::y ##[warning]w | cell @org/team #7 [x](https://evil.example) <img src=x> *b* `c`';
  const event: ShippedEvent = { kind: 'shipped', environment: 'production', version: hostile, deployment: 12, at: '2026-12-03T14:31:40Z', url: `${RUN}2` };

  it('cannot form a marker, end the hidden data, start a workflow command, mention or link', () => {
    const body = runs(staging, event, { ...rollback, to: hostile });
    expect(count(body, SHIPPED_MARKER)).toBe(1);
    expect(count(body, SHIPPED_END_MARKER)).toBe(1);
    expect(count(body, '-->')).toBe(3); // the marker, the data's end, the end marker
    expect(count(body, '<!--')).toBe(3);
    for (const line of body.split(/\r\n|\r|\n/)) expect(line.trimStart().startsWith('::')).toBe(false);
    expect(body).not.toContain('##[');
    expect(body).not.toContain('@org');
    expect(body).not.toContain('<img');
    expect(visible(body)).not.toContain('](https://evil');
    // Every table row keeps its four cells: a `|` from the version is not a cell boundary.
    for (const line of body.split('\n').filter((candidate) => candidate.startsWith('| production'))) expect(count(line, '|')).toBe(5);
  });

  it('reads back exactly what it was given', () => {
    const body = runs(staging, event, { ...rollback, to: hostile });
    const entry = parseShippedComment(body)!.entries.find((candidate) => candidate.environment === 'production')!;
    expect(entry.version).toBe(hostile);
    expect(entry.rolledBackTo).toBe(hostile);
    expect(mergeShippedComment(body, event)!.changed).toBe(false);
  });

  it('shows it as one line of plain text, cut when long', () => {
    expect(plainText('a\nb')).toBe('a b');
    expect(plainText('<!--')).toBe('&#60;&#33;--');
    expect(plainText('x'.repeat(200))).toHaveLength(80);
  });

  it('is not taken for data when it only looks like it', () => {
    // A comment whose data is not an object, or whose entries lie about their fields, shows none of them.
    const fake = `${SHIPPED_MARKER}\n<!-- cutover:shipped:data {"v":1,"entries":[{"environment":"production","version":"1","deployment":"12","shippedAt":"soon"},{"environment":"p","version":"1","deployment":1,"shippedAt":"2026-12-03T14:31:40Z","url":"javascript:alert(1)"}]} -->\n${SHIPPED_END_MARKER}`;
    const parsed = parseShippedComment(fake)!;
    expect(parsed.entries).toEqual([]);
    expect(parsed.unknown).toHaveLength(2);
    const rendered = renderShippedComment(parsed.entries, parsed);
    expect(rendered).not.toMatch(/^\| p(roduction)? \|/m);
    expect(rendered).not.toContain('](javascript');
  });
});

describe('which comments Cutover takes for its own', () => {
  it('an app (GITHUB_TOKEN writes as github-actions[bot]) or someone with write access; not anyone who copied the marker', () => {
    expect(trustedComment({ user: { type: 'Bot' }, author_association: 'NONE' })).toBe(true);
    expect(trustedComment({ user: { type: 'User' }, author_association: 'COLLABORATOR' })).toBe(true);
    expect(trustedComment({ user: { type: 'User' }, author_association: 'MEMBER' })).toBe(true);
    expect(trustedComment({ user: { type: 'User' }, author_association: 'CONTRIBUTOR' })).toBe(false);
    expect(trustedComment({ user: { type: 'User' }, author_association: 'NONE' })).toBe(false);
    expect(trustedComment({ user: null })).toBe(false);
  });
});
