import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, demo, full, lead, navigateInApp } from './fixtures';

type Module = { id: string; title: string; numbered: boolean; items: { rank: number; slug: string; headline: string; section: { name: string } }[] };

async function modulesFor(page: Page, slug?: string): Promise<Module[]> {
  const response = await page.request.get(`/api/modules${slug ? `?article=${slug}` : ''}`);
  expect(response.status()).toBe(200);
  return response.json();
}

test('an article shows its modules in order, numbered ones with ranks and section labels', async ({ page }) => {
  const modules = await modulesFor(page, full.slug);
  expect(modules.map((m) => m.id)).toEqual(
    expect.arrayContaining(['latest-stories', 'you-may-also-like', 'popular-now', 'must-reads']),
  );
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  for (const module of modules) {
    const region = page.getByRole('region', { name: module.title, exact: true });
    await expect(region.getByRole('heading', { level: 2 })).toHaveText(module.title);
    const list = region.getByRole('list');
    await expect(list).toHaveJSProperty('tagName', module.numbered ? 'OL' : 'UL');
    const items = list.getByRole('listitem');
    await expect(items).toHaveCount(module.items.length);
    for (const [i, item] of module.items.entries()) {
      // What a screen reader reads: "1, headline, section" for a numbered module.
      const expected = module.numbered
        ? `${item.rank}, ${item.headline}, ${item.section.name}`
        : `${item.headline}, ${item.section.name}`;
      expect((await items.nth(i).textContent())!.replace(/\s+/g, ' ').trim()).toBe(expected);
    }
  }
  const latest = modules.find((m) => m.id === 'latest-stories')!;
  expect(latest.title).toBe(`[${full.section.name.toUpperCase()}] Latest Stories`);
  const related = modules.find((m) => m.id === 'you-may-also-like')!;
  expect(related.items.map((i) => i.slug)).not.toContain(full.slug);
  expect(related.items.map((i) => i.rank)).toEqual(related.items.map((_, i) => i + 1));
});

test('a module item opens its article client-side, with focus on the h1 and the title announced', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  const popular = page.getByRole('region', { name: 'Popular Now' });
  // The first story that is not this article.
  const target = popular.locator(`a:not([href="/article/${full.slug}"])`).first();
  const headline = (await target.textContent())!;
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await target.click();
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toHaveText(headline);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(h1).toBeFocused();
  await expect(page.locator('[aria-live="polite"][aria-atomic="true"]')).toHaveText(headline);
  // The new page starts at the top.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('back restores the scroll position', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto('/');
  const sport = page.getByRole('region', { name: 'Sport', exact: true });
  await sport.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 150));
  await page.waitForTimeout(100);
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(500);
  const link = sport.getByRole('link').nth(1);
  const headline = (await link.textContent())!;
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(headline);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Latest stories');
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(y - 5);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - y)).toBeLessThanOrEqual(5);
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(headline);
});

test('a prefetched article opens without a second request', async ({ page }) => {
  await page.goto('/');
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith(`/api/articles/${lead.slug}`)) requests.push(r.url());
  });
  const link = page.getByRole('region', { name: 'Latest stories' }).getByRole('article').getByRole('link', { name: lead.headline });
  const prefetched = page.waitForResponse((r) => r.url().endsWith(`/api/articles/${lead.slug}`));
  await link.hover();
  await prefetched;
  expect(requests).toHaveLength(1);
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead.headline);
  await page.waitForLoadState('networkidle');
  expect(requests).toHaveLength(1);
});

test('a request for a page the reader has left is aborted', async ({ page }) => {
  await page.goto('/');
  const aborted = page.waitForEvent('requestfailed', (r) => r.url().endsWith(`/api/articles/${full.slug}`));
  await page.route(`**/api/articles/${full.slug}`, () => {
    // held: never answered
  });
  await page.evaluate((slug) => {
    // Navigate by a link the pointer never touched, so nothing is prefetched.
    const a = document.createElement('a');
    a.href = `/article/${slug}`;
    a.textContent = 'go';
    document.querySelector('main')!.append(a);
    a.click();
  }, full.slug);
  await expect(page.locator('.progress--active')).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Home' }).click();
  const failed = await aborted;
  expect(failed.failure()?.errorText).toMatch(/ABORTED|cancel/i);
  await expect(page.locator('.progress--active')).toHaveCount(0);
});

test('a section front pages with Load more', async ({ page }) => {
  // Smaller pages than the app asks for, so the demo's few science stories span two.
  await page.route('**/api/articles?*', (route) => route.continue({ url: route.request().url().replace(/limit=\d+/, 'limit=2') }));
  const science = demo
    .filter((a) => a.section.slug === 'science')
    .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at));
  // A page load brings the first stories along; the app asks for them on a link it follows.
  await page.goto('/saved');
  await navigateInApp(page, '/section/science');
  const region = page.getByRole('region', { name: 'Science', exact: true });
  const headlines = region.getByRole('listitem').getByRole('heading');
  await expect(headlines).toHaveText(science.slice(0, 2).map((a) => a.headline));
  await region.getByRole('button', { name: 'Load more stories' }).click();
  await expect(headlines).toHaveText(science.map((a) => a.headline));
  await expect(region.getByRole('button', { name: 'Load more stories' })).toHaveCount(0);
});

test('an unknown section is not found', async ({ page }) => {
  const response = await page.goto('/section/astrology');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Section not found');
});

test('the home page has modules too', async ({ page }) => {
  await page.goto('/');
  const popular = page.getByRole('region', { name: 'Popular Now' });
  await expect(popular.getByRole('listitem')).toHaveCount(5);
  // The editors' picks, newest first, ranked 1 to 5 with their sections (the demo has five).
  const picks = demo
    .filter((a) => a.editors_pick)
    .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at))
    .slice(0, 5);
  expect(picks).toHaveLength(5);
  const mustReads = page.getByRole('region', { name: 'Must-Reads' }).getByRole('listitem');
  await expect(mustReads).toHaveCount(5);
  for (const [i, pick] of picks.entries()) {
    await expect(mustReads.nth(i).locator('.module-rank')).toHaveText(new RegExp(`^${i + 1}\\b`));
    await expect(mustReads.nth(i)).toContainText(pick.headline);
    await expect(mustReads.nth(i)).toContainText(pick.section.name);
  }
  await expect(page.getByRole('region', { name: /Latest Stories$/ })).toHaveCount(0);
});

test('axe: the section front', async ({ page }) => {
  await page.goto('/section/business');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Business');
  await expect(page.getByRole('region', { name: 'Popular Now' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('axe: an article with its modules', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('region', { name: 'Must-Reads' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('the modules load after the article and never shift it', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/modules*', async (route) => {
    await held;
    await route.continue();
  });
  // A page load brings the modules along; following a link, the app asks for them.
  await page.goto('/saved');
  await navigateInApp(page, `/article/${full.slug}`);
  const h1 = page.getByRole('heading', { level: 1 });
  await expect(h1).toHaveText(full.headline);
  const body = page.locator('.story__body');
  const before = [await h1.boundingBox(), await body.boundingBox()];
  await expect(page.getByRole('region', { name: 'Popular Now' })).toHaveCount(0);
  release();
  await expect(page.getByRole('region', { name: 'Popular Now' })).toBeVisible();
  expect([await h1.boundingBox(), await body.boundingBox()]).toEqual(before);
});
