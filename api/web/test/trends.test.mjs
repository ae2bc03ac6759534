// Browser test of "Utveckling över tid": from a DeSO's profile the trend
// view of its RegSO opens; its table (one column per year) is checked
// against the RegSO panel's source CSV, a second area is compared, the
// Excel link downloads, and the kommun's områdestyp transition is shown.
// Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, missingTools, repoRoot, shotPath, startServer, parseSv } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// panel reads the RegSO panel: regso -> year -> {fb, pop}.
function panel() {
  const [head, ...lines] = readFileSync(join(repoRoot, 'data', 'national', 'files', 'regso2020_timeseries_2020_2023.csv'), 'utf8').trim().split('\n');
  const col = Object.fromEntries(head.split(',').map((h, i) => [h, i]));
  const out = new Map();
  for (const l of lines) {
    const r = l.split(',');
    const code = r[col.regso];
    if (!out.has(code)) out.set(code, new Map());
    out.get(code).set(Number(r[col.year]), { fb: Number(r[col.foreign_born]), pop: Number(r[col.pop_total]) });
  }
  return out;
}


describe('Utveckling över tid (trend view)', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a RegSO trend from the DeSO profile matches the source CSV', async () => {
    const src = panel();
    // DeSO 0180C1010 lies in RegSO 0180R123 (data/national/files/deso2018_regso2020_link.csv).
    await page.goto(`${server.base}/?kommun=0180&sel=0180C1010`);
    await page.evaluate(() => window.segmap.ready);
    const btn = await page.waitForSelector('#profile:not([hidden]) #open-trend-regso', { timeout: 60_000 });
    assert.match(await btn.textContent(), /^Utveckling över tid \(RegSO 0180R123\)/);
    await btn.click();
    await page.waitForSelector('#trend-dialog[open] #trend-table');
    assert.equal(await page.textContent('#trend-title'), 'Utveckling över tid');
    await page.selectOption('#trend-indicator', 'foreign_born_pct');
    await page.waitForFunction(() => document.querySelector('#trend-table caption')?.textContent.startsWith('Utrikes födda'));

    const table = async () => page.$$eval('#trend-table tr', (trs) => trs.map((tr) => ({
      code: tr.dataset.code, level: tr.dataset.level, cells: [...tr.children].map((c) => c.textContent.trim()) })));
    let rows = await table();
    assert.deepEqual(rows[0].cells.slice(1), ['2020', '2021', '2022', '2023'], 'one column per year');
    const dec = await page.evaluate(() => window.segmap.app.meta.indicators.find((i) => i.id === 'foreign_born_pct').decimals ?? 1);
    const area = rows.find((r) => r.code === '0180R123');
    assert.ok(area, 'the RegSO has a row');
    [2020, 2021, 2022, 2023].forEach((y, i) => {
      const c = src.get('0180R123').get(y);
      const want = (100 * c.fb) / c.pop;
      assert.ok(Math.abs(parseSv(area.cells[1 + i]) - want) <= 0.5 * 10 ** -dec + 1e-9, `${y}: ${area.cells[1 + i]} vs ${want} from the CSV`);
    });
    // The kommun's row: its share from the summed counts of its RegSO.
    const kom = rows.find((r) => r.level === 'kommun' && r.code === '0180');
    let fb = 0; let pop = 0;
    for (const [code, ys] of src) if (code.startsWith('0180R')) { fb += ys.get(2023).fb; pop += ys.get(2023).pop; }
    assert.ok(Math.abs(parseSv(kom.cells[4]) - (100 * fb) / pop) <= 0.5 * 10 ** -dec + 1e-9, `Stockholm 2023: ${kom.cells[4]}`);
    assert.ok(rows.some((r) => r.level === 'lan') && rows.some((r) => r.level === 'riket'), 'län and riket rows');
    assert.ok(await page.$$eval('#trend-dialog svg.chart path.chart-line', (p) => p.length) >= 4, 'area, kommun, län and riket lines');

    // Compare with a second area.
    await page.fill('#trend-add', '0180R001');
    await page.click('.trend-add button[type=submit]');
    await page.waitForSelector('#trend-table tr[data-code="0180R001"]');
    rows = await table();
    const second = rows.find((r) => r.code === '0180R001');
    const c23 = src.get('0180R001').get(2023);
    assert.ok(Math.abs(parseSv(second.cells[4]) - (100 * c23.fb) / c23.pop) <= 0.5 * 10 ** -dec + 1e-9);

    // The Excel download of the same query.
    const href = await page.getAttribute('#trend-xlsx', 'href');
    const q = new URL(href, page.url()).searchParams;
    assert.equal(q.get('format'), 'xlsx');
    assert.equal(q.get('codes'), '0180R123,0180R001');
    const res = await fetch(new URL(href, page.url()));
    assert.equal(res.status, 200);
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx (zip) file');

    // Områdestyper of the kommun: the 5×5 transition table.
    await page.waitForSelector('#transition-table');
    assert.equal(await page.$$eval('#transition-table tbody tr', (r) => r.length), 5);
    assert.match(await page.textContent('#trend-types h3'), /^Områdestyper 2022–2023: Stockholm/);
    await page.screenshot({ path: shotPath('trend') });
  });

  test('a DeSO trend says where the series changes geography version', async () => {
    // The demo's 2024 values are on DeSO 2025 (data/demo/files/stockholm_deso2025_*):
    // the API says where the series breaks; the dialog marks it on the chart and in words.
    await page.keyboard.press('Escape');
    await page.goto(`${server.base}/?kommun=0180&sel=0180C1010`);
    await page.evaluate(() => window.segmap.ready);
    const btn = await page.waitForSelector('#profile:not([hidden]) #open-trend', { timeout: 60_000 });
    await btn.click();
    await page.waitForSelector('#trend-dialog[open] #trend-table');
    await page.selectOption('#trend-indicator', 'unemployment_rate_16_64_pct');
    const note = await page.waitForSelector('#trend-break');
    const api = await page.evaluate(async () => (await (await fetch(new URL('api/trend?indicator=unemployment_rate_16_64_pct&level=deso&codes=0180C1010', document.baseURI))).json()).series_geography);
    assert.ok(api?.breaks?.length, `the API says where the series breaks: ${JSON.stringify(api)}`);
    const last = api.breaks[api.breaks.length - 1];
    assert.equal(await note.textContent(), last.note_sv);
    assert.equal(await page.$$eval('#trend-dialog svg.chart g.chart-marker', (g) => g.length), api.breaks.length, 'one marker per break');
    assert.equal(await page.$eval('#trend-dialog svg.chart g.chart-marker title', (e) => e.textContent), api.breaks[0].note_sv);
  });
});
