// The app's wasm by crate: twiggy's per-function sizes summed by the crate each function's name
// starts with, for the before/after tables of issue #21.
//
//   make build && twiggy top -n 1000000 -f csv target/wasm-bindgen/release/broadsheet_bg.wasm \
//     | node bench/wasm-crates.mjs [rows=25]
//
// It reads wasm-bindgen's output, before wasm-opt: the wasm in dist/ has no names (Trunk passes
// --strip-debug), and twiggy 0.7.0 cannot parse wasm-opt's output even with names kept ("should
// not parse the same key into multiple items"). wasm-opt -Oz then takes off about 7 % more.
// A function is counted in the crate its path starts with (`<T as Trait>::f` in the trait's crate
// when T names none); the names section, data and tables are listed apart.
import { readFileSync } from 'node:fs';

const rows = Number(process.argv[2] || 25);
const lines = readFileSync(0, 'utf8').trim().split('\n').slice(1);
const crates = new Map();
let total = 0;
let names = 0;
for (const line of lines) {
  // Name,ShallowSize,… with the name quoted when it holds a comma or a quote.
  const m = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
  if (!m) continue;
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
  const size = Number(m[2]);
  total += size;
  if (name.includes('"function names" subsection')) {
    names += size;
    continue;
  }
  // `core[c5930c85a12de822]::…` (the standard library's names carry their crate's hash).
  // `<&mut serde_json::de::Deserializer<R> as …>` counts for serde_json; `<T as tachys::…>` and
  // `<f64 as core::…>` (a type that names no crate) for the trait's crate.
  let path = name.replace(/\[[0-9a-f]+\]/g, '');
  for (let before = ''; before !== path; ) {
    before = path;
    path = path.replace(/^(<|impl |&mut |&|dyn |\(|\[)/, '').replace(/^[A-Za-z0-9_]+ as /, '');
  }
  const crate = /^[a-z_][a-z0-9_]*::/.test(path)
    ? path.split('::')[0]
    : /^data\[/.test(name)
      ? '(data)'
      : /^(table|elem|type|import|export|global|memory)/.test(name) || /section/.test(name)
        ? '(tables, types, imports, exports, sections)'
        : '(other: unnamed or JS shims)';
  crates.set(crate, (crates.get(crate) ?? 0) + size);
}
const code = total - names;
console.log(`wasm-bindgen output: ${total} bytes, of which ${names} the names section; ${code} without it\n`);
console.log('| crate | bytes | % of the wasm without names |');
console.log('| --- | ---: | ---: |');
const sorted = [...crates.entries()].sort((a, b) => b[1] - a[1]);
for (const [crate, size] of sorted.slice(0, rows)) {
  console.log(`| ${crate} | ${size} | ${((100 * size) / code).toFixed(1)} |`);
}
const rest = sorted.slice(rows).reduce((sum, [, size]) => sum + size, 0);
if (rest) console.log(`| ${sorted.length - rows} more | ${rest} | ${((100 * rest) / code).toFixed(1)} |`);
