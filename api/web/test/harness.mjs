// Shared setup for the browser tests: start (or reuse) a segmap server and
// launch Debian's chromium through playwright-core.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(webDir, '..', '..');
export const artifacts = join(repoRoot, 'test-artifacts');
export const CHROMIUM = process.env.SEGMAP_CHROMIUM || '/usr/bin/chromium';

// missingTools returns why the browser tests cannot run here, or '' when they can.
export function missingTools() {
  if (!existsSync(CHROMIUM)) return `chromium not found at ${CHROMIUM}`;
  if (!process.env.SEGMAP_BASE_URL) {
    const which = (process.env.PATH || '').split(':').some((d) => existsSync(join(d, 'go')));
    if (!which) return 'go not found on PATH (set SEGMAP_BASE_URL to test a running server)';
  }
  return '';
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function waitReady(base, proc, ms) {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    if (proc && proc.exitCode !== null) throw new Error(`segmap server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
      last = `readyz ${r.status}`;
    } catch (e) { last = e.message; }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`segmap server not ready after ${ms} ms: ${last}`);
}

// serving resolves once the server's log says it listens (the store is
// loaded by then), and fails when the server exits first; ms bounds a
// failure only.
function serving(proc, log, ms) {
  return new Promise((resolve, reject) => {
    const check = () => { if (log().includes('segmap serving')) done(); };
    const exit = (code) => done(new Error(`segmap server exited with ${code}`));
    const timer = setTimeout(() => done(new Error(`segmap server not serving after ${ms} ms`)), ms);
    function done(err) {
      clearTimeout(timer);
      proc.stdout.off('data', check);
      proc.stderr.off('data', check);
      proc.off('exit', exit);
      if (err) reject(err); else resolve();
    }
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.once('exit', exit);
    check();
  });
}

// startServer returns {base, stop}. Uses SEGMAP_BASE_URL when set (and no
// options are given); otherwise `go run ./cmd/segmap serve` on a free port
// with a fresh demo store, or opts.store, and opts.args as extra flags
// (an array alone is taken as opts.args).
export async function startServer(opts = {}) {
  if (Array.isArray(opts)) opts = { args: opts };
  if (process.env.SEGMAP_BASE_URL && !opts.store && !opts.args) {
    const base = process.env.SEGMAP_BASE_URL.replace(/\/$/, '');
    await waitReady(base, null, 30_000);
    return { base, stop: async () => {} };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'segmap-web-'));
  const base = `http://127.0.0.1:${port}`;
  const store = opts.store || join(dir, 'demo.gpkg');
  const proc = spawn('go', ['run', './cmd/segmap', 'serve', '--addr', `127.0.0.1:${port}`, '--store', store, ...(opts.args || [])], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  try {
    await serving(proc, () => log, 15 * 60_000);
    await waitReady(base, proc, 30_000);
  } catch (e) {
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
    throw new Error(`${e.message}\n--- server output ---\n${log.slice(-4000)}`);
  }
  return {
    base,
    log: () => log,
    stop: async () => {
      // go run starts a child process: signal the whole process group we created.
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
      await new Promise((r) => { if (proc.exitCode !== null) r(); else { proc.once('exit', r); setTimeout(r, 5000); } });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'segmap-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // WebGL through SwiftShader (software) since there is no GPU.
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    locale: 'sv-SE',
  });
  return {
    context,
    close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); },
  };
}

export function shotPath(name) {
  mkdirSync(artifacts, { recursive: true });
  return join(artifacts, `web-${name}.png`);
}

// parseSv reads a number as the client formats it in Swedish ("1 234,5",
// "−0,3", "12,5 %"): spaces (also no-break and narrow no-break), the
// Unicode minus and a percent sign allowed.
export function parseSv(s) {
  return Number(String(s).replace(/[\s\u00a0\u202f%]/g, '').replace('\u2212', '-').replace(',', '.'));
}
