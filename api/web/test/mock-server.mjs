// Development-only stand-in for the segmap HTTP API (CONTRACT.md shapes)
// with a synthetic grid of areas, so the client can be developed before the
// Go server runs. NOT used by the browser tests unless SEGMAP_BASE_URL points
// at it. Usage: node test/mock-server.mjs [port]
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const KOMMUNER = [['0180', 'Stockholm'], ['0114', 'Upplands Väsby'], ['0184', 'Solna'], ['0182', 'Nacka'], ['0186', 'Lidingö'], ['0138', 'Tyresö']];
const fid = (code) => { let h = 0xcbf29ce484222325n; for (const c of Buffer.from(code)) { h ^= BigInt(c); h = (h * 0x100000001b3n) & 0xffffffffffffffffn; } const v = Number(h & ((1n << 53n) - 1n)); return v || 1; };
const rnd = (s) => { let h = 2166136261; for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619); return ((h >>> 0) % 10000) / 10000; };
const box = (x0, y0, x1, y1) => ({ type: 'MultiPolygon', coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]] });
const areas = { deso: [], regso: [], kommun: [], lan: [] };
KOMMUNER.forEach(([kc, kn], ki) => {
  const x0 = 17.6 + (ki % 3) * 0.4; const y0 = 59.1 + Math.floor(ki / 3) * 0.25;
  areas.kommun.push({ code: kc, name: kn, kommun: kc, geom: box(x0, y0, x0 + 0.4, y0 + 0.25) });
  for (let r = 0; r < 4; r++) {
    const rc = `${kc}R00${r + 1}`; const rx = x0 + (r % 2) * 0.2; const ry = y0 + Math.floor(r / 2) * 0.125;
    areas.regso.push({ code: rc, name: `${kn} område ${r + 1}`, kommun: kc, geom: box(rx, ry, rx + 0.2, ry + 0.125) });
    for (let d = 0; d < 16; d++) {
      const dc = `${kc}A${String(r * 16 + d + 1).padStart(4, '0')}`; const dx = rx + (d % 4) * 0.05; const dy = ry + Math.floor(d / 4) * 0.03125;
      areas.deso.push({ code: dc, name: dc, kommun: kc, regso: rc, geom: box(dx, dy, dx + 0.05, dy + 0.03125) });
    }
  }
});
areas.lan.push({ code: '01', name: 'Stockholms län', geom: box(17.6, 59.1, 18.8, 59.6) });
for (const l of Object.values(areas)) for (const a of l) a.id = fid(a.code);
const IND = [
  { id: 'low_econ_standard_pct', name_sv: 'Låg ekonomisk standard', name_en: 'Low economic standard', unit: '%', decimals: 1, years: [2019, 2020, 2021, 2022], breakdowns: ['total'] },
  { id: 'unemployment_pct', name_sv: 'Arbetslöshet', name_en: 'Unemployment', unit: '%', decimals: 1, years: [2020, 2021, 2022], breakdowns: ['total', 'kvinnor', 'man'] },
  { id: 'median_income_tkr', name_sv: 'Medianinkomst', name_en: 'Median income', unit: 'tkr', decimals: 0, years: [2021, 2022], breakdowns: ['total'] },
];
const val = (code, ind, year, bd = 'total') => {
  if (rnd(`${code}x`) < 0.02) return null;
  const base = ind === 'median_income_tkr' ? 200 + 300 * rnd(code + ind) : 2 + 30 * rnd(code + ind) ** 2;
  return Math.round((base * (1 + (year - 2020) * 0.03 * (rnd(code + year) - 0.3)) + (bd === 'kvinnor' ? 1 : 0)) * 10) / 10;
};
const PAL = ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84', '#081d58', '#000000'];
const idx = {};
for (const [lvl, list] of Object.entries(areas)) {
  idx[lvl] = new GeoJSONVT({ type: 'FeatureCollection', features: list.map((a) => ({ type: 'Feature', id: a.id, properties: { code: a.code, name: a.name }, geometry: a.geom })) }, { maxZoom: 14, indexMaxZoom: 5, tolerance: 3, extent: 4096 });
}
const meta = {
  data_version: 1,
  levels: ['deso', 'regso', 'kommun', 'lan'].map((id) => ({ id, name_sv: { deso: 'DeSO', regso: 'RegSO', kommun: 'Kommun', lan: 'Län' }[id], name_en: { deso: 'DeSO', regso: 'RegSO', kommun: 'Municipality', lan: 'County' }[id], kind: 'builtin', feature_count: areas[id].length, tiles: `tiles/${id}/{z}/{x}/{y}.mvt?v=1`, tilejson: `tiles/${id}.json` })),
  indicators: IND, kommuner: KOMMUNER.map(([code, name]) => ({ code, name, lan: '01' })),
  defaults: { level: 'deso', indicator: 'low_econ_standard_pct', year: 2022, method: 'quantile', k: 5 },
};
function list(q) {
  const ks = (q.get('kommun') || '').split(',').filter(Boolean);
  return areas[q.get('level') || 'deso'].filter((a) => !ks.length || ks.includes(a.kommun));
}
function classify(q) {
  const k = +(q.get('k') || 5); const ind = q.get('indicator'); const year = +q.get('year');
  const rows = list(q).map((a) => ({ id: a.id, code: a.code, name: a.name, value: val(a.code, ind, year, q.get('breakdown') || 'total'), suppressed: false }));
  const vs = rows.map((r) => r.value).filter((v) => v !== null).sort((a, b) => a - b);
  const breaks = [vs[0]]; for (let i = 1; i <= k; i++) breaks.push(vs[Math.min(vs.length - 1, Math.ceil((i * vs.length) / k) - 1)]);
  const legend = []; for (let i = 0; i < k; i++) legend.push({ label: `${breaks[i].toFixed(1).replace('.', ',')} – ${breaks[i + 1].toFixed(1).replace('.', ',')}`, color: PAL[i], count: 0, min: breaks[i], max: breaks[i + 1], kind: 'class' });
  const nd = { label: 'Uppgift saknas', color: '#d9d9d9', count: 0, kind: 'nodata' };
  for (const r of rows) {
    if (r.value === null) { r.class = -1; r.color = nd.color; nd.count++; continue; }
    let c = breaks.findIndex((b, i) => i > 0 && r.value <= b) - 1; if (c < 0) c = 0;
    r.class = c; r.color = PAL[c]; legend[c].count++;
  }
  if (nd.count) legend.push(nd);
  return { method: q.get('method'), k, scheme: q.get('scheme'), breaks, closure: 'right', legend, areas: rows, note: '' };
}
function send(res, code, body, type = 'application/json') {
  res.writeHead(code, { 'content-type': type }); res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}
const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x'); const q = u.searchParams; const p = u.pathname; let m;
  if (p === '/readyz' || p === '/healthz') return send(res, 200, { status: 'ok' });
  if (p === '/api/meta') return send(res, 200, meta);
  if (p === '/api/classify') return send(res, 200, classify(q));
  if (p === '/api/change') {
    const ind = q.get('indicator'); const bd = q.get('breakdown') || 'total'; const from = +q.get('from') || 2022; const to = +q.get('to') || 2023;
    const areas = list(q).map((a) => { const f = val(a.code, ind, from, bd); const v = val(a.code, ind, to, bd); return { id: a.id, code: a.code, name: a.name, kommun: a.kommun, from: f, to: v, change: f === null || v === null ? null : v - f }; });
    // Classes as the server sends them (5 symmetric classes, its colours).
    const m = Math.max(0, ...areas.map((a) => Math.abs(a.change ?? 0))) || 1;
    const classes = { breaks: [0, 1, 2, 3, 4, 5].map((i) => -m + (2 * m * i) / 5), colors: ['#2166ac', '#8fb2d1', '#f7f7f7', '#d58791', '#b2182b'] };
    for (const a of areas) a.class = a.change === null ? -1 : Math.min(4, Math.floor((a.change + m) / (2 * m / 5)));
    return send(res, 200, { level: q.get('level'), from, to, kind: 'percentage_points', classes, areas });
  }
  if (p === '/api/values') return send(res, 200, { level: q.get('level'), year: +q.get('year'), areas: list(q).map((a) => ({ id: a.id, code: a.code, name: a.name, kommun: a.kommun, value: val(a.code, q.get('indicator'), +q.get('year'), q.get('breakdown') || 'total') })) });
  if (p === '/api/lisa') return send(res, 200, { colors: { HH: '#d7191c', LL: '#2c7bb6', HL: '#f4a582', LH: '#92c5de', ns: '#e3e3e3', island: '#9e9e9e', nodata: '#ffffff' }, moran: { i: 0.41, expected: -0.004, z: 9.1, p_norm: 0.0001, p_sim: 0.001 }, islands: [], areas: list(q).map((a) => ({ id: a.id, code: a.code, value: 1, cluster: ['HH', 'LL', 'ns', 'ns', 'HL', 'LH', 'ns'][Math.floor(rnd(a.code) * 7)] })) });
  if (p === '/api/omradestyper') {
    const labels = ['Områden med stora socioekonomiska utmaningar', 'Områden med socioekonomiska utmaningar', 'Socioekonomiskt blandade områden', 'Områden med goda socioekonomiska förutsättningar', 'Områden med mycket goda socioekonomiska förutsättningar'];
    const colors = ['#b2182b', '#ef8a62', '#f0e5c0', '#67a9cf', '#2166ac'];
    const as = list(new URLSearchParams({ level: 'regso', kommun: q.get('kommun') || '' })).map((a) => ({ id: a.id, code: a.code, name: a.name, kommun: a.kommun, type: 1 + Math.floor(rnd(a.code) * 5), population: 5000 + Math.round(rnd(a.code + 'p') * 20000) }));
    const tot = as.reduce((s, a) => s + a.population, 0);
    return send(res, 200, { types: labels.map((l, i) => ({ type: i + 1, label_sv: l, label_en: `Type ${i + 1}`, color: colors[i], regso_count: as.filter((a) => a.type === i + 1).length, population: as.filter((a) => a.type === i + 1).reduce((s, a) => s + a.population, 0), population_share: as.filter((a) => a.type === i + 1).reduce((s, a) => s + a.population, 0) / tot })), areas: as });
  }
  if ((m = p.match(/^\/api\/areas\/(\w+)\/([^/]+)\/profile$/))) {
    const a = areas[m[1]].find((x) => x.code === m[2]);
    if (!a) return send(res, 404, { error: { code: 'not_found', message: `no area ${m[2]}` } });
    return send(res, 200, { area: { id: a.id, code: a.code, name: a.name, level: m[1], kommun: a.kommun, kommun_name: KOMMUNER.find((k) => k[0] === a.kommun)?.[1], lan: '01', lan_name: 'Stockholms län', regso: a.regso, omradestyp: 1 + Math.floor(rnd(a.regso || a.code) * 5) },
      indicators: IND.map((ind) => ({ indicator: ind, series: ind.years.flatMap((y) => ind.breakdowns.map((bd) => ({ year: y, breakdown: bd, value: val(a.code, ind.id, y, bd), kommun: val(a.kommun, ind.id, y, bd), lan: val('01', ind.id, y, bd), riket: val('SE', ind.id, y, bd), suppressed: false, estimated: false }))) })) });
  }
  if ((m = p.match(/^\/api\/export\.(csv|xlsx|geojson)$/))) return send(res, 200, 'code;value\n', 'text/csv');
  if ((m = p.match(/^\/tiles\/(\w+)\.json$/))) return send(res, 200, { tilejson: '3.0.0', tiles: [], minzoom: 0, maxzoom: 14, bounds: [17.6, 59.1, 18.8, 59.6], vector_layers: [{ id: m[1], fields: { code: 'String', name: 'String' } }] });
  if ((m = p.match(/^\/tiles\/(\w+)\/(\d+)\/(\d+)\/(\d+)\.mvt$/))) {
    const t = idx[m[1]]?.getTile(+m[2], +m[3], +m[4]);
    if (!t) { res.writeHead(204); return res.end(); }
    const buf = Buffer.from(fromGeojsonVt({ [m[1]]: t }, { version: 2, extent: 4096 }));
    res.writeHead(200, { 'content-type': 'application/vnd.mapbox-vector-tile', 'content-encoding': 'gzip' }); return res.end(gzipSync(buf));
  }
  const f = join(dist, p === '/' ? 'index.html' : p);
  if (f.startsWith(dist) && existsSync(f)) return send(res, 200, readFileSync(f), { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(f)] || 'application/octet-stream');
  send(res, 404, { error: { code: 'not_found', message: p } });
});
server.listen(+(process.argv[2] || 8790), '127.0.0.1', () => console.log(`mock segmap on http://127.0.0.1:${server.address().port}`));
