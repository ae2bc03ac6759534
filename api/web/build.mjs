// Builds the segmap web client into dist/ (committed, so the Go server can
// embed it without npm). Usage: npm run build
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const mlDist = join(here, 'node_modules', 'maplibre-gl', 'dist');
await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['es2022'],
  legalComments: 'eof',
  outfile: join(assets, 'app.js'),
  logLevel: 'warning',
});
await build({
  entryPoints: [join(here, 'src', 'app.css')],
  bundle: true,
  minify: true,
  outfile: join(assets, 'app.css'),
  logLevel: 'warning',
});
// MapLibre's CSS and its web worker (module worker, loaded at run time by
// URL; see src/map.js setWorkerUrl). Named .js so every server sends a
// JavaScript MIME type.
cpSync(join(mlDist, 'maplibre-gl.css'), join(assets, 'maplibre-gl.css'));
cpSync(join(mlDist, 'maplibre-gl-worker.mjs'), join(assets, 'maplibre-gl-worker.js'));
cpSync(join(here, 'src', 'index.html'), join(dist, 'index.html'));

for (const f of ['app.js', 'maplibre-gl-worker.js', 'app.css', 'maplibre-gl.css']) {
  const n = statSync(join(assets, f)).size;
  console.log(`dist/assets/${f}\t${(n / 1024).toFixed(1)} KiB`);
}
