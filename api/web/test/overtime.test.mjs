// Browser test of the over-time maps: the change map coloured by meaning
// (an improvement is green whatever its sign; a neutral indicator says so
// in the legend), the largest changes of the kommun in the trend view
// (checked against the RegSO panel's source CSV) and the small multiples
// (one map per year with the breaks pooled over the years).
// Run: cd api/web && node --test test/overtime.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, missingTools, repoRoot, shotPath, startServer } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// wageChanges reads the RegSO panel: the change of mean wage income
// 2020→2023 for every RegSO of a kommun, largest first.
function wageChanges(kommun) {
  const [head, ...lines] = readFileSync(join(repoRoot, 'data', 'national', 'files', 'regso2020_timeseries_2020_2023.csv'), 'utf8').trim().split('\n');
  const col = Object.fromEntries(head.split(',').map((h, i) => [h, i]));
  const by = new Map();
  for (const l of lines) {
    const r = l.split(',');
    if (r[col.kommun] !== kommun || r[col.wage_income_mean_tkr] === '') continue;
    if (!by.has(r[col.regso])) by.set(r[col.regso], {});
    by.get(r[col.regso])[r[col.year]] = Number(r[col.wage_income_mean_tkr]);
  }
  const out = [];
  for (const [code, y] of by) if (y['2020'] !== undefined && y['2023'] !== undefined) out.push({ code, d: y['2023'] - y['2020'] });
  return out.sort((a, b) => b.d - a.d || (a.code < b.code ? -1 : 1));
}

const rgb = (c) => {
  const m = c.match(/\d+/g);
  if (m) return m.map(Number);
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
};

describe('Over time: change by meaning, largest changes, small multiples', { skip: skip || false, timeout: 20 * 60_000 }, () => {
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

  test('the change legend says what is better: unemployment (lower is better) and foreign-born (neutral)', async () => {
    await page.goto(`${server.base}/?kommun=0180&mode=change&level=deso&ind=unemployment_rate_16_64_pct&year=2024&year2=2022`);
    await page.evaluate(() => window.segmap.ready);
    await page.waitForFunction(() => window.segmap.app.view?.meaning === 'lower_is_better', null, { timeout: 60_000 });
    const items = await page.$$eval('#legend li[data-kind="class"]', (lis) => lis.map((li) => ({
      label: li.querySelector('.legend-label').textContent, color: getComputedStyle(li.querySelector('.swatch')).backgroundColor })));
    assert.equal(items.length, 5, `five classes: ${JSON.stringify(items)}`);
    // Classes run from the largest fall to the largest rise: a fall of
    // unemployment is an improvement, drawn green; a rise purple.
    assert.match(items[0].label, /^< −.*\(förbättring\)$/);
    assert.match(items[4].label, /^≥ \+.*\(försämring\)$/);
    const [r0, g0] = rgb(items[0].color);
    const [r4, g4] = rgb(items[4].color);
    assert.ok(g0 > r0, `the improvement class is green: ${items[0].color}`);
    assert.ok(r4 > g4, `the deterioration class is purple: ${items[4].color}`);
    assert.match(await page.textContent('#legend .legend-note'), /Grönt = förbättring, lila = försämring \(lägre värde är bättre\)/);
    await page.screenshot({ path: shotPath('overtime-change-meaning') });

    await page.goto(`${server.base}/?kommun=0180&mode=change&level=regso&ind=foreign_born_pct&year=2023&year2=2020`);
    await page.evaluate(() => window.segmap.ready);
    await page.waitForFunction(() => window.segmap.app.view?.meaning === 'neutral', null, { timeout: 60_000 });
    assert.match(await page.textContent('#legend .legend-note'), /Neutral färgskala: indikatorn har ingen bättre eller sämre riktning/);
    const labels = await page.$$eval('#legend li[data-kind="class"] .legend-label', (l) => l.map((x) => x.textContent));
    assert.match(labels[0], /\(minskning\)$/);
    assert.match(labels[4], /\(ökning\)$/);
  });

  test('the trend view lists the largest changes and shows one map per year with pooled breaks', async () => {
    const src = wageChanges('0180');
    await page.goto(`${server.base}/?kommun=0180&sel=0180C1010`);
    await page.evaluate(() => window.segmap.ready);
    const btn = await page.waitForSelector('#profile:not([hidden]) #open-trend-regso', { timeout: 60_000 });
    await btn.click();
    await page.waitForSelector('#trend-dialog[open] #trend-table');
    await page.selectOption('#trend-indicator', 'wage_income_mean_tkr');
    await page.waitForSelector('#trend-largest[data-indicator="wage_income_mean_tkr"] #largest-better', { timeout: 60_000 });
    assert.match(await page.textContent('#trend-largest h3'), /^Största förändringar 2020–2023: Stockholm/);

    // Largest changes: wage income has higher_is_better, so improvements
    // are the largest rises, as recomputed from the CSV.
    assert.match(await page.textContent('#largest-meaning'), /högre värde är bättre/);
    const better = await page.$$eval('#largest-better li', (lis) => lis.map((li) => ({ code: li.dataset.code, change: Number(li.dataset.change) })));
    const worse = await page.$$eval('#largest-worse li', (lis) => lis.map((li) => ({ code: li.dataset.code, change: Number(li.dataset.change) })));
    assert.equal(better.length, 5);
    better.forEach((a, i) => {
      assert.equal(a.code, src[i].code, `improvement #${i + 1}`);
      assert.ok(Math.abs(a.change - src[i].d) < 1e-9, `${a.code}: ${a.change} vs ${src[i].d}`);
    });
    const falls = src.filter((x) => x.d < 0).reverse();
    assert.deepEqual(worse.map((a) => a.code), falls.slice(0, 5).map((x) => x.code), 'deteriorations: the largest falls');
    const href = await page.getAttribute('#largest-xlsx', 'href');
    const res = await fetch(new URL(href, page.url()));
    assert.equal(res.status, 200);
    assert.equal(Buffer.from(await res.arrayBuffer()).subarray(0, 2).toString('latin1'), 'PK');

    // Small multiples: one panel per year in the server's SVG, the class
    // counts per year, and the breaks are those of the map's pooled mode.
    await page.waitForSelector('#trend-maps[data-indicator="wage_income_mean_tkr"] #sm-table tbody tr', { timeout: 60_000 });
    assert.deepEqual(await page.$$eval('#sm-table thead th', (th) => th.slice(1).map((x) => x.textContent)), ['2020', '2021', '2022', '2023']);
    await page.waitForFunction(() => document.querySelector('#sm-img')?.complete && document.querySelector('#sm-img').naturalWidth > 0, null, { timeout: 60_000 });
    const check = await page.evaluate(async () => {
      const img = document.querySelector('#sm-img');
      const svg = await (await fetch(img.src)).text();
      const u = new URL(img.src);
      const q = new URLSearchParams(u.search);
      q.delete('width'); q.set('format', 'json');
      const m = await (await fetch(new URL(`api/multiples?${q}`, document.baseURI))).json();
      const out = { panels: (svg.match(/<svg class="panel"/g) || []).length, breaks: m.breaks, pooled: [] };
      for (const y of m.years) {
        const c = await (await fetch(new URL(`api/classify?level=${q.get('level')}&indicator=${q.get('indicator')}&kommun=${q.get('kommun')}&year=${y}&pooled=${m.years.join(',')}&k=${q.get('k')}&method=${q.get('method')}`, document.baseURI))).json();
        out.pooled.push(c.breaks);
      }
      out.rows = [...document.querySelectorAll('#sm-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent)));
      out.counts = m.maps.map((x) => x.legend.filter((l) => l.kind === 'class').map((l) => l.count));
      return out;
    });
    assert.equal(check.panels, 4, 'four panels in the SVG');
    for (const b of check.pooled) assert.deepEqual(b, check.breaks, 'every year has the pooled breaks');
    check.rows.forEach((row, c) => row.forEach((n, y) => assert.equal(n, check.counts[y][c], `class ${c}, year ${y}`)));
    assert.match(await page.textContent('#sm-note'), /Samma klassgränser alla år \(2020, 2021, 2022, 2023\)/);
    await page.screenshot({ path: shotPath('overtime-trend'), fullPage: true });
  });
});
