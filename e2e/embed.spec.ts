import type { Page, FrameLocator } from '@playwright/test';
import { test, expect, expectNoAxeViolations, demo } from './fixtures';

const port = Number(process.env.E2E_PORT || 18080);
const partner = `http://127.0.0.1:${port + 1}/`;
const broadsheet = `http://127.0.0.1:${port}`;
const first = demo.find((a) => a.slug === 'coastal-towns-share-one-tide-gauge-network')!;

async function framesReady(page: Page) {
  await page.goto(partner);
  const frames = page.locator('iframe.broadsheet-embed-frame');
  await expect(frames).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    await expect(page.frameLocator('iframe.broadsheet-embed-frame').nth(i).getByRole('heading', { level: 1 })).toBeVisible();
  }
  return frames;
}

/** The height the embed page's content takes, read inside the frame. */
function contentHeight(frame: FrameLocator) {
  return frame.locator('body').evaluate((body) => Math.ceil(body.getBoundingClientRect().height));
}

test('the loader turns each blockquote into an iframe that grows to its content', async ({ page }) => {
  const frames = await framesReady(page);
  await expect(page.locator('blockquote.broadsheet-embed')).toHaveCount(0);
  for (let i = 0; i < 2; i++) {
    const frame = page.frameLocator('iframe.broadsheet-embed-frame').nth(i);
    const content = await contentHeight(frame);
    expect(content).toBeGreaterThan(150);
    expect(content).toBeLessThan(1200);
    await expect.poll(async () => (await frames.nth(i).boundingBox())!.height).toBe(content);
    // No inner scrollbar: the frame shows all of its page.
    const inner = await frame.locator('html').evaluate((h) => ({ scroll: h.scrollHeight, client: h.clientHeight }));
    expect(inner.scroll).toBeLessThanOrEqual(inner.client);
    await expect(frames.nth(i)).toHaveAttribute('sandbox', /allow-scripts/);
  }
  await expect(page.frameLocator('iframe.broadsheet-embed-frame').first().getByRole('heading', { level: 1 })).toHaveText(
    first.headline,
  );
  // The second one asked for the dark theme.
  expect(await page.frameLocator('iframe.broadsheet-embed-frame').nth(1).locator('html').getAttribute('class')).toContain(
    'theme-dark',
  );
});

test('height messages from the wrong origin, another frame or with bad heights change nothing', async ({ page }) => {
  const frames = await framesReady(page);
  const frame = frames.first();
  await expect.poll(async () => (await frame.boundingBox())!.height).toBeGreaterThan(100);
  const before = await frame.evaluate((f: HTMLIFrameElement) => f.style.height);
  // From the partner's own origin.
  await page.evaluate(() => window.postMessage({ type: 'broadsheet:height', height: 777 }, '*'));
  // From a Broadsheet frame the loader did not make.
  await page.evaluate((src) => {
    const stray = document.createElement('iframe');
    stray.id = 'stray';
    stray.src = src;
    document.body.append(stray);
  }, `${broadsheet}/embed/article/${demo[1].slug}`);
  const stray = page.frameLocator('#stray');
  await expect(stray.getByRole('heading', { level: 1 })).toBeVisible();
  await stray.locator('html').evaluate(() => parent.postMessage({ type: 'broadsheet:height', height: 999 }, '*'));
  // From the right frame, with heights that are not sane whole numbers.
  const inner = page.frameLocator('iframe.broadsheet-embed-frame').first();
  for (const height of [-1, 1e9, '100px', 12.5, null]) {
    await inner.locator('html').evaluate((_, h) => parent.postMessage({ type: 'broadsheet:height', height: h }, '*'), height);
  }
  await page.waitForTimeout(300);
  expect(await frame.evaluate((f: HTMLIFrameElement) => f.style.height)).toBe(before);
  // A sane height from the right frame still works.
  await inner.locator('html').evaluate(() => parent.postMessage({ type: 'broadsheet:height', height: 321 }, '*'));
  await expect.poll(() => frame.evaluate((f: HTMLIFrameElement) => f.style.height)).toBe('321px');
});

test('a partner page cannot frame a normal article page', async ({ page }) => {
  await page.goto(partner);
  const blocked = page.waitForEvent('console', (m) => /frame-ancestors|Refused to display|X-Frame-Options/i.test(m.text()));
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.id = 'normal';
    frame.src = src;
    document.body.append(frame);
  }, `${broadsheet}/article/${first.slug}`);
  await blocked;
  await expect(page.frameLocator('#normal').getByRole('heading', { level: 1 })).toHaveCount(0);
});

test('without scripts the blockquote link still works', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(partner);
  await expect(page.locator('blockquote.broadsheet-embed a').first()).toHaveAttribute(
    'href',
    `${broadsheet}/article/${first.slug}`,
  );
  await context.close();
});

test('the card view: section, headline, standfirst, image, byline, time and Read on Broadsheet', async ({ page }) => {
  await page.goto(`/embed/article/${first.slug}`);
  const card = page.getByRole('article');
  await expect(card.getByRole('heading', { level: 1 })).toHaveText(first.headline);
  await expect(card.getByText(first.section.name, { exact: true })).toBeVisible();
  await expect(card.getByText(first.standfirst!)).toBeVisible();
  await expect(card.getByRole('img', { name: first.image!.alt })).toBeVisible();
  await expect(card.getByText(`By ${first.byline!.name}`)).toBeVisible();
  await expect(card.locator('time')).toHaveCount(1);
  const readOn = page.getByRole('link', { name: 'Read on Broadsheet' });
  await expect(readOn).toHaveAttribute('href', `${broadsheet}/article/${first.slug}`);
  await expect(readOn).toHaveAttribute('target', '_blank');
  // No site frame: no masthead, footer, modules or comments.
  await expect(page.getByRole('banner')).toHaveCount(0);
  await expect(page.getByRole('contentinfo')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /^Comments/ })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Popular Now' })).toHaveCount(0);
});

test('the full view shows the whole article', async ({ page }) => {
  await page.goto(`/embed/article/${first.slug}?view=full`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.headline);
  await expect(page.locator('.story__body > *').first()).toBeVisible();
  const api = await (await page.request.get(`/api/articles/${first.slug}`)).json();
  await expect(page.locator('.story__body > *')).toHaveCount(api.body.length);
  await expect(page.getByRole('link', { name: 'Read on Broadsheet' })).toBeVisible();
  await expect(page.getByRole('banner')).toHaveCount(0);
});

test('an unknown article embed says so', async ({ page }) => {
  const response = await page.goto('/embed/article/no-such-story');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('alert')).toHaveText('This article is no longer available.');
});

test('article pages carry the oEmbed discovery link, and it answers', async ({ page }) => {
  await page.goto(`/article/${first.slug}`);
  const href = await page.locator('link[type="application/json+oembed"]').getAttribute('href');
  const o = await (await page.request.get(href!)).json();
  expect(o.type).toBe('rich');
  expect(o.title).toBe(first.headline);
  expect(o.html).toContain(`${broadsheet}/embed/article/${first.slug}`);
});

for (const theme of ['light', 'dark']) {
  test(`axe: the embed page, ${theme}`, async ({ page }) => {
    await page.goto(`/embed/article/${first.slug}?theme=${theme}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.goto(`/embed/article/${first.slug}?theme=${theme}&view=full`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoAxeViolations(page);
  });
}
