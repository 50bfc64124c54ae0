import type { Page } from '@playwright/test';
import { test, expect, demo, navigateInApp } from './fixtures';

/** The head's feed links: type, href and title of each `<link rel="alternate">` of a feed type. */
async function feedLinks(page: Page) {
  return page.locator('head link[rel="alternate"]').evaluateAll((links) =>
    links
      .map((l) => ({ type: l.getAttribute('type')!, href: (l as HTMLLinkElement).href, title: l.getAttribute('title')! }))
      .filter((l) => /rss\+xml|atom\+xml|feed\+json/.test(l.type)),
  );
}

/** Each link leads to a feed of its type that the browser's own parser reads without error,
 *  listing `count` entries. */
async function expectFeedsResolve(page: Page, links: Awaited<ReturnType<typeof feedLinks>>, count: number) {
  expect(links.map((l) => l.type)).toEqual(['application/rss+xml', 'application/atom+xml', 'application/feed+json']);
  for (const link of links) {
    const response = await page.request.get(link.href);
    expect(response.status(), link.href).toBe(200);
    expect(response.headers()['content-type']).toContain(link.type);
    const body = await response.text();
    if (link.type === 'application/feed+json') {
      const feed = JSON.parse(body);
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.items).toHaveLength(count);
      continue;
    }
    const entries = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      if (doc.getElementsByTagName('parsererror').length) return -1;
      return doc.getElementsByTagName('item').length + doc.getElementsByTagName('entry').length;
    }, body);
    expect(entries, link.href).toBe(count);
  }
}

test('the home page and a section front announce their feeds, and the app keeps them in step', async ({ page }) => {
  await page.goto('/');
  const home = await feedLinks(page);
  expect(home.map((l) => new URL(l.href).pathname)).toEqual(['/feed.xml', '/atom.xml', '/feed.json']);
  expect(home[0].title).toBe('Broadsheet (RSS)');
  await expectFeedsResolve(page, home, demo.length);

  // Followed inside the app: the section's feeds replace the home page's.
  const world = demo.filter((a) => a.section.slug === 'world');
  await navigateInApp(page, '/section/world');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('World');
  await expect.poll(async () => (await feedLinks(page)).map((l) => new URL(l.href).pathname)).toEqual([
    '/section/world/feed.xml',
    '/section/world/atom.xml',
    '/section/world/feed.json',
  ]);
  const section = await feedLinks(page);
  expect(section[1].title).toBe('World — Broadsheet (Atom)');
  await expectFeedsResolve(page, section, world.length);

  // An article has none of its own.
  await navigateInApp(page, `/article/${world[0].slug}`);
  await expect.poll(async () => (await feedLinks(page)).length).toBe(0);
});

test('without scripts the first screen carries the links', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/section/world');
  const links = await feedLinks(page);
  expect(links.map((l) => new URL(l.href).pathname)).toEqual([
    '/section/world/feed.xml',
    '/section/world/atom.xml',
    '/section/world/feed.json',
  ]);
  await context.close();
});
