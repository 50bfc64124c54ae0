// A real cache in front of a real server, for the tests that need one (e2e/cache.spec.ts):
// Varnish (Debian's, with varnish-modules' xkey) running deploy/varnish/broadsheet.vcl in front of
// the release binary on a database of its own. The origin can be stopped and started again.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitForServer } from './server.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);

export class VarnishStack {
  /** @param {number} originPort @param {number} port where readers reach the site */
  constructor(originPort, port) {
    this.originPort = originPort;
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.dir = mkdtempSync(join(tmpdir(), 'broadsheet-varnish-'));
    // Varnish's workers run as its own user: they must reach the compiled VCL in here.
    chmodSync(this.dir, 0o755);
    this.origin = null;
    this.varnish = null;
  }

  async start() {
    const vcl = join(this.dir, 'site.vcl');
    writeFileSync(
      vcl,
      `vcl 4.1;
backend default {
  .host = "127.0.0.1"; .port = "${this.originPort}"; .connect_timeout = 1s; .first_byte_timeout = 5s;
  .probe = { .url = "/api/sections"; .interval = 250ms; .timeout = 1s; .window = 3; .threshold = 2; .initial = 2; }
}
acl purgers { "127.0.0.1"; }
sub broadsheet_host { set req.http.host = "127.0.0.1:${this.port}"; }
include "${root}/deploy/varnish/broadsheet.vcl";
`,
    );
    await this.startOrigin();
    this.varnish = spawn(
      '/usr/sbin/varnishd',
      ['-F', '-n', join(this.dir, 'varnish'), '-a', `127.0.0.1:${this.port}`, '-f', vcl, '-s', 'malloc,64m', '-p', 'http_gzip_support=off'],
      { stdio: 'ignore' },
    );
    await waitForServer(this.base);
  }

  async startOrigin() {
    this.origin = spawn(
      join(root, 'target/release/broadsheet-server'),
      [
        '--addr', `127.0.0.1:${this.originPort}`,
        '--db', join(this.dir, 'site.db'),
        '--dist', join(root, 'dist'),
        '--public-url', this.base,
        '--trusted-proxy', '127.0.0.1',
        '--purge', `${this.base}/`,
        '--comments-per-minute', '100000',
      ],
      { stdio: 'ignore' },
    );
    await waitForServer(`http://127.0.0.1:${this.originPort}`);
  }

  /** Stops the origin at once, as a crash would. */
  async stopOrigin() {
    const origin = this.origin;
    if (!origin || origin.exitCode !== null) return;
    const exited = new Promise((r) => origin.once('exit', r));
    origin.kill('SIGKILL');
    await exited;
  }

  async stop() {
    await this.stopOrigin();
    if (this.varnish && this.varnish.exitCode === null) {
      const exited = new Promise((r) => this.varnish.once('exit', r));
      this.varnish.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
