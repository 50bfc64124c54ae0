// The app behind a real cache (Varnish with our VCL): pages and the app come from the cache,
// the browser revalidates with 304s, and with the origin down a comment gets the clear "busy"
// state with the reader's text kept — and is stored exactly once when the origin is back.
import { test, expect, newest } from './fixtures';
import { VarnishStack } from './varnish-stack.mjs';

const port = Number(process.env.E2E_PORT || 18080) + 20;
const stack = new VarnishStack(port, port + 1);

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: stack.base });
test.beforeAll(async () => {
  await stack.start();
});
test.afterAll(async () => {
  await stack.stop();
});

test('the page and the app come through the cache, and a reload is answered with 304s', async ({ page, pageErrors }) => {
  // What crossed the wire: the browser shows a revalidated answer as its cached 200, so the raw
  // status comes from the DevTools protocol.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, string>();
  const wire = new Map<string, number[]>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, new URL(e.request.url).pathname));
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    const path = urls.get(e.requestId) ?? '?';
    wire.set(path, [...(wire.get(path) ?? []), e.statusCode]);
  });
  const first = await page.goto(`/article/${newest.slug}`);
  expect(first!.status()).toBe(200);
  expect(first!.headers()['cache-control']).toContain('s-maxage=');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(newest.headline);
  // A second reader's request is the cache's.
  const again = await page.request.get(`/article/${newest.slug}`);
  expect(again.headers()['x-cache']).toBe('HIT');
  // The reader reloads: the browser asks with the page's ETag, and the cache says "not modified".
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(newest.headline);
  await expect.poll(() => wire.get(`/article/${newest.slug}`)).toEqual([200, 304]);
  expect(pageErrors).toEqual([]);
});

test('with the origin down, a comment is "busy", the text is kept, and it is stored once the origin is back', async ({ page }) => {
  await page.goto(`/article/${newest.slug}`);
  const body = `Written while the newsroom's server was down ${Date.now()}`;
  await page.getByLabel('Name').fill('Patient');
  await page.getByLabel('Comment', { exact: true }).fill(body);

  await stack.stopOrigin();
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('alert')).toContainText('Broadsheet is busy just now');
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue(body);
  // Readers meanwhile still get the page from the cache.
  const cached = await page.request.get(`/article/${newest.slug}`);
  expect(cached.status()).toBe(200);

  await stack.startOrigin();
  // The reader tries again until the cache sees the origin back (its probe, about a second).
  await expect(async () => {
    await page.getByRole('button', { name: 'Retry' }).or(page.getByRole('button', { name: 'Post comment' })).first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const list = await (await page.request.get(`${stack.base}/api/articles/${newest.slug}/comments?limit=50`)).json();
  expect(list.items.filter((c: { body: string }) => c.body === body)).toHaveLength(1);
});
