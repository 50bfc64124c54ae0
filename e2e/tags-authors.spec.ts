import type { Page } from '@playwright/test';
import { test, expect, expectNoAxeViolations, serve, stop, ownPort, holdTheApp, watchLayoutShifts, layoutShifts, appStarted } from './fixtures';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { brotliCompressSync, constants } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tag and author pages (issue #19): reached from an article's tag links and byline, paged by
// `?cursor=` links, the same before the app takes over, after, and with scripts off. Fifteen
// stories by a Korean byline, tagged with a space and with a slash, imported by the real command
// line into a database of their own, served by a server of their own.

test.describe.configure({ mode: 'serial' });

let server: ChildProcess;
let dir: string;
const port = ownPort(23);
const base = `http://127.0.0.1:${port}`;

const author = '김민지';
const authorPath = `/author/${encodeURIComponent(author)}`;
const tag = 'night trains';
const tagPath = '/tag/night%20trains';
const slashTag = 'rail/road?';
const stories = Array.from({ length: 15 }, (_, i) => ({
  slug: `sleeper-${String(i).padStart(2, '0')}`,
  section: { slug: 'travel', name: 'Travel' },
  headline: `Sleeper service number ${i} returns to the mountain line`,
  standfirst: `The ${i}th night train of the season leaves at ten.`,
  byline: { name: author, email: 'minji@broadsheet.example' },
  published_at: `2026-11-20T${String(6 + i).padStart(2, '0')}:00:00Z`,
  body: [{ type: 'paragraph', text: `Passengers boarded the sleeper number ${i} at the old station.` }],
  tags: [tag, slashTag],
  // Editors' picks make the sidebar's "Must-Reads" (this database has no views to rank).
  editors_pick: i % 5 === 0,
}));
const newest = stories[stories.length - 1];

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'broadsheet-tags-'));
  const db = join(dir, 'tags.db');
  const file = join(dir, 'stories.json');
  writeFileSync(file, JSON.stringify(stories));
  const out = execFileSync('target/release/broadsheet-server', ['--db', db, 'import', file], {
    env: { ...process.env, RUST_LOG: 'off' },
    encoding: 'utf8',
  });
  expect(out).toMatch(/^15 imported/);
  server = await serve(port, { dist: 'dist', db, demo: false });
});

test.afterAll(async () => {
  if (server) await stop(server);
  rmSync(dir, { recursive: true, force: true });
});

async function expectTagPage(page: Page, first: number) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tag: ${tag}`);
  await expect(page).toHaveTitle(`Tag: ${tag} — Broadsheet`);
  await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', `${base}${tagPath}`);
  const shown = page.locator('section.front').getByRole('link', { name: /^Sleeper service number/ });
  await expect(shown.first()).toHaveText(stories[first].headline);
}

for (const js of [true, false]) {
  test.describe(js ? 'with the app' : 'without scripts', () => {
    test.use({ javaScriptEnabled: js });

    test('an article’s tag leads to the tag page, which pages by cursor, newest first', async ({ page }) => {
      await page.goto(`${base}/article/${newest.slug}`);
      const tags = page.getByRole('navigation', { name: 'Tags' });
      await expect(tags.getByRole('link')).toHaveText([tag, slashTag]);
      await tags.getByRole('link', { name: tag }).click();
      await expect(page).toHaveURL(`${base}${tagPath}`);
      await expectTagPage(page, 14);
      const shown = page.locator('section.front').getByRole('link', { name: /^Sleeper service number/ });
      await expect(shown).toHaveCount(12);
      await expect(page.getByRole('link', { name: 'Newest stories' })).toHaveCount(0);
      await page.getByRole('link', { name: 'Older stories' }).click();
      await expect(page).toHaveURL(new RegExp(`${tagPath}\\?cursor=`));
      await expect(shown).toHaveCount(3);
      await expect(shown).toHaveText([stories[2].headline, stories[1].headline, stories[0].headline]);
      await expect(page.getByRole('link', { name: 'Older stories' })).toHaveCount(0);
      await page.getByRole('link', { name: 'Newest stories' }).click();
      await expect(page).toHaveURL(`${base}${tagPath}`);
      await expect(shown).toHaveCount(12);
      await expect(shown.first()).toHaveText(newest.headline);
    });

    test('a tag with a slash and a question mark has its page', async ({ page }) => {
      await page.goto(`${base}/article/${newest.slug}`);
      await page.getByRole('navigation', { name: 'Tags' }).getByRole('link', { name: slashTag }).click();
      await expect(page).toHaveURL(`${base}/tag/rail%2Froad%3F`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Tag: ${slashTag}`);
    });

    test('the byline leads to the author page, under the name as the byline gives it', async ({ page }) => {
      await page.goto(`${base}/article/${newest.slug}`);
      const byline = page.locator('.story__byline');
      await expect(byline.getByRole('link', { name: 'minji@broadsheet.example' })).toHaveAttribute(
        'href',
        'mailto:minji@broadsheet.example',
      );
      await byline.getByRole('link', { name: author }).click();
      await expect(page).toHaveURL(`${base}${authorPath}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(author);
      await expect(page).toHaveTitle(`${author} — Broadsheet`);
      await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', `${base}${authorPath}`);
      const shown = page.locator('section.front').getByRole('link', { name: /^Sleeper service number/ });
      await expect(shown).toHaveCount(12);
      await page.getByRole('link', { name: 'Older stories' }).click();
      await expect(shown).toHaveCount(3);
    });

    test('an unknown tag or author is not found', async ({ page }) => {
      for (const [path, heading] of [
        ['/tag/no-such-tag', 'Tag not found'],
        ['/author/no-one', 'Author not found'],
      ]) {
        const response = await page.goto(`${base}${path}`);
        expect(response?.status(), path).toBe(404);
        await expect(page).toHaveTitle(`${heading} — Broadsheet`);
        // As for an unknown article, the not-found page itself is the app's (no first screen).
        if (js) await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      }
    });
  });
}

test.describe('taking over', () => {
  test.use({ waitForApp: false });

  for (const path of [tagPath, `${tagPath}?cursor=PLACEHOLDER`, authorPath]) {
    test(`the app takes ${path} over: the same text, no request for its stories, nothing moved`, async ({ page, pageErrors }) => {
      let url = path;
      if (path.includes('PLACEHOLDER')) {
        const first = await (await fetch(`${base}/api/tags/${encodeURIComponent(tag)}?limit=12`)).json();
        url = `${tagPath}?cursor=${first.next_cursor}`;
      }
      const asked: string[] = [];
      await page.route(
        (u) => /^\/api\/(tags|authors|sections|modules)/.test(u.pathname),
        (route) => {
          asked.push(new URL(route.request().url()).pathname);
          return route.fulfill({ status: 500, body: '{}' });
        },
      );
      await watchLayoutShifts(page);
      const release = await holdTheApp(page);
      await page.goto(`${base}${url}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const before = await page.locator('section.front').innerText();
      const title = await page.title();
      expect(before).toContain('Sleeper service number');
      release();
      await appStarted(page);
      await expect(page.locator('#broadsheet-first-screen')).toHaveCount(0);
      await expect(page.locator('.sidebar .module').first()).toBeVisible();
      await expect.poll(() => page.locator('section.front').innerText()).toBe(before);
      expect(await page.title()).toBe(title);
      await expect(page.locator('#broadsheet-first-screen')).toHaveCount(0);
      expect(asked, 'the page brought its stories, modules and sections').toEqual([]);
      expect(await layoutShifts(page), 'layout shifts').toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  }
});

test('both pages and the not-found page have no axe violations', async ({ page }) => {
  for (const [path, heading] of [
    [tagPath, `Tag: ${tag}`],
    [authorPath, author],
    ['/tag/no-such-tag', 'Tag not found'],
  ]) {
    await page.goto(`${base}${path}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expectNoAxeViolations(page);
  }
});

for (const { name, viewport } of [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'wide', viewport: { width: 1280, height: 900 } },
]) {
  test(`screenshots on a ${name}: the pages fit the width`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport);
    for (const [label, path] of [
      ['tag', tagPath],
      ['author', authorPath],
      ['article', `/article/${newest.slug}`],
    ]) {
      await page.goto(`${base}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, `${label}: no sideways scrolling`).toBeLessThanOrEqual(viewport.width);
      await page.screenshot({ path: testInfo.outputPath(`${label}-${name}.png`), fullPage: true });
    }
  });
}

test('each page’s first HTML response fits in 14 KB (brotli)', async ({ request }) => {
  const first = await (await request.get(`${base}/api/tags/${encodeURIComponent(tag)}?limit=12`)).json();
  for (const path of [tagPath, `${tagPath}?cursor=${first.next_cursor}`, authorPath]) {
    const response = await request.get(`${base}${path}`);
    expect(response.status(), path).toBe(200);
    const size = brotliCompressSync(await response.body(), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
    expect(size, path).toBeLessThanOrEqual(14 * 1024);
  }
});
