// Browser test of the basemap and context layers: a segmap store with the
// police's utsatta områden imported as an overlay level, a raster basemap
// served by a local tile server (no internet), and the client showing both.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { launchBrowser, missingTools, repoRoot, shotPath, startServer } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// png encodes a w×h image of one RGB colour.
function png(w, h, [r, g, b]) {
  const chunk = (type, body) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(body.length);
    const tb = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(tb) >>> 0);
    return Buffer.concat([len, tb, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.alloc(1 + 3 * w);
  for (let x = 0; x < w; x++) row.set([r, g, b], 1 + 3 * x);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const TILE_RGB = [250, 228, 196]; // a sand colour no segmap style uses

describe('basemap and context layers', { skip: skip || false, timeout: 10 * 60_000 }, () => {
  let dir; let tiles; let tileHits = 0; let server; let browser; let page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segmap-ctx-'));
    const store = join(dir, 'store.gpkg');
    const go = (...args) => execFileSync('go', ['run', './cmd/segmap', ...args], { cwd: repoRoot, stdio: 'pipe' });
    go('demo', store);
    go('import', 'boundaries', '--store', store, '--level', 'utsatta', '--kind', 'overlay',
      '--level-name-sv', 'Utsatta områden (Polisen 2023)', '--level-name-en', 'Vulnerable areas (Police 2023)',
      '--code-field', 'NAMN', '--name-field', 'NAMN', 'testdata/boundaries/polisen_utsatta_omraden_2023_3006.gpkg');
    const body = png(256, 256, TILE_RGB);
    tiles = createServer((req, res) => {
      if (/^\/\d+\/\d+\/\d+\.png$/.test(req.url)) {
        tileHits++;
        res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' });
        res.end(body);
      } else { res.writeHead(404); res.end(); }
    });
    await new Promise((r) => tiles.listen(0, '127.0.0.1', r));
    const tileURL = `http://127.0.0.1:${tiles.address().port}/{z}/{x}/{y}.png`;
    server = await startServer({ store, args: ['--basemap', tileURL, '--basemap-attribution', 'Testkarta © segmap'] });
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    tiles?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the overlay is offered, drawn from the URL, and toggled', async () => {
    await page.goto(`${server.base}/?ctx=utsatta`);
    await page.waitForFunction(() => window.segmap?.stats?.status === 'drawn', null, { timeout: 120_000 });
    // The overlay is a context layer, not a choropleth level.
    const levels = await page.$$eval('#ctl-level option', (o) => o.map((x) => x.value));
    assert.ok(!levels.includes('utsatta'), `levels ${levels}`);
    assert.ok(await page.isChecked('#ctx-utsatta'));
    const vis = () => page.evaluate(() => window.segmap.app.map.map.getLayoutProperty('ctx-utsatta', 'visibility'));
    assert.equal(await vis(), 'visible');
    await page.waitForFunction(() => window.segmap.app.map.map.areTilesLoaded(), null, { timeout: 30_000 });
    // Features of the overlay reach the map: Stockholm's areas among them.
    const names = await page.evaluate(() => {
      const m = window.segmap.app.map;
      return [...new Set(m.map.querySourceFeatures('src-utsatta', { sourceLayer: m.tj.get('utsatta').layer }).map((f) => f.properties.name))];
    });
    assert.ok(names.includes('Rinkeby / Tensta'), `overlay features: ${names.join(', ')}`);
    await page.screenshot({ path: shotPath('11-context-basemap') });
    await page.uncheck('#ctx-utsatta');
    assert.equal(await vis(), 'none');
    assert.equal(new URL(page.url()).searchParams.get('ctx'), null);
    await page.check('#ctx-utsatta');
    assert.equal(new URL(page.url()).searchParams.get('ctx'), 'utsatta');
  });

  test('the basemap is drawn under the areas, with its attribution', async () => {
    assert.ok(tileHits > 0, 'the basemap tile server was asked for tiles');
    const order = await page.evaluate(() => window.segmap.app.map.map.getStyle().layers.map((l) => l.id));
    assert.ok(order.indexOf('basemap') > 0 && order.indexOf('basemap') < order.indexOf('area-fill'), `layer order ${order}`);
    const attr = await page.textContent('.maplibregl-ctrl-attrib');
    assert.match(attr, /Testkarta © segmap/);
    // An area outside any coloured feature shows the basemap's colour: read a
    // pixel at the map's top-left corner (sea/outside Stockholms län).
    const px = await page.evaluate(async () => {
      const m = window.segmap.app.map.map;
      m.jumpTo({ center: [16.0, 59.9], zoom: 9 }); // west of the demo's areas
      await new Promise((r) => m.once('idle', r));
      const gl = m.getCanvas().getContext('webgl2') || m.getCanvas().getContext('webgl');
      const out = new Uint8Array(4);
      m.triggerRepaint();
      await new Promise((r) => m.once('render', r));
      gl.readPixels(Math.floor(gl.drawingBufferWidth / 2), Math.floor(gl.drawingBufferHeight / 2), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
      return [...out];
    });
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(px[i] - TILE_RGB[i]) <= 6, `pixel ${px} vs basemap ${TILE_RGB}`);
  });
});
