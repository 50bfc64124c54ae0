import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/browser.mjs';

// End-to-end tests: the release build of the app, served by the real server on a fresh SQLite
// file (seeded with the demo content), driven in Debian's headless Chromium.
const port = Number(process.env.E2E_PORT || 18080);
// Lets `context.route` see the service worker's own requests (Chromium only), so the PWA tests
// can break a shell file as the worker installs. Read when the browser starts.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
/** A partner site on another origin, for the embed tests. */
export const partnerPort = port + 1;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    locale: 'en-GB',
    // A reader's Chromium names itself so; headless Chromium's own default ("HeadlessChrome") is
    // a robot's, whose page views are not counted (server/src/views.rs).
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    // Most tests inject faults with `page.route`, which a service worker's fetches would bypass:
    // the worker is kept out, except in the PWA tests (e2e/pwa.spec.ts), which allow it.
    serviceWorkers: 'block',
  },
  webServer: [
    {
      command: `sh scripts/e2e-server.sh ${port}`,
      url: `http://127.0.0.1:${port}/api/sections`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node e2e/partner-server.mjs ${partnerPort} http://127.0.0.1:${port}`,
      url: `http://127.0.0.1:${partnerPort}/`,
      reuseExistingServer: false,
      timeout: 10_000,
    },
  ],
});
