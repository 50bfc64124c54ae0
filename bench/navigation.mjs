// Benchmark: time from a click on an article link to the new article's h1 being painted, in
// headless Chromium against the real server, for a prefetched article (the pointer rested on the
// link first) and a cold one (no prefetch). Not a test: it prints figures.
//
//   make build && node bench/navigation.mjs [runs]
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser.mjs';
import { waitForServer } from '../e2e/server.mjs';

const runs = Number(process.argv[2] || 15);
const port = 18300;
const base = `http://127.0.0.1:${port}`;

const server = spawn('sh', ['scripts/e2e-server.sh', String(port)], { stdio: 'ignore' });
try {
  await waitForServer(base);
  const articles = (await (await fetch(`${base}/api/articles?limit=50`)).json()).items;
  const browser = await chromium.launch(chromiumLaunchOptions());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

  /** Clicks the link to `slug` from script (no pointer, so no prefetch) and times the h1's paint. */
  const clickToPaint = (slug, headline) =>
    page.evaluate(
      ({ slug, headline }) =>
        new Promise((resolve) => {
          const link = document.querySelector(`main a[href="/article/${slug}"]`);
          const start = performance.now();
          const done = () => {
            const h1 = document.querySelector('main h1');
            if (h1 && h1.textContent === headline) {
              observer.disconnect();
              // The frame after the one that lays the h1 out has painted it.
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
              return true;
            }
            return false;
          };
          const observer = new MutationObserver(done);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          link.click();
        }),
      { slug, headline },
    );

  const cdp = await page.context().newCDPSession(page);
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { median: q(0.5), p90: q(0.9), min: s[0], max: s[s.length - 1] };
  };
  // Loopback, then a slow mobile-like link (150 ms round trip, 1.6 Mbit/s down), as readers have.
  for (const [network, latency, down] of [['loopback', 0, -1], ['150 ms RTT, 1.6 Mbit/s', 150, 200_000]]) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency,
      downloadThroughput: down,
      uploadThroughput: down > 0 ? 94_000 : -1,
    });
    const results = { prefetched: [], cold: [] };
    for (let run = 0; run < runs; run++) {
      for (const mode of ['prefetched', 'cold']) {
        await page.goto(`${base}/`);
        await page.locator('.front__section').first().waitFor();
        // A different story each time; only those linked from the front's section lists.
        const linked = await page.$$eval('.front__section a[href^="/article/"]', (as) => as.map((a) => a.getAttribute('href').slice(9)));
        const slug = linked[(run * 2 + (mode === 'cold' ? 1 : 0)) % linked.length];
        const headline = articles.find((a) => a.slug === slug).headline;
        if (mode === 'prefetched') {
          const response = page.waitForResponse((r) => r.url().endsWith(`/api/articles/${slug}`));
          await page.locator(`.front__section a[href="/article/${slug}"]`).hover();
          await response;
        }
        results[mode].push(await clickToPaint(slug, headline));
      }
    }
    console.log(`\nclick → h1 painted, ${network}, ${runs} runs each (ms)`);
    console.log('| article | median | p90 | min | max |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const mode of ['prefetched', 'cold']) {
      const s = stats(results[mode]);
      console.log(`| ${mode} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} |`);
    }
  }
  await browser.close();
} finally {
  server.kill('SIGINT');
}
