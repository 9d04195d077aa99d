// The page delivery-metrics writes, opened in a real browser (Debian's Chromium driven by
// playwright-core): the four figures and both charts are there, and no request leaves the page.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, startGitHubStandIn, type GitHubStandIn } from '@cutover/testkit';
import { seedKnownHistory } from './metrics-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';

describe('the delivery-metrics page in Chromium', () => {
  let gh: GitHubStandIn;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let pageUrl: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    await seedKnownHistory(gh);
    const result = await runAction('delivery-metrics', {
      inputs: { environment: 'production', since: '2026-11-01', until: '2026-11-15' },
      apiUrl: gh.apiUrl,
      token: gh.token,
      repository: `${gh.owner}/${gh.repo}`,
    });
    if (result.exitCode !== 0) throw new Error(`delivery-metrics failed: ${result.errors.join('; ')}`);
    pageUrl = pathToFileURL(result.outputs.page!).href;

    // A fresh profile, and nothing of Chromium's own that reaches out (updates, sync, field trials).
    profile = await mkdtemp(join(tmpdir(), 'cutover-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    context.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(pageUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    await gh?.stop();
  });

  it('shows the four figures with their DORA levels', async () => {
    const figure = (key: string) => page.locator(`[data-figure="${key}"]`);
    expect(await figure('deployment-frequency').locator('.value').textContent()).toBe('2.5 per week (0.357 per day)');
    expect(await figure('lead-time').locator('.value').textContent()).toBe('median 1h30m, p90 1d');
    expect(await figure('change-failure-rate').locator('.value').textContent()).toBe('40%');
    expect(await figure('time-to-restore').locator('.value').textContent()).toBe('median 22h58m');
    expect(await page.locator('[data-figure]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-band')))).toEqual([
      'high',
      'elite',
      'low',
      'high',
    ]);
    for (const key of ['deployment-frequency', 'lead-time', 'change-failure-rate', 'time-to-restore'])
      await expect.poll(() => figure(key).isVisible()).toBe(true);
  });

  it('draws both charts: bars per week and lead time points', async () => {
    const bars = page.locator('svg[data-chart="deployments-per-week"] g.bar');
    expect(
      await bars.evaluateAll((groups) =>
        groups.map((group) => [group.getAttribute('data-label'), group.getAttribute('data-value'), group.getAttribute('data-failed')]),
      ),
    ).toEqual([
      ['11-01', '3', '1'],
      ['11-08', '2', '1'],
    ]);
    // Drawn, not just present: the first week's bar has a height on screen, the failed part in red.
    const box = await bars.first().locator('rect.ok').boundingBox();
    expect(box!.height).toBeGreaterThan(10);
    expect(await page.locator('svg[data-chart="deployments-per-week"] rect.failed').count()).toBe(2);
    // One point per deployment with commits (2, 3, 5, 7, 8), a line through the two weekly medians.
    expect(await page.locator('svg[data-chart="lead-time"] circle.point').count()).toBe(5);
    expect(await page.locator('svg[data-chart="lead-time"] polyline.median').getAttribute('points')).toMatch(/^[\d.]+,[\d.]+ [\d.]+,[\d.]+$/);
    expect((await page.locator('svg[data-chart="lead-time"]').boundingBox())!.width).toBeGreaterThan(300);
  });

  it('makes no request but the file itself, and no error', async () => {
    await page.reload({ waitUntil: 'load' });
    expect(new Set(requests)).toEqual(new Set([pageUrl]));
    expect(consoleErrors).toEqual([]);
  });
});
