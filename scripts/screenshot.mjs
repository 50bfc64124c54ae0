// Screenshots of pages, for looking at what we built:
//   node scripts/screenshot.mjs http://127.0.0.1:8080/ out.png [width] [height]
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/browser.mjs';

const [url, out, width = '1280', height = '900'] = process.argv.slice(2);
const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
await page.goto(url);
await page.waitForLoadState('networkidle');
await page.waitForTimeout(300);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
