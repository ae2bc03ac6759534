// Browser test of the development-site panel, as a housing planner uses it:
// enter the API token, upload a real-looking site file (three planned
// developments in Botkyrka, SWEREF 99 TM), see the sites drawn, click one
// and read its summary; then draw a point and save it. Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, missingTools, repoRoot, shotPath, startServer, parseSv } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// The server started by the harness inherits the environment: give it a token.
const TOKEN = process.env.SEGMAP_TEST_API_TOKEN || 'browser-test-token-0123456789';
process.env.SEGMAP_API_TOKEN = TOKEN;

// siteDrawnAt waits until a site is drawn at the page point pt, so that a
// click there finds it (as the client's click handler looks for it).
const siteDrawnAt = (page, pt) => page.waitForFunction((q) => {
  const m = window.segmap.map;
  const ids = window.segmap.sites.siteLayerIds();
  const r = m.getCanvas().getBoundingClientRect();
  return ids.length > 0 && m.queryRenderedFeatures([q.x - r.left, q.y - r.top], { layers: ids }).length > 0;
}, pt, { timeout: 30_000 });

describe('development sites panel', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    page.on('dialog', (d) => d.accept());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('uploads a site file, draws it and shows a site summary', async () => {
    await page.goto(server.base + '/');
    await page.evaluate(() => window.segmap.ready);
    await page.waitForSelector('#sites h2');
    assert.match(await page.textContent('#sites h2'), /Planerade bostäder/);
    // Without the token the upload is refused with a message.
    await page.setInputFiles('#site-file', join(repoRoot, 'testdata', 'sites', 'botkyrka_planerat_3006.geojson'));
    await page.click('#site-upload');
    await page.waitForSelector('#sites .status.error');
    await page.fill('#site-token', TOKEN);
    await page.dispatchEvent('#site-token', 'change');
    await page.fill('#site-name', 'Botkyrka planerat');
    await page.click('#site-upload');
    await page.waitForFunction(() => document.querySelector('#site-layers')?.textContent.includes('Botkyrka planerat (3'), null, { timeout: 60_000 });
    // Drawn: the polygons and the point are rendered on the map.
    await page.waitForFunction(() => {
      const m = window.segmap.map;
      const ids = window.segmap.sites.siteLayerIds();
      return ids.length === 2 && !m.isMoving() && m.queryRenderedFeatures({ layers: ids }).length >= 3;
    }, null, { timeout: 60_000 });
    await page.screenshot({ path: shotPath('sites-01-uploaded') });
    // The upload's message stays (not replaced by the click hint), with the plural.
    assert.match(await page.textContent('#sites .status'), /Lagret Botkyrka planerat laddades upp \(3 platser\)/);

    // Click inside "Albyberget etapp 1" (a point well inside the polygon).
    const pt = await page.evaluate(() => {
      const p = window.segmap.map.project([17.8465, 59.2375]);
      const r = window.segmap.map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(pt.x, pt.y);
    await page.waitForSelector('#site-summary .site-areas tbody tr', { timeout: 60_000 });
    const head = await page.textContent('#site-summary h3');
    assert.match(head, /Albyberget etapp 1/);
    assert.ok((await page.$$eval('#site-summary dl.facts dt', (ds) => ds.map((d) => d.textContent))).includes('Yta'), 'fact label Yta');
    // Areas touched: the DeSO GDAL finds (testdata/sites/expected_overlaps_gdal.csv), with shares.
    const areas = await page.$$eval('#site-summary .site-areas tbody tr', (rs) => rs.map((r) => ({ level: r.dataset.level, cells: [...r.children].map((c) => c.textContent) })));
    const deso = areas.filter((a) => a.level === 'deso').map((a) => a.cells[0]);
    for (const code of ['0127C1270', '0127C1290', '0127C1300', '0127C1310', '0127C1340', '0127C1350']) assert.ok(deso.includes(code), `DeSO ${code} listed: ${deso}`);
    const big = areas.find((a) => a.cells[0] === '0127C1300');
    // GDAL: 86 861 m² of the 218 065 m² site = 39,8 %, 60,4 % of the DeSO.
    assert.ok(Math.abs(parseSv(big.cells[2]) - 39.8) < 0.15, `share of site ${big.cells[2]}`);
    assert.ok(Math.abs(parseSv(big.cells[3]) - 60.4) < 0.15, `share of area ${big.cells[3]}`);
    assert.ok(areas.some((a) => a.level === 'regso' && /områdestyp \d/.test(a.cells[1])), 'RegSO with områdestyp');
    // Estimates in the site and the two default buffers.
    const estHead = await page.$$eval('#site-summary .site-estimates thead th', (ths) => ths.map((t) => t.textContent.replace(/[\s\u00a0\u202f]+/g, ' ')));
    assert.deepEqual(estHead.slice(1), ['Inom platsen', 'Inom 500 m', 'Inom 1 000 m']);
    const pop = await page.$$eval('#site-summary .site-estimates tr[data-indicator="population"] td', (tds) => tds.map((t) => Number(t.textContent.replace(/[\s\u00a0]/g, ''))));
    assert.ok(pop[0] > 0 && pop[0] < pop[1] && pop[1] < pop[2], `population grows with the zone: ${pop}`);
    // Tenure mix before and after 450 rental dwellings: the rental share rises.
    const rental = await page.$$eval('#site-summary .site-tenure tr[data-tenure="rental_share"] td', (tds) => tds.map((t) => t.textContent));
    assert.ok(parseSv(rental[1]) > parseSv(rental[0]), `rental share before ${rental[0]}, after ${rental[1]}`);
    assert.match(await page.textContent('#site-summary .site-nearest'), /områdestyp 1 eller 2/);
    assert.match(await page.textContent('#site-summary .site-method'), /Areal interpolation/);
    // Downloads.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#site-dl-csv')]);
    assert.match(dl.suggestedFilename(), /\.csv$/);
    // The GeoJSON download (fetched with the token) saves a file that parses
    // as a FeatureCollection of the site and its buffers.
    const [gj] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#site-dl-geojson')]);
    assert.match(gj.suggestedFilename(), /\.geojson$/);
    const { readFile } = await import('node:fs/promises');
    const fc = JSON.parse(await readFile(await gj.path(), 'utf8'));
    assert.equal(fc.type, 'FeatureCollection');
    assert.ok(Array.isArray(fc.features) && fc.features.length >= 1, `features: ${fc.features?.length}`);
    await page.screenshot({ path: shotPath('sites-02-summary') });
  });

  test('draws a point, saves it and reads its buffer summary', async () => {
    await page.keyboard.press('Escape'); // close the area profile the click opened
    await page.click('#site-draw-point');
    const pt = await page.evaluate(() => {
      const p = window.segmap.map.project([17.8555, 59.2430]);
      const r = window.segmap.map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.click(pt.x, pt.y);
    await page.fill('#site-draw-name', 'Ritat radhus');
    await page.fill('#site-draw-dwellings', '8');
    await page.selectOption('#site-draw-tenure', 'äganderätt');
    await page.click('#site-draw-save');
    await page.waitForFunction(() => document.querySelector('#site-layers')?.textContent.includes('Ritat radhus (1'), null, { timeout: 60_000 });
    await page.waitForFunction(() => window.segmap.sites.siteLayerIds().length === 4, null, { timeout: 30_000 });
    await siteDrawnAt(page, pt);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction(() => /Ritat radhus/.test(document.querySelector('#site-summary h3')?.textContent || ''), null, { timeout: 60_000 });
    const estHead = await page.$$eval('#site-summary .site-estimates thead th', (ths) => ths.map((t) => t.textContent.replace(/[\s\u00a0\u202f]+/g, ' ')));
    assert.deepEqual(estHead.slice(1), ['Inom 500 m', 'Inom 1 000 m'], 'a point has buffers only');
    const levels = await page.$$eval('#site-summary .site-areas tbody tr', (rs) => rs.map((r) => r.dataset.level));
    assert.deepEqual(levels, ['deso', 'regso', 'kommun'], 'a point lies in one area per level');
    await page.screenshot({ path: shotPath('sites-03-point') });
    // Singular: "1 plats", not "1 platser".
    const list = await page.textContent('#site-layers');
    assert.match(list, /Ritat radhus \(1 plats\)/);
    assert.doesNotMatch(list, /\b1 platser/);
    // The point is drawn as a circle of a fixed size: still clickable at kommun zoom (z10).
    await page.keyboard.press('Escape');
    const view = await page.evaluate(() => ({ center: window.segmap.map.getCenter().toArray(), zoom: window.segmap.map.getZoom() }));
    await page.evaluate(() => { document.querySelector('#site-summary').replaceChildren(); window.segmap.map.jumpTo({ center: [17.8555, 59.2430], zoom: 10 }); });
    await page.waitForFunction(() => !window.segmap.map.isMoving() && window.segmap.map.areTilesLoaded(), null, { timeout: 30_000 });
    const pt10 = await page.evaluate(() => {
      const p = window.segmap.map.project([17.8555, 59.2430]);
      const r = window.segmap.map.getCanvas().getBoundingClientRect();
      return { x: r.left + p.x + 4, y: r.top + p.y - 3 }; // inside the 7 px circle, off its centre
    });
    await siteDrawnAt(page, pt10);
    await page.mouse.click(pt10.x, pt10.y);
    await page.waitForFunction(() => !document.querySelector('#site-summary')?.hidden && /Ritat radhus/.test(document.querySelector('#site-summary h3')?.textContent || ''), null, { timeout: 60_000 });
    // A bad buffer value is said beside the field; the summary stays.
    await page.fill('#site-buffers', '500,abc');
    await page.dispatchEvent('#site-buffers', 'change');
    await page.waitForSelector('#site-buffers-error:not([hidden])');
    assert.match(await page.textContent('#site-buffers-error'), /1 och 5 000 meter/);
    assert.match(await page.textContent('#site-summary h3'), /Ritat radhus/);
    await page.fill('#site-buffers', '500,1000');
    await page.dispatchEvent('#site-buffers', 'change');
    await page.waitForSelector('#site-buffers-error', { state: 'hidden' });
    await page.evaluate((v) => window.segmap.map.jumpTo(v), view);
    await page.waitForFunction(() => !window.segmap.map.isMoving() && window.segmap.map.areTilesLoaded(), null, { timeout: 30_000 });
  });

  test('draws an area with corners and Klar, and reads its summary', async () => {
    await page.keyboard.press('Escape'); // close the summary panel
    await page.click('#site-draw-polygon');
    const corners = [[17.8450, 59.2465], [17.8490, 59.2465], [17.8490, 59.2485], [17.8450, 59.2485]];
    for (const [i, c] of corners.entries()) {
      const p = await page.evaluate((ll) => {
        const q = window.segmap.map.project(ll);
        const r = window.segmap.map.getCanvas().getBoundingClientRect();
        return { x: r.left + q.x, y: r.top + q.y };
      }, c);
      await page.mouse.click(p.x, p.y);
      // A corner, not a double click (which would end the drawing).
      await page.waitForFunction((n) => window.segmap.sites.drawing?.points.length === n, i + 1);
    }
    await page.click('#site-draw-finish');
    await page.fill('#site-draw-name', 'Ritat kvarter');
    await page.fill('#site-draw-dwellings', '120');
    await page.selectOption('#site-draw-tenure', 'hyresrätt');
    await page.fill('#site-draw-year', '2031');
    await page.click('#site-draw-save');
    await page.waitForFunction(() => document.querySelector('#site-layers')?.textContent.includes('Ritat kvarter (1'), null, { timeout: 60_000 });
    await page.waitForFunction(() => window.segmap.sites.siteLayerIds().length === 6 && window.segmap.map.areTilesLoaded(), null, { timeout: 30_000 });
    const mid = await page.evaluate(() => {
      const q = window.segmap.map.project([17.8470, 59.2475]);
      const r = window.segmap.map.getCanvas().getBoundingClientRect();
      return { x: r.left + q.x, y: r.top + q.y };
    });
    await page.mouse.click(mid.x, mid.y);
    await page.waitForFunction(() => /Ritat kvarter/.test(document.querySelector('#site-summary h3')?.textContent || ''), null, { timeout: 60_000 });
    const head = await page.$$eval('#site-summary .site-estimates thead th', (ths) => ths.map((t) => t.textContent.replace(/[\s\u00a0\u202f]+/g, ' ')));
    assert.deepEqual(head.slice(1), ['Inom platsen', 'Inom 500 m', 'Inom 1 000 m']);
    // About 0.0040° × 0.0020° at 59.25° N: 228 m × 222 m ≈ 5.1 ha.
    const facts = await page.textContent('#site-summary .facts');
    const ha = Number(/([\d,]+)\s*ha/.exec(facts)[1].replace(',', '.'));
    assert.ok(Math.abs(ha - 5.07) < 0.15, `area ${ha} ha`);
    await page.screenshot({ path: shotPath('sites-04-drawn-area') });
  });
});
