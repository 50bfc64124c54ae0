import { brotliCompressSync, constants } from 'node:zlib';
import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, demo, holdTheApp, appStarted } from './fixtures';

// Search (issue #19): the masthead's form works before and without the app, the server's first
// screen and the app show the same results, the matched words are marked, and every state
// (results, no results, a refused query) is accessible.

const tide = demo.find((a) => /\btide\b/i.test(a.headline))!;
const searchBox = (page: Page) => page.getByRole('search').getByRole('searchbox', { name: 'Search Broadsheet' });

test.describe('without scripts', () => {
  test.use({ javaScriptEnabled: false });

  test('the masthead form asks the server, which renders the results', async ({ page }) => {
    await page.goto('/');
    await searchBox(page).fill('tide');
    await searchBox(page).press('Enter');
    await expect(page).toHaveURL(/\/search\?q=tide$/);
    await expect(page).toHaveTitle('Search: tide — Broadsheet');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “tide”');
    const first = page.locator('.search-results__item').first();
    await expect(first.getByRole('link')).toHaveText(tide.headline);
    await expect(first.locator('h2 mark')).toHaveText(['Tide']);
    await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', /\/search\?q=tide$/);
    await expect(page.locator('link[rel=search]')).toHaveAttribute('type', 'application/opensearchdescription+xml');
  });

  test('"More results" is a link to the next page', async ({ page }) => {
    await page.goto('/search?q=the');
    await expect(page.locator('.search-results__item')).toHaveCount(10);
    await page.getByRole('link', { name: 'More results' }).click();
    await expect(page).toHaveURL(/\/search\?q=the&cursor=/);
    await expect(page.locator('.search-results__item').first()).toBeVisible();
  });
});

test('with the app, the masthead form opens the results without loading a page', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await searchBox(page).fill('tide');
  await searchBox(page).press('Enter');
  await expect(page).toHaveURL(/\/search\?q=tide$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Results for “tide”');
  await expect(page.locator('.search-results__item').first().locator('h2 mark')).toHaveText(['Tide']);
  await expect(page).toHaveTitle('Search: tide — Broadsheet');
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  // A second search from the results page.
  await searchBox(page).fill('xylophonequartz');
  await searchBox(page).press('Enter');
  await expect(page.locator('.search__message')).toHaveText('No results for “xylophonequartz”.');
  await expect(page).toHaveTitle('Search: xylophonequartz — Broadsheet');
});

test.describe('taking over', () => {
  test.use({ waitForApp: false });

  test('the app shows the results the page came with: the same text, no request', async ({ page, pageErrors }) => {
    const asked: string[] = [];
    await page.route('**/api/search**', (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 500, body: '{}' });
    });
    const release = await holdTheApp(page);
    await page.goto('/search?q=the');
    const before = await page.locator('section.search').innerText();
    expect(before).toContain('More results');
    const marksBefore = await page.locator('section.search mark').count();
    expect(marksBefore).toBeGreaterThan(3);
    release();
    await appStarted(page);
    await expect(page.locator('#broadsheet-first-screen')).toHaveCount(0);
    expect(await page.locator('section.search').innerText()).toBe(before);
    expect(await page.locator('section.search mark').count()).toBe(marksBefore);
    expect(asked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

test('results have no axe violations', async ({ page }) => {
  await page.goto('/search?q=the');
  await expect(page.locator('.search-results mark').first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('no results shows the latest stories, with no axe violations', async ({ page }) => {
  await page.goto('/search?q=xylophonequartz');
  await expect(page.locator('.search__message')).toHaveText('No results for “xylophonequartz”.');
  await expect(page.getByRole('heading', { name: 'The latest stories' })).toBeVisible();
  const newest = [...demo].sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at));
  await expect(page.locator('.story-list__headline')).toHaveText(newest.slice(0, 5).map((a) => a.headline));
  await expectNoAxeViolations(page);
});

test('an empty or over-long query says why, with no axe violations', async ({ page }) => {
  await page.goto('/search');
  await expect(page).toHaveTitle('Search — Broadsheet');
  await expect(page.locator('.search__message')).toHaveText('Type a word or two to search for.');
  await expectNoAxeViolations(page);
  await page.goto(`/search?q=${'a'.repeat(201)}`);
  await expect(page.locator('.search__message')).toHaveText('A search can be at most 200 characters long.');
});

test('a page of results fits in 14 KB of brotli HTML', async ({ request }) => {
  const body = await (await request.get('/search?q=the')).body();
  const size = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  expect(size).toBeLessThanOrEqual(14 * 1024);
});

test('the OpenSearch description is served as such', async ({ page, baseURL }) => {
  const reply = await page.request.get('/opensearch.xml');
  expect(reply.headers()['content-type']).toBe('application/opensearchdescription+xml; charset=utf-8');
  expect(await reply.text()).toContain(`template="${baseURL}/search?q={searchTerms}"`);
});

for (const { name, viewport } of [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'wide', viewport: { width: 1280, height: 900 } },
]) {
  test(`screenshot of the results on a ${name}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/search?q=the');
    await expect(page.locator('.search-results mark').first()).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no sideways scrolling').toBeLessThanOrEqual(viewport.width);
    await page.screenshot({ path: `target/screens/search-${name}.png`, fullPage: false });
  });
}
