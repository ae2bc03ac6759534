// Browser test of the data page (Datasidan, issue 16), as a planner uses it:
// start from an EMPTY store, upload the Dalarna DeSO GeoPackage (its extent
// drawn on the map) and import it, upload SCB's original xlsx, edit one
// suggested name, import, and read a value on the map's table that is
// checked against the file; a file whose codes lost their leading zero gets
// the hint; a broken file leaves the store as it was; rename, delete, undo.
// Expected numbers come from the files (test/scbfile reads them with
// excelize and segmap's site-file reader), never from this code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, missingTools, repoRoot, shotPath, startServer, parseSv } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

const TOKEN = 'datapage-test-token-0123456789';
const GPKG = join(repoRoot, 'testdata', 'boundaries', 'deso_2018_dalarna_3006.gpkg');
const XLSX = join(repoRoot, 'testdata', 'indicators', '000005FB_20240813-152341.xlsx');

// scbfile runs test/scbfile (built once in before()).
let scbBin = '';
const scbfile = (...args) => execFileSync(scbBin, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
const letterIndex = (l) => [...l].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

describe('data page', { skip: skip || false, timeout: 10 * 60_000 }, () => {
  let server; let browser; let page; let dir;
  let file; // the xlsx rows
  let dalarna; // the GeoPackage's features

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segmap-datapage-'));
    const store = join(dir, 'empty.gpkg');
    scbBin = join(dir, 'scbfile');
    execFileSync('go', ['build', '-o', scbBin, './api/web/test/scbfile'], { cwd: repoRoot });
    scbfile('empty-store', store);
    file = JSON.parse(scbfile('rows', XLSX));
    dalarna = JSON.parse(scbfile('features', GPKG, 'deso'));
    scbfile('strip-zero', XLSX, join(dir, 'excel_000005FB.xlsx'));
    scbfile('break', XLSX, join(dir, 'trasig_000005FB.xlsx'));
    server = await startServer({ store, args: ['--api-token', TOKEN] });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    page.on('dialog', (d) => d.accept());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const api = (path) => page.evaluate(async ([p, tok]) => {
    const r = await fetch(p, { headers: { authorization: `Bearer ${tok}`, accept: 'application/json' } });
    return { status: r.status, body: await r.json() };
  }, [path, TOKEN]);
  // upload chooses a file (the page uploads it at once) and waits until the
  // page has the answer, a preview or an error.
  const upload = async (path) => {
    const before = await page.evaluate(() => window.segmap.datapage.attempts);
    await page.setInputFiles('#dp-file', []); // choosing the same file again is a change too
    await page.setInputFiles('#dp-file', path);
    await page.waitForFunction((b) => window.segmap.datapage.attempts > b, before, { timeout: 60_000 });
  };
  const waitDrawn = (pred) => page.waitForFunction(pred, null, { timeout: 60_000 });

  test('the empty store: the page says so and opens the data page from the navigation', async () => {
    await page.goto(`${server.base}/`);
    await page.evaluate(() => window.segmap.ready);
    assert.equal(await page.evaluate(() => window.segmap.stats.status), 'empty');
    assert.match(await page.textContent('#status'), /Databasen är tom/);
    await page.click('#nav-data');
    await page.waitForSelector('#datapage:not([hidden]) #dp-file');
    assert.equal(await page.getAttribute('#nav-data', 'aria-current'), 'page');
    assert.match(await page.evaluate(() => location.search), /page=data/);
    // Without the token the upload is refused with a message, nothing sent.
    await upload(GPKG);
    assert.match(await page.textContent('#dp-error'), /API-nyckeln/);
    await page.fill('#dp-token', TOKEN);
    await page.dispatchEvent('#dp-token', 'change');
  });

  test('boundaries: the Dalarna GeoPackage is previewed with its extent on the map and imported', async () => {
    await upload(GPKG);
    assert.equal(await page.isHidden('#dp-error'), true, await page.textContent('#dp-error'));
    await page.waitForSelector('#dp-preview h3');
    assert.match(await page.textContent('#dp-preview h3'), /områdesgränser/);
    const facts = await page.$$eval('#dp-preview dl.dp-facts dd', (dd) => dd.map((d) => d.textContent));
    assert.ok(facts.some((f) => parseSv(f) === dalarna.count), `feature count ${dalarna.count} in ${facts}`);
    assert.ok(facts.some((f) => /deso/i.test(f)), `level deso in ${facts}`);
    // A DeSO file completes the store unless unticked; the facts follow the box.
    assert.equal(await page.isChecked('#dp-complete'), true);
    const also = () => page.$$eval('#dp-preview dl.dp-facts dt', (dt) => dt.map((d) => d.textContent).includes('Görs också'));
    assert.equal(await also(), true);
    await page.uncheck('#dp-complete');
    assert.equal(await also(), false);
    await page.check('#dp-complete');
    assert.equal(await also(), true);
    // The extent is drawn: the outline is rendered and the map shows Dalarna.
    await waitDrawn(() => {
      const m = window.segmap.map;
      return m.getLayer('dp-outline-fill') && !m.isMoving() && m.queryRenderedFeatures({ layers: ['dp-outline-fill'] }).length > 0;
    });
    const c = await page.evaluate(() => window.segmap.map.getCenter().toArray());
    const b = dalarna.bbox;
    assert.ok(c[0] > b[0] && c[0] < b[2] && c[1] > b[1] && c[1] < b[3], `map centre ${c} inside Dalarna ${b}`);
    await page.screenshot({ path: shotPath('datapage-01-boundaries') });
    await page.click('#dp-import');
    await page.waitForSelector('#dp-result', { timeout: 120_000 });
    assert.match(await page.textContent('#dp-result'), new RegExp(`${dalarna.count}\\s+områden`));
    // A DeSO file completes the store as segmap import does: RegSO and
    // kommun made from the DeSO, the national reference data imported.
    assert.match(await page.textContent('#dp-result'), /Av DeSO gjordes också RegSO: \d+ områden, Kommun: \d+ områden/);
    // The map has DeSO tiles now: the imported areas are loaded and drawn.
    await waitDrawn(() => {
      const m = window.segmap.map;
      return m.getSource('src-deso') && !m.isMoving() && m.querySourceFeatures('src-deso', { sourceLayer: window.segmap.app.map.tj.get('deso').layer }).length > 0;
    });
    const codes = new Set(await page.evaluate(() => window.segmap.map.querySourceFeatures('src-deso', { sourceLayer: window.segmap.app.map.tj.get('deso').layer }).map((f) => f.properties.code)));
    assert.ok([...codes].every((x) => dalarna.codes.includes(x)), 'every DeSO on the map is one of the file');
    const layers = await page.textContent('#dp-layer-list');
    assert.ok(/deso/.test(layers) && /regso/.test(layers) && /kommun/.test(layers), `layers: ${layers}`);
  });

  test('indicators: the SCB xlsx is previewed, a name edited, imported and shown with the file\'s value', async () => {
    const t0 = performance.now();
    await upload(XLSX);
    const tPreview = performance.now();
    assert.equal(await page.isHidden('#dp-error'), true, await page.textContent('#dp-error'));
    await page.waitForSelector('#dp-indicators fieldset.dp-entry');
    const u = await page.evaluate(() => window.segmap.datapage.upload);
    // What was understood, against the file: the year of its header and its first data row.
    const codeRe = /^\d{4}[A-C]\d{4}$/;
    const dataRows = file.rows.filter((r) => r && codeRe.test(r[0]));
    const head = file.rows.slice(0, file.rows.findIndex((r) => r && codeRe.test(r[0])));
    const years = [...new Set(head.flat().filter((x) => /^(19|20)\d\d$/.test(x)).map(Number))];
    assert.deepEqual(u.preview.years, years);
    assert.deepEqual(u.preview.sample_rows[0].slice(0, dataRows[0].length), dataRows[0]);
    assert.match(await page.textContent('#dp-sample'), new RegExp(dataRows[0][0]));
    // Join report: every code of the national file matches (the DeSO
    // upload imported the hierarchy, which names every DeSO of Sweden).
    assert.equal(u.preview.join.matched, dataRows.length);
    assert.match(await page.textContent('#dp-join'), /finns i databasen/);
    // Edit the first suggested name and preview again.
    const name = 'Födda i Sverige – Dalarna (test)';
    await page.fill('#dp-ind-0-name_sv', name);
    await page.dispatchEvent('#dp-ind-0-name_sv', 'change');
    const previews = await page.evaluate(() => window.segmap.datapage.previews);
    await page.click('#dp-repreview');
    await page.waitForFunction((p) => window.segmap.datapage.previews > p, previews, { timeout: 30_000 });
    // The server's answer carries the edit.
    assert.equal(await page.evaluate(() => window.segmap.datapage.upload.mapping.indicators[0].name_sv), name);
    assert.equal(await page.inputValue('#dp-ind-0-name_sv'), name);
    // The mapping as YAML for segmap import carries the edit.
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('#dp-yaml')]);
    assert.match(dl.suggestedFilename(), /\.ya?ml$/);
    const yaml = readFileSync(await dl.path(), 'utf8');
    assert.ok(yaml.includes(name), `YAML has the edited name:\n${yaml.slice(0, 400)}`);
    await page.screenshot({ path: shotPath('datapage-02-preview') });

    const mapping = await page.evaluate(() => window.segmap.datapage.upload.mapping);
    const entry = mapping.indicators[0];
    const t1 = performance.now();
    await page.click('#dp-import');
    await page.waitForSelector('#dp-result', { timeout: 120_000 });
    await page.waitForFunction((id) => window.segmap.state.ind === id && window.segmap.stats.status === 'drawn', entry.id, { timeout: 60_000 });
    // Figures for the README (reported, not asserted): the national file, 5,984 DeSO rows.
    console.log(`METRIC datapage_xlsx_upload_to_preview_ms=${Math.round(tPreview - t0)}`);
    console.log(`METRIC datapage_xlsx_import_to_map_ms=${Math.round(performance.now() - t1)}`);
    console.log(`METRIC datapage_xlsx_data_rows=${dataRows.length}`);
    assert.match(await page.textContent('#dp-result'), /Klart/);
    assert.match(await page.textContent('#ctl-ind option:checked'), new RegExp(name.replace(/[()]/g, '\\$&')));
    await waitDrawn(() => window.segmap.renderedColored() > 0);

    // A value on the map's table against the file: the first Dalarna DeSO of the file.
    const cols = new Map(u.preview.columns.map((c) => [c.name, letterIndex(c.letter)]));
    const cell = (row, ref) => {
      const i = cols.has(ref) ? cols.get(ref) : letterIndex(ref);
      return Number(row[i]);
    };
    const sum = (row, refs) => [].concat(refs || []).reduce((s, r) => s + cell(row, r), 0);
    const row = dataRows.find((r) => dalarna.codes.includes(r[0]));
    const expected = entry.aggregation === 'ratio' && [].concat(entry.denominator || []).length
      ? (entry.scale || 1) * sum(row, entry.numerator) / sum(row, entry.denominator)
      : sum(row, entry.value);
    assert.ok(Number.isFinite(expected), `expected value from the file for ${row[0]}: ${expected}`);
    const shown = await page.$$eval('#data-table tbody tr', (trs, code) => {
      const tr = trs.find((r) => r.children[0]?.textContent === code);
      return tr ? tr.children[3].textContent : null;
    }, row[0]);
    assert.ok(shown !== null, `row ${row[0]} in the table`);
    const decimals = entry.decimals ?? (await page.evaluate((id) => window.segmap.app.meta.indicators.find((i) => i.id === id)?.decimals ?? 1, entry.id));
    assert.ok(Math.abs(parseSv(shown) - expected) <= 0.5 * 10 ** -decimals + 1e-9, `${row[0]}: table ${shown}, file ${expected}`);
    await page.screenshot({ path: shotPath('datapage-03-imported') });
  });

  test('codes that lost their leading zero in Excel get the hint', async () => {
    await upload(join(dir, 'excel_000005FB.xlsx'));
    await page.waitForSelector('#dp-join');
    await page.waitForSelector('#dp-hint-zero');
    assert.match(await page.textContent('#dp-hint-zero'), /Excel/);
    assert.match(await page.textContent('#dp-join [data-cause="leading_zero"]'), /inledande nolla/);
    const ex = await page.$$eval('#dp-join .dp-examples tbody tr[data-cause="leading_zero"] td', (tds) => tds.map((t) => t.textContent));
    const stripped = file.rows.find((r) => r && /^0\d{3}[A-C]\d{4}$/.test(r[0]))[0].slice(1);
    assert.ok(ex.length >= 3, `an example of a lost leading zero: ${ex}`);
    assert.ok(ex.some((x) => x === stripped), `the file's first code without its zero (${stripped}) among ${ex}`);
    await page.click('#dp-cancel');
    await page.waitForSelector('#dp-preview', { state: 'hidden' });
  });

  test('a broken file is refused with a clear message and the store is unchanged', async () => {
    const before = { meta: (await api('api/meta')).body, inds: (await api('api/data/indicators')).body };
    await upload(join(dir, 'trasig_000005FB.xlsx'));
    await page.waitForSelector('#dp-error:not([hidden])');
    const msg = await page.textContent('#dp-error');
    assert.match(msg, /trasig_000005FB\.xlsx/, `the message names the file: ${msg}`);
    assert.doesNotMatch(msg, /\b(the|is not|cannot)\b/, `Swedish: ${msg}`);
    const after = { meta: (await api('api/meta')).body, inds: (await api('api/data/indicators')).body };
    assert.equal(after.meta.data_version, before.meta.data_version);
    assert.deepEqual(after.inds, before.inds);
  });

  test('undo the last import, import again, rename and delete', async () => {
    const ind = await page.evaluate(() => window.segmap.state.ind);
    assert.ok(ind);
    await page.waitForSelector('#dp-undo:not([disabled])');
    await page.click('#dp-undo');
    await page.waitForFunction((id) => !window.segmap.app.meta.indicators.some((i) => i.id === id), ind, { timeout: 60_000 });
    // The national indicators of the DeSO upload stay; the file's are gone.
    assert.ok(!(await api('api/data/indicators')).body.indicators.some((i) => i.id === ind));
    await page.waitForFunction((id) => !document.querySelector(`#dp-indicator-list li[data-id="${id}"]`), ind, { timeout: 30_000 });
    // Again, with the suggestion as it is.
    await upload(XLSX);
    await page.waitForSelector('#dp-import');
    // The map switches to the file's first indicator (other indicators,
    // the national ones, are there too).
    const id = await page.evaluate(() => window.segmap.datapage.upload.mapping.indicators[0].id);
    await page.click('#dp-import');
    await page.waitForSelector('#dp-result', { timeout: 120_000 });
    await page.waitForFunction((x) => window.segmap.state.ind === x && window.segmap.stats.status === 'drawn', id, { timeout: 60_000 });
    // Rename.
    await page.click(`#dp-indicator-list li[data-id="${id}"] .dp-rename-btn`);
    await page.fill(`#dp-rename-sv-${id}`, 'Omdöpt indikator');
    await page.click(`#dp-indicator-list li[data-id="${id}"] button[type=submit]`);
    await page.waitForFunction((x) => document.querySelector(`#dp-indicator-list li[data-id="${x}"]`)?.textContent.includes('Omdöpt indikator'), id, { timeout: 30_000 });
    assert.match(await page.textContent('#ctl-ind option:checked'), /Omdöpt indikator/);
    assert.equal((await api('api/data/indicators')).body.indicators.find((i) => i.id === id).name_sv, 'Omdöpt indikator');
    // A rename comes after the import: the import can no longer be undone.
    assert.equal(await page.isDisabled('#dp-undo'), true);
    // Delete.
    await page.click(`#dp-indicator-list li[data-id="${id}"] .dp-delete-btn`);
    await page.waitForFunction((x) => !document.querySelector(`#dp-indicator-list li[data-id="${x}"]`), id, { timeout: 30_000 });
    assert.ok(!(await api('api/data/indicators')).body.indicators.some((i) => i.id === id));
    assert.ok(!(await page.evaluate(() => window.segmap.app.meta.indicators.map((i) => i.id))).includes(id));
    await page.screenshot({ path: shotPath('datapage-04-managed') });
  });
});
