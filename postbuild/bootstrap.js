// Starts Broadsheet's app. The build step (postbuild/src/bootstrap.rs) fills in the app's files
// and the wasm's integrity hash, drops these comment lines and puts the script inline in
// index.html, in place of Trunk's (Trunk.toml, pattern_script); the JS glue's hash goes into an
// import map beside it. A tampered glue or wasm is refused by the browser, not run.
//
// On a page the server rendered (it carries #broadsheet-first-screen, the app's
// page_data::embedded::DATA_ID), the page is complete on screen before a byte of the app is asked
// for: the bootstrap waits for the page's `load` (the lead image is in; the CSS is inline), for its
// first paint to be on screen, and for two painted frames. Once the wasm is instantiated it calls
// the app's take_over() in the second animation frame after that, apart from the instantiation's
// task. (Measured with
// `make bench-firstpaint`: taking over in a timer task instead doubled the article's blocking
// time, 63-65 ms to 124-166 ms.)
// Other pages have nothing to show without the app, which then starts as soon as it is
// instantiated.
//
// Nothing is asked for before the first paint is on screen: the bootstrap waits for the browser's
// own first-contentful-paint entry, which it reports once the frame is presented (two animation
// frames where it has no paint timing). The links the browser would follow by itself at `load`
// (the icon, the manifest, the touch icon) wait in a <template> in index.html until then too: on
// a mobile network each of them cost the page a round trip before its first paint (measured with
// `make bench-firstpaint`, docs/figures.md, stop 34).
//
// Such a page names the interface's catalogue (<meta name=broadsheet-messages>, written by
// server/src/head.rs) instead of carrying it, so that its first response fits in a connection's
// first round trip: the bootstrap fetches it, by its integrity, beside the JS glue and the wasm,
// and puts it where the app reads it (src/i18n.rs). If it cannot, the app does not start and the
// server's page stays, as when the wasm cannot be had.
const app = __BROADSHEET_APP__;
const firstScreen = document.getElementById("broadsheet-first-screen") !== null;
const loaded = () =>
  new Promise((resolve) =>
    document.readyState === "complete" ? resolve() : addEventListener("load", () => resolve(), { once: true }),
  );
const painted = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve))));
// The first contentful paint, once it is on screen.
const firstPaint = () =>
  new Promise((resolve) => {
    if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes("paint")) return painted().then(resolve);
    const observer = new PerformanceObserver((entries) => {
      if (entries.getEntriesByName("first-contentful-paint").length === 0) return;
      observer.disconnect();
      resolve();
    });
    observer.observe({ type: "paint", buffered: true });
  });
// The head's links that wait for the first paint, in place of the icon that stood in for them.
const afterPaint = () => {
  const waiting = document.getElementById("broadsheet-after-paint");
  if (!waiting) return;
  document.head.querySelector('link[rel=icon][href="data:,"]')?.remove();
  document.head.append(waiting.content.cloneNode(true));
  waiting.remove();
};
const nextTo = (name) => new URL(name, new URL(app.js, location.href));
// The browser's Intl made once off this thread while the app downloads (public/intl-warm.js):
// the app's first formatters are then cheap in the take-over's task. Nothing depends on it.
const warmIntl = () => {
  try {
    new Worker(nextTo("intl-warm.js")).postMessage(document.documentElement.lang);
  } catch {}
};
const catalogue = async () => {
  const named = document.querySelector("meta[name=broadsheet-messages]");
  if (!named) return;
  const url = nextTo(named.content);
  let text;
  try {
    const response = await fetch(url, { integrity: named.dataset.integrity });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new Error(`broadsheet: the app cannot start without the catalogue ${url}: ${error.message}`);
  }
  const script = document.createElement("script");
  script.type = "application/json";
  script.id = "broadsheet-messages";
  script.textContent = text;
  document.head.append(script);
};
if (firstScreen) {
  await loaded();
  await firstPaint();
  await painted();
  warmIntl();
}
afterPaint();
const messages = catalogue();
const wasmResponse = fetch(new Request(app.wasm, { integrity: app.wasmIntegrity }));
const bindings = await import(app.js);
await messages;
const wasm = await bindings.default({ module_or_path: wasmResponse });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
if (firstScreen) {
  requestAnimationFrame(() => requestAnimationFrame(() => bindings.take_over()));
}
