// Starts Broadsheet's app once the page's bootstrap (postbuild/bootstrap.js) asks for it: on a
// page the server rendered, when the reader reaches for the app; on any other page, at once. The
// build step (postbuild/src/bootstrap.rs) minifies it (esbuild) into a file named by its hash,
// which the bootstrap imports by the integrity the import map gives it, beside the JS glue and
// the wasm it has already asked for: what the bootstrap needs only then is not in every page's
// first round trip.
//
// It fetches the interface's catalogue the page names (<meta name=broadsheet-messages>, written
// by server/src/head.rs), by its integrity, and puts it where the app reads it (src/i18n.rs), and
// on a front's page adds the site's whole CSS; if it cannot have either, the app does not start
// and the server's page stays, as when the wasm cannot be had.
// On a page the server rendered it then calls the app's take_over() in the second animation
// frame after the wasm is instantiated (apart from the instantiation's task), and not in the
// middle of a press; the focus goes to the app's element in the place of the one the reader was
// on, and the clicks the bootstrap held go to the app's own buttons.

// The browser's Intl made once off the page's thread while the app downloads
// (public/intl-warm.js): the app's first formatters are then cheap in the take-over's task.
// Nothing depends on it.
const warmIntl = (nextTo) => {
  try {
    new Worker(nextTo("intl-warm.js")).postMessage(document.documentElement.lang);
  } catch {}
};

const catalogue = async (nextTo) => {
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

// The site's whole CSS, where the page came with part of it (a front's first screen: the server
// leaves out what only article pages use, server/src/head.rs): the app shows every kind of page.
// The build fills in its file and integrity (postbuild/src/bootstrap.rs). Like the catalogue, the
// app does not start without it, and the server's page stays.
const style = __BROADSHEET_STYLE__;
const wholeStyle = (nextTo) =>
  new Promise((resolve, reject) => {
    if (!style || !document.getElementById("broadsheet-fronts-style")) return resolve();
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = nextTo(style.href);
    link.integrity = style.integrity;
    link.onload = resolve;
    link.onerror = () => reject(new Error(`broadsheet: the app cannot start without the stylesheet ${link.href}`));
    document.head.append(link);
  });

const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

// Tries `done` every 50 ms until it says so, for up to two seconds: the app's parts are there a
// task after the take-over, some later still, and a button may wait for its state.
const retrying = (done, tries = 40) => {
  if (!done(tries === 0) && tries > 0) setTimeout(() => retrying(done, tries - 1), 50);
};

/** Starts the app. `page` is the bootstrap's: whether a press is under way, the held clicks (each
 *  button with its place among the buttons alike), and whether the app has started. */
export default async ({ app, wasm, glue, firstScreen, page, holding, alike }) => {
  const nextTo = (name) => new URL(name, new URL(app.js, location.href));
  if (firstScreen) warmIntl(nextTo);
  try {
    const [bindings] = await Promise.all([glue, catalogue(nextTo), wholeStyle(nextTo)]);
    await bindings.default({ module_or_path: wasm });
    if (!firstScreen) return;
    do await frames();
    while (page.pressing);
    // Where the reader is: the focus goes to the app's element in the same place (a text field
    // gets it back with its caret from the app itself, src/typing.rs).
    const focused = document.activeElement;
    const place = focused && !focused.matches("body, input, textarea") ? alike(focused).indexOf(focused) : -1;
    bindings.take_over();
    page.started = true;
    setTimeout(() => {
      if (place >= 0) {
        retrying(() => {
          const own = alike(focused)[place];
          if (document.activeElement !== document.body) return true;
          own?.focus({ preventScroll: true });
          return own !== undefined;
        });
      }
      // Each held click on the app's button, once it is there and enabled.
      for (const [button, at] of page.held) {
        retrying((last) => {
          const own = alike(button)[at];
          const ready = own !== undefined && own.getAttribute("aria-disabled") !== "true";
          if (ready) own.click();
          return ready || last;
        });
      }
      page.held.clear();
    });
  } catch (error) {
    if (firstScreen) {
      // The server's buttons stay as they are, clicks on them no longer held.
      removeEventListener("click", holding, true);
      for (const [button] of page.held) button.setAttribute("aria-busy", "false");
    }
    throw error;
  }
};
