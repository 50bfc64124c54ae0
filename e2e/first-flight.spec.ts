import type { Page } from '@playwright/test';
import { test, expect, full, demo, holdTheApp, reachForTheApp, appStarted } from './fixtures';

// What lets a front's page, lead picture and all, arrive in its first round trip (issue #21): the
// fronts carry only the CSS they use, and the app adds the whole once the reader reaches for it;
// the lead picture, when it is one of the site's small pictures, comes inside the page.

test.use({ waitForApp: false });

const author = demo.find((a) => a.byline?.email)!.byline!.name;
const fronts = [
  { name: 'the home page', path: '/' },
  { name: 'a section front', path: `/section/${full.section.slug}` },
  { name: 'search results', path: '/search?q=harbour' },
  { name: 'an author’s page', path: `/author/${author.toLowerCase().replaceAll(' ', '-')}` },
];
const screens = [
  { screen: 'phone', viewport: { width: 390, height: 844 } },
  { screen: 'wide screen', viewport: { width: 1280, height: 800 } },
];

/** Every element's computed style (all properties, and those of ::before and ::after), kept in
 *  the page the first time; the second time, the elements whose style has changed since. */
async function stylesChanged(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window as unknown as { styles?: string[] };
    const all = [...document.body.querySelectorAll('*')].filter((e) => e.tagName !== 'SCRIPT');
    const of = (e: Element) =>
      [null, '::before', '::after']
        .map((pseudo) => {
          const style = getComputedStyle(e, pseudo);
          return [...style].map((p) => `${p}:${style.getPropertyValue(p)}`).join(';');
        })
        .join('|');
    const now = all.map(of);
    if (!w.styles) {
      w.styles = now;
      return [];
    }
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`;
    return now.flatMap((style, i) => {
      if (style === w.styles![i]) return [];
      const before = new Map(w.styles![i].split(';').map((d) => [d.split(':')[0], d]));
      const differs = style.split(';').filter((d) => before.get(d.split(':')[0]) !== d);
      return [`${name(all[i])}: ${differs.slice(0, 3).join('; ')}`];
    });
  });
}

for (const { screen, viewport } of screens) {
  test.describe(`on a ${screen}`, () => {
    test.use({ viewport });
    for (const { name, path } of fronts) {
      test(`${name} carries the fronts’ CSS, which styles it exactly as the whole does`, async ({ page, pageErrors }) => {
        const release = await holdTheApp(page);
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await expect(page.locator('style#broadsheet-fronts-style')).toHaveCount(1);
        await expect(page.locator('style#broadsheet-style')).toHaveCount(0);
        expect(await stylesChanged(page)).toEqual([]);
        // The reader reaches for the app: the whole CSS comes with it, after the fronts' own.
        await reachForTheApp(page);
        await page.waitForFunction(() => [...document.styleSheets].some((s) => /\/style-[0-9a-f]{16}\.css$/.test(s.href ?? '')));
        expect(
          await page.evaluate(() => document.querySelector('#broadsheet-fronts-style ~ link[rel=stylesheet][integrity^="sha384-"]') !== null),
          'the whole CSS, after the fronts’ own',
        ).toBe(true);
        expect(await stylesChanged(page), 'what the whole CSS changed').toEqual([]);
        release();
        await appStarted(page);
        expect(pageErrors).toEqual([]);
      });
    }
  });
}

test('an article’s page carries the whole CSS, and the app adds none', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await expect(page.locator('style#broadsheet-style')).toHaveCount(1);
  await expect(page.locator('style#broadsheet-fronts-style')).toHaveCount(0);
  // The fronts' part leaves out the article pages' own sheets (renamed, they would be left in).
  const whole = (await page.locator('style#broadsheet-style').textContent()) ?? '';
  const fronts = await (await page.request.get('/first-screen-fronts.css')).text();
  for (const [sheet, rule] of [['article', '.story__body{'], ['comments', '.comments{'], ['share', '.share{'], ['embed', '.embed-card{']]) {
    expect(whole, sheet).toContain(rule);
    expect(fronts, sheet).not.toContain(rule);
  }
  expect(fronts).toContain('.lead__image{');
  await appStarted(page);
  await expect(page.locator('link[rel=stylesheet]')).toHaveCount(0);
});

test('the app, taking over a front, shows an article styled as on the article’s own page', async ({ page }) => {
  const lead = (await (await page.request.get('/api/front')).json()).lead;
  const looks = () =>
    page.evaluate(() =>
      ['.story__headline', '.story__body', '.share', '.story__lead-image img', 'figcaption'].map((s) => {
        const e = document.querySelector(s);
        if (!e) return `${s}: missing`;
        const c = getComputedStyle(e);
        return `${s}: ${c.fontSize} ${c.fontFamily} ${c.display} ${c.marginBottom} ${c.width}`;
      }),
    );
  await page.goto(`/article/${lead.slug}`);
  await appStarted(page);
  const own = await looks();
  await page.goto('/');
  await appStarted(page);
  await page.locator('#lead-headline a').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(lead.headline);
  await expect(page.locator('.share').first()).toBeVisible();
  expect(await looks()).toEqual(own);
});

test('a whole CSS that cannot be had leaves the front as the server sent it, and the console says why', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route(/\/style-[0-9a-f]{16}\.css$/, (route) => route.fulfill({ status: 500, contentType: 'text/css', body: '' }));
  await page.goto('/');
  await reachForTheApp(page);
  await expect.poll(() => errors.join('\n')).toMatch(/broadsheet: the app cannot start without the stylesheet \S+\/style-[0-9a-f]{16}\.css/);
  expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('the home page’s lead picture comes inside the page, and the app shows it from there', async ({ page, pageErrors }) => {
  const src: string = (await (await page.request.get('/api/front')).json()).lead.image.src;
  expect(src).toMatch(/^\/media\/.+\.svg$/);
  const file = await (await page.request.get(src)).text();
  const asked: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === src) asked.push(r.url());
  });
  await page.goto('/');
  const shown = async () => {
    const img = page.locator('.lead__image img');
    await expect(img).toHaveCount(1);
    const inline = (await img.getAttribute('src')) ?? '';
    expect(inline).toMatch(/^data:image\/svg\+xml,/);
    expect(decodeURIComponent(inline.slice('data:image/svg+xml,'.length)), 'the file itself').toBe(file);
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1200);
  };
  await shown();
  await appStarted(page);
  await shown();
  expect(asked, 'requests for the lead picture').toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('an article’s lead picture loads from its address, first', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  const img = page.locator('.story__lead-image img');
  await expect(img).toHaveAttribute('src', full.image!.src);
  await expect(img).toHaveAttribute('fetchpriority', 'high');
});

test('a front’s data carries its stories without the bylines no front shows', async ({ request }) => {
  const front = await (await request.get('/api/front')).json();
  expect(JSON.stringify(front)).toContain('"byline":{');
  for (const path of ['/', `/section/${full.section.slug}`, `/author/${author.toLowerCase().replaceAll(' ', '-')}`]) {
    const html = await (await request.get(path)).text();
    const data = /<script type="application\/json" id="broadsheet-first-screen">([^<]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(data.length, path).toBeGreaterThan(1000);
    expect(data, path).not.toContain('"byline":{');
  }
});

test('a picture below the lead is not in the page: it loads from its address as it nears the screen', async ({ page }) => {
  await page.goto('/');
  const below = page.locator('.front__section .story-list__image img').first();
  await expect(below).toHaveAttribute('loading', 'lazy');
  expect(await below.getAttribute('src')).toMatch(/^\/media\//);
});
