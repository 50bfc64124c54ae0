import { test, expect, demo, newest, full, lead, viewBeacons } from './fixtures';

test('home leads with a story, lists each section, and a click opens a story in the app', async ({ page, pageErrors }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Latest news — Broadsheet');
  const front = page.getByRole('region', { name: 'Latest stories' });
  const leadLink = front.getByRole('article').getByRole('link', { name: lead.headline });
  await expect(leadLink).toBeVisible();
  await expect(front.getByRole('img', { name: lead.image!.alt })).toBeVisible();
  const sections = [...new Set(demo.map((a) => a.section.name))];
  for (const name of sections) {
    await expect(front.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
  }
  await expect(front.getByRole('region', { name: 'World' }).getByRole('link', { name: newest.headline })).toBeVisible();
  // A marker on window survives only if the click is handled client-side, without a reload.
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await leadLink.click();
  await expect(page).toHaveURL(`/article/${lead.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead.headline);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page).toHaveTitle(`${lead.headline} — Broadsheet`);
  expect(pageErrors).toEqual([]);
});

test('an article URL loads directly with every header field', async ({ page, pageErrors }) => {
  const response = await page.goto(`/article/${full.slug}`);
  expect(response?.status()).toBe(200);
  const article = page.getByRole('article');
  await expect(article.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  await expect(article.getByRole('link', { name: full.section.name, exact: true })).toHaveAttribute(
    'href',
    `/section/${full.section.slug}`,
  );
  await expect(article.getByText(full.standfirst!)).toBeVisible();
  await expect(article.getByText(full.byline!.name)).toBeVisible();
  await expect(article.getByRole('link', { name: full.byline!.email! })).toHaveAttribute(
    'href',
    `mailto:${full.byline!.email}`,
  );
  await expect(article.getByText(`Source: ${full.source}`)).toBeVisible();
  const times = article.locator('time');
  await expect(times).toHaveCount(2);
  expect(Date.parse((await times.nth(0).getAttribute('datetime'))!)).toBe(Date.parse(full.published_at));
  expect(Date.parse((await times.nth(1).getAttribute('datetime'))!)).toBe(Date.parse(full.updated_at!));
  await expect(article.getByText(/^[\d,]+ views?$/)).toBeVisible();
  await expect(article.getByRole('img', { name: full.image!.alt })).toBeVisible();
  await expect(page).toHaveTitle(`${full.headline} — Broadsheet`);
  expect(pageErrors).toEqual([]);
});

test.describe('a reader who has not read the article this hour', () => {
  // The server counts one view per reader and article an hour, and other tests read this
  // article from the same address: this reader's browser names itself otherwise.
  test.use({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' });

  test('the view count shown is the stored count, and opening the page counts one view', async ({ page, request }) => {
    const beacons = viewBeacons(page);
    const before = (await (await request.get(`/api/articles/${full.slug}`)).json()).views;
    await page.goto(`/article/${full.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
    const shown = await page.getByText(/^[\d,]+ views?$/).textContent();
    expect(Number(shown!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(before);
    await expect
      .poll(async () => (await (await request.get(`/api/articles/${full.slug}`)).json()).views)
      .toBeGreaterThan(before);
    await page.waitForLoadState('networkidle');
    expect(beacons).toEqual([`${new URL(page.url()).origin}/api/articles/${full.slug}/views`]);
  });
});

test('an unknown slug shows the article-not-found page with a 404', async ({ page, pageErrors }) => {
  const response = await page.goto('/article/no-such-story-exists');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Article not found');
  await expect(page).toHaveTitle('Article not found — Broadsheet');
  await page.getByRole('link', { name: 'Go to the front page' }).click();
  await expect(page).toHaveURL('/');
  expect(pageErrors).toEqual([]);
});

test('an unknown address shows the not-found page', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('section navigation opens a section front and marks it current', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('link', { name: 'Science' }).click();
  await expect(page).toHaveURL('/section/science');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Science');
  await expect(nav.getByRole('link', { name: 'Science' })).toHaveAttribute('aria-current', 'page');
  const expected = demo.filter((a) => a.section.slug === 'science').length;
  await expect(page.getByRole('region', { name: 'Science', exact: true }).getByRole('listitem')).toHaveCount(expected);
});

test('skip links are the first tab stops and move focus', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Go to the main page' })).toBeFocused();
  await expect(page.getByRole('link', { name: 'Go to the main page' })).toBeInViewport();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
  // The next tab stop is inside the main content, not back in the masthead.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);

  const back = page.getByRole('contentinfo').getByRole('link', { name: 'Back to the main page' });
  await back.click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Latest stories');
});

test('skip links are hidden until focused', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Go to the main page' })).not.toBeInViewport();
  await expect(page.getByRole('link', { name: 'Skip to the main content' })).not.toBeInViewport();
});
