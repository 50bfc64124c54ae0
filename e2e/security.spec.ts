import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, demo, full, appStarted, reachForTheApp } from './fixtures';

// The Content-Security-Policy in the browser: no page or state of the app trips it, it is
// really enforced, and the app's own code is pinned by subresource integrity.

/** Records every CSP violation the page reports, from the first byte on. */
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}

const violations = (page: Page) =>
  page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** An article whose body has an image block (a figure beyond the lead image). */
const withFigure = demo.find((a) => a.slug !== full.slug && a.image) ?? full;

test('no route or state of the app trips the policy', async ({ page, pageErrors }) => {
  await watchViolations(page);
  const visits: Array<[string, () => Promise<void>]> = [
    ['/', async () => expect(h1(page)).toHaveText('Latest stories')],
    [`/article/${full.slug}`, async () => expect(h1(page)).toHaveText(full.headline)],
    [`/article/${withFigure.slug}`, async () => expect(h1(page)).toHaveText(withFigure.headline)],
    [`/section/${full.section.slug}`, async () => expect(h1(page)).toHaveText(full.section.name)],
    ['/saved', async () => expect(h1(page)).toHaveText('Saved articles')],
    ['/no/such/page', async () => expect(h1(page)).toHaveText('Page not found')],
    [`/embed/article/${full.slug}`, async () => expect(page.getByText('Read on Broadsheet')).toBeVisible()],
    [`/embed/article/${full.slug}?view=full&theme=dark`, async () => expect(h1(page)).toHaveText(full.headline)],
  ];
  for (const [path, ready] of visits) {
    await page.goto(path);
    await ready();
    await page.waitForLoadState('networkidle');
    expect(await violations(page), path).toEqual([]);
  }

  // States within a page: client-side navigation, a posted comment, a copied link, an error.
  await page.goto(`/article/${full.slug}`);
  await expect(h1(page)).toHaveText(full.headline);
  await page.getByLabel('Name').fill('Csp');
  await page.getByLabel('Comment', { exact: true }).fill(`Policy check ${Date.now()}`);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  await page.getByRole('link', { name: full.section.name, exact: true }).first().click();
  await expect(h1(page)).toHaveText(full.section.name);
  await page.route('**/api/articles/*', (route) => route.fulfill({ status: 500, body: '{}' }));
  await page.getByRole('link', { name: demo.find((a) => a.section.slug === full.section.slug && a.slug !== full.slug)?.headline ?? full.headline }).first().click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('the policy is enforced: injected inline script and event handlers do not run', async ({ page }) => {
  await watchViolations(page);
  await page.goto(`/article/${full.slug}`);
  await expect(h1(page)).toHaveText(full.headline);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend', '<img src="/missing.png" onerror="window.injected = 1">');
    const script = document.createElement('script');
    script.textContent = 'window.injected = 2';
    document.body.append(script);
  });
  await expect.poll(async () => (await violations(page)).length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
  for (const v of await violations(page)) expect(v).toMatch(/^script-src/);
});

test('the page’s CSS is inline, allowed by its hash, and nothing else may style the page', async ({ page }) => {
  await watchViolations(page);
  const stylesheets: string[] = [];
  page.on('request', (r) => r.resourceType() === 'stylesheet' && stylesheets.push(r.url()));
  const response = await page.goto(`/article/${full.slug}`);
  await expect(h1(page)).toHaveText(full.headline);
  // One <style> (postbuild/src/styles.rs), no stylesheet to fetch before the first paint.
  expect(stylesheets).toEqual([]);
  const sheets = await page.evaluate(() =>
    [...document.styleSheets].map((s) => ({ owner: s.ownerNode?.nodeName, id: (s.ownerNode as Element | null)?.id, rules: s.cssRules.length })),
  );
  expect(sheets).toEqual([{ owner: 'STYLE', id: 'broadsheet-style', rules: expect.any(Number) }]);
  expect(sheets[0].rules).toBeGreaterThan(50);
  // The server's policy names exactly that element's hash, taken from the built page.
  const text = await page.locator('style#broadsheet-style').evaluate((el) => el.textContent ?? '');
  const digest = await page.evaluate(async (t) => {
    const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(t)));
    return btoa(String.fromCharCode(...bytes));
  }, text);
  const csp = response?.headers()['content-security-policy'] ?? '';
  // ...and that of the fronts' part of it, which a front's page carries instead (first-flight.spec.ts).
  const fronts = createHash('sha256')
    .update(await (await page.request.get('/first-screen-fronts.css')).text())
    .digest('base64');
  const styleSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('style-src '));
  expect(styleSrc).toBe(`style-src 'self' 'sha256-${digest}' 'sha256-${fronts}'`);
  expect(csp).not.toContain('unsafe-inline');
  // A style element the page did not come with is refused.
  await page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'body { display: none }';
    document.head.append(style);
  });
  await expect.poll(async () => (await violations(page)).length).toBe(1);
  expect((await violations(page))[0]).toMatch(/^style-src/);
  await expect(h1(page)).toBeVisible();
});

test('a changed inline style sheet is refused, and the page still works', async ({ page }) => {
  await watchViolations(page);
  await page.route(`**/article/${full.slug}`, async (route) => {
    const response = await route.fetch();
    // One character changed in the style sheet: the same page, no longer the built one.
    const body = (await response.text()).replace('<style id=broadsheet-style>:root{', '<style id=broadsheet-style>:root {');
    expect(body).toContain(':root {');
    await route.fulfill({ response, body });
  });
  await page.goto(`/article/${full.slug}`);
  await expect.poll(async () => (await violations(page)).join('\n')).toMatch(/^style-src/);
  expect(await page.evaluate(() => document.styleSheets.length)).toBe(0);
  await appStarted(page);
  await expect(h1(page)).toHaveText(full.headline);
});

test.describe('tampered files', () => {
  test.use({ waitForApp: false });
  // (The page's style sheet is inline: its hash in the policy guards it, tested above. The whole
  // CSS a front's page adds with the app: below.)
  for (const [what, pattern] of [
    ['wasm', '**/*_bg.wasm'],
    ['JS glue', /\/broadsheet-[0-9a-f]{12,16}\.js$/],
    ['start script', /\/start-[0-9a-f]{16}\.js$/],
    ['catalogue', /\/messages-[0-9a-f]{16}\.json$/],
  ] as const) {
    test(`a tampered ${what} is refused by its integrity hash`, async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.route(pattern, async (route) => {
        const response = await route.fetch();
        const body = await response.body();
        // One byte changed at the end: still the right type and size, no longer the built file.
        body[body.length - 1] ^= 0xff;
        await route.fulfill({ response, body });
      });
      await page.goto(`/article/${full.slug}`);
      await reachForTheApp(page);
      await expect.poll(() => errors.join('\n')).toMatch(/integrity/i);
      // The server's first screen is there; the app never takes it over.
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
      expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    });
  }

  test('a tampered whole CSS, which a front adds with the app, is refused by its integrity hash', async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route(/\/style-[0-9a-f]{16}\.css$/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${await response.text()}body{display:none}` });
    });
    await page.goto('/');
    await reachForTheApp(page);
    await expect.poll(() => errors.join('\n')).toMatch(/integrity/i);
    await expect.poll(() => errors.join('\n')).toMatch(/cannot start without the stylesheet/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
  });
});

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the installed app, online and offline, trips no policy either', async ({ page, context }) => {
    await watchViolations(page);
    await page.goto(`/article/${full.slug}`);
    await expect(h1(page)).toHaveText(full.headline);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByRole('button', { name: 'Save for offline' }).click();
    await expect(page.getByRole('button', { name: 'Save for offline' })).toHaveAttribute('aria-pressed', 'true');
    await context.setOffline(true);
    // Served by the worker from its cache: the policy comes with the cached shell.
    await page.reload();
    await expect(h1(page)).toHaveText(full.headline);
    expect(await violations(page)).toEqual([]);
    await page.goto('/saved');
    await expect(h1(page)).toHaveText('Saved articles');
    await page.goto(`/article/${demo.find((a) => a.slug !== full.slug)!.slug}`);
    await expect(h1(page)).toHaveText('You are offline');
    expect(await violations(page)).toEqual([]);
  });
});
