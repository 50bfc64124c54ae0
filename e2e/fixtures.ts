import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForServer } from './server.mjs';

/** The demo articles the server seeds a new database with: the tests' known data. */
export const demo: Array<{
  slug: string;
  headline: string;
  standfirst: string | null;
  section: { slug: string; name: string };
  byline: { name: string; email: string | null } | null;
  source: string | null;
  published_at: string;
  updated_at: string | null;
  image: { src: string; alt: string } | null;
  editors_pick: boolean;
}> = JSON.parse(readFileSync(new URL('../server/demo/articles.json', import.meta.url), 'utf8'));

/** The newest demo article, which leads the home page. */
export const newest = [...demo].sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at))[0];

/** The story the home page leads with: the newest with an image. */
export const lead = [...demo]
  .filter((a) => a.image)
  .sort((a, b) => Date.parse(b.published_at) - Date.parse(a.published_at))[0];

/** A demo article with every header field (byline with e-mail, source, updated time, image). */
export const full = demo.find((a) => a.byline?.email && a.source && a.updated_at && a.image)!;

/** Fails the test on any axe violation, listing them. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  expect(summary, 'axe violations').toEqual([]);
}

/** What a page the server rendered asks for the app on: the reader reaching for it. Here a key
 *  pressed (Shift, which neither moves the focus nor types); a page that has no first screen, or
 *  whose app has started, is left alone. */
export async function reachForTheApp(page: Page) {
  const waiting = await page.evaluate(
    () => document.getElementById('broadsheet-first-screen') !== null && document.documentElement.dataset.app === undefined,
  );
  if (waiting) await page.keyboard.press('Shift');
}

/** Waits until the app has the page, reaching for it first where the page waits for that. */
export async function appStarted(page: Page) {
  await reachForTheApp(page);
  await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
}

/** What the page has asked for of the app so far (its wasm and JS glue, what starts it, the
 *  interface's catalogue, a front's whole CSS, the Intl warm-up), by path, from the page's own resource timing. */
export async function appRequests(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((path) =>
        /^\/(broadsheet-[0-9a-f]+(_bg\.wasm|\.js)|start-[0-9a-f]{16}\.js|style-[0-9a-f]{16}\.css|messages-[0-9a-f]{16}\.json|intl-warm\.js)$/.test(path),
      ),
  );
}

/** Errors the page logged or threw (a Wasm panic shows up here). And `page.goto`/`page.reload`
 *  of our own site wait until the app has started (`<html data-app="started">`), not only for the
 *  page's load: an article arrives rendered by the server, and its buttons work once the app has
 *  taken it over, which it does once the reader reaches for it (`reachForTheApp`). Not with
 *  scripts off, nor on other sites (a test's own server, the partner page: tests there wait with
 *  `appStarted` where they need the app); tests of an app that must not start use
 *  `test.use({ waitForApp: false })`. */
export const test = base.extend<{ pageErrors: string[]; waitForApp: boolean }>({
  waitForApp: [true, { option: true }],
  page: async ({ page, waitForApp, javaScriptEnabled, baseURL }, use) => {
    if (waitForApp && javaScriptEnabled !== false) {
      const started = async () => {
        if (new URL(page.url()).origin !== new URL(baseURL!).origin) return;
        await appStarted(page);
      };
      const goto = page.goto.bind(page);
      const reload = page.reload.bind(page);
      page.goto = async (...args) => {
        const response = await goto(...args);
        await started();
        return response;
      };
      page.reload = async (...args) => {
        const response = await reload(...args);
        await started();
        return response;
      };
    }
    await use(page);
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      // A failed request is logged by the browser itself; the fault tests cause those on purpose.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await use(errors);
  },
});

export { expect };

/** Navigates inside the running app, as a click on a link to `path` does (the router takes it;
 *  no page load). */
export async function navigateInApp(page: Page, path: string) {
  await page.evaluate((href) => {
    const link = document.createElement('a');
    link.href = href;
    document.body.append(link);
    link.click();
    link.remove();
  }, path);
  await page.waitForURL((url) => url.pathname === path);
}

/** Records the view beacons (`POST …/views`) the page sends. */
export function viewBeacons(page: Page) {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/views')) sent.push(r.url());
  });
  return sent;
}

/** Starts another real server (the release binary) on `port` with a built site and its own
 *  database, and waits until it answers. For tests that need a deploy or data of their own. */
export async function serve(
  port: number,
  options: { dist: string; db: string; demo?: boolean; lang?: string },
): Promise<ChildProcess> {
  const args = ['--addr', `127.0.0.1:${port}`, '--db', options.db, '--dist', options.dist, '--comments-per-minute', '100000'];
  if (options.demo === false) args.push('--no-demo');
  if (options.lang) args.push('--lang', options.lang);
  const server = spawn('target/release/broadsheet-server', args, { stdio: 'ignore' });
  try {
    await waitForServer(`http://127.0.0.1:${port}`);
  } catch (e) {
    server.kill();
    throw e;
  }
  return server;
}

/** Stops a server started by `serve` the way an operator does (SIGTERM), and waits for it. */
export async function stop(server: ChildProcess) {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

/** A port for a test's own server: past the shared server and the partner site. */
export const ownPort = (n: number) => Number(process.env.E2E_PORT || 18080) + 1 + n;

/** Holds the app's wasm back, so the page stays as the server sent it, until the returned
 *  function is called (the take-over then goes on). */
export async function holdTheApp(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/*_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** A site of the enclosing `describe` block's own, in `lang` (`--lang`), on `port` and a fresh
 *  database: started before its tests, stopped after them. Its address. */
export function siteIn(lang: string, port: number): string {
  let server: ChildProcess | undefined;
  let dir = '';
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `broadsheet-${lang}-`));
    server = await serve(port, { dist: 'dist', db: join(dir, 'site.db'), lang });
  });
  test.afterAll(async () => {
    if (server) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });
  return `http://127.0.0.1:${port}`;
}

/** A layout shift the page made, as `watchLayoutShifts` recorded it: when (ms from navigation),
 *  whether the app had taken over by then, and what moved (element, rectangle before and after). */
export interface Shift {
  value: number;
  at: number;
  app: string | null;
  moved: string[];
}

/** Records every layout shift of the pages `page` loads from navigation on (not those right after
 *  input), with what moved, so a failing "nothing moved" says what did. Read with `layoutShifts`. */
export async function watchLayoutShifts(page: Page) {
  await page.addInitScript(() => {
    type Rect = { x: number; y: number; width: number; height: number };
    type Source = { node?: Node | null; previousRect: Rect; currentRect: Rect };
    type Entry = { value: number; hadRecentInput: boolean; startTime: number; sources?: Source[] };
    const shifts: unknown[] = [];
    (window as unknown as { shifts: unknown[] }).shifts = shifts;
    const rect = (r: Rect) => `${r.x},${r.y} ${r.width}×${r.height}`;
    const name = (n?: Node | null) => {
      if (!n) return '(gone)';
      if (!(n instanceof Element)) return `${n.nodeName} "${(n.textContent ?? '').slice(0, 40)}"`;
      const classes = [...n.classList].map((c) => `.${c}`).join('');
      return `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${classes} "${(n.textContent ?? '').trim().slice(0, 40)}"`;
    };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as Entry[]) {
        if (e.hadRecentInput) continue;
        shifts.push({
          value: e.value,
          at: Math.round(e.startTime),
          app: document.documentElement.dataset.app ?? null,
          moved: (e.sources ?? []).map((s) => `${name(s.node)}: ${rect(s.previousRect)} → ${rect(s.currentRect)}`),
        });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The layout shifts `watchLayoutShifts` recorded on the current page. */
export async function layoutShifts(page: Page): Promise<Shift[]> {
  return page.evaluate(() => (window as unknown as { shifts: Shift[] }).shifts);
}
