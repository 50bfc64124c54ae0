// A partner site on another origin (another port), serving demo/partner.html with the embed
// pointing at the Broadsheet server under test:
//   node e2e/partner-server.mjs PORT BROADSHEET_ORIGIN
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [port = '18081', broadsheet = 'http://127.0.0.1:18080'] = process.argv.slice(2);
const page = readFileSync(new URL('../demo/partner.html', import.meta.url), 'utf8').replaceAll(
  'http://127.0.0.1:8080',
  broadsheet,
);
createServer((req, res) => {
  if (req.url === '/' || req.url === '/partner.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
}).listen(Number(port), '127.0.0.1');
