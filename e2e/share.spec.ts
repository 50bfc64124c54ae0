import { test, expect, expectNoAxeViolations, full, newest, demo } from './fixtures';

/** encodeURIComponent, plus !'()* as our share links encode them. */
const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** An article whose headline has characters that need encoding. */
const tricky = demo.find((a) => /['’]/.test(a.headline)) ?? full;

test('each share link goes to its network with the canonical URL and title encoded', async ({ page, baseURL }) => {
  await page.goto(`/article/${tricky.slug}`);
  const url = `${baseURL}/article/${tricky.slug}`;
  const title = tricky.headline;
  const bar = page.getByRole('group', { name: 'Share it on…' }).last();
  const expected: Record<string, string> = {
    'Share on X': `https://x.com/intent/post?text=${enc(title)}&url=${enc(url)}`,
    'Share on Facebook': `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}`,
    'Share on LinkedIn': `https://www.linkedin.com/sharing/share-offsite/?url=${enc(url)}`,
    'Share on WhatsApp': `https://wa.me/?text=${enc(`${title} ${url}`)}`,
    'Share by email': `mailto:?subject=${enc(title)}&body=${enc(`A story from Broadsheet: ${url}`)}`,
  };
  for (const [name, href] of Object.entries(expected)) {
    const link = bar.getByRole('link', { name, exact: true });
    await expect(link).toHaveAttribute('href', href);
    if (name === 'Share by email') {
      await expect(link).not.toHaveAttribute('target', /.+/);
    } else {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      await expect(link).toHaveAccessibleDescription('Opens in a new tab');
    }
  }
  // Near the headline and after the article: the same controls twice.
  await expect(page.getByRole('group', { name: 'Share it on…' })).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'Share on Facebook' })).toHaveCount(2);
});

test('no third-party request is made by the page', async ({ page, baseURL }) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(baseURL!)) foreign.push(r.url());
  });
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('group', { name: 'Share it on…' }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(foreign).toEqual([]);
});

test.describe('Copy link', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('puts the URL on the clipboard and announces it', async ({ page, baseURL }) => {
    await page.goto(`/article/${full.slug}`);
    const bar = page.getByRole('group', { name: 'Share it on…' }).first();
    await bar.getByRole('button', { name: 'Copy link' }).click();
    await expect(bar.getByRole('status')).toHaveText('Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/article/${full.slug}`);
  });

  test('falls back to the copy command without the Clipboard API', async ({ page, baseURL }) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
      const original = document.execCommand.bind(document);
      document.execCommand = (command: string, ...rest: any[]) => {
        if (command === 'copy') {
          const area = document.querySelector('textarea[readonly]') as HTMLTextAreaElement | null;
          (window as any).__copied = area?.value.slice(area.selectionStart, area.selectionEnd);
          return true;
        }
        return original(command, ...rest);
      };
    });
    await page.goto(`/article/${full.slug}`);
    const bar = page.getByRole('group', { name: 'Share it on…' }).first();
    await bar.getByRole('button', { name: 'Copy link' }).click();
    await expect(bar.getByRole('status')).toHaveText('Link copied.');
    expect(await page.evaluate(() => (window as any).__copied)).toBe(`${baseURL}/article/${full.slug}`);
  });

  test('says so when copying fails', async ({ page, baseURL }) => {
    await page.addInitScript(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      document.execCommand = () => false;
    });
    await page.goto(`/article/${full.slug}`);
    const bar = page.getByRole('group', { name: 'Share it on…' }).first();
    await bar.getByRole('button', { name: 'Copy link' }).click();
    await expect(bar.getByRole('status')).toHaveText(
      `Could not copy the link. Select it and copy: ${baseURL}/article/${full.slug}`,
    );
  });
});

test('the native share sheet is used where the browser has one', async ({ page, baseURL }) => {
  await page.addInitScript(() => {
    (navigator as any).share = (data: ShareData) => {
      (window as any).__shared = { ...data };
      return Promise.resolve();
    };
  });
  await page.goto(`/article/${full.slug}`);
  await page.getByRole('button', { name: 'Share…' }).first().click();
  expect(await page.evaluate(() => (window as any).__shared)).toEqual({
    title: full.headline,
    text: full.standfirst,
    url: `${baseURL}/article/${full.slug}`,
  });
});

test('without a native share sheet there is no Share… button', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.getByRole('link', { name: 'Share on X' }).first()).toBeVisible();
  const native = await page.evaluate(() => 'share' in navigator);
  await expect(page.getByRole('button', { name: 'Share…' })).toHaveCount(native ? 2 : 0);
});

test('share controls work from the keyboard with a visible focus', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  const copy = page.getByRole('group', { name: 'Share it on…' }).first().getByRole('button', { name: 'Copy link' });
  await copy.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(copy).toBeFocused();
  const outline = await copy.evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Share it on…' }).first().getByRole('status')).not.toBeEmpty();
});

test.describe('without scripts', () => {
  test.use({ javaScriptEnabled: false });

  test('an article URL shows its title, description and Open Graph tags', async ({ page, baseURL }) => {
    await page.goto(`/article/${full.slug}`);
    await expect(page).toHaveTitle(`${full.headline} — Broadsheet`);
    const meta = (selector: string) => page.locator(selector).getAttribute('content');
    expect(await meta('meta[name="description"]')).toBe(full.standfirst);
    expect(await meta('meta[property="og:title"]')).toBe(full.headline);
    expect(await meta('meta[property="og:type"]')).toBe('article');
    expect(await meta('meta[property="og:url"]')).toBe(`${baseURL}/article/${full.slug}`);
    expect(await meta('meta[property="og:image"]')).toMatch(new RegExp(`^${baseURL}/media/`));
    expect(await meta('meta[property="og:image:width"]')).toMatch(/^\d+$/);
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${baseURL}/article/${full.slug}`);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
    expect(ld.headline).toBe(full.headline);
    expect(ld['@type']).toBe('NewsArticle');
  });
});

test('title, description and canonical follow client-side navigation', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${baseURL}/`);
  await page.getByRole('main').getByRole('link', { name: newest.headline }).first().click();
  await expect(page).toHaveTitle(`${newest.headline} — Broadsheet`);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${baseURL}/article/${newest.slug}`);
  await expect(page.locator('link[rel="canonical"]')).toHaveCount(1);
  await expect(page.locator('meta[name="description"]')).toHaveCount(1);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', newest.standfirst!);
  await page.goBack();
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', `${baseURL}/`);
});

test('axe: the share controls with a message shown', async ({ page }) => {
  await page.addInitScript(() => {
    (navigator as any).share = () => Promise.resolve();
  });
  await page.goto(`/article/${full.slug}`);
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  await expect(page.getByRole('group', { name: 'Share it on…' }).first().getByRole('status')).not.toBeEmpty();
  await expectNoAxeViolations(page);
});
