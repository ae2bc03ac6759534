// Browser test of segmap served under a sub-path: a small reverse proxy
// puts segmap at /segmap/ and sets X-Forwarded-Prefix (segmap trusts it
// with --trusted-proxies 127.0.0.1). The map must draw every DeSO, the
// embed page, the "Bädda in" snippet, the report link and style.json must
// carry the prefix, and no request may leave /segmap/. Also: MapLibre's
// own UI strings follow the UI language, and a plain MapLibre page on
// another origin draws the choropleth from /segmap/style.json.
// Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launchBrowser, missingTools, shotPath, startServer, webDir } from './harness.mjs';

let skip = missingTools();
// The test starts its own segmap (with --trusted-proxies), so it needs go.
if (!skip && !(process.env.PATH || '').split(':').some((d) => d && existsSync(join(d, 'go')))) skip = 'go not found on PATH';
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`sub-path tests need: ${skip}`);

const PREFIX = '/segmap';

// proxy serves upstream under PREFIX on port: /segmap → 301 /segmap/,
// /segmap/x → upstream /x with X-Forwarded-Host/-Proto/-Prefix, anything
// else 404. Every path it is asked for is recorded.
function proxy(port, upstream) {
  const seen = [];
  const up = new URL(upstream);
  const srv = createServer((req, res) => {
    seen.push(req.url);
    if (req.url === PREFIX || req.url.startsWith(`${PREFIX}?`)) {
      res.writeHead(301, { location: `${PREFIX}/${req.url.slice(PREFIX.length)}` }).end();
      return;
    }
    if (!req.url.startsWith(`${PREFIX}/`)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the prefix'); return; }
    const fwd = httpRequest({
      host: up.hostname, port: up.port, method: req.method, path: req.url.slice(PREFIX.length),
      headers: {
        ...req.headers, host: up.host,
        'x-forwarded-host': req.headers.host, 'x-forwarded-proto': 'http', 'x-forwarded-prefix': PREFIX,
        'x-forwarded-for': req.socket.remoteAddress,
      },
    }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    fwd.on('error', (e) => { res.writeHead(502).end(e.message); });
    req.pipe(fwd);
  });
  return new Promise((res) => srv.listen(port, '127.0.0.1', () => res({ srv, seen })));
}

const drawn = (page) => page.waitForFunction(() => window.segmap?.stats?.status === 'drawn', null, { timeout: 120_000 });
const unescapeHTML = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('segmap under a sub-path behind a reverse proxy', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let page; let px; let base; let meta; let third; let thirdOrigin;
  const requests = [];

  before(async () => {
    server = await startServer({ args: ['--trusted-proxies', '127.0.0.1', '--cors-origins', '*'] });
    const port = await freePort();
    px = await proxy(port, server.base);
    base = `http://127.0.0.1:${port}${PREFIX}`;
    meta = await (await fetch(`${base}/api/meta`)).json();
    browser = await launchBrowser();
    // Every request of every page and worker in the browser.
    browser.context.on('request', (r) => requests.push(r.url()));
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  });

  after(async () => {
    await browser?.close();
    px?.srv.close();
    third?.close();
    await server?.stop();
  });

  test('meta gives tile URLs relative to the base', () => {
    for (const l of meta.levels.filter((x) => x.tiles)) {
      assert.match(l.tiles, /^tiles\/[^/]+\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=\d+$/, l.id);
      assert.match(l.tilejson, /^tiles\/[^/]+\.json$/, l.id);
    }
  });

  test('the map under /segmap/ draws every DeSO', async () => {
    const deso = meta.levels.find((l) => l.id === 'deso');
    await page.goto(`${base}/`);
    await page.evaluate(() => window.segmap.ready);
    const s = await page.evaluate(() => ({ ...window.segmap.stats }));
    assert.equal(s.status, 'drawn');
    await page.waitForFunction((n) => window.segmap.renderedColored() === n, deso.feature_count, { timeout: 60_000 });
    const tiles = requests.filter((u) => /\/tiles\/deso\/\d+\/\d+\/\d+\.mvt/.test(u));
    assert.ok(tiles.length > 0, 'DeSO tiles were requested');
    for (const u of tiles) assert.ok(u.startsWith(`${base}/tiles/deso/`), u);
    await page.screenshot({ path: shotPath('prefix-map') });
  });

  test("MapLibre's controls speak the UI language", async () => {
    const titles = () => page.evaluate(() => ({
      in: document.querySelector('.maplibregl-ctrl-zoom-in')?.title, out: document.querySelector('.maplibregl-ctrl-zoom-out')?.title,
      aria: document.querySelector('.maplibregl-ctrl-zoom-in')?.getAttribute('aria-label'),
      n: document.querySelectorAll('.maplibregl-ctrl-zoom-in').length,
      title: document.title, sites: document.getElementById('sites').getAttribute('aria-label'),
    }));
    assert.deepEqual(await titles(), { in: 'Zooma in', out: 'Zooma ut', aria: 'Zooma in', n: 1, title: 'segmap – segregationskarta', sites: 'Planerade bostäder' });
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.querySelector('.maplibregl-ctrl-zoom-in')?.title === 'Zoom in', null, { timeout: 10_000 });
    assert.deepEqual(await titles(), { in: 'Zoom in', out: 'Zoom out', aria: 'Zoom in', n: 1, title: 'segmap – segregation map', sites: 'Planned housing' });
    // The zoom button still zooms after being re-created.
    const z0 = await page.evaluate(() => window.segmap.map.getZoom());
    await page.click('.maplibregl-ctrl-zoom-in');
    await page.waitForFunction((z) => window.segmap.map.getZoom() > z + 0.5 && !window.segmap.map.isMoving(), z0, { timeout: 10_000 });
    await page.selectOption('#lang', 'sv');
    await page.waitForFunction(() => document.querySelector('.maplibregl-ctrl-zoom-in')?.title === 'Zooma in', null, { timeout: 10_000 });
    // A page opened in English starts in English.
    const en = await browser.context.newPage();
    await en.goto(`${base}/?lang=en`);
    await drawn(en);
    assert.equal(await en.getAttribute('.maplibregl-ctrl-zoom-out', 'title'), 'Zoom out');
    await en.close();
  });

  test('the report link, the embed snippet and the embed page stay under the prefix', async () => {
    await page.goto(`${base}/?kommun=0180`);
    await drawn(page);
    const href = new URL(await page.getAttribute('#report-link', 'href'), page.url());
    assert.equal(href.origin + href.pathname, `${base}/report`);
    assert.equal(href.searchParams.get('indicator'), meta.defaults.indicator, 'the default indicator has a total breakdown');

    await page.click('#btn-embed');
    await page.waitForSelector('#embed-dialog[open]');
    const snippet = await page.inputValue('#embed-code');
    const src = unescapeHTML(/<iframe src="([^"]+)"/.exec(snippet)?.[1] || '');
    assert.ok(src.startsWith(`${base}/embed?`), `snippet src ${src}`);
    assert.ok((await page.textContent('#embed-oembed')).includes(`${base}/embed?`));
    await page.keyboard.press('Escape');

    const emb = await browser.context.newPage();
    await emb.goto(src);
    await drawn(emb);
    await emb.waitForFunction(() => window.segmap.renderedColored() > 0, null, { timeout: 60_000 });
    const links = await emb.evaluate(() => ({
      table: document.getElementById('embed-table')?.href, csv: document.getElementById('embed-csv')?.href,
      oembed: document.querySelector('link[type="application/json+oembed"]')?.href,
    }));
    // The scroll hint of the embedded map is in the page's language.
    assert.match(await emb.textContent('.maplibregl-desktop-message'), /^Håll ned (Ctrl|⌘) och scrolla/);
    assert.ok(links.table.startsWith(`${base}/?`), `table link ${links.table}`);
    assert.ok(links.csv.startsWith(`${base}/api/export.csv?`), `csv link ${links.csv}`);
    assert.ok(links.oembed.startsWith(`${base}/api/oembed?`), `oEmbed link ${links.oembed}`);
    const csv = await emb.evaluate((u) => fetch(u).then((r) => r.status), links.csv);
    assert.equal(csv, 200);
    await emb.screenshot({ path: shotPath('prefix-embed') });
    await emb.close();
  });

  test('style.json and TileJSON name URLs under the prefix', async () => {
    const style = await (await fetch(`${base}/style.json`)).json();
    for (const [id, src] of Object.entries(style.sources)) assert.ok(src.url.startsWith(`${base}/tiles/${id}.json`), `${id}: ${src.url}`);
    const tj = await (await fetch(style.sources.deso.url)).json();
    assert.ok(tj.tiles[0].startsWith(`${base}/tiles/deso/{z}/{x}/{y}.mvt?`), tj.tiles[0]);
    assert.ok(tj.tiles[0].includes('indicator='), 'the style draws the choropleth from tiles with values');
  });

  test('no request left /segmap/', () => {
    const outside = requests.filter((u) => !/^(data|blob):/.test(u) && !u.startsWith(`${base}/`) && !(thirdOrigin && u.startsWith(`${thirdOrigin}/`)));
    assert.deepEqual(outside, []);
    assert.deepEqual(px.seen.filter((p) => !p.startsWith(`${PREFIX}/`)), []);
    assert.ok(px.seen.some((p) => p.startsWith(`${PREFIX}/api/sites`)), 'the site layers were listed through the proxy');
  });

  test('a plain MapLibre page on another site draws the choropleth from style.json', async () => {
    const q = 'indicator=low_econ_standard_pct&year=2022&k=5&kommun=0180';
    const cl = await (await fetch(`${base}/api/classify?level=deso&${q}`)).json();
    const colourOf = new Map(cl.areas.map((a) => [a.code, a.color]));
    // The page: MapLibre from npm and nothing else of segmap's.
    const ml = join(webDir, 'node_modules', 'maplibre-gl', 'dist');
    const page3 = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/ml/maplibre-gl.css">
<style>html,body,#map{margin:0;width:800px;height:600px}</style></head><body><div id="map"></div>
<script type="module">
import * as ml from '/ml/maplibre-gl.mjs';
ml.setWorkerUrl(new URL('/ml/maplibre-gl-worker.mjs', location.href).href);
window.map = new ml.Map({ container: 'map', style: ${JSON.stringify(`${base}/style.json?${q}`)}, center: [18.06, 59.33], zoom: 11,
  fadeDuration: 0, canvasContextAttributes: { preserveDrawingBuffer: true } });
</script></body></html>`;
    const port = await freePort();
    thirdOrigin = `http://127.0.0.1:${port}`;
    third = createServer((req, res) => {
      const p = new URL(req.url, thirdOrigin).pathname;
      if (p === '/') { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page3); return; }
      const f = p.startsWith('/ml/') && ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'].includes(p.slice(4)) ? p.slice(4) : '';
      if (!f) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': f.endsWith('.css') ? 'text/css' : 'text/javascript' }).end(readFileSync(join(ml, f)));
    });
    await new Promise((r) => third.listen(port, '127.0.0.1', r));
    const p = await browser.context.newPage();
    p.on('pageerror', (e) => console.error('third-party pageerror:', e.message));
    await p.goto(`${thirdOrigin}/`);
    await p.waitForFunction(() => window.map?.loaded() && window.map.isStyleLoaded() && window.map.areTilesLoaded()
      && window.map.queryRenderedFeatures({ layers: ['deso-fill'] }).length > 0, null, { timeout: 60_000 });
    // Every DeSO drawn carries the colour /api/classify gives it.
    const feats = await p.evaluate(() => window.map.queryRenderedFeatures({ layers: ['deso-fill'] }).map((f) => [f.properties.code, f.properties.color ?? null]));
    const inKommun = feats.filter(([code]) => colourOf.has(code));
    assert.ok(inKommun.length >= 20, `${inKommun.length} Stockholm DeSO drawn`);
    for (const [code, color] of inKommun) assert.equal(color, colourOf.get(code), code);
    // And the pixels show the classes: each class colour (at the style's
    // 0.75 opacity over its background) covers part of the canvas.
    const pixels = await p.evaluate(() => {
      const c = window.map.getCanvas();
      const cv = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
      const g = cv.getContext('2d');
      g.drawImage(c, 0, 0);
      return Array.from(g.getImageData(0, 0, c.width, c.height).data);
    });
    const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
    const bg = hex('#f4f1ea');
    const classes = cl.legend.filter((l) => l.kind === 'class' && l.count > 0).map((l) => hex(l.color).map((v, i) => v * 0.75 + bg[i] * 0.25));
    const counts = classes.map(() => 0);
    for (let i = 0; i < pixels.length; i += 4) {
      classes.forEach((c, k) => { if (Math.abs(pixels[i] - c[0]) <= 4 && Math.abs(pixels[i + 1] - c[1]) <= 4 && Math.abs(pixels[i + 2] - c[2]) <= 4) counts[k]++; });
    }
    const shown = counts.filter((n) => n >= 200).length;
    assert.ok(shown >= 3, `class colours on screen: ${counts.join(', ')} pixels of ${classes.length} classes`);
    await p.screenshot({ path: shotPath('prefix-third-party-style') });
    await p.close();
  });
});
