import type { Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, expectNoAxeViolations, ownPort, serve, stop, holdTheApp, appStarted } from './fixtures';
import { demoArticles, englishArticle, koreanArticle, longArticles, tokens } from './comfort-content';

// Reading comfort (issue #19): the theme and text size a reader chooses, applied before the
// first paint under the strict CSP; pages that reflow at 320 px and at 200 % text, whatever a
// headline holds; reading time; print; the related stories as a landmark; reduced motion.
// A server of the spec's own holds the demo articles and the long-token articles.

let server: ChildProcess;
let dir: string;
let base: string;

test.beforeAll(async ({}, testInfo) => {
  const port = ownPort(20 + testInfo.parallelIndex);
  base = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), 'broadsheet-comfort-'));
  const file = join(dir, 'articles.json');
  const db = join(dir, 'comfort.db');
  writeFileSync(file, JSON.stringify([...demoArticles, ...longArticles, englishArticle, koreanArticle]));
  execFileSync('target/release/broadsheet-server', ['--db', db, '--no-demo', 'import', file]);
  server = await serve(port, { dist: 'dist', db, demo: false });
});

test.afterAll(async () => {
  await stop(server);
  rmSync(dir, { recursive: true, force: true });
});

const longHeadlines = longArticles.map((a) => a.headline);
const articleOf = (section: string) => longArticles.find((a) => a.section.slug === section)!;

/** Every page, with what shows it is complete (the modules come a task after the content) and
 *  the long headlines it must list. New pages join this list. */
const comfortPages: Array<{ path: string; ready: string; lists?: string[] }> = [
  { path: '/', ready: '.sidebar .module', lists: longHeadlines },
  { path: '/section/world', ready: '.sidebar .module', lists: [articleOf('world').headline] },
  { path: '/section/science', ready: '.sidebar .module', lists: [articleOf('science').headline] },
  { path: '/article/long-url', ready: '.sidebar .module', lists: [articleOf('world').headline] },
  { path: '/article/long-markup', ready: '.sidebar .module', lists: [articleOf('culture').headline] },
  { path: `/article/${demoArticles[0].slug}`, ready: '.sidebar .module', lists: longHeadlines.slice(0, 1) },
  { path: '/saved', ready: 'h1' },
  { path: '/no-such-page', ready: 'h1' },
  { path: '/embed/article/long-compound', ready: 'h1' },
  { path: '/embed/article/long-hashtag?view=full', ready: 'h1' },
  // Search results mark the matched word in each long headline; a tag's and an author's pages.
  { path: '/search?q=Unbroken', ready: 'main mark', lists: [] },
  { path: '/tag/cities', ready: 'main li', lists: [] },
  { path: `/author/${encodeURIComponent(tokens.compound.toLowerCase())}`, ready: 'main li', lists: [] },
];

/** The browser's own text size, as a reader sets it in the browser's settings (WCAG 1.4.4). */
async function browserTextSize(page: Page, percent: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: (16 * percent) / 100, fixed: (13 * percent) / 100 } });
}

/** Waits until the app has taken the page over (the fixtures' `goto` does so only on the shared
 *  server's origin). */
const started = appStarted;

/** Opens a page of this spec's server, once the app has it and it is complete. */
async function open(page: Page, path: string, ready = 'h1') {
  await page.goto(base + path);
  await started(page);
  await expect(page.locator(ready).first()).toBeVisible();
}

/** How wide the page is, against the viewport; and the masthead's words that broke across lines
 *  (its name and links are short words of its own: they wrap as wholes, never inside). */
const overflow = (page: Page) =>
  page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    broken: [...document.querySelectorAll('.masthead a, .prefs__toggle')]
      .filter((e) => e.getClientRects().length > 1)
      .map((e) => e.textContent),
  }));

test.describe('at 320 px, every page reflows: long tokens, 200 % text, the largest text setting', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  for (const { path, ready, lists } of comfortPages) {
    test(`${path}`, async ({ page, pageErrors }) => {
      test.setTimeout(60_000);
      await open(page, path, ready);
      for (const headline of lists ?? []) {
        await expect(page.getByText(headline, { exact: true }).first(), 'the page lists the long headline').toBeAttached();
      }
      const plain = await overflow(page);
      expect(plain.width, 'no sideways scrolling at 100 % text').toBeLessThanOrEqual(plain.viewport);
      expect(plain.broken, 'masthead words broken at 100 % text').toEqual([]);

      await browserTextSize(page, 200);
      await open(page, path, ready);
      const zoomed = await overflow(page);
      expect(await page.evaluate(() => getComputedStyle(document.body).fontSize), 'the browser’s text is 200 %').toBe('34px');
      expect(zoomed.width, 'no sideways scrolling at 200 % text').toBeLessThanOrEqual(zoomed.viewport);
      expect(zoomed.broken, 'masthead words broken at 200 % text').toEqual([]);

      // And the site's own largest step on top of it.
      await page.evaluate(() => localStorage.setItem('broadsheet:text-size', '150'));
      await open(page, path, ready);
      const largest = await overflow(page);
      expect(largest.width, 'no sideways scrolling at 200 % × 150 %').toBeLessThanOrEqual(largest.viewport);
      expect(largest.broken, 'masthead words broken at 200 % × 150 %').toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }
});

/** The background the reader sees. */
const paper = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(21, 24, 27)';

/** Records, at the first animation frame with a body (before it is painted), the body's
 *  background, and any CSP violation. */
async function watchFirstFrame(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { firstFrame?: string; csp: string[] };
    w.csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
    const look = () => {
      if (document.body) w.firstFrame = getComputedStyle(document.body).backgroundColor;
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { firstFrame?: string; csp: string[] };
      return { firstFrame: w.firstFrame, csp: w.csp };
    });
}

const display = (page: Page) => page.getByRole('banner').getByText('Display', { exact: true });
const themeGroup = (page: Page) => page.getByRole('group', { name: 'Theme' });
const sizeGroup = (page: Page) => page.getByRole('group', { name: 'Text size' });

test.describe('theme', () => {
  test('follows the system by default, with and without scripts', async ({ browser }) => {
    for (const javaScriptEnabled of [true, false]) {
      for (const [colorScheme, expected] of [['dark', DARK], ['light', LIGHT]] as const) {
        const context = await browser.newContext({ colorScheme, javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(`${base}/article/long-url`);
        expect(await paper(page), `${colorScheme}, scripts ${javaScriptEnabled}`).toBe(expected);
        await context.close();
      }
    }
  });

  test('the reader’s choice is remembered and applied before the first paint, under the CSP', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    const firstFrame = await watchFirstFrame(page);
    await open(page, '/article/long-url');
    await display(page).click();
    await expect(themeGroup(page).getByRole('radio', { name: 'System' })).toBeChecked();
    await themeGroup(page).getByRole('radio', { name: 'Dark' }).check();
    expect(await paper(page)).toBe(DARK);

    // The server's first screen, before the app: dark from the first frame.
    const release = await holdTheApp(page);
    const response = await page.goto(`${base}/article/long-url`, { waitUntil: 'domcontentloaded' });
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/);
    expect(csp).not.toContain('unsafe-inline');
    const seen = await firstFrame();
    expect(seen.firstFrame, 'the first frame').toBe(DARK);
    expect(seen.csp, 'CSP violations').toEqual([]);
    await display(page).click();
    await expect(themeGroup(page).getByRole('radio', { name: 'Dark' })).toBeChecked();
    release();
    await started(page);
    await display(page).click();
    await expect(themeGroup(page).getByRole('radio', { name: 'Dark' })).toBeChecked();
    expect(await paper(page)).toBe(DARK);

    // Light on a dark system; then System follows the system again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await themeGroup(page).getByRole('radio', { name: 'Light' }).check();
    expect(await paper(page)).toBe(LIGHT);
    await display(page).click();
    await page.reload();
    await started(page);
    expect(await paper(page)).toBe(LIGHT);
    await display(page).click();
    await themeGroup(page).getByRole('radio', { name: 'System' }).check();
    expect(await paper(page)).toBe(DARK);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);
  });

  test('the controls work from the keyboard', async ({ page }) => {
    await open(page, '/');
    await display(page).focus();
    await page.keyboard.press('Enter');
    await expect(themeGroup(page)).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(themeGroup(page).getByRole('radio', { name: 'System' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(themeGroup(page).getByRole('radio', { name: 'Light' })).toBeChecked();
    await page.keyboard.press('ArrowRight');
    await expect(themeGroup(page).getByRole('radio', { name: 'Dark' })).toBeChecked();
    expect(await page.evaluate(() => localStorage.getItem('broadsheet:theme'))).toBe('dark');
    expect(await paper(page)).toBe(DARK);
  });

  test('an embed keeps its own ?theme=, whatever the reader chose on the site', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(page, '/');
    await page.evaluate(() => localStorage.setItem('broadsheet:theme', 'dark'));
    await page.goto(`${base}/embed/article/long-url?theme=light`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await paper(page)).toBe(LIGHT);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${base}/embed/article/long-url?theme=dark`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await paper(page)).toBe(DARK);
  });

  test('without scripts the controls are not offered', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(display(page)).toBeHidden();
    await context.close();
  });
});

test('text size: chosen, remembered, before the first paint, checked in the controls', async ({ page }) => {
  const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  await open(page, '/article/long-url');
  expect(await rootSize()).toBe('16px');
  await display(page).click();
  await sizeGroup(page).getByRole('radio', { name: '125%' }).check();
  expect(await rootSize()).toBe('20px');
  await page.route('**/*_bg.wasm', (route) => route.abort());
  await page.goto(`${base}/article/long-url`, { waitUntil: 'domcontentloaded' });
  // The server's page alone (the app cannot start): the size and the checked radio.
  expect(await rootSize()).toBe('20px');
  await display(page).click();
  await expect(sizeGroup(page).getByRole('radio', { name: '125%' })).toBeChecked();
  await page.unroute('**/*_bg.wasm');
  await open(page, '/article/long-url');
  await display(page).click();
  await expect(sizeGroup(page).getByRole('radio', { name: '125%' })).toBeChecked();
  await sizeGroup(page).getByRole('radio', { name: '100%' }).check();
  expect(await rootSize()).toBe('16px');
});

test.describe('reading time', () => {
  for (const [article, minutes] of [[englishArticle, 2], [koreanArticle, 2], [longArticles[0], 1]] as const) {
    test(`${article.slug}: ${minutes} min, the same before and after the app`, async ({ browser }) => {
      for (const javaScriptEnabled of [false, true]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(`${base}/article/${article.slug}`);
        if (javaScriptEnabled) await started(page);
        const time = page.locator('.story__reading-time');
        const spoken = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} to read`;
        await expect(time).toHaveText(`${minutes} min read${spoken}`);
        // What a screen reader hears: the words, not the abbreviation.
        await expect(page.locator('article.story')).toContainText(spoken);
        expect(await time.locator('[aria-hidden="true"]').innerText()).toBe(`${minutes} min read`);
        await context.close();
      }
    });
  }
});

test.describe('print', () => {
  const article = longArticles[0];

  test('an article prints as the article, with its URL', async ({ page }) => {
    await open(page, `/article/${article.slug}`, '.sidebar .module');
    await expect(page.locator('.story__print-url')).toBeHidden();
    const offScreen = [
      page.getByRole('navigation', { name: 'Sections' }),
      display(page),
      page.getByRole('link', { name: 'Skip to the main content' }),
      page.getByRole('link', { name: 'Share on X' }).first(),
      page.getByRole('button', { name: 'Save for offline' }),
      page.getByRole('heading', { name: /^Comments/ }),
      page.getByRole('complementary', { name: 'Related stories' }),
      page.getByRole('contentinfo'),
    ];
    for (const part of offScreen) await expect(part, 'on screen').toBeVisible();
    await page.emulateMedia({ media: 'print' });
    const story = page.locator('article.story');
    await expect(story.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(story.locator('.story__byline')).toBeVisible();
    await expect(story.locator('.story__body p').first()).toBeVisible();
    await expect(story.locator('.story__lead-image img')).toBeVisible();
    await expect(page.locator('.story__print-url')).toBeVisible();
    await expect(page.locator('.story__print-url')).toHaveText(`${base}/article/${article.slug}`);
    for (const part of offScreen) await expect(part, 'on paper').toBeHidden();
    // Print black on white even in the dark theme.
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    expect(await paper(page)).toBe(LIGHT);
  });

  test('the PDF holds the article’s links and none of the page’s navigation or sharing', async ({ page }) => {
    await open(page, `/article/${article.slug}`, '.sidebar .module');
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    // Each link printed is an annotation with its target in plain text.
    const targets = [...pdf.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    expect(targets, 'the body’s link').toContain('https://news.example.org/');
    // The article's own section label is part of its header; the other sections are navigation.
    const own = `${base}/section/${article.section.slug}`;
    expect(targets.filter((t) => t === own)).toHaveLength(1);
    expect(
      targets.filter((t) => (t.includes('/section/') && t !== own) || /\/saved|twitter|x\.com|facebook|linkedin|whatsapp|mailto:\?/.test(t)),
      'navigation, modules and sharing',
    ).toEqual([]);
    expect(targets.filter((t) => t.includes('/article/') && !t.endsWith(`/article/${article.slug}`)), 'the modules’ links').toEqual([]);
  });
});

test.describe('landmarks and motion', () => {
  for (const path of ['/', '/section/world', '/article/long-url']) {
    test(`${path}: the modules are a labelled complementary landmark, with and without the app`, async ({ browser }) => {
      for (const javaScriptEnabled of [false, true]) {
        const context = await browser.newContext({ javaScriptEnabled });
        const page = await context.newPage();
        await page.goto(base + path);
        const aside = page.getByRole('complementary', { name: 'Related stories' });
        await expect(aside).toHaveCount(1);
        await expect(aside.getByRole('heading', { name: 'Must-Reads' })).toBeVisible();
        if (javaScriptEnabled) {
          await started(page);
          await expect(aside.getByRole('heading', { name: 'Must-Reads' })).toBeVisible();
          await expect(page.getByRole('complementary')).toHaveCount(1);
        }
        await context.close();
      }
    });
  }

  test('reduced motion stills the progress bar and the skeletons', async ({ page }) => {
    const motion = () =>
      page.evaluate(() => {
        const bar = document.querySelector('.progress');
        return bar ? getComputedStyle(bar).transitionDuration : null;
      });
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await open(page, '/');
    expect(await motion()).toBe('2s, 0.3s');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await motion()).toBe('0s');
    // Every animation and transition on the page is still.
    const moving = await page.evaluate(() =>
      [...document.querySelectorAll('*')]
        .map((e) => getComputedStyle(e))
        .filter((s) => s.animationName !== 'none' || s.transitionDuration.split(',').some((d) => parseFloat(d) > 0)).length,
    );
    expect(moving).toBe(0);
  });
});

test.describe('axe with the display settings open', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await open(page, '/article/long-url', '.sidebar .module');
      await display(page).click();
      await expect(themeGroup(page)).toBeVisible();
      await expectNoAxeViolations(page);
    });
  }
});
