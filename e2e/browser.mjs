// How our tests start Debian's Chromium: never a browser of Playwright's own (none can be downloaded
// here). Running as root needs --no-sandbox; the rest keep Chromium off the network it cannot reach.
export function chromiumLaunchOptions() {
  return {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
