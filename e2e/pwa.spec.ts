import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from './browser.mjs';
import { test, expect, expectNoAxeViolations, demo, full, ownPort, serve, stop, appStarted } from './fixtures';

// The installed app, with its service worker active: these tests allow the worker (the others
// block it) and inject no faults into the API, so every answer comes from the real server or
// from the worker's caches.
test.use({ serviceWorkers: 'allow' });

/** Waits until the service worker controls the page. */
async function controlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
}

/** The names of the caches the worker keeps for this origin. */
function cacheNames(page: Page) {
  return page.evaluate(() => caches.keys());
}

/** The URL paths stored in one cache. */
function cachedPaths(page: Page, name: string) {
  return page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search);
  }, name);
}

/** Reads a PNG's width and height from its header. */
function pngSize(bytes: Buffer) {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** Another demo article with an image in its body, unlike `full`. */
const other = demo.find((a) => a.slug !== full.slug && a.image)!;

test('install criteria: a valid manifest with its icons, and a worker controlling the page', async ({ page, baseURL }) => {
  // Chromium never offers installing in an incognito profile, which every test context is: this
  // check runs in a real (persistent, brand-new) profile.
  const profile = mkdtempSync(join(tmpdir(), 'broadsheet-profile-'));
  const browser = await chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions(), headless: true, baseURL });
  try {
    const installed = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    installed.on('pageerror', (e) => errors.push(String(e)));
    await installed.goto('/');
    // The worker comes with the app, which the page asks for once the reader reaches for it.
    await appStarted(installed);
    await controlled(installed);
    const cdp = await browser.newCDPSession(installed);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
    // Chromium's own verdict on installability: no errors at all.
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }

  const response = await page.request.get('/manifest.webmanifest');
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const data = await response.json();
  expect(data).toMatchObject({ name: 'Broadsheet', short_name: 'Broadsheet', start_url: expect.any(String), scope: '/', display: 'standalone' });
  expect(data.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(data.background_color).toMatch(/^#[0-9a-f]{6}$/);
  const sizes = new Set<string>();
  for (const icon of data.icons) {
    const png = await page.request.get(icon.src);
    expect(png.status(), icon.src).toBe(200);
    const { width, height } = pngSize(await png.body());
    expect(`${width}x${height}`).toBe(icon.sizes);
    sizes.add(`${icon.sizes} ${icon.purpose}`);
  }
  expect([...sizes]).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  // Every shortcut opens a page of the app.
  expect(data.shortcuts.length).toBeGreaterThanOrEqual(3);
  for (const shortcut of data.shortcuts) {
    expect((await page.request.get(shortcut.url)).status(), shortcut.url).toBe(200);
  }
});

/** Dispatches a `beforeinstallprompt` the way Chromium does when it offers installing; the
 *  reader's answer is `outcome`. */
async function offerInstall(page: Page, outcome: 'accepted' | 'dismissed') {
  await page.evaluate((outcome) => {
    const event = new Event('beforeinstallprompt', { cancelable: true }) as Event & Record<string, unknown>;
    (window as unknown as Record<string, number>).prompted = 0;
    event.prompt = () => {
      (window as unknown as Record<string, number>).prompted += 1;
      return Promise.resolve();
    };
    event.userChoice = Promise.resolve({ outcome, platform: 'web' });
    window.dispatchEvent(event);
  }, outcome);
}

test('"Install app" appears when offered, prompts, and stays away once dismissed', async ({ page }) => {
  await page.goto('/');
  await expect(heading(page)).toBeVisible();
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toHaveCount(0);
  await offerInstall(page, 'dismissed');
  await expect(install).toBeVisible();
  await install.click();
  await expect(install).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as Record<string, number>).prompted)).toBe(1);

  // Offered again after a reload: dismissed lately, so it stays away.
  await page.reload();
  await expect(heading(page)).toBeVisible();
  await offerInstall(page, 'dismissed');
  await page.waitForTimeout(300);
  await expect(install).toHaveCount(0);

  // A month later it may ask again.
  await page.evaluate(() =>
    localStorage.setItem('broadsheet:install-dismissed', String(Date.now() - 31 * 24 * 3600 * 1000)),
  );
  await page.reload();
  await expect(heading(page)).toBeVisible();
  await offerInstall(page, 'accepted');
  await expect(install).toBeVisible();
  await expectNoAxeViolations(page);
});

test('once installed, "Install app" is gone for good', async ({ page }) => {
  await page.goto('/');
  await expect(heading(page)).toBeVisible();
  await offerInstall(page, 'accepted');
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toBeVisible();
  await page.evaluate(() => window.dispatchEvent(new Event('appinstalled')));
  await expect(install).toHaveCount(0);
  await page.reload();
  await expect(heading(page)).toBeVisible();
  await offerInstall(page, 'accepted');
  await page.waitForTimeout(300);
  await expect(install).toHaveCount(0);
});

test('an article read once opens offline after a reload, with its comments as last seen', async ({ page, context, pageErrors }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  const comments = page.getByRole('heading', { name: /^Comments \d+$/ });
  await expect(comments).toBeVisible();
  const commentsHeading = await comments.textContent();
  await controlled(page);
  // The article was loaded before the worker took over: the app hands it what it read.
  await expect
    .poll(() => cachedPaths(page, 'broadsheet-pages'))
    .toEqual(expect.arrayContaining([`/api/articles/${full.slug}`, `/api/articles/${full.slug}/comments`]));

  await context.setOffline(true);
  await page.reload();
  await expect(heading(page)).toHaveText(full.headline);
  await expect(page.getByRole('heading', { name: commentsHeading! })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  // The lead image comes from the cache too.
  const lead = page.locator('.story__lead-image img');
  await expect.poll(() => lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: 'Offline' })).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('an article opened after the worker took over is readable offline too, and the LRU keeps it', async ({ page, context }) => {
  await page.goto('/');
  await controlled(page);
  await page.getByRole('link', { name: other.headline }).first().click();
  await expect(heading(page)).toHaveText(other.headline);
  await expect.poll(() => cachedPaths(page, 'broadsheet-pages')).toContain(`/api/articles/${other.slug}`);
  await context.setOffline(true);
  await page.reload();
  await expect(heading(page)).toHaveText(other.headline);
});

test('a network that never answers gives way to the stored copy, long before the app gives up', async ({ page, context }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  await controlled(page);
  await expect.poll(() => cachedPaths(page, 'broadsheet-pages')).toContain(`/api/articles/${full.slug}`);
  // The worker's own request for the article hangs for good (the page's would too).
  await context.route(
    (url) => url.pathname === `/api/articles/${full.slug}`,
    (route) => (route.request().serviceWorker() ? new Promise(() => {}) : route.fallback()),
  );
  await page.reload();
  // The app itself would give up after 10 s and show an error; the worker answers from its
  // cache after its own 3 s.
  await expect(heading(page)).toHaveText(full.headline, { timeout: 8_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('offline, a page never read shows the offline page with the saved articles', async ({ page, context }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  await controlled(page);
  await page.getByRole('button', { name: 'Save for offline' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved: this article opens without a connection.' })).toBeVisible();

  const unread = demo.find((a) => a.slug !== full.slug && a.slug !== other.slug)!;
  await context.setOffline(true);
  await page.goto(`/article/${unread.slug}`);
  await expect(heading(page)).toHaveText('You are offline');
  await expect(page.getByRole('alert')).toContainText('You are offline, and this page has not been kept for offline reading.');
  const saved = page.getByRole('region', { name: 'Your saved articles' });
  await expect(saved.getByRole('link', { name: full.headline })).toBeVisible();
  await expectNoAxeViolations(page);
  await saved.getByRole('link', { name: full.headline }).click();
  await expect(heading(page)).toHaveText(full.headline);
});

test('a saved article opens offline from the Saved page, even when the recent copies are gone', async ({ page, context, pageErrors }) => {
  await page.goto(`/article/${other.slug}`);
  await expect(heading(page)).toHaveText(other.headline);
  await controlled(page);
  const save = page.getByRole('button', { name: 'Save for offline' });
  await expect(save).toHaveAttribute('aria-pressed', 'false');
  await save.click();
  await expect(save).toHaveAttribute('aria-pressed', 'true');
  expect(await cachedPaths(page, 'broadsheet-saved')).toEqual(
    expect.arrayContaining([`/api/articles/${other.slug}`, `/api/articles/${other.slug}/comments`]),
  );

  // Only the saved copy is left: the recently-read caches are emptied.
  await page.evaluate(() => Promise.all([caches.delete('broadsheet-pages'), caches.delete('broadsheet-images')]));
  await context.setOffline(true);
  await page.goto('/saved');
  await expect(heading(page)).toHaveText('Saved articles');
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: other.headline }).click();
  await expect(heading(page)).toHaveText(other.headline);
  await expect(page.getByRole('heading', { name: /^Comments \d+$/ })).toBeVisible();
  const images = page.locator('.story img');
  for (const img of await images.all()) {
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  }
  // Still saved after a reload offline; removing it empties the list.
  await expect(page.getByRole('button', { name: 'Save for offline' })).toHaveAttribute('aria-pressed', 'true');
  await page.goto('/saved');
  await page.getByRole('button', { name: `Remove “${other.headline}” from saved articles` }).click();
  await expect(page.getByText('Nothing saved yet.')).toBeVisible();
  expect(await cachedPaths(page, 'broadsheet-saved')).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a full storage does not break saving: the reader is told, nothing is half-saved', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  await controlled(page);
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
  const save = page.getByRole('button', { name: 'Save for offline' });
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: 'There is no room left' })).toBeVisible();
  await expect(save).toHaveAttribute('aria-pressed', 'false');
  expect(await cachedPaths(page, 'broadsheet-saved')).toEqual([]);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await save.click();
  await expect(save).toHaveAttribute('aria-pressed', 'true');
});

test('posting a comment offline keeps the draft and says so; back online it posts once', async ({ page, context }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  await controlled(page);
  const body = `Written on the train ${Date.now().toString(36)}`;
  await page.getByLabel('Name').fill('Ola');
  await page.getByLabel('Comment', { exact: true }).fill(body);
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'You are offline. Your comment is kept here' });
  await expect(alert).toBeVisible();
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue(body);
  await context.setOffline(false);
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
  const { items } = await (await page.request.get(`/api/articles/${full.slug}/comments?limit=50`)).json();
  expect(items.filter((c: { body: string }) => c.body === body)).toHaveLength(1);
});

/** Routes the worker's own requests for shell files ending in `ending` to `fault`. */
async function breakShellFile(context: BrowserContext, ending: string, fault: { status: number; contentType: string; body: string }) {
  await context.route(
    (url) => url.pathname.endsWith(ending),
    (route) => (route.request().serviceWorker() ? route.fulfill(fault) : route.fallback()),
  );
}

for (const [what, fault] of [
  ['a 500', { status: 500, contentType: 'text/plain', body: 'Internal Server Error' }],
  ['an HTML page', { status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Oops</title>' }],
] as const) {
  test(`${what} in place of the wasm never enters the cache; the next install is whole`, async ({ page, context }) => {
    await breakShellFile(context, '.wasm', fault);
    await page.goto('/');
    await expect(heading(page)).toBeVisible();
    // The install fails: no worker takes over and no shell cache is left behind.
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.installing ?? null))
      .toBeNull();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    expect((await cacheNames(page)).filter((n) => n.startsWith('broadsheet-shell-'))).toEqual([]);

    await context.unrouteAll({ behavior: 'wait' });
    await page.reload();
    await controlled(page);
    const shell = (await cacheNames(page)).filter((n) => n.startsWith('broadsheet-shell-'));
    expect(shell).toHaveLength(1);
    const wasm = await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      const key = (await cache.keys()).find((r) => r.url.endsWith('.wasm'))!;
      const response = (await cache.match(key))!;
      return { url: key.url, type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
    }, shell[0]);
    expect(wasm.type).toBe('application/wasm');
    const served = await page.request.get(wasm.url);
    expect(wasm.size).toBe((await served.body()).byteLength);
  });
}

// --- Updates: a real deploy of a new build on the same address ----------------------------------

/** The version a worker was built with, as written into its `sw.js`. */
function builtVersion(dist: string) {
  return /const VERSION = "([0-9a-f]+)"/.exec(readFileSync(join(dist, 'sw.js'), 'utf8'))![1];
}

/** Two builds: v1 is the release build; v2 is the same app with a changed `index.html`, put
 *  through the build's post-build step again, as a deploy would. */
function twoBuilds() {
  const root = mkdtempSync(join(tmpdir(), 'broadsheet-deploy-'));
  const v1 = join(root, 'v1');
  const v2 = join(root, 'v2');
  cpSync('dist', v1, { recursive: true });
  cpSync('dist', v2, { recursive: true });
  const index = join(v2, 'index.html');
  writeFileSync(index, readFileSync(index, 'utf8').replace('<title>', '<meta name="broadsheet-build" content="v2"><title>'));
  execFileSync('target/release/broadsheet-postbuild', ['--dist', v2]);
  expect(builtVersion(v2)).not.toBe(builtVersion(v1));
  return { root, v1, v2 };
}

/** The version of the worker that controls the page. */
function controllerVersion(page: Page) {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        navigator.serviceWorker.controller!.postMessage({ type: 'version' }, [channel.port2]);
      }),
  );
}

/** Loads v1 with a comment being written, deploys v2 on the same address, and lets the app find
 *  the update; returns what the test needs to go on. */
async function deployWhileReading(page: Page, port: number) {
  const builds = twoBuilds();
  const db = join(builds.root, 'broadsheet.db');
  let server = await serve(port, { dist: builds.v1, db });
  const base = `http://127.0.0.1:${port}`;
  await page.goto(`${base}/article/${full.slug}`);
  await expect(heading(page)).toHaveText(full.headline);
  await appStarted(page);
  await controlled(page);
  expect(await controllerVersion(page)).toBe(builtVersion(builds.v1));
  await page.getByLabel('Name').fill('Ines');
  await page.getByLabel('Comment', { exact: true }).fill('Half-written thoughts on the tide gauges');

  await stop(server);
  server = await serve(port, { dist: builds.v2, db });
  // The app checks for updates now and then; the test does not wait half an hour.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  return { builds, base, server };
}

const prompt = (page: Page) => page.getByRole('region', { name: 'App update' });

test('a new build offers "New version available — Reload"; accepting runs it, once, with the draft kept', async ({ page }) => {
  // Two builds copied, two server starts and a service worker's update: 13-20 s alone, and
  // past the default 30 s once in a full run on 2 busy cores.
  test.slow();
  const { builds, server } = await deployWhileReading(page, ownPort(1));
  try {
    await expect(prompt(page)).toBeVisible({ timeout: 20_000 });
    await expect(prompt(page)).toContainText('New version available');
    await expectNoAxeViolations(page);
    let loads = 0;
    page.on('load', () => (loads += 1));
    await prompt(page).getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('meta[name="broadsheet-build"]')).toHaveAttribute('content', 'v2');
    await expect(heading(page)).toHaveText(full.headline);
    expect(await controllerVersion(page)).toBe(builtVersion(builds.v2));
    await expect(page.getByLabel('Comment', { exact: true })).toHaveValue('Half-written thoughts on the tide gauges');
    await expect(page.getByLabel('Name')).toHaveValue('Ines');
    await expect(prompt(page)).toHaveCount(0);
    await page.waitForTimeout(500);
    expect(loads).toBe(1);
  } finally {
    await stop(server);
    rmSync(builds.root, { recursive: true, force: true });
  }
});

test('declining the update keeps the old version working', async ({ page }) => {
  // Two builds copied, two server starts and a service worker's update: 13-20 s alone, and
  // past the default 30 s once in a full run on 2 busy cores.
  test.slow();
  const { builds, server } = await deployWhileReading(page, ownPort(2));
  try {
    await expect(prompt(page)).toBeVisible({ timeout: 20_000 });
    await prompt(page).getByRole('button', { name: 'Not now' }).click();
    await expect(prompt(page)).toHaveCount(0);
    await page.getByRole('link', { name: 'Saved', exact: true }).click();
    await expect(heading(page)).toHaveText('Saved articles');
    await page.goBack();
    await expect(heading(page)).toHaveText(full.headline);
    expect(await controllerVersion(page)).toBe(builtVersion(builds.v1));
    await expect(page.locator('meta[name="broadsheet-build"]')).toHaveCount(0);
  } finally {
    await stop(server);
    rmSync(builds.root, { recursive: true, force: true });
  }
});

// --- Caching rules ----------------------------------------------------------------------------

test('sw.js and index.html are revalidated every time; pages briefly; hashed assets are immutable', async ({ page }) => {
  const headers = async (path: string) => (await page.request.get(path)).headers()['cache-control'];
  expect(await headers('/sw.js')).toBe('no-cache');
  expect(await headers('/index.html')).toBe('no-cache');
  // A page: a few seconds in the browser (then a 304), longer in a shared cache that is purged.
  expect(await headers(`/article/${full.slug}`)).toMatch(/^public, max-age=5, s-maxage=\d+, /);
  expect(await headers(`/api/articles/${full.slug}/comments`)).toMatch(/^public, max-age=0, /);
  const html = await (await page.request.get('/index.html')).text();
  const hashed = [...html.matchAll(/\/([a-z-]+-[0-9a-f]{12,16}(?:_bg)?\.(?:js|wasm|css))/g)].map((m) => m[0]);
  expect(hashed.length).toBeGreaterThanOrEqual(3);
  for (const path of hashed) expect(await headers(path), path).toBe('public, max-age=31536000, immutable');
});

test('the recently-read caches drop the least recently used entry first', async ({ page, context }) => {
  await page.goto('/');
  await controlled(page);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const kept = await worker.evaluate(async () => {
    const { keep } = (self as unknown as { broadsheet: { keep: Function } }).broadsheet;
    const entry = (n: number) => [new Request(`/lru-test/${n}`), new Response(`entry ${n}`)] as const;
    for (const n of [1, 2, 3]) await keep('lru-test', 3, ...entry(n));
    // Using entry 1 again makes entry 2 the least recently used; a fourth entry evicts it.
    await keep('lru-test', 3, ...entry(1));
    await keep('lru-test', 3, ...entry(4));
    const cache = await caches.open('lru-test');
    const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
    await caches.delete('lru-test');
    return paths;
  });
  expect(kept).toEqual(['/lru-test/3', '/lru-test/1', '/lru-test/4']);
});
