// Makes one of each of the browser's Intl objects the app uses, in a worker, and ends: the first
// Intl object a page makes costs 20–90 ms on the thread that makes it (the browser loading ICU's
// data, once for the whole process), and the app makes its first in the task in which it takes
// the server's page over. Made here first, off the page's thread while the app downloads
// (postbuild/bootstrap.js starts this on a page with a first screen), the app's own then cost
// about a millisecond. Measured with `BENCH_NETWORK=mobile BENCH_BASELINE=… node bench/takeover.mjs`
// (docs/figures.md, stop 33).
onmessage = ({ data: lang }) => {
  const locales = lang ? [lang] : [];
  const make = [
    () => new Intl.DateTimeFormat(locales, { dateStyle: "long", timeStyle: "short" }).format(0),
    () => new Intl.NumberFormat(locales).format(1234),
    () => new Intl.PluralRules(locales).select(1),
    () => new Intl.Segmenter(locales).segment("a")[Symbol.iterator]().next(),
  ];
  for (const one of make) {
    // A browser without one of them (or a tag it refuses) skips it: the app has its own fallbacks.
    try {
      one();
    } catch {}
  }
  close();
};
