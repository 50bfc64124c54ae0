import type { Page, Request } from '@playwright/test';
import { test, expect, expectNoAxeViolations, demo, full, holdTheApp, appStarted } from './fixtures';

const commentsApi = `**/api/articles/${full.slug}/comments`;

/** A body no other test uses, so counting it counts this test's posts only. */
function unique(label: string) {
  return `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

async function openArticle(page: Page, slug = full.slug) {
  await page.goto(`/article/${slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Comments \d+$/ })).toBeVisible();
}

async function fill(page: Page, name: string, body: string) {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Comment', { exact: true }).fill(body);
}

/** How many stored comments on the article have exactly this body. */
async function stored(page: Page, body: string, slug = full.slug) {
  const response = await page.request.get(`/api/articles/${slug}/comments?limit=50`);
  const { items } = await response.json();
  return items.filter((c: { body: string }) => c.body === body).length;
}

function commentCount(page: Page) {
  return page
    .getByRole('heading', { name: /^Comments \d+$/ })
    .textContent()
    .then((t) => Number(t!.replace(/\D/g, '')));
}

test('post a comment: it appears at the top, the count goes up and the form clears', async ({ page, pageErrors }) => {
  await openArticle(page);
  const before = await commentCount(page);
  const body = unique('A first comment\nwith a second line');
  await fill(page, 'Mina', body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
  const first = page.locator('.comments__list > li').first();
  await expect(first.locator('.comment__nickname')).toHaveText('Mina');
  expect(await first.locator('.comment__body').textContent()).toBe(body);
  await expect(first.locator('time')).toHaveText('just now');
  await expect(first.locator('time')).toHaveAttribute('title', /\d{4}/);
  await expect(page.getByRole('heading', { name: `Comments ${before + 1}` })).toBeVisible();
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Name')).toHaveValue('Mina');
  expect(await stored(page, body)).toBe(1);
  await page.reload();
  await expect(page.locator('.comment__body').filter({ hasText: body.split('\n')[0] })).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('the counter counts what a reader sees and warns near and over the limit', async ({ page }) => {
  await openArticle(page);
  const counter = page.locator('#comment-counter');
  const textarea = page.getByLabel('Comment', { exact: true });
  const live = page.locator('.comment-form [aria-live="polite"]');
  await expect(counter).toHaveText('0/300');
  await textarea.fill('한국어👩‍🚀e\u0301');
  await expect(counter).toHaveText('5/300');
  await expect(live).toHaveText('');
  await textarea.fill('x'.repeat(280));
  await expect(counter).toHaveText('280/300');
  await expect(counter).toHaveClass(/comment-form__counter--near/);
  await expect(live).toHaveText('Fewer than 30 characters left.');
  await textarea.fill('x'.repeat(300));
  await expect(live).toHaveText('You have reached the 300-character limit.');
  await page.getByLabel('Name').fill('Mina');
  const submit = page.getByRole('button', { name: 'Post comment' });
  await expect(submit).toHaveAttribute('aria-disabled', 'false');
  await textarea.fill('x'.repeat(305));
  await expect(counter).toHaveText('305/300 (5 over)');
  await expect(counter).toHaveClass(/comment-form__counter--over/);
  await expect(live).toHaveText('Your comment is over the 300-character limit.');
  await expect(submit).toHaveAttribute('aria-disabled', 'true');
  await expect(submit).toHaveAccessibleDescription('Shorten your comment by 5 characters to post it.');
  let posted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/comments')) posted = true;
  });
  // aria-disabled keeps the button focusable and its reason readable; a click still does nothing.
  await submit.click({ force: true });
  await expect(page.locator('#comment-body-error')).toContainText('5 characters too long');
  await expect(textarea).toHaveAttribute('aria-invalid', 'true');
  expect(posted).toBe(false);
  await expect(textarea).toHaveValue('x'.repeat(305));
});

test('field errors show next to their fields and the text stays', async ({ page }) => {
  await openArticle(page);
  const body = unique('Kept text');
  await fill(page, '', body);
  await expect(page.getByRole('button', { name: 'Post comment' })).toHaveAccessibleDescription('Enter your name to post it.');
  await page.getByRole('button', { name: 'Post comment' }).click({ force: true });
  const name = page.getByLabel('Name');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toHaveAccessibleDescription('Please enter a name.');
  await expect(name).toBeFocused();
  // The server's verdict is shown the same way, in the site's words (its own sentence is
  // English, for API clients).
  await page.route(commentsApi, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 422,
          json: { error: { code: 'invalid', message: 'x', fields: { body: 'The server says no.' } } },
        })
      : route.continue(),
  );
  await name.fill('Mina');
  await page.getByRole('button', { name: 'Post comment' }).click();
  const textarea = page.getByLabel('Comment', { exact: true });
  await expect(textarea).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#comment-body-error')).toHaveText('This was not accepted. Please change it and try again.');
  await expect(textarea).toHaveAccessibleDescription(/This was not accepted\./);
  await expect(page.getByRole('alert')).toContainText('Please check the highlighted fields');
  await expect(textarea).toHaveValue(body);
  await expect(name).toHaveAttribute('aria-invalid', 'false');
});

test('hostile text shows exactly as typed and runs nothing', async ({ page, pageErrors }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    d.dismiss();
  });
  await openArticle(page);
  const nickname = '<img src=x onerror="window.__pwned=1">';
  const body = unique(
    '<script>window.__pwned=1</script>\n<a href="javascript:window.__pwned=1">click</a> <svg onload="window.__pwned=1"></svg>',
  );
  await fill(page, nickname, body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const first = page.locator('.comments__list > li').first();
  await expect(first.locator('.comment__nickname')).toHaveText(nickname);
  expect(await first.locator('.comment__body').textContent()).toBe(body);
  await page.reload();
  const again = page.locator('.comments__list > li').filter({ hasText: body.split('\n')[0] });
  await expect(again.locator('.comment__nickname')).toHaveText(nickname);
  await expect(again.locator('script, img, a, svg')).toHaveCount(0);
  await page.getByText('click').first().click();
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);
  expect(pageErrors).toEqual([]);
});

/** Records the idempotency key of every comment POST. */
function keysOf(page: Page) {
  const keys: string[] = [];
  page.on('request', (r: Request) => {
    if (r.method() === 'POST' && r.url().endsWith('/comments')) keys.push(JSON.parse(r.postData()!).idempotency_key);
  });
  return keys;
}

// Posting under every fault (500, 503, 429, bad JSON, wrong shape, timeout, abort, offline), each
// retried with one key into exactly one comment: e2e/fault-matrix.spec.ts.

test('too many posts: the reader is told when to retry and the text stays', async ({ page }) => {
  await page.route(commentsApi, (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 429,
          headers: { 'Retry-After': '42' },
          json: { error: { code: 'rate_limited', message: 'slow down' } },
        })
      : route.continue(),
  );
  await openArticle(page);
  const body = unique('Patient');
  await fill(page, 'Mina', body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('alert')).toContainText('try again in 42 seconds');
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue(body);
});

test('the draft survives a reload, and a retry after the reload reuses the key', async ({ page }) => {
  await openArticle(page);
  const keys = keysOf(page);
  const body = unique('Half-written\nthoughts');
  await page.route(commentsApi, async (route) => {
    if (route.request().method() === 'POST') {
      await route.fetch();
      await route.fulfill({ status: 503, body: 'busy' });
    } else await route.continue();
  });
  await fill(page, 'Jo', body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('alert')).toContainText('Broadsheet is busy just now');
  await page.unroute(commentsApi);
  await page.reload();
  await expect(page.getByLabel('Name')).toHaveValue('Jo');
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue(body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
  expect(await stored(page, body)).toBe(1);
  expect(keys.length).toBe(2);
  expect(keys[0]).toBe(keys[1]);
});

test('a draft that was typed but never sent is restored too', async ({ page }) => {
  await openArticle(page);
  await fill(page, 'Ana', 'Not sent yet');
  await page.reload();
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue('Not sent yet');
});

// Korean is typed through an input method: each syllable is composed from its letters (ㅎ → 하 →
// 한) before it is committed, and the field holds the uncommitted syllable meanwhile. Chromium's
// own IME path (CDP's Input.imeSetComposition and Input.insertText) fires the real composition
// and input events. The counter follows the field, the app never rewrites a syllable being
// composed, and the draft keeps every committed one, past the limit too.
test('Korean composed through an input method: the counter and the draft follow it', async ({ page, context }) => {
  await openArticle(page);
  const textarea = page.getByLabel('Comment', { exact: true });
  const counter = page.locator('#comment-counter');
  await textarea.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { imeEvents: string[] }).imeEvents = seen;
    for (const type of ['compositionstart', 'compositionend']) el.addEventListener(type, () => seen.push(type));
    el.addEventListener('input', (e) => seen.push((e as InputEvent).isComposing ? 'input:composing' : 'input'));
  });
  await textarea.focus();
  const ime = await context.newCDPSession(page);
  const compose = async (steps: string[]) => {
    for (const text of steps) {
      await ime.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    }
    await ime.send('Input.insertText', { text: steps[steps.length - 1] });
  };
  await compose(['ㅎ', '하', '한']);
  await expect(textarea).toHaveValue('한');
  await expect(counter).toHaveText('1/300');
  // Halfway through the next syllable: the field holds it, and the app leaves it there.
  await ime.send('Input.imeSetComposition', { text: 'ㄱ', selectionStart: 1, selectionEnd: 1 });
  await ime.send('Input.imeSetComposition', { text: '구', selectionStart: 1, selectionEnd: 1 });
  await expect(textarea).toHaveValue('한구');
  await expect(counter).toHaveText('2/300');
  await ime.send('Input.imeSetComposition', { text: '국', selectionStart: 1, selectionEnd: 1 });
  await ime.send('Input.insertText', { text: '국' });
  await expect(textarea).toHaveValue('한국');
  await expect(counter).toHaveText('2/300');
  const events = await page.evaluate(() => (window as unknown as { imeEvents: string[] }).imeEvents);
  expect(events.filter((e) => e === 'compositionstart')).toHaveLength(2);
  expect(events.filter((e) => e === 'compositionend')).toHaveLength(2);
  expect(events).toContain('input:composing');

  // At the limit: composing goes on past it, nothing is cut, and the counter says how far over.
  await textarea.fill('가'.repeat(299));
  await textarea.press('End');
  await compose(['ㄴ', '나']);
  await compose(['ㄹ', '라']);
  await expect(textarea).toHaveValue(`${'가'.repeat(299)}나라`);
  await expect(counter).toHaveText('301/300 (1 over)');
  // The draft holds the committed text: a reload brings all of it back.
  await page.reload();
  await expect(textarea).toHaveValue(`${'가'.repeat(299)}나라`);
  await expect(counter).toHaveText('301/300 (1 over)');
});

test('Load more pages older comments', async ({ page }) => {
  const slug = demo[demo.length - 1].slug;
  for (let n = 0; n < 23; n++) {
    const response = await page.request.post(`/api/articles/${slug}/comments`, {
      data: { nickname: 'Bulk', body: `Older comment ${n}`, idempotency_key: `load-more-test-key-${n}` },
    });
    expect(response.status()).toBe(201);
  }
  await openArticle(page, slug);
  const items = page.locator('.comments__list > li');
  await expect(items).toHaveCount(20);
  await expect(items.first().locator('.comment__body')).toHaveText('Older comment 22');
  await page.getByRole('button', { name: 'Load more comments' }).click();
  await expect(items).toHaveCount(23);
  await expect(items.last().locator('.comment__body')).toHaveText('Older comment 0');
  await expect(page.getByRole('button', { name: 'Load more comments' })).toHaveCount(0);
});

test('reporting asks first, then confirms', async ({ page }) => {
  await openArticle(page);
  const body = unique('Report me');
  await fill(page, 'Mina', body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const item = page.locator('.comments__list > li').filter({ hasText: body });
  await item.getByRole('button', { name: 'Report' }).click();
  await expect(item.getByText('Report this comment to the moderators?')).toBeVisible();
  await item.getByRole('button', { name: 'Cancel' }).click();
  await item.getByRole('button', { name: 'Report' }).click();
  await item.getByRole('button', { name: 'Yes, report it' }).click();
  await expect(item.getByRole('status')).toHaveText(/Reported/);
});

test('comments load after the article and never delay it', async ({ page }) => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(commentsApi + '*', async (route) => {
    if (route.request().method() === 'GET') await held;
    await route.continue();
  });
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  await expect(page.getByText('Loading comments…')).toBeVisible();
  release();
  await expect(page.getByText('Loading comments…')).toHaveCount(0);
});

test('axe: the comment box empty, with errors and with comments', async ({ page }) => {
  await openArticle(page);
  await expectNoAxeViolations(page);
  await page.getByLabel('Comment', { exact: true }).fill('x'.repeat(310));
  await page.getByRole('button', { name: 'Post comment' }).click({ force: true });
  await expect(page.locator('#comment-nickname-error')).toBeVisible();
  await expectNoAxeViolations(page);
  await fill(page, 'Mina', unique('For axe'));
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.locator('.comments__list > li').first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('while posting, the button shows progress and a second click does nothing', async ({ page }) => {
  await openArticle(page);
  const keys = keysOf(page);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(commentsApi, async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  const body = unique('Patience');
  await fill(page, 'Mina', body);
  const button = page.getByRole('button', { name: /Post comment|Posting…/ });
  await button.click();
  await expect(button).toHaveText('Posting…');
  await expect(button).toHaveAttribute('aria-busy', 'true');
  await button.click({ force: true });
  await page.keyboard.press('Enter');
  release();
  await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
  expect(keys).toHaveLength(1);
  expect(await stored(page, body)).toBe(1);
});

// The server's article page has the comment box, so a reader can type before the app (300 KB of
// wasm and JS) has arrived; the app then puts its own box in place with the same text, the
// focus and the caret, and nothing typed is lost (issue #21).
test.describe('before the app starts', () => {
  test.use({ waitForApp: false });

  /** Where the focus is: the focused field's id and its caret. */
  const caret = (page: Page) =>
    page.evaluate(() => {
      const field = document.activeElement as HTMLTextAreaElement | HTMLInputElement | null;
      return { id: field?.id, start: field?.selectionStart, end: field?.selectionEnd };
    });

  test('what is typed into the server’s form, its focus and caret carry over to the app’s', async ({ page, pageErrors }) => {
    const keys = keysOf(page);
    const release = await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    const name = page.getByLabel('Name');
    const field = page.getByLabel('Comment', { exact: true });
    await expect(field).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    await name.fill('Early');
    // Enter in the name field would send the form; before the app it must not reload the page.
    await name.press('Enter');
    await field.click();
    const body = unique('Typed before the app');
    await page.keyboard.type(body);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const server = await field.elementHandle();
    expect(await caret(page)).toEqual({ id: 'comment-body', start: body.length - 2, end: body.length - 2 });

    release();
    await appStarted(page);
    // The app's own field now (the server's is gone), with the text, the focus and the caret.
    expect(await server!.evaluate((e) => e.isConnected)).toBe(false);
    await expect(field).toHaveValue(body);
    await expect(name).toHaveValue('Early');
    await expect.poll(() => caret(page)).toEqual({ id: 'comment-body', start: body.length - 2, end: body.length - 2 });
    expect(new URL(page.url()).search, 'the form was not sent as a page load').toBe('');
    // Typing goes on where the caret was, and the app follows it: the counter, the draft.
    await page.keyboard.type('!');
    const typed = `${body.slice(0, -2)}!${body.slice(-2)}`;
    await expect(field).toHaveValue(typed);
    await expect(page.locator('#comment-counter')).toHaveText(`${typed.length}/300`);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your comment is posted.' })).toBeVisible();
    expect(await stored(page, typed)).toBe(1);
    expect(keys.length).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  test('a saved draft is in the server’s form at once, and typing goes on from it', async ({ page }) => {
    await page.goto(`/article/${full.slug}`);
    await appStarted(page);
    const draft = unique('Saved earlier');
    await fill(page, 'Ana', draft);
    const release = await holdTheApp(page);
    await page.reload();
    const field = page.getByLabel('Comment', { exact: true });
    await expect(field).toHaveValue(draft);
    await expect(page.getByLabel('Name')).toHaveValue('Ana');
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    await field.press('End');
    await page.keyboard.type(' and more');
    release();
    await appStarted(page);
    await expect(field).toHaveValue(`${draft} and more`);
    await page.reload();
    await appStarted(page);
    await expect(field).toHaveValue(`${draft} and more`);
  });

  test('a search typed before the app starts stays in the field', async ({ page }) => {
    const release = await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    const search = page.getByRole('searchbox', { name: 'Search Broadsheet' });
    await search.fill('night trains');
    release();
    await appStarted(page);
    await expect(search).toHaveValue('night trains');
    expect(await caret(page)).toMatchObject({ id: 'masthead-search', start: 12 });
  });

  test('axe: the server’s page with its comment box, before the app', async ({ page }) => {
    await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    await expect(page.getByLabel('Comment', { exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

test.describe('without scripts', () => {
  test.use({ javaScriptEnabled: false });

  // The page's <noscript> note says why (Chromium with scripts switched off by Playwright still
  // parses <noscript> as text, so the note itself cannot be looked at here).
  test('the comment box is not offered', async ({ page }) => {
    await page.goto(`/article/${full.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
    await expect(page.locator('section.comments')).toHaveCount(1);
    await expect(page.locator('section.comments')).toBeHidden();
    await expect(page.getByLabel('Comment', { exact: true })).toBeHidden();
  });
});
