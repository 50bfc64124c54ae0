// Starts Broadsheet's app. The build step (postbuild/src/bootstrap.rs) fills in the app's files
// and the wasm's integrity hash, drops these comment lines and puts the script inline in
// index.html, in place of Trunk's (Trunk.toml, pattern_script); the JS glue's hash goes into an
// import map beside it. A tampered glue or wasm is refused by the browser, not run.
//
// On a page the server rendered (it carries #broadsheet-first-screen, the app's
// page_data::embedded::DATA_ID), the page is complete on screen before a byte of the app is asked
// for: the bootstrap waits for the page's `load` (the lead image is in; the CSS is inline) and two
// painted frames. Once the wasm is instantiated it calls the app's take_over() in the second
// animation frame after that, apart from the instantiation's task. (Measured with
// `make bench-firstpaint`: taking over in a timer task instead doubled the article's blocking
// time, 63-65 ms to 124-166 ms.)
// Other pages have nothing to show without the app, which then starts as soon as it is
// instantiated.
const app = __BROADSHEET_APP__;
const firstScreen = document.getElementById("broadsheet-first-screen") !== null;
const loaded = () =>
  new Promise((resolve) =>
    document.readyState === "complete" ? resolve() : addEventListener("load", () => resolve(), { once: true }),
  );
const painted = () =>
  new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve))));
// The browser's Intl made once off this thread while the app downloads (public/intl-warm.js):
// the app's first formatters are then cheap in the take-over's task. Nothing depends on it.
const warmIntl = () => {
  try {
    new Worker(new URL("intl-warm.js", new URL(app.js, location.href))).postMessage(document.documentElement.lang);
  } catch {}
};
if (firstScreen) {
  await loaded();
  await painted();
  warmIntl();
}
const bindings = await import(app.js);
const wasm = await bindings.default({ module_or_path: new Request(app.wasm, { integrity: app.wasmIntegrity }) });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
if (firstScreen) {
  requestAnimationFrame(() => requestAnimationFrame(() => bindings.take_over()));
}
