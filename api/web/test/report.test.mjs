// Browser test of the Nulägesbild: the client's "Skapa nulägesbild" link
// opens the server-rendered report, Chromium prints it to PDF (A4) and
// screenshots its first page into the artifacts folder; area notes show in
// the profile, its chart and the report; the change mode uses /api/change.
// Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, launchBrowser, missingTools, shotPath, startServer } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

// The server this file starts accepts note writes with this token.
const TOKEN = 'report-browser-test-token-0123456789';

// pdfPages counts the page objects of a PDF (Chromium writes them uncompressed).
function pdfPages(buf) {
  const s = buf.toString('latin1');
  assert.ok(s.startsWith('%PDF-'), 'a PDF file');
  return (s.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

// A4 at 96 CSS px per inch.
const A4 = { width: 794, height: 1123 };

describe('Nulägesbild (report)', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let page;

  before(async () => {
    process.env.SEGMAP_API_TOKEN = TOKEN; // inherited by the server that startServer spawns
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    mkdirSync(artifacts, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the client opens the report of the selected kommun; it prints to a multi-page A4 PDF with SVG maps', async () => {
    await page.goto(`${server.base}/?kommun=0180`);
    await page.evaluate(() => window.segmap.ready);
    const link = await page.waitForSelector('#report-link');
    assert.equal(await link.textContent(), 'Skapa nulägesbild');
    assert.equal(await link.getAttribute('target'), '_blank');
    const href = new URL(await link.getAttribute('href'), page.url());
    assert.equal(href.pathname, '/report');
    assert.equal(href.searchParams.get('kommun'), '0180');

    const [report] = await Promise.all([browser.context.waitForEvent('page'), link.click()]);
    await report.waitForLoadState('load');
    assert.equal(new URL(report.url()).searchParams.get('kommun'), '0180');
    assert.match(await report.title(), /^Nulägesbild: Stockholm/);
    assert.equal(await report.getAttribute('html', 'lang'), 'sv');

    // The maps are inline SVG, drawn and visible: områdestyper, LISA, change.
    const maps = await report.$$eval('svg.map', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { w: r.width, h: r.height, areas: e.querySelectorAll('path.area').length };
    }));
    assert.equal(maps.length, 3, 'three maps');
    for (const m of maps) assert.ok(m.w > 300 && m.h > 200 && m.areas > 50, `map drawn: ${JSON.stringify(m)}`);
    assert.ok(await report.isVisible('#types-map svg.map'));
    assert.ok(await report.isVisible('#lisa-map svg.map'));
    assert.equal(await report.$$eval('svg.scatter', (e) => e.length), 3, 'three scatter plots');

    // The numbers agree with the API the client uses.
    const ot = await (await fetch(`${server.base}/api/omradestyper?kommun=0180`)).json();
    const counts = await report.$$eval('#types-table tr[data-type] td[data-col="count"]', (tds) => tds.map((td) => Number(td.textContent)));
    assert.deepEqual(counts, ot.types.map((x) => x.regso_count));
    const lisa = await (await fetch(`${server.base}/api/lisa?level=deso&indicator=low_econ_standard_pct&kommun=0180&permutations=999&seed=1`)).json();
    const hh = lisa.areas.filter((a) => a.cluster === 'HH').length;
    assert.equal(Number(await report.textContent('#lisa-table tr[data-cluster="HH"] td.num')), hh);
    assert.match(await report.textContent('#lisa-text'), new RegExp(`${hh} i kluster av höga värden`));

    // Print: A4 PDF of several pages, and a picture of the first page.
    await report.setViewportSize(A4);
    const pdfPath = join(artifacts, 'report-0180.pdf');
    const pdf = await report.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = pdfPages(pdf);
    assert.ok(pages >= 2, `the PDF has ${pages} pages`);
    assert.ok(pdf.length > 50_000, `PDF ${pdf.length} bytes`);
    await report.emulateMedia({ media: 'print' });
    await report.screenshot({ path: shotPath('report-first-page') });
    await report.emulateMedia({ media: 'screen' });
    writeFileSync(join(artifacts, 'report-metrics.json'), JSON.stringify({ pdf_pages: pages, pdf_bytes: pdf.length }, null, 2));
    console.log(`METRIC report_pdf_pages=${pages}`);
    await report.close();
  });

  test('a group of kommuner in English', async () => {
    const p = await browser.context.newPage();
    await p.goto(`${server.base}/report?kommun=0126,0127,0128&lang=en`);
    assert.equal(await p.getAttribute('html', 'lang'), 'en');
    assert.match(await p.textContent('h1'), /Huddinge, Botkyrka and Salem/);
    assert.equal(await p.$$eval('#inequality-kommuner tbody tr', (r) => r.length), 3, 'one row per kommun');
    const pdf = await p.pdf({ format: 'A4', printBackground: true });
    assert.ok(pdfPages(pdf) >= 2);
    await p.setViewportSize(A4);
    await p.screenshot({ path: shotPath('report-group-en') });
    await p.close();
  });

  // Writing notes needs the server this file starts (with TOKEN), not an external one.
  test('area notes show in the profile, as a chart marker and in the report', { skip: process.env.SEGMAP_BASE_URL ? 'SEGMAP_BASE_URL: the server has another token' : false }, async () => {
    const text = 'Nytt studentboende 2019 förklarar inkomstfallet';
    const area = `${server.base}/api/areas/deso/0180C1010/notes`;
    const refused = await fetch(area, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ year: 2019, text }) });
    assert.equal(refused.status, 401, 'a write without the token is refused');
    const res = await fetch(area, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ year: 2019, text, author: 'Översiktsplaneringen' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const note = await res.json();

    await page.goto(`${server.base}/?kommun=0180&sel=0180C1010`);
    await page.evaluate(() => window.segmap.ready);
    await page.waitForSelector('#profile-notes li');
    assert.match(await page.textContent('#profile-notes'), /2019: Nytt studentboende/);
    const marker = await page.waitForSelector('#profile .chart-marker');
    assert.match(await marker.$eval('title', (e) => e.textContent), /2019: Nytt studentboende/);
    await page.screenshot({ path: shotPath('report-note-profile') });

    // Planners add and delete notes in the profile with the API token.
    await page.click('#profile .note-add summary');
    await page.fill('#note-year', '2021');
    await page.fill('#note-text', 'Ombyggnad av centrum 2021');
    await page.fill('#note-token', 'wrong-token-wrong-token');
    await page.click('#note-save');
    await page.waitForSelector('#profile .note-status.error');
    // The server's message in the UI's language (Swedish here): "API-nyckeln är fel".
    assert.match(await page.textContent('#profile .note-status'), /API-nyckeln/);
    await page.fill('#note-token', TOKEN);
    await page.click('#note-save');
    await page.waitForFunction(() => document.querySelectorAll('#profile-notes li').length === 2);
    const listed = await (await fetch(area)).json();
    assert.deepEqual(listed.notes.map((n) => [n.year, n.text]), [[2019, text], [2021, 'Ombyggnad av centrum 2021']]);
    await page.click('#profile-notes li:nth-child(2) button');
    await page.waitForFunction(() => document.querySelectorAll('#profile-notes li').length === 1);

    const r = await browser.context.newPage();
    await r.goto(`${server.base}/report?kommun=0180`);
    assert.match(await r.textContent('#notes-table'), /Nytt studentboende 2019/);
    await r.close();
    const del = await fetch(`${area}/${note.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(del.status, 204);
  });

  test('the change mode reads /api/change', async () => {
    const urls = [];
    const onReq = (req) => urls.push(new URL(req.url()).pathname);
    page.on('request', onReq);
    await page.goto(`${server.base}/?kommun=0180&mode=change&ind=net_income_mean_tkr`);
    await page.evaluate(() => window.segmap.ready);
    page.off('request', onReq);
    assert.ok(urls.includes('/api/change'), `requests: ${urls.filter((u) => u.startsWith('/api')).join(', ')}`);
    assert.ok(!urls.includes('/api/values'), 'no longer two /api/values requests');
    const link = new URL(await page.getAttribute('#report-link', 'href'), page.url());
    assert.equal(link.searchParams.get('change'), 'net_income_mean_tkr');
    const api = await (await fetch(`${server.base}/api/change?level=deso&indicator=net_income_mean_tkr&kommun=0180`)).json();
    const colored = await page.evaluate(() => window.segmap.stats.colored);
    assert.equal(colored, api.areas.length);
    await page.screenshot({ path: shotPath('report-change-mode') });
    // The PDF written by the first test is still there for people to look at.
    assert.ok(readFileSync(join(artifacts, 'report-0180.pdf')).length > 0);
  });
});
