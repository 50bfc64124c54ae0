import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, navigateInApp, ownPort, siteIn, holdTheApp, appStarted } from './fixtures';

// Languages (issue #20): an Arabic article on the English site reads right to left in its own
// element; a Korean one is marked Korean; and a site started with `--lang ar` mirrors its whole
// layout (logical CSS): the sidebar, the modules' ranks, the skip link, the progress bar. Both as
// the server sends the page and after the app has taken it over. Screenshots, phone and wide, go
// to the test's output folder to be looked at.

const arabic = '/article/coastal-town-plants-mangroves-to-guard-its-shore';
const korean = '/article/neighbourhood-bookshops-stay-open-for-reading-nights';

const phone = { width: 390, height: 844 };
const wide = { width: 1280, height: 900 };

/** Where `text`'s glyphs stand inside `selector`'s box: the gaps on its left and right. */
async function textGaps(page: Page, selector: string) {
  return page.locator(selector).first().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return { left: text.left - box.left, right: box.right - text.right };
  });
}

/** Opens a page of the `--lang ar` server and waits until the app has taken it over (the
 *  fixture's own wait is for the shared server only). */
async function open(page: Page, url: string) {
  await page.goto(url);
  await appStarted(page);
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: false });
}

/** How the page's published times and the modules' ranks differ from what the browser's own
 *  `Intl` writes for `locale` (a long date with a short time, in `timeZone`, the reader's when
 *  absent; whole numbers with the locale's digits): the server writes them with ICU4X, the app
 *  with `Intl`, and both must read alike. Also how many of each were seen. */
async function unlikeIntl(page: Page, locale: string, timeZone?: string) {
  return page.evaluate(
    ({ locale, timeZone }) => {
      const time = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
      const number = new Intl.NumberFormat(locale);
      const problems: string[] = [];
      const times = [...document.querySelectorAll('.story .time time[datetime]')];
      for (const t of times) {
        const want = time.format(new Date(t.getAttribute('datetime')!));
        if (t.textContent!.trim() !== want) problems.push(`time ${t.textContent} ≠ ${want}`);
      }
      const ranks = [...document.querySelectorAll('.module-rank')];
      for (const r of ranks) {
        const item = r.closest('li')!;
        const want = number.format([...item.parentElement!.children].indexOf(item) + 1);
        if (r.firstChild!.textContent !== want) problems.push(`rank ${r.firstChild!.textContent} ≠ ${want}`);
      }
      return { times: times.length, ranks: ranks.length, problems };
    },
    { locale, timeZone },
  );
}

/** Checks `path` on `base` in `locale`: the server's first screen (the app held back) in UTC,
 *  then the app, in a reader's zone far from UTC. */
async function datesAndNumbersAsIntl(page: Page, base: string, path: string, locale: string) {
  const release = await holdTheApp(page);
  await page.goto(`${base}${path}`);
  await expect(page.locator('#broadsheet-first-screen')).toHaveCount(1);
  const sent = await unlikeIntl(page, locale, 'UTC');
  expect(sent.times).toBeGreaterThan(0);
  expect(sent.ranks).toBeGreaterThanOrEqual(5);
  expect(sent.problems).toEqual([]);
  release();
  await appStarted(page);
  await expect(page.locator('.sidebar .module-rank').first()).toBeVisible();
  const app = await unlikeIntl(page, locale);
  expect(app.times).toBe(sent.times);
  expect(app.problems).toEqual([]);
}

test.describe('an article in another language on the English site', () => {
  test('Arabic reads right to left in its own element, before and after the app', async ({ page, pageErrors }) => {
    for (const viewport of [phone, wide]) {
      await page.setViewportSize(viewport);
      await page.goto(arabic);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
      const story = page.locator('article.story');
      await expect(story).toHaveAttribute('lang', 'ar');
      await expect(story).toHaveAttribute('dir', 'rtl');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/المانغروف/);
      // A short heading in the body: its text stands against the right edge, with the space on
      // its left.
      const gaps = await textGaps(page, '.story h2');
      expect(gaps.right).toBeLessThan(2);
      expect(gaps.left).toBeGreaterThan(40);
      // The interface's own text inside it is English, and stays in its order ("1 min read").
      const meta = page.locator('.story__meta');
      await expect(meta).toHaveAttribute('lang', 'en');
      await expect(meta).toHaveAttribute('dir', 'ltr');
      const reading = await textGaps(page, '.story__reading-time');
      expect(reading.left).toBeLessThan(2);
      await shoot(page, `arabic-article-${viewport.width}`);
      await expectNoAxeViolations(page);
    }
    // Reached inside the app (the app renders it, not the server): the same.
    await page.goto('/');
    await navigateInApp(page, arabic);
    await expect(page.locator('article.story')).toHaveAttribute('lang', 'ar');
    await expect(page.locator('article.story')).toHaveAttribute('dir', 'rtl');
    expect(pageErrors).toEqual([]);
  });

  test('Korean is marked Korean and left to right; an English article names no language', async ({ page }) => {
    await page.setViewportSize(wide);
    await page.goto(korean);
    const story = page.locator('article.story');
    await expect(story).toHaveAttribute('lang', 'ko');
    await expect(story).toHaveAttribute('dir', 'ltr');
    // The fonts named for Korean are the ones the page uses there.
    const family = await page.locator('.story__headline').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(family).toContain('NanumMyeongjo');
    await shoot(page, 'korean-article');
    await expectNoAxeViolations(page);

    await page.goto('/article/coastal-towns-share-one-tide-gauge-network');
    await expect(page.locator('article.story')).not.toHaveAttribute('lang');
    await expect(page.locator('article.story')).not.toHaveAttribute('dir');
  });

  test('dates and numbers read as Intl writes them for British English', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ timezoneId: 'Asia/Seoul', locale: 'en-GB' });
    const page = await context.newPage();
    await datesAndNumbersAsIntl(page, baseURL!, korean, 'en-GB');
    // In Seoul the app's time is nine hours past the server's UTC: the reader's own clock.
    const shown = await page.locator('.story .time time').first().innerText();
    const at = await page.locator('.story .time time').first().getAttribute('datetime');
    expect(shown).toBe(
      new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(new Date(at!)),
    );
    await context.close();
  });

  test('headlines from elsewhere set their own direction in lists', async ({ page }) => {
    await page.goto('/section/world');
    const headline = page.locator('.story-list__headline', { hasText: 'المانغروف' });
    await expect(headline).toHaveAttribute('dir', 'auto');
    expect(await headline.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    const english = page.locator('.story-list__headline').first();
    expect(await english.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
  });
});

test.describe('a site started with --lang ar', () => {
  test.describe.configure({ mode: 'serial' });

  const base = siteIn('ar', ownPort(30));

  test('the page is right to left, and the layout mirrors', async ({ page, pageErrors }) => {
    await page.setViewportSize(wide);
    // As the server sends it, before any script.
    const sent = await (await page.request.get(`${base}${arabic}`)).text();
    expect(sent).toContain('<html lang="ar" dir="rtl">');
    expect(sent).toContain('<meta name="broadsheet-lang" content="ar" />');

    await open(page, `${base}/`);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('lang', 'ar');
    await expect(html).toHaveAttribute('dir', 'rtl');

    // Wide: the sidebar stands on the left of the stories, and each rank on the right of its
    // headline.
    const main = await page.locator('.front-layout > .front').boundingBox();
    const aside = await page.locator('.front-layout > :last-child').boundingBox();
    expect(aside!.x + aside!.width).toBeLessThanOrEqual(main!.x + 1);
    const item = page.locator('.module__list--ranked .module-item').first();
    const rank = await item.locator('.module-rank').boundingBox();
    const link = await item.locator('.module-item__link').boundingBox();
    expect(rank!.x).toBeGreaterThan(link!.x + link!.width - 1);

    // The skip link appears at the top right when focused.
    await page.keyboard.press('Tab');
    const skip = page.locator('.skip-link').first();
    await expect(skip).toBeFocused();
    const box = await skip.boundingBox();
    expect(box!.x + box!.width).toBeGreaterThan(wide.width - 60);
    expect(box!.x).toBeGreaterThan(wide.width / 2);

    // The progress bar grows from the right.
    const origin = await page.locator('.progress').evaluate((el) => getComputedStyle(el).transformOrigin);
    expect(Number.parseFloat(origin)).toBeGreaterThan(wide.width / 2);

    await skip.blur();
    await shoot(page, 'rtl-home-wide');
    await expectNoAxeViolations(page);
    expect(pageErrors).toEqual([]);
  });

  test('on a phone, and on an article', async ({ page, pageErrors }) => {
    await page.setViewportSize(phone);
    await open(page, `${base}/`);
    await shoot(page, 'rtl-home-phone');
    await expectNoAxeViolations(page);
    await open(page, `${base}${arabic}`);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    // The header's section label stands against the right edge of the column.
    const label = await page.locator('.story .section-label').boundingBox();
    const column = await page.locator('.story').boundingBox();
    expect(column!.x + column!.width - (label!.x + label!.width)).toBeLessThan(2);
    await shoot(page, 'rtl-article-phone');
    await expectNoAxeViolations(page);
    await page.setViewportSize(wide);
    await open(page, `${base}/article/coastal-towns-share-one-tide-gauge-network`);
    // An English article on the Arabic site says nothing of its own: it takes the page's
    // direction (the interface and its text have no catalogues yet).
    await expect(page.locator('article.story')).not.toHaveAttribute('dir');
    await shoot(page, 'rtl-article-wide');
    await expectNoAxeViolations(page);
    expect(pageErrors).toEqual([]);
  });
});

// The site's language (issue #20): the server's first screen and the app say the same words, in
// that language, before and after the take-over.
for (const { lang, dir, home, popular, port } of [
  { lang: 'ko', dir: 'ltr', home: '홈', popular: '지금 많이 본 기사', port: ownPort(31) },
  { lang: 'ar', dir: 'rtl', home: 'الرئيسية', popular: 'الأكثر قراءة الآن', port: ownPort(32) },
]) {
  test.describe(`a site started with --lang ${lang}: first screen and app agree`, () => {
    test.describe.configure({ mode: 'serial' });
    test.use({ waitForApp: false });

    const base = siteIn(lang, port);

    for (const path of ['/', korean, arabic, '/section/world', '/search?q=harbour']) {
      test(`${path}: the same text before and after the take-over`, async ({ page, pageErrors }) => {
        const release = await holdTheApp(page);
        await page.goto(`${base}${path}`);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        await expect(page.locator('html')).toHaveAttribute('dir', dir);
        const interface_ = page.locator('.masthead__nav');
        await expect(interface_).toContainText(home);
        // The interface around the content and the content's own interface text: the masthead,
        // the story or list, the modules, the footer. (Comments are the app's alone.)
        const parts = ['.masthead', 'main article.story', 'main .front', 'main .search', '.sidebar', '.site-footer'];
        const texts = async () =>
          Promise.all(parts.map(async (p) => ((await page.locator(p).count()) ? page.locator(p).first().innerText() : '')));
        const before = await texts();
        if (path !== '/search?q=harbour') expect(before.join('\n')).toContain(popular);
        release();
        await appStarted(page);
        await expect(page.locator('#broadsheet-first-screen')).toHaveCount(0);
        if (path !== '/search?q=harbour') await expect(page.locator('.sidebar .module').first()).toBeVisible();
        // (The published times: the server's UTC, the reader's clock after, UTC here.)
        expect(await texts()).toEqual(before);
        if (path === korean || path === arabic) await expectNoAxeViolations(page);
        expect(pageErrors).toEqual([]);
      });
    }

    test('every page, in both themes, has no axe violations', async ({ page }) => {
      test.setTimeout(120_000);
      const pages = [
        '/',
        '/section/world',
        lang === 'ko' ? korean : arabic,
        '/saved',
        '/search?q=harbour',
        '/search?q=zzzzqqqq',
        '/tag/night%20trains',
        '/author/%EA%B9%80%EB%AF%BC%EC%A7%80',
        '/no-such-page',
      ];
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        for (const path of pages) {
          await open(page, `${base}${path}`);
          await expect(page.getByRole('main')).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('lang', lang);
          await test.step(`${colorScheme} ${path}`, () => expectNoAxeViolations(page));
        }
      }
    });

    test('dates and numbers read as Intl writes them in the language', async ({ browser }) => {
      const context = await browser.newContext({ timezoneId: 'America/Los_Angeles', locale: lang });
      await datesAndNumbersAsIntl(await context.newPage(), base, lang === 'ko' ? korean : arabic, lang);
      await context.close();
    });

    test('the article page, phone and wide, looked at', async ({ page }) => {
      for (const viewport of [phone, wide]) {
        await page.setViewportSize(viewport);
        await open(page, `${base}${lang === 'ko' ? korean : arabic}`);
        await shoot(page, `${lang}-site-article-${viewport.width}`);
      }
    });
  });
}

// A tag with a region keeps the language's words and takes the region's dates and numbers:
// Egyptian Arabic writes Arabic-Indic digits, in the times, the ranks and the counts alike.
test.describe('a site started with --lang ar-EG', () => {
  test.describe.configure({ mode: 'serial' });
  test.use({ waitForApp: false });

  const base = siteIn('ar-EG', ownPort(33));

  test('Arabic-Indic digits from the server and from the app', async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: 'Africa/Cairo', locale: 'ar-EG' });
    const page = await context.newPage();
    await datesAndNumbersAsIntl(page, base, arabic, 'ar-EG');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar-EG');
    const digits = /[0-9]/;
    for (const text of [
      await page.locator('.story .time time').first().innerText(),
      await page.locator('.story__views').innerText(),
      await page.locator('.module-rank').first().innerText(),
    ]) {
      expect(text).toMatch(/[٠-٩]/);
      expect(text).not.toMatch(digits);
    }
    await context.close();
  });
});
