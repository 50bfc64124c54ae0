import type { Page, Route } from '@playwright/test';
import { test, expect, full, navigateInApp } from './fixtures';

// Every fault against each of the three requests a reader depends on — the article, its comments
// and posting a comment. Each shows a clear message with Retry, causes no Wasm panic and no
// console error, keeps what the reader typed, and a retried post stores exactly one comment.

type Fault = {
  name: string;
  message: RegExp;
  /** For a post: whether the server stores the comment before the fault hits the answer. */
  reachesServer: boolean;
  /** Answers the request badly. */
  apply: (route: Route, page: Page) => Promise<void>;
  /** Undoes what the fault changed outside the request (the network). */
  recover?: (page: Page) => Promise<void>;
  /** Never answered: the app's own timeout must end it. */
  slow?: boolean;
};

const error = (code: string) => JSON.stringify({ error: { code, message: code } });

const faults: Fault[] = [
  {
    name: 'a 500',
    message: /problem on its side \(error 500\)/,
    reachesServer: true,
    apply: (route) => route.fulfill({ status: 500, contentType: 'application/json', body: error('internal') }),
  },
  {
    name: 'a 503',
    message: /busy just now/,
    reachesServer: true,
    apply: (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }),
  },
  {
    name: 'a 429',
    message: /busy just now|too quickly/,
    reachesServer: false,
    apply: (route) =>
      route.fulfill({ status: 429, headers: { 'Retry-After': '2' }, contentType: 'application/json', body: error('rate_limited') }),
  },
  {
    name: 'malformed JSON',
    message: /sent something we could not read/,
    reachesServer: true,
    apply: (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"slug": "x", ' }),
  },
  {
    name: 'JSON of the wrong shape',
    message: /sent something we could not read/,
    reachesServer: true,
    apply: (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"items": "none", "headline": 42, "id": "x"}' }),
  },
  {
    name: 'an answer slower than the timeout',
    message: /taking too long/,
    reachesServer: false,
    slow: true,
    apply: async () => {
      // Never answered; the test moves the clock past the app's 10 s timeout.
    },
  },
  {
    name: 'an aborted connection',
    message: /could not reach Broadsheet/,
    reachesServer: true,
    apply: (route) => route.abort('connectionreset'),
  },
  {
    name: 'going offline mid-request',
    message: /offline/i,
    reachesServer: true,
    apply: async (route, page) => {
      await page.context().setOffline(true);
      await route.abort('internetdisconnected');
    },
    recover: (page) => page.context().setOffline(false),
  },
];

const articlePath = `/api/articles/${full.slug}`;
const commentsPath = `${articlePath}/comments`;

/** Faults the first request `matches` picks out; later ones go through. Resolves, through
 *  `faulted`, once that request has arrived. */
let faulted: Promise<void>;
async function faultOnce(page: Page, fault: Fault, matches: (url: URL, method: string) => boolean) {
  let armed = true;
  let arrived = () => {};
  faulted = new Promise((resolve) => (arrived = resolve));
  await page.route(
    (url) => url.pathname === articlePath || url.pathname === commentsPath,
    async (route) => {
      const request = route.request();
      if (!armed || !matches(new URL(request.url()), request.method())) return route.continue();
      armed = false;
      arrived();
      if (fault.reachesServer && request.method() === 'POST') await route.fetch();
      await fault.apply(route, page);
    },
  );
}

/** For the slow fault: once the request is under way (and its timer set), past the timeout. */
async function settle(page: Page, fault: Fault) {
  if (!fault.slow) return;
  await faulted;
  await page.clock.fastForward(11_000);
}

for (const fault of faults) {
  test.describe(fault.name, () => {
    test('the article: a clear message, Retry loads it', async ({ page, pageErrors }) => {
      if (fault.slow) await page.clock.install();
      await faultOnce(page, fault, (url, method) => method === 'GET' && url.pathname === articlePath);
      // A page load brings the article with it; following a link inside the app asks the API.
      await page.goto('/saved');
      await navigateInApp(page, `/article/${full.slug}`);
      await settle(page, fault);
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toContainText(fault.message);
      await fault.recover?.(page);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
      await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
      expect(pageErrors).toEqual([]);
    });

    test('the comments: the article stays, the list says what failed, Retry loads it', async ({ page, pageErrors }) => {
      // A comment of this test's own, so the list has something to show once it loads.
      const seed = `Seen after ${fault.name} ${Math.random().toString(36).slice(2, 9)}`;
      const posted = await page.request.post(commentsPath, {
        data: { nickname: 'Seed', body: seed, idempotency_key: `seed-${seed.replace(/\W/g, '')}` },
      });
      expect(posted.status()).toBe(201);
      if (fault.slow) await page.clock.install();
      await faultOnce(page, fault, (url, method) => method === 'GET' && url.pathname === commentsPath);
      await page.goto(`/article/${full.slug}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
      await settle(page, fault);
      const comments = page.getByRole('region', { name: /^Comments/ });
      const alert = comments.getByRole('alert');
      await expect(alert).toContainText(fault.message);
      await fault.recover?.(page);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await expect(alert).toHaveCount(0);
      await expect(comments.locator('.comment__body').filter({ hasText: seed })).toHaveCount(1);
      expect(pageErrors).toEqual([]);
    });

    test('posting: the text is kept, and Retry stores exactly one comment', async ({ page, pageErrors }) => {
      if (fault.slow) await page.clock.install();
      await page.goto(`/article/${full.slug}`);
      await expect(page.getByRole('heading', { name: /^Comments \d+$/ })).toBeVisible();
      const keys: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === commentsPath) keys.push(r.postDataJSON().idempotency_key);
      });
      await faultOnce(page, fault, (url, method) => method === 'POST' && url.pathname === commentsPath);
      const body = `Survives ${fault.name} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
      await page.getByLabel('Name').fill('Mina');
      await page.getByLabel('Comment', { exact: true }).fill(body);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await settle(page, fault);
      const form = page.locator('form.comment-form');
      const alert = form.getByRole('alert');
      await expect(alert).toContainText(fault.message);
      await expect(alert).toContainText(/kept/);
      await expect(page.getByLabel('Comment', { exact: true })).toHaveValue(body);
      await expect(page.getByLabel('Name')).toHaveValue('Mina');
      await fault.recover?.(page);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
      const { items } = await (await page.request.get(`${commentsPath}?limit=50`)).json();
      expect(items.filter((c: { body: string }) => c.body === body), 'stored exactly once').toHaveLength(1);
      expect(new Set(keys).size, 'every attempt used one key').toBe(1);
      await expect(page.locator('.comment__body').filter({ hasText: body })).toHaveCount(1);
      expect(pageErrors).toEqual([]);
    });
  });
}
