// Starting the release server for a benchmark, waiting for a server a test or benchmark started
// to answer, and weighing what it sends (shared by e2e/ and bench/).
import { spawn } from 'node:child_process';
import { get } from 'node:http';

/** Starts the release server (`bin`) on `port` with the built site in `dist` and a database at
 *  `db` (seeded with the demo on start), stopped when this process exits; resolves once it
 *  answers. */
export async function startReleaseServer(port, { db, dist = 'dist', bin = 'target/release/broadsheet-server' }) {
  const server = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--db', db, '--dist', dist], {
    stdio: 'ignore',
  });
  process.on('exit', () => server.kill());
  await waitForServer(`http://127.0.0.1:${port}`);
  return server;
}

/** Resolves once `base` answers its API, or throws after about ten seconds. */
export async function waitForServer(base) {
  for (let i = 0; i <= 100; i++) {
    try {
      if ((await fetch(`${base}/api/sections`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server at ${base} did not start`);
}

/** The bytes of `path`'s answer (from `base`) as they go over the wire to a browser that takes
 *  brotli: status line, headers and body as sent. */
export function wireSize(base, path) {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html' };
    const request = get(new URL(path, base), { headers }, (res) => {
      let bytes = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
      for (let i = 0; i < res.rawHeaders.length; i += 2) bytes += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    request.on('error', reject);
  });
}
