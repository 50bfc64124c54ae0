import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.mjs';
const browser = await chromium.launch(chromiumLaunchOptions());
for (const vp of [{ width: 1280, height: 720 }, { width: 412, height: 823 }]) {
const ctx = await browser.newContext({ viewport: vp, serviceWorkers: 'block' });
const page = await ctx.newPage();
await page.addInitScript(() => {
  window.__p = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__p.push([Math.round(e.startTime), e.size, e.element?.tagName + '.' + e.element?.className, e.url?.slice(-30)]); }).observe({ type: 'largest-contentful-paint', buffered: true });
});
await page.goto(process.argv[2]);
await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
await page.waitForTimeout(2000);
console.log(vp.width, await page.evaluate(() => JSON.stringify({ p: window.__p, started: Math.round(performance.getEntriesByName('broadsheet:started')[0]?.startTime) })));
await ctx.close();
}
await browser.close();
