import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  test,
  expect,
  full,
  demo,
  navigateInApp,
  holdTheApp,
  watchLayoutShifts,
  layoutShifts,
  reachForTheApp,
  appRequests,
  viewBeacons,
  appStarted,
} from './fixtures';

// An article page arrives rendered by the server with the app's own components, and the app
// takes it over when it starts (issue #8): readable without the app, the same text with it, no
// second request for what came with the page, nothing shifting or painted again.

const articleApi = `/api/articles/${full.slug}`;

test.describe('without scripts', () => {
  test.use({ javaScriptEnabled: false });

  test('the article page is readable: masthead, article, lead image, footer', async ({ page }) => {
    await page.goto(`/article/${full.slug}`);
    await expect(page.getByRole('link', { name: 'Go to the main page' })).toHaveCount(1);
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect(sections.getByRole('link', { name: full.section.name, exact: true })).toHaveAttribute(
      'href',
      `/section/${full.section.slug}`,
    );
    const story = page.locator('article.story');
    await expect(story.getByRole('heading', { level: 1 })).toHaveText(full.headline);
    await expect(story.locator('.section-label')).toHaveText(full.section.name);
    await expect(story.locator('.story__standfirst')).toHaveText(full.standfirst!);
    await expect(story.locator('.story__byline')).toContainText(full.byline!.name);
    await expect(story.getByRole('link', { name: full.byline!.email! })).toHaveAttribute('href', `mailto:${full.byline!.email}`);
    await expect(story.locator('.story__source')).toHaveText(`Source: ${full.source}`);
    const lead = story.locator('.story__lead-image img');
    await expect(lead).toHaveAttribute('alt', full.image!.alt);
    // Its size is known before it loads: nothing moves when it arrives.
    await expect(lead).toHaveAttribute('width', /^\d+$/);
    await expect(lead).toHaveAttribute('height', /^\d+$/);
    await expect(lead).toHaveAttribute('fetchpriority', 'high');
    const api = await (await page.request.get(articleApi)).json();
    const paragraphs = api.body.filter((b: { type: string }) => b.type === 'paragraph');
    await expect(story.locator('.story__body p').first()).toHaveText(paragraphs[0].text);
    await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Back to the main page' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Share on X' }).first()).toBeVisible();
  });

  test('a message around a name or a time is the message exactly, as the app shows it', async ({ page }) => {
    // The server's renderer writes an empty text as a space; the app writes none (i18n::split).
    await page.goto(`/article/${full.slug}`);
    const story = page.locator('article.story');
    expect(await story.locator('.story__source').textContent()).toBe(`Source: ${full.source}`);
    expect(await story.locator('.story__times .time').first().textContent()).toMatch(/^Published \S.*\S$/);
  });
});

/** Each page the server renders, what it brings along, the part to compare, and what shows the
 *  app has rendered the page (its below-the-fold parts come a task later). */
const pages = [
  {
    name: 'an article',
    path: `/article/${full.slug}`,
    brings: [articleApi],
    content: 'article.story',
    rendered: (page: Page) => page.getByRole('heading', { name: /^Comments \d+$/ }),
  },
  {
    name: 'the home page',
    path: '/',
    brings: ['/api/front'],
    content: 'section.front',
    rendered: (page: Page) => page.locator('.sidebar .module').first(),
  },
  {
    name: 'a section front',
    path: `/section/${full.section.slug}`,
    brings: ['/api/articles'],
    content: 'section.front',
    rendered: (page: Page) => page.locator('.sidebar .module').first(),
  },
];

/** Lighthouse's phone, where the modules are below the stories, and a wide screen, where they
 *  stand beside them (and can be the largest paint). */
const screens = [
  { screen: 'phone', viewport: { width: 412, height: 823 } },
  { screen: 'wide screen', viewport: { width: 1280, height: 800 } },
];

for (const { screen, viewport } of screens) {
  test.describe(`taking over, on a ${screen}`, () => {
    test.use({ waitForApp: false, viewport });

    for (const { name, path, brings, content, rendered } of pages) {
      test(`the app takes ${name} over: the same text, no second request, nothing moved`, async ({ page, pageErrors }) => {
        // The API is broken for what the page brought along and the sections: what came with the
        // page is all the app may use for them.
        const asked: string[] = [];
        await page.route(
          (url) => [...brings, '/api/sections', '/api/modules'].includes(url.pathname),
          (route) => {
            asked.push(new URL(route.request().url()).pathname);
            return route.fulfill({ status: 500, body: '{}' });
          },
        );
        await watchLayoutShifts(page);
        // The browser's Intl warmed up in a worker while the app downloads: the worker started,
        // and its script was there (a worker whose script is missing starts all the same).
        const workers: string[] = [];
        page.on('worker', (worker) => workers.push(new URL(worker.url()).pathname));
        const warmUp: number[] = [];
        page.context().on('response', (response) => {
          if (new URL(response.url()).pathname === '/intl-warm.js') warmUp.push(response.status());
        });
        await page.addInitScript(() => {
          const w = window as unknown as { paints: number[] };
          w.paints = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.paints.push(e.startTime);
          }).observe({ type: 'largest-contentful-paint', buffered: true });
          // When each link the browser follows by itself (icon, manifest, touch icon) joins the head.
          const l = window as unknown as { links: { rel: string; href: string; at: number }[] };
          l.links = [];
          new MutationObserver((records) => {
            for (const node of records.flatMap((r) => [...r.addedNodes])) {
              if (node instanceof HTMLLinkElement && /icon|manifest/.test(node.rel) && !node.href.startsWith('data:')) {
                l.links.push({ rel: node.rel, href: new URL(node.href).pathname, at: performance.now() });
              }
            }
          }).observe(document, { childList: true, subtree: true });
        });

        // The wasm is held back until the server's page has been read.
        const release = await holdTheApp(page);

        // As the server sent it (the app not started)...
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        const before = await page.locator(content).innerText();
        expect(before.length).toBeGreaterThan(100);
        const modulesBefore = await page.locator('.sidebar').innerText();
        expect(modulesBefore).toContain('Popular Now');
        expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
        // A reader who only reads asks for none of the app: its files, its catalogue and the Intl
        // warm-up are not asked for, well after the page is on screen (the head's links, added
        // after its first paint, are there).
        await expect(page.locator('head link[rel=manifest]')).toHaveCount(1);
        await page.waitForTimeout(1000);
        expect(await appRequests(page), 'the app, before the reader reached for it').toEqual([]);
        expect(workers, 'the Intl warm-up, before the reader reached for it').toEqual([]);
        // ...and once the reader reaches for it, and the app has the page.
        release();
        await appStarted(page);
        await expect(rendered(page)).toBeVisible();
        expect(await page.locator(content).innerText()).toBe(before);
        expect(await page.locator('.sidebar').innerText()).toBe(modulesBefore);
        await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
        await expect(page.getByRole('main')).toHaveCount(1);
        await expect(page.getByRole('banner')).toHaveCount(1);
        await expect(page.locator('#broadsheet-first-screen')).toHaveCount(0);
        await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link')).toHaveCount(
          1 + new Set(demo.map((a) => a.section.slug)).size,
        );

        expect(asked, 'the page brought its data, modules and sections').toEqual([]);
        expect(workers, 'the Intl warm-up').toEqual(['/intl-warm.js']);
        expect(warmUp, 'the Intl warm-up’s script').toEqual([200]);
        const { paints, started } = await page.evaluate(() => {
          const w = window as unknown as { paints: number[] };
          return { paints: w.paints, started: performance.getEntriesByName('broadsheet:started')[0].startTime };
        });
        expect(await layoutShifts(page), 'layout shifts').toEqual([]);
        // The app is not preloaded: its files are asked for only once the page has loaded.
        const { loaded, app } = await page.evaluate(() => ({
          loaded: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
          app: performance
            .getEntriesByType('resource')
            .filter((e) => /\/broadsheet-[0-9a-f]+(_bg\.wasm|\.js)$/.test(new URL(e.name).pathname))
            .map((e) => e.startTime),
        }));
        expect(app, 'the wasm and the JS glue').toHaveLength(2);
        expect(Math.min(...app), 'the app asked for after the page loaded').toBeGreaterThanOrEqual(loaded);
        // The interface's catalogue is not in the page (it is named there): asked for once, with the app.
        const catalogue = await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .filter((e) => /^\/messages-[0-9a-f]{16}\.json$/.test(new URL(e.name).pathname))
            .map((e) => e.startTime),
        );
        expect(catalogue, 'the catalogue').toHaveLength(1);
        expect(catalogue[0], 'the catalogue asked for after the page loaded').toBeGreaterThanOrEqual(loaded);
        expect(await page.locator('script#broadsheet-messages').count(), 'the catalogue where the app reads it').toBe(1);
        // Nothing is asked for before the first paint is on screen: not the app, not the
        // catalogue, not what the browser follows by itself in the head.
        const { firstPaint, links, icons } = await page.evaluate(() => ({
          firstPaint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
          links: (window as unknown as { links: { rel: string; href: string; at: number }[] }).links,
          icons: [...document.head.querySelectorAll('link[rel=icon]')].map((l) => l.getAttribute('href')),
        }));
        expect(Math.min(...app, ...catalogue), 'the app and its catalogue asked for after the first paint').toBeGreaterThanOrEqual(firstPaint);
        expect(links.map((l) => `${l.rel} ${l.href}`).sort()).toEqual([
          'apple-touch-icon /icons/apple-touch-icon.png',
          expect.stringMatching(/^icon \/icon-[0-9a-f]+\.svg$/),
          'manifest /manifest.webmanifest',
        ]);
        expect(Math.min(...links.map((l) => l.at)), 'the head’s links added after the first paint').toBeGreaterThanOrEqual(firstPaint);
        expect(icons, 'one icon, the site’s').toEqual([expect.stringMatching(/^\/icon-[0-9a-f]+\.svg$/)]);
        expect(paints.length).toBeGreaterThan(0);
        expect(Math.max(...paints), 'the largest paint is the server’s, before the app started').toBeLessThan(started);
        expect(pageErrors).toEqual([]);
      });
    }
  });
}

/** A slow network in front of the real server: a page's HTML goes out in 500-byte pieces with a
 *  pause after each (its head at once), everything else as it comes. Only for reading pages with
 *  the app held back: it asks upstream with GET and the Accept header alone. Its address. */
async function dripping(upstream: string): Promise<{ address: string; server: Server }> {
  const server = createServer(async (req, res) => {
    try {
      const answer = await fetch(upstream + req.url, { headers: { accept: req.headers.accept ?? '*/*' } });
      const headers: Record<string, string> = {};
      for (const [k, v] of answer.headers) {
        if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(k)) headers[k] = v;
      }
      const body = Buffer.from(await answer.arrayBuffer());
      const start = body.indexOf('<body');
      res.writeHead(answer.status, headers);
      if (!headers['content-type']?.startsWith('text/html') || start < 0) return res.end(body);
      res.write(body.subarray(0, start));
      for (let at = start; at < body.length; at += 500) {
        await new Promise((r) => setTimeout(r, 30));
        res.write(body.subarray(at, at + 500));
      }
      res.end();
    } catch (e) {
      res.destroy(e as Error);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test.describe('a page that arrives in pieces', () => {
  test.use({ waitForApp: false });
  let drip: { address: string; server: Server };
  test.beforeAll(async ({ baseURL }) => {
    drip = await dripping(baseURL!);
  });
  test.afterAll(() => drip?.server.close());

  for (const { screen, viewport } of screens) {
    for (const { name, path } of pages) {
      test(`${name} on a ${screen} is painted whole: nothing it painted moves as the rest arrives`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await watchLayoutShifts(page);
        await holdTheApp(page);
        await page.goto(drip.address + path);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        // It did arrive in pieces: its body is tens of them, 30 ms apart.
        const arriving = await page.evaluate(() => {
          const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return n.responseEnd - n.responseStart;
        });
        expect(arriving, 'ms from the first byte to the last').toBeGreaterThan(20 * 30);
        const paints = await page.evaluate(() => performance.getEntriesByType('paint').length);
        expect(paints, 'the page was painted').toBeGreaterThan(0);
        expect(await page.locator('#site-footer').count()).toBe(1);
        expect(await layoutShifts(page), 'layout shifts').toEqual([]);
      });
    }
  }
});

test.describe('before the reader reaches for the app', () => {
  test.use({ waitForApp: false });

  test('a reader who only reads asks for none of it, and the view is counted once', async ({ page, pageErrors }) => {
    const beacons = viewBeacons(page);
    await page.goto(`/article/${full.slug}`);
    await expect(page.locator('head link[rel=manifest]')).toHaveCount(1);
    await page.waitForTimeout(1000);
    expect(await appRequests(page), 'the app').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    const counted = `${new URL(page.url()).origin}${articleApi}/views`;
    expect(beacons, 'the view, counted by the page').toEqual([counted]);
    // Keys that only scroll the page, and the browser's own shortcuts, are reading too.
    for (const key of ['PageDown', 'Space', 'ArrowDown', 'End', 'Home', 'Control+f']) await page.keyboard.press(key);
    await page.waitForTimeout(500);
    expect(await appRequests(page), 'the app, after keys that only scroll').toEqual([]);
    // Links are the server's pages meanwhile.
    const section = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: full.section.name });
    await section.click();
    await page.waitForURL(`**/section/${full.section.slug}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('head link[rel=manifest]')).toHaveCount(1);
    await page.waitForTimeout(500);
    expect(await appRequests(page), 'the app, on the next page').toEqual([]);
    await page.goto(`/article/${full.slug}`);
    // The app, once reached for, does not count the view the page counted.
    await appStarted(page);
    await expect(page.getByRole('heading', { name: /^Comments \d+$/ })).toBeVisible();
    await page.waitForTimeout(500);
    expect(beacons, 'one view per page view').toEqual([counted, counted]);
    expect(pageErrors).toEqual([]);
  });

  test('a button pressed before the app is there is pressed on the app’s own once it is', async ({ page, pageErrors }) => {
    const release = await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    const copy = page.getByRole('button', { name: 'Copy link' }).first();
    const servers = await copy.elementHandle();
    await copy.click();
    await expect(copy, 'the server’s button says it is at work').toHaveAttribute('aria-busy', 'true');
    const status = page.getByRole('group', { name: 'Share it on…' }).first().getByRole('status');
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    await expect(status).toBeEmpty();
    release();
    await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
    expect(await servers!.evaluate((e) => e.isConnected), 'the server’s button is gone').toBe(false);
    await expect(status).not.toBeEmpty();
    // The focus is where it was: on the app's button in the same place.
    await expect(copy).toBeFocused();
    expect(new URL(page.url()).search, 'no form was sent as a page load').toBe('');
    expect(pageErrors).toEqual([]);
  });

  test('a button pressed from the keyboard before the app is there is pressed too', async ({ page, pageErrors }) => {
    const release = await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    // The server's Save says it is not available yet; a reader who presses it anyway is answered.
    const save = page.getByRole('button', { name: 'Save for offline' });
    await save.focus();
    await page.keyboard.press('Enter');
    await expect(save).toHaveAttribute('aria-busy', 'true');
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    release();
    await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
    await expect(save).toHaveAttribute('aria-pressed', 'true');
    await expect(save).toBeFocused();
    expect(pageErrors).toEqual([]);
  });

  test('Enter in the comment’s name field before the app is there sends nothing, then or later', async ({ page }) => {
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/comments') && posts.push(r.url()));
    const release = await holdTheApp(page);
    await page.goto(`/article/${full.slug}`);
    const name = page.getByLabel('Name');
    await name.fill('Early');
    await name.press('Enter');
    release();
    await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
    await expect(page.getByRole('heading', { name: /^Comments \d+$/ })).toBeVisible();
    await page.waitForTimeout(500);
    expect(posts).toEqual([]);
    expect(new URL(page.url()).search).toBe('');
    await expect(name).toHaveValue('Early');
  });

  test('an app that cannot be had leaves a pressed button as it was, and the page usable', async ({ page }) => {
    await page.route('**/*_bg.wasm', (route) => route.abort('connectionreset'));
    await page.goto(`/article/${full.slug}`);
    const failed = page.waitForEvent('pageerror');
    const copy = page.getByRole('button', { name: 'Copy link' }).first();
    await copy.click();
    await failed;
    await expect(copy).toHaveAttribute('aria-busy', 'false');
    await copy.click();
    await expect(copy).toHaveAttribute('aria-busy', 'false');
    expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
    expect(new URL(page.url()).search).toBe('');
  });
});

test('the app’s controls work on the article it took over', async ({ page }) => {
  await page.goto(`/article/${full.slug}`);
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  await expect(page.getByRole('group', { name: 'Share it on…' }).first().getByRole('status')).not.toBeEmpty();
  await page.getByRole('button', { name: 'Save for offline' }).click();
  await expect(page.getByRole('button', { name: 'Save for offline' })).toHaveAttribute('aria-pressed', 'true');
});

test('following links inside the app asks the API; the page data is used once', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === articleApi) asked.push(r.method());
  });
  await page.goto(`/article/${full.slug}`);
  await navigateInApp(page, '/saved');
  await navigateInApp(page, `/article/${full.slug}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
  expect(asked).toEqual(['GET']);
});

test.describe('a catalogue that cannot be had', () => {
  test.use({ waitForApp: false });
  const faults = {
    'the network fails': (route: import('@playwright/test').Route) => route.abort('connectionreset'),
    'the server answers 500': (route: import('@playwright/test').Route) =>
      route.fulfill({ status: 500, contentType: 'text/plain', body: 'Internal Server Error' }),
  };
  for (const [fault, answer] of Object.entries(faults)) {
    test(`${fault}: the server's page stays, what the reader typed stays, the console says why`, async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      let answered = () => {};
      const asked = new Promise<void>((r) => (answered = r));
      await page.route(/\/messages-[0-9a-f]{16}\.json$/, async (route) => {
        await answer(route);
        answered();
      });
      await page.goto(`/article/${full.slug}`);
      const body = page.locator('#comment-body');
      await body.fill('Typed before the app, kept after it failed.');
      await asked;
      await expect
        .poll(() => errors.join('\n'))
        .toMatch(/broadsheet: the app cannot start without the catalogue \S+\/messages-[0-9a-f]{16}\.json: \S/);
      // The app never takes the page over; the page as the server sent it is all there.
      expect(await page.evaluate(() => document.documentElement.dataset.app)).toBeUndefined();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(full.headline);
      await expect(body).toHaveValue('Typed before the app, kept after it failed.');
      await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link').first()).toBeVisible();
    });
  }
});

test('other pages are left to the app: no first screen, the app starts at once', async ({ page }) => {
  for (const path of ['/saved', '/article/no-such-story', '/section/no-such-section']) {
    const html = await (await page.request.get(path)).text();
    expect(html, path).not.toContain('id="broadsheet-first-screen"');
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The links that wait for a first screen's paint join the head at once.
    await expect(page.locator('head link[rel=manifest]'), path).toHaveAttribute('href', '/manifest.webmanifest');
    await expect(page.locator('head link[rel=icon]'), path).toHaveAttribute('href', /^\/icon-[0-9a-f]+\.svg$/);
  }
});
