// Browser tests of the segmap web client against a real segmap server
// (see harness.mjs). Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { artifacts, launchBrowser, missingTools, repoRoot, shotPath, startServer, webDir } from './harness.mjs';
import { execFileSync } from 'node:child_process';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// parseNum reads a number in Swedish format ("1 234,5", "−3,2").
function parseNum(s) {
  const t = s.replace(/[\s\u00a0\u2009\u202f]/g, '').replace('−', '-').replace(',', '.');
  return t === '' || t === '–' ? null : Number(t);
}

const drawnAfter = (page, seq) => page.waitForFunction((s) => window.segmap?.stats?.seq > s && window.segmap.stats.status === 'drawn', seq, { timeout: 60_000 });
// settle waits for camera animations (fly to area/kommun) to finish: a
// fly starts in the same task as the change that asks for it.
async function settle(page) {
  await page.waitForFunction(() => !window.segmap.map.isMoving() && window.segmap.map.areTilesLoaded(), null, { timeout: 30_000 });
}
const stats = (page) => page.evaluate(() => ({ ...window.segmap.stats }));
const legend = (page) => page.$$eval('#legend .legend-list li', (lis) => lis.map((li) => li.textContent));
const colours = (page) => page.evaluate(() => {
  const m = window.segmap.app.map;
  const out = {};
  for (const id of m.colored.keys()) out[id] = m.map.getFeatureState(m.sourceRef(id)).color;
  return out;
});

describe('segmap web client', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let page; let meta;
  const metrics = {};

  before(async () => {
    server = await startServer();
    meta = await (await fetch(`${server.base}/api/meta`)).json();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  });

  after(async () => {
    const names = JSON.parse(readFileSync(join(webDir, 'dist', 'manifest.json'), 'utf8'));
    const asset = (n) => join(webDir, 'dist', 'assets', names[n]);
    const js = readFileSync(asset('app.js'));
    const worker = readFileSync(asset('maplibre-gl-worker.js'));
    metrics.bundle_app_js_bytes = js.length;
    metrics.bundle_app_js_gzip_bytes = gzipSync(js).length;
    metrics.bundle_worker_js_bytes = worker.length;
    metrics.bundle_worker_js_gzip_bytes = gzipSync(worker).length;
    metrics.bundle_css_bytes = statSync(asset('app.css')).size;
    for (const [k, v] of Object.entries(metrics)) console.log(`METRIC ${k}=${typeof v === 'number' ? Math.round(v) : v}`);
    try { writeFileSync(join(artifacts, 'web-metrics.json'), JSON.stringify(metrics, null, 2)); } catch { /* no artifacts dir */ }
    await browser?.close();
    await server?.stop();
  });

  test('loads the demo and draws the DeSO choropleth', async () => {
    const deso = meta.levels.find((l) => l.id === 'deso');
    assert.ok(deso, 'meta has a deso level');
    const t0 = Date.now();
    await page.goto(server.base + '/');
    await page.evaluate(() => window.segmap.ready);
    const s = await stats(page);
    assert.equal(s.status, 'drawn');
    // The API may classify more areas than have boundaries (values for all of
    // Sweden, boundaries for the demo län): every DeSO feature must be coloured.
    assert.ok(s.colored >= deso.feature_count, `coloured ${s.colored} >= ${deso.feature_count} DeSO`);
    await page.waitForFunction((n) => window.segmap.renderedColored() === n, deso.feature_count, { timeout: 60_000 });
    metrics.page_load_to_drawn_ms = s.firstDrawnAt; // performance.now(): from navigation start
    metrics.page_load_wall_ms = Date.now() - t0;
    metrics.deso_features = deso.feature_count;
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    // Every control has a label; the skip link is the first tab stop.
    const unlabelled = await page.$$eval('#controls select, #controls input:not([type=radio]), #lang', (els) => els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).map((e) => e.id || e.outerHTML));
    assert.deepEqual(unlabelled, []);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.evaluate(() => document.activeElement.blur());
    const leg = await legend(page);
    assert.ok(leg.length >= 2, `legend has classes: ${leg}`);
    const sum = (await page.$$eval('#legend .legend-count', (e) => e.map((x) => parseInt(x.textContent, 10)))).reduce((a, b) => a + b, 0);
    assert.equal(sum, s.colored, 'legend counts add up to the number of areas');
    assert.equal(await page.$$eval('#data-table tbody tr', (r) => r.length), Math.min(s.colored, 1000), 'table rows (first 1000)');
    if (s.colored > 1000) {
      await page.click('#table-more');
      assert.equal(await page.$$eval('#data-table tbody tr', (r) => r.length), s.colored, 'all rows after "show all"');
    }
    metrics.first_draw_phases = JSON.stringify(s.phases);
    await page.screenshot({ path: shotPath('01-demo') });
  });

  test('switching indicator and year changes legend and colours without refetching tiles', async () => {
    const before0 = await stats(page);
    const leg0 = await legend(page);
    const col0 = await colours(page);
    const tiles = [];
    const onReq = (r) => { if (r.url().includes('/tiles/')) tiles.push(r.url()); };
    page.on('request', onReq);
    const current = await page.$eval('#ctl-ind', (s) => s.value);
    // Prefer an indicator with several years so the year switch is exercised too.
    const opts = await page.$$eval('#ctl-ind option', (os) => os.map((o) => o.value));
    const multi = new Set(meta.indicators.filter((i) => i.years?.length > 1).map((i) => i.id));
    const other = opts.find((v) => v !== current && multi.has(v)) || opts.find((v) => v !== current);
    assert.ok(other, 'a second indicator exists');
    const t0 = Date.now();
    await page.selectOption('#ctl-ind', other);
    await drawnAfter(page, before0.seq);
    metrics.switch_indicator_wall_ms = Date.now() - t0;
    const s1 = await stats(page);
    metrics.switch_indicator_ms = s1.ms;
    metrics.switch_indicator_phases = JSON.stringify(s1.phases);
    const leg1 = await legend(page);
    const col1 = await colours(page);
    assert.notDeepEqual(leg1, leg0, 'legend changes with the indicator');
    const changed = Object.keys(col1).filter((id) => col1[id] !== col0[id]).length;
    assert.ok(changed > 0, 'feature colours change with the indicator');
    assert.ok(new URL(page.url()).searchParams.get('ind') === other || other === meta.defaults?.indicator, 'URL holds the indicator');
    await page.screenshot({ path: shotPath('02-indicator') });

    const years = await page.$$eval('#ctl-year option', (os) => os.map((o) => o.value));
    if (years.length > 1) {
      const cur = await page.$eval('#ctl-year', (s) => s.value);
      const y = years.find((v) => v !== cur);
      const t1 = Date.now();
      await page.selectOption('#ctl-year', y);
      await drawnAfter(page, s1.seq);
      metrics.switch_year_wall_ms = Date.now() - t1;
      const col2 = await colours(page);
      assert.ok(Object.keys(col2).some((id) => col2[id] !== col1[id]) || JSON.stringify(await legend(page)) !== JSON.stringify(leg1), 'year changes colours or legend');
      await page.screenshot({ path: shotPath('03-year') });
    }
    page.off('request', onReq);
    assert.deepEqual(tiles, [], 'no tile requests when only the data changes');
  });

  test('clicking an area opens its profile with a line chart and highlights the table row', async () => {
    const target = await page.evaluate(() => {
      const m = window.segmap.app.map;
      const canvas = m.map.getCanvas().getBoundingClientRect();
      const fs = m.map.queryRenderedFeatures({ layers: ['area-fill'] });
      // Pick a feature whose centre pixel hits that feature and is not under the controls.
      for (const f of fs.slice(0, 400)) {
        const b = m.featureBounds(m.level, f.id);
        if (!b) continue;
        const p = m.map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
        if (p.x < 60 || p.y < 60 || p.x > canvas.width - 60 || p.y > canvas.height - 60) continue;
        const hit = m.map.queryRenderedFeatures([p.x, p.y], { layers: ['area-fill'] })[0];
        if (hit && hit.id === f.id) return { x: canvas.left + p.x, y: canvas.top + p.y, code: f.properties.code };
      }
      return null;
    });
    assert.ok(target, 'found a clickable area');
    await page.mouse.move(target.x, target.y);
    await page.waitForSelector('#tooltip:not([hidden])');
    const tip = await page.textContent('#tooltip');
    assert.ok(tip.includes(target.code), `tooltip shows the code: ${tip}`);
    await page.mouse.click(target.x, target.y);
    await page.waitForSelector('#profile:not([hidden]) svg.chart path.chart-line', { timeout: 30_000 });
    assert.equal(await page.$eval('#profile .facts dd', (d) => d.textContent), target.code);
    assert.ok(await page.$$eval('#profile .profile-table tbody tr', (r) => r.length) >= 1, 'profile lists indicators');
    // Indicators given only by breakdown get a row per breakdown, each with a
    // value and its year; indicators with a newer DeSO-only year still show
    // a year with comparisons.
    const rows = await page.$$eval('#profile .profile-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    const born = rows.filter((r) => / – /.test(r[0]) && !/–/.test(r[1]));
    assert.ok(born.length >= 3, `rows per breakdown with values: ${JSON.stringify(rows.filter((r) => / – /.test(r[0])))}`);
    const empty = rows.filter((r) => r[1] === '–' && r[4] === '');
    assert.deepEqual(empty, [], 'every indicator row has a value or is explicitly missing for a year');
    const income = rows.find((r) => r[0].startsWith('Nettoinkomst, medelvärde'));
    if (income) assert.notEqual(income[2], '–', `mean income is compared with the kommun: ${income}`);
    assert.equal(await page.$eval('#data-table tr.selected', (tr) => tr.dataset.code), target.code, 'table row highlighted');
    assert.equal(new URL(page.url()).searchParams.get('sel'), target.code);
    await page.screenshot({ path: shotPath('04-profile') });
    await page.click('#profile .icon-btn');
    assert.equal(await page.$eval('#profile', (p) => p.hidden), true);
  });

  test('table sorts by value and name, and a row click selects the area on the map', async () => {
    const values = () => page.$$eval('#data-table tbody tr td:nth-child(4)', (td) => td.slice(0, 200).map((x) => x.textContent));
    await page.click('button.sort[data-col="value"]');
    let v = (await values()).map(parseNum).filter((x) => x !== null);
    const dir1 = await page.$eval('th[aria-sort]:not([aria-sort="none"])', (th) => th.getAttribute('aria-sort'));
    const sorted = [...v].sort((a, b) => (dir1 === 'ascending' ? a - b : b - a));
    assert.deepEqual(v, sorted, `values sorted ${dir1}`);
    await page.click('button.sort[data-col="value"]');
    v = (await values()).map(parseNum).filter((x) => x !== null);
    const dir2 = await page.$eval('th[aria-sort]:not([aria-sort="none"])', (th) => th.getAttribute('aria-sort'));
    assert.notEqual(dir1, dir2);
    assert.deepEqual(v, [...v].sort((a, b) => (dir2 === 'ascending' ? a - b : b - a)));
    await page.click('button.sort[data-col="code"]');
    const codes = await page.$$eval('#data-table tbody tr', (r) => r.slice(0, 100).map((x) => x.dataset.code));
    assert.deepEqual(codes, [...codes].sort((a, b) => a.localeCompare(b, 'sv', { numeric: true })));
    // Keyboard: focus the fifth row and press Enter.
    const row = page.locator('#data-table tbody tr').nth(4);
    const code = await row.getAttribute('data-code');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((c) => window.segmap.state.sel === c, code);
    const id = await page.evaluate(() => window.segmap.app.selectedId);
    assert.equal(await page.evaluate((i) => window.segmap.app.map.map.getFeatureState(window.segmap.app.map.sourceRef(i)).selected, id), true, 'area highlighted on the map');
    await page.waitForSelector('#profile:not([hidden]) svg.chart');
    await settle(page);
    await page.screenshot({ path: shotPath('05-table-select') });
  });

  test('the Excel download is a valid xlsx of the current query', async () => {
    const href = await page.getAttribute('#dl-xlsx', 'href');
    const q = new URL(href, server.base).searchParams;
    const st = await page.evaluate(() => window.segmap.state);
    assert.equal(q.get('indicator'), st.ind);
    assert.equal(q.get('year'), String(st.year));
    assert.equal(q.get('method'), st.method);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')]);
    const out = join(artifacts, 'web-export.xlsx');
    await dl.saveAs(out);
    const buf = readFileSync(out);
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK', 'zip file');
    assert.ok(buf.includes(Buffer.from('xl/worksheets/')), 'has xl/worksheets');
    assert.ok(buf.includes(Buffer.from('[Content_Types].xml')), 'has [Content_Types].xml');
    // Read the file with excelize (Go) and compare every row with the API's
    // classification of the same query.
    const x = JSON.parse(execFileSync('go', ['run', './api/web/test/xlsxcheck', out], { cwd: repoRoot, encoding: 'utf8' }));
    assert.deepEqual(x.sheets, ['Data', 'Metadata']);
    const cl = await (await fetch(`${server.base}/api/classify?${q}`)).json();
    const want = new Map(cl.areas.map((a) => [a.code, a]));
    assert.equal(x.rows.length, want.size, 'one row per area of the view');
    for (const r of x.rows) {
      const a = want.get(r['kod']);
      assert.ok(a, `row ${r['kod']} is an area of the view`);
      if (a.value === null) assert.ok(!r['värde'], `${a.code}: no value`);
      else assert.ok(Math.abs(Number(r['värde']) - a.value) < 1e-9, `${a.code}: ${r['värde']} vs ${a.value}`);
      assert.equal(r['klass'] ? Number(r['klass']) : -1, a.class >= 0 ? a.class + 1 : -1, `${a.code}: class`);
      assert.equal(r['indikator'], st.ind);
    }
  });

  test('the URL reproduces the view', async () => {
    const u = page.url();
    const st = await page.evaluate(() => window.segmap.state);
    const leg = await legend(page);
    const p2 = await browser.context.newPage();
    await p2.goto(u);
    await p2.evaluate(() => window.segmap.ready);
    const st2 = await p2.evaluate(() => window.segmap.state);
    assert.deepEqual(st2, st);
    assert.deepEqual(await legend(p2), leg);
    await p2.waitForSelector('#profile:not([hidden])');
    await p2.close();
  });

  test('map modes: områdestyper, LISA clusters, change between years; English', async () => {
    await page.keyboard.press('Escape'); // closes the profile
    await page.evaluate(() => window.segmap.app.fitAll());
    for (const [mode, name] of [['typ', '06-omradestyper'], ['lisa', '07-lisa'], ['change', '08-change']]) {
      const s0 = await stats(page);
      await page.check(`#mode-${mode}`);
      await drawnAfter(page, s0.seq);
      const s = await stats(page);
      assert.ok(s.colored > 0, `${mode}: areas coloured`);
      const leg = await legend(page);
      assert.ok(leg.length >= 2, `${mode}: legend ${leg}`);
      assert.equal(new URL(page.url()).searchParams.get('mode'), mode);
      if (mode === 'typ') {
        // The legend note says which områdestyper were used, in the API's words.
        const { note, ts } = await page.evaluate(async () => {
          const r = await fetch(new URL('api/omradestyper', document.baseURI));
          return { note: window.segmap.app.view.note, ts: (await r.json()).type_source };
        });
        assert.ok(ts && ts.note_sv && note.includes(ts.note_sv), `typ note ${note} names the source ${JSON.stringify(ts)}`);
      }
      if (mode === 'change') {
        // The change classes and colours are the server's (GET /api/change classes).
        const { view, classes } = await page.evaluate(async () => {
          const app = window.segmap.app; const st = app.state;
          const r = await fetch(new URL(`api/change?level=${st.level}&indicator=${st.ind}&from=${Math.min(st.year, st.year2)}&to=${Math.max(st.year, st.year2)}&k=${st.k}`, document.baseURI));
          return { view: app.view.legend.filter((l) => l.kind === 'class').map((l) => l.color), classes: (await r.json()).classes };
        });
        assert.ok(classes && classes.colors.length >= 3, `api/change gives classes: ${JSON.stringify(classes)}`);
        assert.deepEqual(view, classes.colors, 'change legend colours');
      }
      if (mode === 'lisa') {
        // The cluster colours are the server's (GET /api/lisa colors), not a client copy.
        const { view, colors } = await page.evaluate(async () => {
          const app = window.segmap.app;
          const r = await fetch(new URL(`api/lisa?level=${app.state.level}&indicator=${app.state.ind}&year=${app.state.year}`, document.baseURI));
          return { view: app.view.legend.map((l) => [l.kind, l.color]), colors: (await r.json()).colors };
        });
        assert.ok(colors && colors.HH, `api/lisa gives colours: ${JSON.stringify(colors)}`);
        for (const [kind, color] of view) assert.equal(color, colors[kind], `LISA legend ${kind}`);
      }
      await page.screenshot({ path: shotPath(name) });
    }
    const s0 = await stats(page);
    await page.selectOption('#lang', 'en');
    await drawnAfter(page, s0.seq);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('label[for="ctl-level"]'), 'Level');
    const s1 = await stats(page);
    await page.check('#mode-ind');
    await drawnAfter(page, s1.seq);
    await page.screenshot({ path: shotPath('09-english') });
  });

  test('kommun search filters map, legend and table', async () => {
    const k = meta.kommuner[0];
    const s0 = await stats(page);
    // The fly to the kommun starts once the whole level is shown: note when it lands.
    await page.evaluate(() => {
      const m = window.segmap.app.map;
      window.kommunFlown = new Promise((landed) => {
        const fly = m.flyTo;
        m.flyTo = (...args) => { m.flyTo = fly; fly.apply(m, args); m.map.once('moveend', landed); };
      });
    });
    await page.fill('#ctl-kommun', k.name);
    await page.press('#ctl-kommun', 'Enter');
    await drawnAfter(page, s0.seq);
    assert.equal(new URL(page.url()).searchParams.get('kommun'), k.code);
    const codes = await page.$$eval('#data-table tbody tr', (r) => r.map((x) => x.dataset.code));
    assert.ok(codes.length > 0);
    const kommuner = await page.$$eval('#data-table tbody tr td:nth-child(3)', (td) => [...new Set(td.map((x) => x.textContent))]);
    assert.deepEqual(kommuner, [k.name]);
    const sum = (await page.$$eval('#legend .legend-count', (e) => e.map((x) => parseInt(x.textContent, 10)))).reduce((a, b) => a + b, 0);
    assert.equal(sum, codes.length);
    await page.evaluate(() => window.kommunFlown);
    await settle(page);
    await page.screenshot({ path: shotPath('10-kommun') });
  });
  test('QA fixes: change from the default view, load errors, downloads per mode, kommuner without boundaries', async () => {
    const p = await browser.context.newPage();
    p.on('pageerror', (e) => console.error('pageerror (qa):', e.message));
    await p.goto(`${server.base}/`);
    await p.evaluate(() => window.segmap.ready);

    // Förändring straight from the default view: two different years, a
    // map with more than one colour, and no downloads that would export
    // something else than the map.
    let s0 = await stats(p);
    await p.check('#mode-change');
    await drawnAfter(p, s0.seq);
    const st = await p.evaluate(() => window.segmap.state);
    assert.notEqual(st.year, st.year2, 'two different years');
    assert.ok(!(await p.getAttribute('#status', 'class')).includes('error'), await p.textContent('#status'));
    const used = await p.$$eval('#legend .legend-list li[data-kind="class"] .legend-count', (e) => e.filter((x) => parseInt(x.textContent, 10) > 0).length);
    assert.ok(used >= 3, `change map uses ${used} classes`);
    assert.equal(await p.$('#dl-csv'), null, 'no classification export in change mode');
    assert.match(await p.textContent('#dl-unavailable'), /Förändringen kan inte laddas ner/);
    s0 = await stats(p);
    await p.check('#mode-lisa');
    await drawnAfter(p, s0.seq);
    assert.equal(await p.$('#dl-xlsx'), null, 'no classification export in LISA mode');
    s0 = await stats(p);
    await p.check('#mode-ind');
    await drawnAfter(p, s0.seq);
    assert.ok(await p.$('#dl-csv'), 'downloads back in indicator mode');

    // Breakdown labels are words, also in the legend title.
    const br = meta.indicators.find((i) => (i.breakdowns || []).includes('europa'));
    if (br) {
      s0 = await stats(p);
      await p.selectOption('#ctl-ind', br.id);
      await drawnAfter(p, s0.seq);
      const opts = await p.$$eval('#ctl-bd option', (os) => os.map((o) => o.textContent));
      assert.ok(opts.includes('Europa utom Sverige') && opts.includes('Övriga världen'), opts.join());
      const bdLabel = await p.$eval('#ctl-bd', (sel) => sel.selectedOptions[0].textContent);
      if (await p.inputValue('#ctl-bd') !== 'total') assert.ok((await p.textContent('.legend-title')).includes(` – ${bdLabel}`), 'legend title names the breakdown');
    }

    // A failing load clears the old colours, legend and table and says so in Swedish.
    await p.route('**/api/classify**', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'database is locked' } }) }));
    await p.selectOption('#ctl-k', '3');
    await p.waitForFunction(() => window.segmap.stats.status === 'error', null, { timeout: 30_000 });
    assert.match(await p.textContent('#status'), /^Kartan kunde inte laddas: database is locked/);
    assert.equal((await legend(p)).length, 0, 'no stale legend');
    assert.equal(await p.$('#data-table'), null, 'no stale table');
    assert.equal(await p.evaluate(() => window.segmap.app.map.colored.size), 0, 'no stale colours');
    await p.unroute('**/api/classify**');

    // A kommun without boundaries: marked in the search list, a notice.
    const unmapped = meta.kommuner.filter((k) => k.mapped === false);
    assert.equal(await p.$$eval('#kommun-list option[data-unmapped]', (o) => o.length), unmapped.length);
    if (unmapped.length) {
      s0 = await stats(p);
      await p.fill('#ctl-kommun', `${unmapped[0].name} (${unmapped[0].code})`);
      await p.press('#ctl-kommun', 'Enter');
      await drawnAfter(p, s0.seq);
      assert.equal(await p.textContent('#kommun-unmapped'), `${unmapped[0].name} har inga gränser i databasen – visas bara i tabellen.`);
    }
    await p.close();
  });
});
