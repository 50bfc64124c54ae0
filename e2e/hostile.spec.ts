import type { Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, ownPort, serve, stop, appStarted } from './fixtures';

// Hostile content through every path: each payload of the corpus goes into every article field,
// every block type, image text, link targets, nicknames and comment bodies — through the import
// (the CLI), the API (comments) and the app. No script may run (a dialog handler, a global flag
// and CSP violation reports watch), every value shows exactly as typed, and link targets other
// than http, https and mailto are not links.

const corpus: { payloads: string[]; links: string[] } = JSON.parse(
  readFileSync(new URL('./hostile/corpus.json', import.meta.url), 'utf8'),
);
const { payloads, links } = corpus;

const chars = (s: string, n: number) => [...s].slice(0, n).join('');
const graphemes = (s: string, n: number) =>
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].slice(0, n).map((g) => g.segment).join('');
/** A payload that survives the import's trim-is-empty check: some are whitespace-padded. */
const emailFor = (p: string, i: number) => (/\s|@/.test(p) || !p ? `writer${i}@hostile.example` : `${p}@hostile.example`);

function article(p: string, i: number) {
  return {
    slug: `hostile-${i}`,
    // A section of its own: a section has one name, whichever article last named it.
    section: { slug: `hostile-${i}`, name: chars(p, 60) },
    headline: p,
    standfirst: p,
    byline: { name: chars(p, 120), email: emailFor(p, i) },
    source: chars(p, 120),
    published_at: `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`,
    views: 0,
    image: { src: '/media/harbour.svg', alt: p, caption: p, credit: p, width: 1200, height: 675 },
    body: [
      { type: 'paragraph', text: p, runs: [{ text: p, bold: true, link: p }] },
      { type: 'heading', text: p },
      { type: 'quote', text: p, cite: chars(p, 200) },
      { type: 'image', src: '/media/river.svg', alt: p, caption: p, credit: p, width: 1200, height: 800 },
      { type: 'list', ordered: false, items: [p, p] },
      { type: 'list', ordered: true, items: [p] },
    ],
  };
}

const linksArticle = {
  slug: 'hostile-links',
  section: { slug: 'hostile', name: 'Hostile' },
  headline: 'Link targets that must stay text',
  published_at: '2025-12-31T00:00:00Z',
  body: links.map((link, j) => ({ type: 'paragraph', text: `Link ${j}`, runs: [{ text: `Link ${j}`, link }] })),
};

let server: ChildProcess;
let dir: string;
let base: string;

// Each worker runs its own server on a port of its own.
test.beforeAll(async ({}, testInfo) => {
  const port = ownPort(3 + testInfo.parallelIndex);
  base = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), 'broadsheet-hostile-'));
  const file = join(dir, 'hostile.json');
  const db = join(dir, 'hostile.db');
  writeFileSync(file, JSON.stringify([...payloads.map(article), linksArticle]));
  // The import validates everything first; it must take every hostile article as text.
  execFileSync('target/release/broadsheet-server', ['--db', db, '--no-demo', 'import', file]);
  server = await serve(port, { dist: 'dist', db, demo: false });
});

test.afterAll(async () => {
  await stop(server);
  rmSync(dir, { recursive: true, force: true });
});

/** Watches for anything a payload could run: dialogs, the global flag, CSP reports. */
async function guard(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  return async () => {
    expect(dialogs, 'dialogs').toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), 'top.pwned').toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), 'CSP').toEqual([]);
  };
}

const text = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent));
const attr = (page: Page, selector: string, name: string) =>
  page.locator(selector).evaluateAll((els, name) => els.map((e) => e.getAttribute(name)), name);

// Four groups, so that two workers share the corpus.
const groups = 4;
for (let g = 0; g < groups; g++) {
  const indexes = payloads.map((_, i) => i).filter((i) => i % groups === g);
  test(`hostile payloads ${indexes[0]}…${indexes.at(-1)}: every field and block shows exactly the text, nothing runs`, async ({ page, request }) => {
    test.setTimeout(90_000);
    const check = await guard(page);
    for (const i of indexes) {
      const p = payloads[i];
      // A comment with the payload as nickname and body, through the API.
      const nickname = graphemes(p, 40);
      const body = graphemes(p, 300);
      const posted = await request.post(`${base}/api/articles/hostile-${i}/comments`, {
        data: { nickname, body, idempotency_key: `hostile-${i}-${Date.now()}` },
      });
      // The comment rules refuse control characters and blank text; everything else is kept.
      expect([201, 422], `comment ${i}`).toContain(posted.status());

      await page.goto(`${base}/article/hostile-${i}`);
      // As the server rendered it, and again once the app has taken it over.
      const label = `payload ${i}: ${JSON.stringify(p)}`;
      const expectThePayload = async () => {
        const h1 = page.getByRole('heading', { level: 1 });
        await expect(h1).toHaveCount(1);
        expect(await h1.textContent(), label).toBe(p);
        expect(await text(page, '.story__header .section-label'), label).toEqual([chars(p, 60)]);
        expect(await text(page, '.story__standfirst'), label).toEqual([p]);
        expect(await text(page, '.story__author'), label).toEqual([chars(p, 120)]);
        expect(await text(page, '.story__email'), label).toEqual([emailFor(p, i)]);
        expect(await attr(page, '.story__email', 'href'), label).toEqual([`mailto:${emailFor(p, i)}`]);
        expect(await text(page, '.story__source'), label).toEqual([`Source: ${chars(p, 120)}`]);
        expect(await attr(page, '.story img', 'alt'), label).toEqual([p, p]);
        expect(await text(page, '.story .figure__caption'), label).toEqual([p, p]);
        expect(await text(page, '.story .figure__credit'), label).toEqual([p, p]);
        expect(await text(page, '.story__body > p'), label).toEqual([p]);
        expect(await text(page, '.story__body strong'), label).toEqual([p]);
        expect(await text(page, '.story__subhead'), label).toEqual([p]);
        expect(await text(page, '.story__quote blockquote'), label).toEqual([p]);
        expect(await text(page, '.story__quote figcaption'), label).toEqual([chars(p, 200)]);
        expect(await text(page, '.story__body ul.story__list li'), label).toEqual([p, p]);
        expect(await text(page, '.story__body ol.story__list li'), label).toEqual([p]);
        // The payload as a link target: a link only if it is one of the allowed schemes.
        const hrefs = (await attr(page, '.story__body a', 'href')) as string[];
        for (const href of hrefs) expect(href, label).toMatch(/^(https?:|mailto:)/i);
        // The title, as the browser reports it (it collapses ASCII whitespace).
        const collapse = (s: string) => s.replace(/[\t\n\f\r ]+/g, ' ').replace(/^ | $/g, '');
        expect(await page.title(), label).toBe(collapse(`${p} — Broadsheet`));
      };
      await expectThePayload();
      await appStarted(page);
      await expectThePayload();
      if (posted.status() === 201) {
        const comment = page.locator('.comments__list > li').first();
        await expect(comment).toBeVisible();
        // The comment rules store a comment without its surrounding whitespace; nothing else changes.
        expect(await comment.locator('.comment__nickname').textContent(), label).toBe(nickname.trim());
        expect(await comment.locator('.comment__body').textContent(), label).toBe(body.trim());
      }
    }
    await check();
  });
}

test('link targets other than http, https and mailto are not links', async ({ page }) => {
  const check = await guard(page);
  await page.goto(`${base}/article/hostile-links`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(linksArticle.headline);
  const paragraphs = page.locator('.story__body > p');
  await expect(paragraphs).toHaveCount(links.length);
  expect(await text(page, '.story__body > p')).toEqual(links.map((_, j) => `Link ${j}`));
  expect(await page.locator('.story__body a').count()).toBe(0);
  await check();
});

test('fronts, section pages and embeds list hostile headlines as text', async ({ page }) => {
  const check = await guard(page);
  for (const path of ['/', '/section/hostile-3', '/section/hostile', '/embed/article/hostile-0', '/embed/article/hostile-7?view=full']) {
    await page.goto(`${base}${path}`);
    await expect(page.locator('h1, h2').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
  }
  await page.goto(`${base}/`);
  await expect(page.locator('.story-list__headline a').first()).toBeVisible();
  const headlines = await text(page, '.story-list__headline a');
  expect(headlines.length).toBeGreaterThan(3);
  for (const h of headlines) expect([...payloads, linksArticle.headline]).toContain(h);
  await check();
});
