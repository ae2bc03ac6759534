// Builds the segmap web client into dist/ (committed, so the Go server can
// embed it without npm). Usage: npm run build
// Asset names carry a content hash (the server caches /assets/*); index.html
// is rewritten to point at them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const hash = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 10);
const names = {};
function emit(logical, buf) {
  const dot = logical.lastIndexOf('.');
  const name = `${logical.slice(0, dot)}-${hash(buf)}${logical.slice(dot)}`;
  writeFileSync(join(assets, name), buf);
  names[logical] = name;
  return name;
}

const mlDist = join(here, 'node_modules', 'maplibre-gl', 'dist');
// MapLibre's web worker is a separate module worker loaded by URL at run time
// (see src/map.js). Named .js so every server sends a JavaScript MIME type.
const worker = emit('maplibre-gl-worker.js', readFileSync(join(mlDist, 'maplibre-gl-worker.mjs')));
emit('maplibre-gl.css', readFileSync(join(mlDist, 'maplibre-gl.css')));

const js = await build({
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true, format: 'esm', minify: true, target: ['es2022'], legalComments: 'eof',
  define: { __WORKER_FILE__: JSON.stringify(worker) },
  write: false, outfile: 'app.js', logLevel: 'warning',
});
emit('app.js', js.outputFiles[0].contents);
const css = await build({
  entryPoints: [join(here, 'src', 'app.css')], bundle: true, minify: true, write: false, outfile: 'app.css', logLevel: 'warning',
});
emit('app.css', css.outputFiles[0].contents);

let html = readFileSync(join(here, 'src', 'index.html'), 'utf8');
for (const [logical, name] of Object.entries(names)) html = html.replaceAll(`assets/${logical}`, `assets/${name}`);
writeFileSync(join(dist, 'index.html'), html);
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(names, null, 2) + '\n');

for (const [logical, name] of Object.entries(names)) {
  const b = readFileSync(join(assets, name));
  console.log(`${logical.padEnd(24)} ${name.padEnd(36)} ${(b.length / 1024).toFixed(1).padStart(7)} KiB  gzip ${(gzipSync(b).length / 1024).toFixed(1).padStart(6)} KiB`);
}

