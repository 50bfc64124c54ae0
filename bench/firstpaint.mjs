// First paint, measured the way issue #8 asks: Lighthouse 12.2.3 (mobile, default simulated
// throttling) on a demo article, on a static HTML twin of the same article served by the same
// server, and on the home and a section front; the median of N runs each, taken in turn. Then the
// bytes: the article's first HTML response, the wasm and the JS, brotli -q 11.
//
//   make build && node bench/firstpaint.mjs [runs=5]
//
// The server runs from the release build on a fresh database in a temporary directory, with a
// copy of dist/ that also holds the static twin (dist/ itself is left as built).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { waitForServer } from '../e2e/server.mjs';

const runs = Number(process.argv[2] || 5);
const port = Number(process.env.BENCH_PORT || 18180);
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'broadsheet-firstpaint-'));
const dist = join(work, 'dist');
cpSync('dist', dist, { recursive: true });

const server = spawn('target/release/broadsheet-server', ['--addr', `127.0.0.1:${port}`, '--db', join(work, 'bench.db'), '--dist', dist], {
  stdio: 'ignore',
});
process.on('exit', () => server.kill());
await waitForServer(base);

// The article: the home page's lead story (the newest with an image), as a reader meets it.
const front = await (await fetch(`${base}/api/front`)).json();
const slug = (front.lead ?? front.sections[0].items[0]).slug;
const article = await (await fetch(`${base}/api/articles/${slug}`)).json();

// Its static twin: the same text, image and stylesheets, as plain HTML with no script.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const built = readFileSync('dist/index.html', 'utf8');
const styles = [...built.matchAll(/<link[^>]+rel=stylesheet[^>]*>/g)].map((m) => m[0]).join('');
const block = (b) =>
  b.type === 'paragraph' ? `<p>${esc(b.text)}</p>`
  : b.type === 'heading' ? `<h2 class=story__subhead>${esc(b.text)}</h2>`
  : b.type === 'quote' ? `<figure class=story__quote><blockquote><p>${esc(b.text)}</p></blockquote></figure>`
  : b.type === 'list' ? `<ul class=story__list>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`
  : b.type === 'image' ? `<figure class=figure><img src="${esc(b.src)}" alt="${esc(b.alt)}" width=${b.width} height=${b.height} loading=lazy></figure>`
  : '';
const image = article.image
  ? `<figure class="figure story__lead-image"><img src="${esc(article.image.src)}" alt="${esc(article.image.alt)}" width=${article.image.width} height=${article.image.height}><figcaption>${esc(article.image.caption ?? '')}</figcaption></figure>`
  : '';
writeFileSync(
  join(dist, 'static-twin.html'),
  `<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1"><title>${esc(article.headline)}</title><meta name=description content="${esc(article.standfirst ?? '')}">${styles}
<header class=masthead><div class=masthead__inner><a class=masthead__name href=/>Broadsheet</a></div></header>
<main class=main id=main-content><div class=article-layout><div class=article-layout__main><article class=story><header class=story__header>
<a class=section-label href=/section/${esc(article.section.slug)}>${esc(article.section.name)}</a><h1 class=story__headline>${esc(article.headline)}</h1>
<p class=story__standfirst>${esc(article.standfirst ?? '')}</p><div class=story__meta><p class=story__byline>By ${esc(article.byline?.name ?? '')}</p></div></header>
${image}<div class=story__body>${article.body.map(block).join('')}</div></article></div></div></main>`,
);

const pages = [
  ['article', `${base}/article/${slug}`],
  ['static twin', `${base}/static-twin.html`],
  ['home', `${base}/`],
  ['section', `${base}/section/${article.section.slug}`],
];

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
console.log('| page | LCP | FCP | TBT | CLS | score | transfer |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name] of pages) {
  const r = m[name];
  console.log(`| ${name} | ${(r.lcp / 1000).toFixed(2)} s | ${(r.fcp / 1000).toFixed(2)} s | ${Math.round(r.tbt)} ms | ${r.cls.toFixed(3)} | ${r.score} | ${(r.bytes / 1024).toFixed(0)} KiB |`);
}
console.log(`\narticle LCP / static LCP = ${(m.article.lcp / m['static twin'].lcp).toFixed(2)} (goal ≤ 1.10)`);

// Sizes, deterministic: what the budget check counts.
const br = (buf) => brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const html = Buffer.from(await (await fetch(`${base}/article/${slug}`)).arrayBuffer());
const asset = (re) => {
  const name = re.exec(built)[1];
  return readFileSync(join('dist', name));
};
const wasm = asset(/(broadsheet-[0-9a-f]+_bg\.wasm)/);
const js = asset(/"\/(broadsheet-[0-9a-f]+\.js)"/);
console.log('\n| bytes | raw | brotli -q 11 | budget |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| article HTML (first response) | ${html.length} | ${br(html)} | 14,336 |`);
console.log(`| wasm | ${wasm.length} | ${br(wasm)} | |`);
console.log(`| JS | ${js.length} | ${br(js)} | |`);
console.log(`| wasm + JS | ${wasm.length + js.length} | ${br(wasm) + br(js)} | 102,400 |`);
server.kill();
rmSync(work, { recursive: true, force: true });
