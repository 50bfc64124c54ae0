import type { Page, BrowserContext } from '@playwright/test';
import { test, expect, ownPort, siteIn, full, demo, appStarted } from './fixtures';

// Every interface word comes from the catalogue (issue #20). A server started with
// `--lang en-XA` speaks the pseudo-locale: each message English, accented, and wrapped in ⟦…⟧.
// This test walks every page and state, as the server sends it (scripts off) and once the app
// has taken over, and fails on any letter of interface text outside the brackets: a string
// literal that never went through the catalogue.
//
// Content is not interface text, and is skipped: what the articles, their authors and readers
// wrote. It is found by where it stands, not by what it says: the elements below (each a
// component's content slot: a headline, a byline's name, a comment's body…), and anything marked
// `data-content` (content inside an interface sentence, such as the author's name in "By …").
// Times (`<time>`) are the dates-and-numbers work, not messages; images' `alt` is the
// article's. Digits and punctuation may stand outside brackets.
const CONTENT = [
  '[data-content]',
  'time',
  '.section-label',
  '.story__headline',
  '.story__standfirst',
  '.story__body',
  '.story__lead-image',
  '.story__author',
  '.story__email',
  '.story__print-url',
  '.tag-list',
  '.story-list__headline',
  '.story-list__standfirst',
  '.lead__headline',
  '.lead__standfirst',
  '.front__section-heading',
  '.figure__caption',
  '.figure__credit',
  '.module-item__link',
  '.comment__nickname',
  '.comment__body',
  '.search-results__headline',
  '.search-results__snippet',
  '.saved-list__headline',
  '.embed-card__headline',
  '.embed-card__standfirst',
  '.embed-full',
  'figcaption',
  // The masthead's section links: the sections' names.
  '.masthead__nav a[href^="/section/"]',
  // A section front's, a tag's and an author's heading: the name.
  '.front__heading[data-content]',
].join(',');

type Problem = { where: string; text: string };

/** The interface text on the page that did not come from the catalogue. */
async function untranslated(page: Page, scripts: boolean): Promise<Problem[]> {
  return page.evaluate(
    ({ content, scripts }) => {
      const problems: { where: string; text: string }[] = [];
      const strip = (s: string) => {
        let before;
        do {
          before = s;
          s = s.replace(/⟦[^⟦⟧]*⟧/g, '');
        } while (s !== before);
        return s;
      };
      const leftover = (s: string) => /\p{L}/u.test(strip(s));
      const skipped = (el: Element) =>
        !!el.closest(content) || !!el.closest(scripts ? 'script,style,template,noscript' : 'script,style,template');
      const name = (el: Element) =>
        el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
      // An element's own text, its content children standing as one mark (so a message cut
      // around a link, "⟦Bý " <a>…</a> "⟧", reads whole).
      const own = (el: Element): string =>
        [...el.childNodes]
          .map((n) => {
            if (n.nodeType === Node.TEXT_NODE) return n.textContent ?? '';
            if (n.nodeType !== Node.ELEMENT_NODE) return '';
            const child = n as Element;
            return child.matches(content) || child.matches('script,style,template') ? '∎' : own(child);
          })
          .join('');
      for (const el of document.querySelectorAll('body *')) {
        if (skipped(el)) continue;
        const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /\S/.test(n.textContent ?? ''));
        if (hasText) {
          const text = own(el);
          if (leftover(text)) problems.push({ where: name(el), text: text.trim().slice(0, 160) });
        }
        for (const attr of ['aria-label', 'title', 'placeholder', 'aria-roledescription', 'alt']) {
          const value = el.getAttribute(attr);
          if (value === null || (attr === 'alt' && el.closest('figure, .story__body'))) continue;
          if (leftover(value)) problems.push({ where: `${name(el)}[${attr}]`, text: value });
        }
      }
      // The feeds' and the search's links (the oEmbed link is titled with the headline).
      for (const link of document.querySelectorAll('head link[title]:not([type="application/json+oembed"])')) {
        const value = link.getAttribute('title') ?? '';
        if (leftover(value)) problems.push({ where: `link[rel=${link.getAttribute('rel')}][title]`, text: value });
      }
      if (leftover(document.title)) problems.push({ where: 'title', text: document.title });
      return problems;
    },
    { content: CONTENT, scripts },
  );
}

test.describe('the pseudo-locale (--lang en-XA)', () => {
  test.describe.configure({ mode: 'serial' });
  test.use({ waitForApp: false });

  const base = siteIn('en-XA', ownPort(40));
  const commentsApi = `${base}/api/articles/${full.slug}/comments`;
  const tagged = demo.find((a) => (a as { tags?: string[] }).tags?.length)! as unknown as { tags: string[] };
  const author = full.byline!.name;

  /** Opens `path` on the pseudo-locale's server, waits for the app, and checks the page. */
  async function visit(page: Page, path: string, state = path) {
    await page.goto(`${base}${path}`);
    await appStarted(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
    await check(page, state);
  }

  async function check(page: Page, state: string, scripts = true) {
    // Let the state settle: no skeleton or "Loading…" status in the way of what it turns into.
    await page.waitForTimeout(150);
    expect(await untranslated(page, scripts), `${state}: interface text outside the catalogue`).toEqual([]);
  }

  const slugify = (name: string) =>
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');

  const pages = () => [
    '/',
    '/section/world',
    `/article/${full.slug}`,
    `/tag/${encodeURIComponent(tagged.tags[0])}`,
    `/author/${slugify(author)}`,
    '/search?q=harbour',
    '/search?q=zzzqqqnothing',
    '/search?q=',
    `/search?q=${'x'.repeat(201)}`,
    '/saved',
    '/no/such/page',
    '/article/no-such-article',
    '/section/no-such-section',
    '/tag/no-such-tag-anywhere',
    '/author/nobody-at-all',
    `/embed/article/${full.slug}`,
    `/embed/article/${full.slug}?view=full`,
    '/embed/article/no-such-article',
  ];

  test('every page, as the server sends it (scripts off)', async ({ browser }) => {
    test.setTimeout(90_000); // 18 pages, one after the other
    const context: BrowserContext = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of pages()) {
      await page.goto(`${base}${path}`);
      await check(page, `${path} (no scripts)`, false);
    }
    await context.close();
  });

  test('every page once the app has taken over, with the Display settings open', async ({ page, pageErrors }) => {
    test.setTimeout(120_000); // 18 pages, each taken over by the app, one after the other
    for (const path of pages()) {
      await visit(page, path);
      const display = page.locator('details.prefs');
      if (await display.count()) {
        await display.locator('summary').click();
        await check(page, `${path} (Display open)`);
      }
    }
    // Pages reached inside the app (rendered by it, not by the server).
    await visit(page, '/');
    await page.locator(`a[href="/article/${full.slug}"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`/article/${full.slug}$`));
    await check(page, 'article, reached in the app');
    expect(pageErrors).toEqual([]);
  });

  test('the article: comments, the form in each state, reporting, sharing, saving', async ({ page, context }) => {
    await visit(page, `/article/${full.slug}`);
    await expect(page.locator('.comments__count')).toBeVisible();
    const post = page.locator('.comment-form button[type=submit]');
    // Empty: the hint, then the fields' errors.
    await post.click({ force: true });
    await check(page, 'form: posted empty');
    // Near, at and over the limit.
    const body = page.locator('#comment-body');
    await body.fill('x'.repeat(280));
    await check(page, 'form: near the limit');
    await body.fill('x'.repeat(300));
    await check(page, 'form: at the limit');
    await body.fill('x'.repeat(305));
    await check(page, 'form: over the limit');
    await page.locator('#comment-nickname').fill('z'.repeat(45));
    await post.click({ force: true });
    await check(page, 'form: name too long');
    // The server refuses a field, is busy, fails, and the device is offline.
    await page.locator('#comment-nickname').fill('Mina');
    await body.fill('A fine piece of reporting.');
    const answer = async (status: number, json: object, headers: Record<string, string> = {}) => {
      await page.unroute(commentsApi);
      await page.route(commentsApi, (route) =>
        route.request().method() === 'POST' ? route.fulfill({ status, json, headers }) : route.continue(),
      );
      await post.click();
    };
    await answer(422, { error: { code: 'invalid', message: 'x', fields: { body: 'No.' } } });
    await check(page, 'form: refused by the server');
    await body.fill('A fine piece of reporting, again.');
    await answer(429, { error: { code: 'rate_limited', message: 'x' } }, { 'retry-after': '30' });
    await check(page, 'form: too quick');
    await answer(500, { error: { code: 'internal', message: 'x' } });
    await check(page, 'form: failed');
    await page.unroute(commentsApi);
    await post.click();
    await expect(page.locator('.comment-form__posted')).toBeVisible();
    await check(page, 'form: posted');
    // Reporting a comment: confirm, sent.
    const comment = page.locator('.comment').first();
    await comment.locator('.comment__report button').click();
    await check(page, 'report: confirming');
    await comment.locator('.comment__confirm button').first().click();
    await check(page, 'report: sent');
    // Copying the link (the clipboard refused: headless, no permission).
    await page.locator('.share__button--copy').first().click();
    await check(page, 'share: copy');
    // Saving for offline, then the offline note in the masthead.
    await page.locator('.save-offline__button').click();
    await expect(page.locator('.save-offline__status')).not.toBeEmpty();
    await check(page, 'saved');
    await visit(page, '/saved');
    await context.setOffline(true);
    await expect(page.locator('.masthead__offline')).not.toBeEmpty();
    await check(page, 'offline');
    await context.setOffline(false);
  });

  test('errors: an API that fails or is unreachable', async ({ page }) => {
    await page.route(`${base}/api/**`, (route) => route.fulfill({ status: 500, json: { error: { code: 'internal', message: 'x' } } }));
    await page.goto(`${base}/saved`);
    await expect(page.locator('html')).toHaveAttribute('data-app', 'started');
    await page.locator(`.masthead__search-input`).fill('harbour');
    await page.locator(`.masthead__search-input`).press('Enter');
    await expect(page.locator('.error-panel')).toBeVisible();
    await check(page, 'search failed');
    await page.unroute(`${base}/api/**`);
    await page.route(`${base}/api/**`, (route) => route.abort('internetdisconnected'));
    await page.locator('.error-panel button').click();
    await expect(page.locator('.error-panel')).toBeVisible();
    await check(page, 'search unreachable');
  });

  test('the files the server fills: manifest, embed loader, OpenSearch, feeds', async ({ request }) => {
    const manifest = await (await request.get(`${base}/manifest.webmanifest`)).json();
    for (const value of [manifest.name, manifest.short_name, manifest.description]) expect(value).toMatch(/^⟦.*⟧$/);
    const saved = manifest.shortcuts.find((s: { url: string }) => s.url === '/saved');
    expect(saved.name).toMatch(/^⟦.*⟧$/);
    expect(saved.short_name).toMatch(/^⟦.*⟧$/);
    expect(manifest.lang).toBe('en-XA');
    expect(await (await request.get(`${base}/embed.js`)).text()).toContain('"⟦Ártíçlé óñ ⟦Bróádšhéét');
    const opensearch = await (await request.get(`${base}/opensearch.xml`)).text();
    expect(opensearch).toContain('<ShortName>⟦Bróádšhéét');
    expect(opensearch).toContain('<Description>⟦Šéárçh');
    const modules = await (await request.get(`${base}/api/modules`)).json();
    for (const m of modules) expect(m.title).toMatch(/^⟦.*⟧$/);
    const refused = await request.get(`${base}/api/search?q=`);
    expect((await refused.json()).error.message).toMatch(/^⟦.*⟧$/);
  });
});
