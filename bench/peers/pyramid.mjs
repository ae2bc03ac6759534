// Full-pyramid build with geojson-vt + vt-pbf, the in-memory peer of
// `segmap export`: walks every non-empty tile z0..maxzoom from 0/0/0 down,
// encodes each (MVT, then gzip) and counts tiles and bytes. It writes no
// archive, so its time is encode-only (an archive would add I/O).
//   node pyramid.mjs FILE.geojson CODEFIELD [MAXZOOM]
import fs from 'node:fs';
import zlib from 'node:zlib';
import geojsonvt from 'geojson-vt';
import vtpbf from 'vt-pbf';

const [file, codeField = 'code', maxZoomArg = '14'] = process.argv.slice(2);
const maxZoom = Number(maxZoomArg);
const t0 = process.hrtime.bigint();
const gj = JSON.parse(fs.readFileSync(file, 'utf8'));
for (const f of gj.features) {
  const p = f.properties || {};
  f.properties = { code: String(p[codeField] ?? ''), kommun: String(p.kommun ?? p.kommunkod ?? '') };
}
const index = geojsonvt(gj, { maxZoom, indexMaxZoom: maxZoom, indexMaxPoints: 0, extent: 4096, buffer: 64, tolerance: 3 });
let tiles = 0, raw = 0, gz = 0;
const walk = (z, x, y) => {
  const t = index.getTile(z, x, y);
  if (!t || t.features.length === 0) return;
  const b = vtpbf.fromGeojsonVt({ deso: t }, { version: 2 });
  tiles++; raw += b.length; gz += zlib.gzipSync(b).length;
  if (z < maxZoom) for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) walk(z + 1, 2 * x + dx, 2 * y + dy);
};
walk(0, 0, 0);
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ seconds: s, tiles, mvt_bytes: raw, gzip_bytes: gz }));
