import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from './browser.mjs';
const url = process.argv[2];
const browser = await chromium.launch(chromiumLaunchOptions());
const ctx = await browser.newContext({ viewport: { width: 412, height: 823 }, serviceWorkers: 'block' });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
await page.addInitScript(() => {
  window.__lt = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
});
await page.goto(url);
await page.waitForFunction(() => document.documentElement.dataset.app === 'started');
await page.waitForTimeout(3000);
console.log(await page.evaluate(() => JSON.stringify({ lt: window.__lt, started: Math.round(performance.getEntriesByName('broadsheet:started')[0]?.startTime), fcp: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime) })));
await browser.close();
