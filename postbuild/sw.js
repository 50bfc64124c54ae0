// Broadsheet's service worker: the installed app's shell, offline reading and safe updates.
// The build (`broadsheet-postbuild`, Trunk's post-build hook) fills in the version and the shell list;
// a deploy that changes any shell file therefore produces a new worker. The server fills in its
// catalogue's digest as it sends this file: a site restarted in another language (the shell's
// index.html carries the catalogue) is a new worker too, whose shell speaks that language.
"use strict";

const VERSION = "__BROADSHEET_VERSION__";
const SHELL = __BROADSHEET_SHELL__;
const CATALOGUE = "__BROADSHEET_CATALOGUE__";

const SHELL_CACHE = `broadsheet-shell-${VERSION}-${CATALOGUE}`;
// API responses the reader has seen, least recently used evicted beyond PAGES_CAP.
const PAGES_CACHE = "broadsheet-pages";
// Images, cache first, least recently used evicted beyond IMAGES_CAP.
const IMAGES_CACHE = "broadsheet-images";
// What the reader chose to keep ("Save for offline"): written by the app, never evicted here.
const SAVED_CACHE = "broadsheet-saved";
const PAGES_CAP = 240;
const IMAGES_CAP = 80;
// How long an API request may take before a saved copy is shown instead.
const NETWORK_TIMEOUT_MS = 3000;

// --- What may enter a cache ---------------------------------------------------------------

/// The content type a shell file must be served with; anything else (say, the HTML of an error
/// page in place of the wasm) is refused.
function expectedType(path) {
  const types = [
    [".wasm", "application/wasm"],
    [".js", "javascript"],
    [".css", "text/css"],
    [".html", "text/html"],
    [".png", "image/png"],
    [".svg", "image/svg+xml"],
    [".webmanifest", "application/manifest+json"],
  ];
  const found = types.find(([ending]) => path.endsWith(ending));
  return found ? found[1] : "";
}

/// Only a complete, successful, same-origin response of the expected type is cached: never an
/// error status, a redirect, an opaque response or the wrong kind of file.
function cacheable(response, type) {
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    (response.headers.get("content-type") || "").includes(type)
  );
}

/// A response whose body has been read in full, so that a connection cut mid-body fails here and
/// never leaves half a file in a cache.
async function complete(response) {
  const body = await response.arrayBuffer();
  const length = response.headers.get("content-length");
  if (length !== null && !response.headers.has("content-encoding") && Number(length) !== body.byteLength) {
    throw new Error(`incomplete body: ${body.byteLength} of ${length} bytes`);
  }
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

// --- Caches with a cap ----------------------------------------------------------------------

/// Drops the least recently used entries beyond `cap`. Cache keys come back in the order they
/// were put, and every use puts an entry again, so the front of the list is the least recent.
async function trim(name, cap) {
  const cache = await caches.open(name);
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - cap))) {
    await cache.delete(key);
  }
}

/// Stores `response` as the most recent entry of a capped cache. When storage is full, older
/// entries make room and the store is tried once more; failing that the response is simply not
/// kept: the reader already has it on screen.
async function keep(name, cap, request, response) {
  const cache = await caches.open(name);
  const put = async () => {
    await cache.delete(request);
    await cache.put(request, response.clone());
  };
  try {
    await put();
  } catch (error) {
    await trim(name, Math.floor(cap / 2));
    try {
      await put();
    } catch (again) {
      console.warn("broadsheet: not cached, storage is full", request.url, again);
      return;
    }
  }
  await trim(name, cap);
}

/// Refreshes the reader's saved copy when the network brings a newer one.
async function refreshSaved(request, response) {
  const saved = await caches.open(SAVED_CACHE);
  if (await saved.match(request)) {
    await saved.put(request, response.clone()).catch((error) => {
      console.warn("broadsheet: saved copy not refreshed", request.url, error);
    });
  }
}

/// A stored copy: the reader's saved one first, then the recently seen one (marked as used).
async function stored(request, recent) {
  const saved = await (await caches.open(SAVED_CACHE)).match(request);
  if (saved) return saved;
  const copy = await (await caches.open(recent)).match(request);
  if (copy) {
    keep(recent, recent === IMAGES_CACHE ? IMAGES_CAP : PAGES_CAP, request, copy.clone()).catch(() => {});
  }
  return copy;
}

// --- Strategies -----------------------------------------------------------------------------

const offline = () =>
  new Response(
    JSON.stringify({
      error: {
        code: "offline",
        message: "You are offline, and this page has not been kept for offline reading.",
      },
    }),
    { status: 503, headers: { "content-type": "application/json", "x-broadsheet-offline": "1" } },
  );

/// App pages: the cached shell, so that the installed app starts without the network. The app
/// itself renders the route, fetching its data through `api` below.
async function page(request) {
  const shell = await (await caches.open(SHELL_CACHE)).match("/index.html");
  return shell || fetch(request);
}

/// Shell files: from the cache made at install, else the network.
async function shellFile(request) {
  const hit = await (await caches.open(SHELL_CACHE)).match(request);
  return hit || fetch(request);
}

/// API reads: network first; a stored copy when the network fails, answers with a server error,
/// or takes longer than NETWORK_TIMEOUT_MS (the network answer still refreshes the cache).
async function api(event) {
  const request = event.request;
  const network = fetch(request).then(async (response) => {
    if (!cacheable(response, "application/json")) return response;
    const whole = await complete(response);
    event.waitUntil(
      Promise.all([
        keep(PAGES_CACHE, PAGES_CAP, request, whole.clone()),
        refreshSaved(request, whole.clone()),
      ]).catch((error) => console.warn("broadsheet: not cached", request.url, error)),
    );
    return whole;
  });
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve("late"), NETWORK_TIMEOUT_MS);
  });
  let answer;
  try {
    answer = await Promise.race([network, late]);
  } catch (error) {
    answer = "failed";
  } finally {
    clearTimeout(timer);
  }
  if (answer instanceof Response && answer.status < 500) return answer;
  const copy = await stored(request, PAGES_CACHE);
  if (copy) {
    if (answer === "late") event.waitUntil(network.catch(() => {}));
    return copy;
  }
  if (answer instanceof Response) return answer;
  if (answer === "late") return network.catch(offline);
  return offline();
}

/// Images: from a stored copy when there is one, else the network (and kept for next time).
async function image(event) {
  const request = event.request;
  const copy = await stored(request, IMAGES_CACHE);
  if (copy) return copy;
  const response = await fetch(request);
  if (cacheable(response, "image/")) {
    event.waitUntil(keep(IMAGES_CACHE, IMAGES_CAP, request, response.clone()).catch(() => {}));
  }
  return response;
}

// --- Life cycle -----------------------------------------------------------------------------

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      try {
        await Promise.all(
          SHELL.map(async (path) => {
            const response = await fetch(path, { cache: "no-cache" });
            if (!cacheable(response, expectedType(path))) {
              const type = response.headers.get("content-type");
              throw new Error(`shell file ${path}: ${response.status} ${response.type} ${type}`);
            }
            await cache.put(path, await complete(response));
          }),
        );
      } catch (error) {
        // A shell that is not whole is not installed: the worker before this one stays in
        // charge, and the browser tries the update again later.
        await caches.delete(SHELL_CACHE);
        throw error;
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("broadsheet-shell-") && name !== SHELL_CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

/// Keeps a copy of something the page loaded before this worker controlled it.
async function remember(url) {
  const request = new Request(new URL(url, self.location.href));
  if (new URL(request.url).origin !== self.location.origin) return;
  const isApi = new URL(request.url).pathname.startsWith("/api/");
  const response = await fetch(request);
  if (isApi && cacheable(response, "application/json")) {
    await keep(PAGES_CACHE, PAGES_CAP, request, await complete(response));
  } else if (!isApi && cacheable(response, "image/")) {
    await keep(IMAGES_CACHE, IMAGES_CAP, request, await complete(response));
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  // The app asks for the waiting version only when the reader accepts "Reload".
  if (data.type === "activate-update") self.skipWaiting();
  // On the very first visit the page loaded its article before this worker took over: the app
  // sends what it read, so that this article too is readable offline afterwards.
  if (data.type === "remember" && Array.isArray(data.urls)) {
    event.waitUntil(
      Promise.all(
        data.urls.slice(0, 100).map((url) =>
          remember(String(url)).catch((error) => console.warn("broadsheet: not kept", url, error)),
        ),
      ),
    );
  }
  if (data.type === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  // POSTs (comments, reports, views) and other writes always go to the network, never a cache.
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Embed pages are framed by partner sites under their own policy: the network serves them.
    if (!url.pathname.startsWith("/embed/")) event.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(api(event));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(shellFile(request));
  } else if (request.destination === "image" || url.pathname.startsWith("/media/")) {
    event.respondWith(image(event));
  }
});

// For tests and debugging in the worker's console.
self.broadsheet = { VERSION, SHELL, keep, trim, caps: { PAGES_CAP, IMAGES_CAP } };
