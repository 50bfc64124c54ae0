// Benchmark (issue #21): the take-over's task, and how much of it is V8 compiling the wasm. The
// task in which the app takes a server-rendered page over is the long task Lighthouse counts as
// blocking time. V8 compiles a wasm function the first time it is called, on the main thread
// (lazy compilation, on by default), so that task also compiles every function the take-over
// runs. This opens an article, the home page and a section front on a phone-sized screen, in a
// fresh context each time (empty cache, no service worker), in two Chromiums taken in turn: as
// shipped, and with lazy compilation off (`--no-wasm-lazy-compilation`: the functions are compiled
// in the background while the wasm downloads). It reads the long task that holds the
// `broadsheet:started` mark (0 when no long task holds it: under 50 ms). No throttling: multiply by about 4 for Lighthouse's mobile profile.
// A page cannot turn lazy compilation off; the second column says what it costs. Not a test: it
// prints figures.
//
// With BENCH_BASELINE set to a folder holding another build (its `broadsheet-server` and its
// `dist/`, say an earlier commit's), it compares this build's take-over with that one's instead,
// both as shipped, each on its own server, taken in turn.
//
//   make build && node bench/takeover.mjs [runs=9]
//   BENCH_BASELINE=/tmp/before node bench/takeover.mjs 15
//
// BENCH_NETWORK=mobile loads each page over Lighthouse's mobile network instead of the loopback:
// then, as on a phone, the app arrives seconds after the page is painted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser.mjs';
import { startReleaseServer } from '../e2e/server.mjs';

const runs = Number(process.argv[2] || 9);
// BENCH_NETWORK=mobile: each page over Lighthouse's mobile network (150 ms, 1.6 Mbit/s down).
const slowNetwork = process.env.BENCH_NETWORK === 'mobile';
const port = Number(process.env.BENCH_PORT || 18195);
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'broadsheet-takeover-'));
const server = await startReleaseServer(port, { db: join(work, 'bench.db') });
const baseline = process.env.BENCH_BASELINE;
const baselineBase = `http://127.0.0.1:${port + 1}`;
const baselineServer =
  baseline &&
  (await startReleaseServer(port + 1, {
    db: join(work, 'baseline.db'),
    dist: join(baseline, 'dist'),
    bin: join(baseline, 'broadsheet-server'),
  }));

const front = await (await fetch(`${base}/api/front`)).json();
const article = front.lead ?? front.sections[0].items[0];
const pages = [
  ['article', `/article/${article.slug}`],
  ['home', '/'],
  ['section', `/section/${article.section.slug}`],
];
const options = chromiumLaunchOptions();
// Each variant: a Chromium and the server it asks.
const shipped = await chromium.launch(options);
const browsers = baseline
  ? { 'this build': [shipped, base], baseline: [await chromium.launch(options), baselineBase] }
  : {
      'as shipped': [shipped, base],
      'lazy compilation off': [
        await chromium.launch({ ...options, args: [...options.args, '--js-flags=--no-wasm-lazy-compilation'] }),
        base,
      ],
    };

/** The duration of the long task holding the app's `broadsheet:started` mark, in ms. */
async function takeOver([browser, origin], path) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  if (slowNetwork) {
    // Lighthouse's mobile network: the app arrives seconds after the page is painted, as on a phone.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6e6 * 0.9) / 8,
      uploadThroughput: (750e3 * 0.9) / 8,
    });
  }
  await page.addInitScript(() => {
    const w = window;
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(origin + path);
  // A page the server rendered asks for the app when the reader reaches for it: a key pressed.
  await page.keyboard.press('Shift');
  await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
  // The long task's entry arrives after the task has ended. None at all: under 50 ms (counted as 0).
  await page.waitForTimeout(1000);
  const value = await page.evaluate(() => {
    const mark = performance.getEntriesByName('broadsheet:started')[0].startTime;
    const task = window.longTasks.find(([start, duration]) => start <= mark && mark <= start + duration);
    return task ? task[1] : 0;
  });
  await context.close();
  return value;
}

const results = {};
for (let i = 0; i < runs; i++) {
  for (const [name, path] of pages) {
    // Each run starts with the other Chromium, so neither always goes first.
    const order = Object.entries(browsers);
    if (i % 2) order.reverse();
    for (const [variant, browser] of order) {
      ((results[name] ??= {})[variant] ??= []).push(await takeOver(browser, path));
    }
  }
  process.stderr.write('.');
}
process.stderr.write('\n');
for (const [browser] of Object.values(browsers)) await browser.close();
server.kill();
if (baselineServer) baselineServer.kill();
rmSync(work, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const variants = Object.keys(browsers);
console.log(
  `The take-over's task on a 412 px screen, CPU unthrottled${slowNetwork ? ', mobile network' : ''}, median of ${runs} (range), ms\n`,
);
console.log(`| page | ${variants.join(' | ')} | ${baseline ? 'change' : 'saved with it off'} |`);
console.log(`| --- | ${variants.map(() => '---:').join(' | ')} | ---: |`);
for (const [name] of pages) {
  const cells = variants.map((v) => {
    const xs = results[name][v];
    return `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
  });
  const [first, second] = variants.map((v) => median(results[name][v]));
  const change = baseline
    ? `${first >= second ? '+' : '−'}${Math.round((100 * Math.abs(first - second)) / second)} %`
    : `${Math.round((100 * (first - second)) / first)} %`;
  console.log(`| ${name} | ${cells.join(' | ')} | ${change} |`);
}
