// Peer tile servers for bench/tiles.sh. Both serve /tiles/deso/{z}/{x}/{y}.mvt
// on loopback, gzip-encoded when the client accepts gzip, like segmap.
//
//   node server.mjs geojsonvt --port P --geojson FILE --code-field id [--cache 1]
//   node server.mjs postgis   --port P --pg postgres://user@127.0.0.1:5433/db [--pool 4]
//
// geojsonvt: geojson-vt (extent 4096, buffer 64, tolerance 3: its defaults
// except buffer, set to segmap's 64) + vt-pbf; with --cache 1 (default) each
// encoded, gzipped tile is kept in a Map, as a tile server with a cache would.
// postgis: ST_AsMVT/ST_AsMVTGeom on a table `deso(code, kommun, geom)` in
// EPSG:3857 with a GiST index; no cache, gzip per request.
import http from 'node:http';
import zlib from 'node:zlib';
import fs from 'node:fs';
import { promisify } from 'node:util';

const gzip = promisify(zlib.gzip);
const args = process.argv.slice(2);
const mode = args[0];
const opt = (name, def) => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? args[i + 1] : def;
};
const port = Number(opt('port', '0'));
const path = /^\/tiles\/deso\/(\d+)\/(\d+)\/(\d+)\.mvt$/;

async function makeGeojsonVT() {
  const { default: geojsonvt } = await import('geojson-vt');
  const { default: vtpbf } = await import('vt-pbf');
  const codeField = opt('code-field', 'code');
  const gj = JSON.parse(fs.readFileSync(opt('geojson'), 'utf8'));
  for (const f of gj.features) {
    const p = f.properties || {};
    f.properties = { code: String(p[codeField] ?? ''), kommun: String(p.kommun ?? p.kommunkod ?? '') };
  }
  const t0 = process.hrtime.bigint();
  const index = geojsonvt(gj, { maxZoom: 14, extent: 4096, buffer: 64, tolerance: 3 });
  console.error(`geojsonvt: indexed ${gj.features.length} features in ${Number(process.hrtime.bigint() - t0) / 1e6} ms`);
  const useCache = opt('cache', '1') === '1';
  const cache = new Map();
  return async (z, x, y) => {
    const key = `${z}/${x}/${y}`;
    if (useCache && cache.has(key)) return cache.get(key);
    const tile = index.getTile(z, x, y);
    let out = null;
    if (tile && tile.features.length > 0) {
      const raw = Buffer.from(vtpbf.fromGeojsonVt({ deso: tile }, { version: 2 }));
      out = { raw, gz: await gzip(raw) };
    }
    if (useCache) cache.set(key, out);
    return out;
  };
}

async function makePostGIS() {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: opt('pg'), max: Number(opt('pool', '4')) });
  await pool.query('SELECT 1');
  const sql = `SELECT ST_AsMVT(q, 'deso', 4096, 'geom') AS mvt FROM (
      SELECT code, kommun, ST_AsMVTGeom(geom, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
      FROM deso WHERE geom && ST_TileEnvelope($1, $2, $3, margin => (64.0 / 4096))
    ) q WHERE q.geom IS NOT NULL`;
  return async (z, x, y) => {
    const r = await pool.query({ name: 'tile', text: sql, values: [z, x, y] });
    const raw = r.rows[0].mvt;
    if (!raw || raw.length === 0) return null;
    return { raw, gz: await gzip(raw) };
  };
}

const get = mode === 'geojsonvt' ? await makeGeojsonVT() : mode === 'postgis' ? await makePostGIS() : null;
if (!get) {
  console.error('usage: node server.mjs geojsonvt|postgis --port P ...');
  process.exit(2);
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok');
  }
  const m = path.exec(req.url.split('?')[0]);
  if (!m) {
    res.writeHead(404);
    return res.end();
  }
  const [z, x, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (z > 22 || x >= 2 ** z || y >= 2 ** z) {
    res.writeHead(400);
    return res.end();
  }
  try {
    const t = await get(z, x, y);
    if (!t) {
      res.writeHead(204);
      return res.end();
    }
    const gz = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const body = gz ? t.gz : t.raw;
    const h = { 'content-type': 'application/vnd.mapbox-vector-tile', 'content-length': body.length };
    if (gz) h['content-encoding'] = 'gzip';
    res.writeHead(200, h);
    res.end(body);
  } catch (err) {
    console.error(err);
    res.writeHead(500);
    res.end(String(err));
  }
});
server.keepAliveTimeout = 65000;
server.listen(port, '127.0.0.1', () => console.error(`${mode}: listening on 127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
