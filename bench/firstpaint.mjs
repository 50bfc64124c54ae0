// First paint, measured the way issues #8 and #21 ask: Lighthouse 12.2.3 (mobile, default
// simulated throttling) on a demo article without images, the home page and a section front, each
// beside its strict static twin served by the same server (below); the median of N runs each,
// taken in turn. Lighthouse does not touch the page, so it measures a reader who reads: the page
// asks for the app only when the reader reaches for it (postbuild/bootstrap.js). Then the bytes:
// the article's first HTML response, the wasm and the JS, brotli -q 11.
//
//   make build && node bench/firstpaint.mjs [runs=5]
//
// The server runs from the release build on a fresh database in a temporary directory, with a
// copy of dist/ that also holds the static twin (dist/ itself is left as built).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startReleaseServer, wireSize } from '../e2e/server.mjs';

const runs = Number(process.argv[2] || 5);
const port = Number(process.env.BENCH_PORT || 18180);
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'broadsheet-firstpaint-'));
const dist = join(work, 'dist');
cpSync('dist', dist, { recursive: true });

const server = await startReleaseServer(port, { db: join(work, 'bench.db'), dist });

// The article: the newest one without any image, so that the article and its twin paint the same
// text and neither waits for an image (issue #21 measured such an article).
const front = await (await fetch(`${base}/api/front`)).json();
const candidates = [front.lead, ...front.sections.flatMap((s) => s.items)].filter(Boolean);
let article;
for (const { slug } of candidates) {
  const a = await (await fetch(`${base}/api/articles/${slug}`)).json();
  if (!a.image && !a.body.some((b) => b.type === 'image')) {
    article = a;
    break;
  }
}
if (!article) throw new Error('no demo article without an image');
const slug = article.slug;
const built = readFileSync('dist/index.html', 'utf8');

// Each page's static twin, as strict as issue #21 asks: the server's own first-screen HTML of that
// page with its CSS inline (as the page has it) and nothing that makes another request — no
// script, no stylesheet, icon or manifest link, no image — nor waits to paint (no rel=expect).
// The home page's largest paint is its lead picture, which comes inside the page when it is one
// of the site's small pictures (server/src/pictures.rs; the imageless twin drops it all the same);
// its second twin keeps the images and nothing else.
const strict = (html, { images = false } = {}) =>
  html
    .replace(/<script\b[\s\S]*?<\/script>/g, '')
    .replace(/<template\b[\s\S]*?<\/template>/g, '')
    .replace(/<link\b[^>]*>/g, (link) => (/\brel="?(icon|manifest|apple-touch-icon|stylesheet|preload|modulepreload|expect)\b/.test(link) ? '' : link))
    .replace(/<(img|source)\b[^>]*>/g, (image) => (images ? image : ''))
    .replace('</head>', '<link rel=icon href="data:,"></head>');
const twinOf = async (name, path, options) => {
  const html = await (await fetch(`${base}${path}`)).text();
  const twin = strict(html, options);
  if (/<script\b|rel="?stylesheet/.test(twin) || (!options && /<img\b/.test(twin))) throw new Error(`the ${name} twin still makes a request`);
  const file = `static-twin-${name.replaceAll(' ', '-')}.html`;
  writeFileSync(join(dist, file), twin);
  return `${base}/${file}`;
};
const paths = { article: `/article/${slug}`, home: '/', section: `/section/${article.section.slug}` };
const pages = [];
for (const [name, path] of Object.entries(paths)) {
  pages.push([name, `${base}${path}`], [`${name} twin`, await twinOf(name, path)]);
}
pages.push(['home twin with its images', await twinOf('home with its images', '/', { images: true })]);

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = Object.fromEntries(pages.map(([name]) => [name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const [name, url] of pages) {
      const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
      const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
      results[name].push({
        lcp: audit('largest-contentful-paint'),
        fcp: audit('first-contentful-paint'),
        tbt: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
        score: Math.round((lhr.categories.performance.score ?? 0) * 100),
        bytes: audit('total-byte-weight'),
        // What the page loaded of code (wasm and JS files), as transferred.
        code: (lhr.audits['network-requests']?.details?.items ?? [])
          .filter((r) => /\.(wasm|js)$/.test(new URL(r.url).pathname))
          .reduce((n, r) => n + r.transferSize, 0),
      });
      process.stderr.write('.');
    }
  }
} finally {
  await chrome.kill();
}
process.stderr.write('\n');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const m = Object.fromEntries(
  Object.entries(results).map(([name, rs]) => [name, Object.fromEntries(Object.keys(rs[0]).map((k) => [k, median(rs.map((r) => r[k]))]))]),
);
console.log(`Lighthouse 12.2.3, mobile simulation, median of ${runs} runs, article ${slug}\n`);
console.log('| page | LCP | FCP | TBT | TBT, each run | CLS | score | transfer | of it wasm + JS |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name] of pages) {
  const r = m[name];
  const each = results[name].map((x) => Math.round(x.tbt)).join(', ');
  console.log(`| ${name} | ${(r.lcp / 1000).toFixed(2)} s | ${(r.fcp / 1000).toFixed(2)} s | ${Math.round(r.tbt)} ms | ${each} | ${r.cls.toFixed(3)} | ${r.score} | ${(r.bytes / 1024).toFixed(0)} KiB | ${Math.round(r.code)} B |`);
}
console.log('');
for (const name of Object.keys(paths)) {
  const worst = Math.max(...results[name].map((x) => x.tbt));
  console.log(`${name}: LCP / twin LCP = ${(m[name].lcp / m[`${name} twin`].lcp).toFixed(2)} (goal ≤ 1.10); worst TBT ${Math.round(worst)} ms (goal ≤ 50)`);
}
console.log(`home: LCP / twin with its images LCP = ${(m.home.lcp / m['home twin with its images'].lcp).toFixed(2)}`);

// Sizes, deterministic: what the budget check counts.
const br = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const html = Buffer.from(await (await fetch(`${base}/article/${slug}`)).arrayBuffer());
const { bytes: wire } = await wireSize(base, `/article/${slug}`);
const asset = (re) => {
  const name = re.exec(built)[1];
  return readFileSync(join('dist', name));
};
const wasm = asset(/(broadsheet-[0-9a-f]+_bg\.wasm)/);
const js = asset(/"\/(broadsheet-[0-9a-f]+\.js)"/);
console.log('\n| bytes | raw | brotli -q 11 | budget |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| article HTML (first response) | ${html.length} | ${br(html)} | |`);
console.log(`| the same on the wire (headers and body as sent) | | ${wire} | 14,600 |`);
console.log(`| wasm | ${wasm.length} | ${br(wasm)} | |`);
console.log(`| JS | ${js.length} | ${br(js)} | |`);
console.log(`| wasm + JS, the app once the reader reaches for it | ${wasm.length + js.length} | ${br(wasm) + br(js)} | 299,371 (ceiling) |`);
server.kill();
rmSync(work, { recursive: true, force: true });
