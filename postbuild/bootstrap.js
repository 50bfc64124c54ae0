// Starts Broadsheet's app. The build step (postbuild/src/bootstrap.rs) minifies it (esbuild),
// fills in the app's files and the wasm's integrity hash and puts the script inline in
// index.html, in place of Trunk's (Trunk.toml, pattern_script); the JS glue's hash goes into an
// import map beside it. A tampered glue or wasm is refused by the browser, not run.
//
// A page the server rendered (it carries #broadsheet-first-screen, the app's
// page_data::embedded::DATA_ID) is whole without the app: its text, its links (each one a page
// the server renders), its search form, its display settings (the inline script in index.html)
// and its comment fields, which take typing. The app is what its buttons need (posting a
// comment, copying the link, saving for offline) and what makes the next page a client-side
// one, so it is asked for when the reader reaches for it, not before: the first key pressed, or
// a pointer put down on, the focus brought to or a click on one of the page's controls (not a
// link). A reader who only reads asks for none of its 300 KB and the page's thread runs none of
// it (measured with `make bench-firstpaint`, docs/figures.md, stop 35). Until the app has taken
// the page over, a click on a button that needs it is held (the button says it is busy) and
// given to the app's own button once it is there; what was typed is the app's (src/typing.rs).
// The page's view is counted here, once the page is on screen (the app does not count it again).
//
// Even then, nothing is asked for before the first paint is on screen: the bootstrap waits for
// the page's `load` (or the reader's reaching for the app, if that comes first), the browser's own
// first-contentful-paint entry, which it reports once the frame is presented (two animation
// frames where it has no paint timing), and two painted frames. The links the browser would
// follow by itself at `load` (the icon, the manifest, the touch icon) wait in a <template> in
// index.html until then too: on a mobile network each of them cost the page a round trip before
// its first paint (docs/figures.md, stop 34). Other pages have nothing to show without the app,
// which then starts at once.
//
// Starting the app — the catalogue, the wasm, the take-over, the focus and the held clicks — is
// postbuild/start.js, which the build writes as a file of its own (start-<hash>.js, pinned by the
// import map like the glue): what is needed only once the reader reaches for the app is not in
// every page's first round trip.
const app = __BROADSHEET_APP__;
const firstScreen = document.getElementById("broadsheet-first-screen") !== null;
const loaded = () =>
  new Promise((resolve) =>
    document.readyState === "complete" ? resolve() : addEventListener("load", () => resolve(), { once: true })
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
// The reader reaching for what only the app does: a pointer put down on, the focus brought to or
// a click on one of the page's controls, or a key pressed — not one that only scrolls the page or
// is the browser's own shortcut (Ctrl, Alt or Cmd with it), unless in a control.
const control = (event) =>
  event.target instanceof Element &&
  event.target.closest("button, input, textarea, select, label, summary, [contenteditable], [role=button]");
let reached;
const intent = new Promise((resolve) => (reached = resolve));
// And whether a pointer or a key is down: the app does not take the page over in the middle of a
// press, which would take the pressed element away before its click.
const page = { held: new Map(), pressing: false };
const noticing = (event) => {
  const { type } = event;
  if (type.endsWith("up") || type.endsWith("cancel")) {
    page.pressing = false;
    return;
  }
  if (type.endsWith("down")) page.pressing = true;
  // Keys that only scroll the page, and the browser's shortcuts, are reading.
  const reading =
    type === "keydown" && (event.ctrlKey || event.altKey || event.metaKey || /^( |Page|Arrow|Home$|End$)/.test(event.key));
  if ((type === "keydown" && !reading) || control(event)) reached();
};
// The elements of the page like `element` (its tag, class and text): the app's own in its place
// is the one at the same place among them.
const alike = (element) =>
  [...document.getElementsByTagName(element.tagName)].filter(
    (e) => e.className === element.className && e.textContent === element.textContent
  );
// A click on a button the server's page cannot answer by itself (any but the submit button of a
// form with its own action, the search) is held until the app has its own in its place, which
// is then pressed. Should the app not start, such buttons stay as the server's page has them,
// doing nothing (index.html's inline script keeps a form without an action, the comment form,
// from being sent as a page load).
const holding = (event) => {
  const button = !page.started && event.target instanceof Element && event.target.closest("button");
  if (!button || (button.type === "submit" && button.form?.hasAttribute("action"))) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  // Enter in a form's field clicks its submit button by itself: such a form is not sent later, as
  // the reader types on. Only a press of the button itself is held.
  const active = document.activeElement;
  if (event.detail === 0 && button.type === "submit" && active !== button && active?.form === button.form) return;
  page.held.set(button, alike(button).indexOf(button));
  button.setAttribute("aria-busy", "true");
};
// One view of the article the page shows, as the app counts one (src/api.rs, record_view): a
// page the browser prerenders has not been seen yet. The app does not count it again.
const countView = () => {
  let slug;
  try {
    slug = JSON.parse(document.getElementById("broadsheet-first-screen").textContent).article?.slug;
  } catch {}
  const api = (document.querySelector("meta[name=broadsheet-api]")?.content || "/api").replace(/\/+$/, "");
  const send = () => slug && navigator.sendBeacon(`${api}/articles/${encodeURIComponent(slug)}/views`);
  if (document.prerendering) document.addEventListener("prerenderingchange", send, { once: true });
  else send();
};
// The rest (the catalogue, the wasm, the take-over) is postbuild/start.js, a file of its own
// asked for, by its integrity, beside the app's files.
const begin = () => {
  const wasm = fetch(new Request(app.wasm, { integrity: app.wasmIntegrity }));
  const glue = import(app.js);
  return import(app.start).then((start) =>
    start.default({ app, wasm, glue, firstScreen, page, holding, alike })
  );
};
if (firstScreen) {
  for (const type of ["keydown", "keyup", "pointerdown", "pointerup", "pointercancel", "focusin", "click"]) {
    addEventListener(type, noticing, { capture: true, passive: true });
  }
  addEventListener("click", holding, true);
  // A reader who reaches for the app before the page has loaded does not wait for its images.
  await Promise.race([loaded(), intent]);
  await firstPaint();
  await painted();
  afterPaint();
  countView();
  await intent;
} else {
  afterPaint();
}
await begin();
