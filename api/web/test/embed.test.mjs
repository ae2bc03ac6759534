// Browser tests of embedding: the "Bädda in" dialog, the /embed page inside
// an iframe on another origin (allowed by --frame-ancestors), an origin that
// is not allowed (refused by CSP), the oEmbed discovery link, and the
// "Ladda ner bild" dialog. Run: cd api/web && npm test
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launchBrowser, missingTools, shotPath, startServer } from './harness.mjs';

let skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);
// The test starts its own segmap with --frame-ancestors, so it needs go
// even when SEGMAP_BASE_URL names a running server.
if (!skip && !(process.env.PATH || '').split(':').some((d) => d && existsSync(join(d, 'go')))) skip = 'go not found on PATH';
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`embedding tests need: ${skip}`);

const unescapeHTML = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const iframeSrc = (html) => unescapeHTML(/<iframe src="([^"]+)"/.exec(html)?.[1] || '');
const drawn = (target) => target.waitForFunction(() => window.segmap?.stats?.status === 'drawn', null, { timeout: 120_000 });
// settle waits for camera moves and tiles.
async function settle(target) {
  await target.waitForFunction(() => window.segmap.map && !window.segmap.map.isMoving() && window.segmap.map.areTilesLoaded(), null, { timeout: 60_000 });
}
const view = (target) => target.evaluate(() => {
  const { app } = window.segmap;
  const m = app.map;
  const colours = {};
  for (const id of m.colored.keys()) colours[id] = m.map.getFeatureState(m.sourceRef(id)).color;
  const c = m.map.getCenter();
  return {
    state: { ...app.state }, colours, legend: [...document.querySelectorAll('#legend .legend-list li')].map((li) => li.textContent),
    summary: document.getElementById('map-summary')?.textContent || '', zoom: m.map.getZoom(), center: [c.lng, c.lat],
  };
});

// pageServer serves the HTML pages of pages (path → html) on port: the
// "kommun website" of another origin.
function pageServer(port, pages) {
  const srv = createServer((req, res) => {
    const html = pages.get(new URL(req.url, 'http://x').pathname);
    if (!html) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  return new Promise((res) => srv.listen(port, '127.0.0.1', () => res(srv)));
}

const kommunPage = (title, body) => `<!doctype html><html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:sans-serif;margin:0 auto;max-width:960px;padding:12px}header{background:#0b5394;color:#fff;padding:8px 12px}</style></head>
<body><header>Exempel kommun – ${title}</header><p>Så ser det ut i våra bostadsområden:</p>${body}<p>Sidfot</p></body></html>`;

describe('embedding segmap in another site', { skip: skip || false, timeout: 20 * 60_000 }, () => {
  let server; let browser; let allowedPort; let refusedPort; let allowed; let refused;
  const pages = new Map();
  let dialogSnippet = ''; let client = null;

  before(async () => {
    allowedPort = await freePort();
    refusedPort = await freePort();
    while (refusedPort === allowedPort) refusedPort = await freePort();
    server = await startServer(['--frame-ancestors', `'self',http://127.0.0.1:${allowedPort}`]);
    allowed = await pageServer(allowedPort, pages);
    refused = await pageServer(refusedPort, pages);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => (allowed ? allowed.close(r) : r()));
    await new Promise((r) => (refused ? refused.close(r) : r()));
  });

  test('"Bädda in" dialog: accessible, and its snippet reproduces the view', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    await page.goto(`${server.base}/?kommun=0127&ind=foreign_born_pct&method=jenks&k=4&scheme=YlOrRd`);
    await drawn(page);
    await settle(page);
    client = await view(page);
    assert.ok(client.summary.startsWith('Utrikes födda 2022 per DeSO i Botkyrka'), `summary: ${client.summary}`);
    assert.equal(await page.getAttribute('#map', 'aria-describedby'), 'map-summary');
    assert.match(await page.$eval('#map canvas', (c) => c.getAttribute('aria-label')), /Utrikes födda 2022 per DeSO i Botkyrka/);

    // Opened from the keyboard; focus moves into the dialog.
    await page.focus('#btn-embed');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#embed-dialog[open]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'embed-size');
    assert.equal(await page.$eval('#embed-dialog', (d) => document.getElementById(d.getAttribute('aria-labelledby')).textContent), 'Bädda in kartan');
    assert.ok(await page.evaluate(() => document.getElementById('embed-dialog').matches(':modal')), 'the dialog is modal');
    // Every control has a label.
    const unlabelled = await page.$$eval('#embed-dialog select, #embed-dialog input, #embed-dialog textarea',
      (els) => els.filter((e) => !e.labels?.length).map((e) => e.id || e.outerHTML));
    assert.deepEqual(unlabelled, []);

    const responsive = await page.inputValue('#embed-code');
    assert.match(responsive, /^<iframe src="[^"]+\/embed\?[^"]+" title="Utrikes födda 2022" style="border:0;width:100%;height:480px" loading="lazy" allowfullscreen><\/iframe>$/);
    await page.selectOption('#embed-size', 'medium');
    const medium = await page.inputValue('#embed-code');
    assert.match(medium, /width="800" height="600"/);
    await page.uncheck('#embed-controls');
    await page.check('#embed-click');
    const options = await page.inputValue('#embed-code');
    const src = new URL(iframeSrc(options));
    assert.equal(src.searchParams.get('controls'), '0');
    assert.equal(src.searchParams.get('click'), '1');
    assert.equal(src.searchParams.has('hover'), false, 'defaults are left out');
    for (const k of ['ind', 'year', 'level']) assert.ok(src.searchParams.get(k), `embed pins ${k}`);
    await page.check('#embed-controls');
    await page.uncheck('#embed-click');
    await page.selectOption('#embed-size', 'responsive');
    await page.fill('#embed-height', '520');
    dialogSnippet = await page.inputValue('#embed-code');
    assert.match(dialogSnippet, /height:520px/);
    await page.click('#embed-copy');
    await page.waitForFunction(() => document.getElementById('embed-copied').textContent !== '');

    // Escape closes it and focus returns to the button.
    await page.keyboard.press('Escape');
    await page.waitForSelector('#embed-dialog', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-embed');

    // The snippet's URL reproduces the view: same state, colours, legend,
    // summary and camera.
    const url = iframeSrc(dialogSnippet);
    assert.ok(url.startsWith(`${server.base}/embed?`), url);
    const embed = await browser.context.newPage();
    embed.on('pageerror', (e) => console.error('pageerror (embed):', e.message));
    await embed.goto(url);
    await drawn(embed);
    await settle(embed);
    const got = await view(embed);
    for (const k of ['mode', 'level', 'kommun', 'ind', 'year', 'bd', 'method', 'k', 'scheme', 'lang', 'pool']) assert.equal(got.state[k], client.state[k], `state ${k}`);
    assert.deepEqual(got.colours, client.colours, 'colours per area');
    assert.deepEqual(got.legend, client.legend, 'legend');
    assert.equal(got.summary, client.summary, 'summary');
    assert.ok(Math.abs(got.zoom - client.zoom) < 0.01, `zoom ${got.zoom} vs ${client.zoom}`);
    assert.ok(Math.abs(got.center[0] - client.center[0]) < 1e-3 && Math.abs(got.center[1] - client.center[1]) < 1e-3, `centre ${got.center} vs ${client.center}`);
    // The embed page: title, legend, source line, link to the data as a table.
    assert.equal(await embed.textContent('#embed-title'), 'Utrikes födda 2022');
    assert.equal(await embed.textContent('#embed-source'), 'Källa: SCB, 2022');
    assert.equal(await embed.title(), 'Utrikes födda 2022 – segmap');
    const table = new URL(await embed.getAttribute('#embed-table', 'href'));
    assert.equal(table.hash, '#table');
    assert.equal(table.searchParams.get('ind'), 'foreign_born_pct');
    assert.ok(await embed.isVisible('.embed-legend .legend-list'), 'legend on the map');

    // The embed page announces itself to CMSs: its oEmbed link gives an
    // iframe of the same map.
    const link = await embed.getAttribute('link[type="application/json+oembed"]', 'href');
    const o = await (await fetch(link)).json();
    assert.equal(o.type, 'rich');
    assert.equal(o.title, 'Utrikes födda 2022');
    const osrc = new URL(iframeSrc(o.html));
    const want = new URL(url);
    assert.equal(osrc.origin + osrc.pathname, want.origin + want.pathname);
    assert.deepEqual([...osrc.searchParams].sort(), [...want.searchParams].sort());
    pages.set('/oembed.html', kommunPage('oEmbed', o.html));
    await embed.close();

    // The table link opens the client with the table in focus.
    const t = await browser.context.newPage();
    await t.goto(table.href);
    await drawn(t);
    await t.waitForFunction(() => document.activeElement?.id === 'table-region');
    await t.close();
    await page.close();
  });

  test('an allowed origin embeds the map and it draws (desktop and 320 px phone)', async () => {
    assert.ok(dialogSnippet, 'the dialog test ran first');
    pages.set('/allowed.html', kommunPage('Inbäddad karta', dialogSnippet));
    const page = await browser.context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`http://127.0.0.1:${allowedPort}/allowed.html`);
    const frame = await embedFrame(page, server.base);
    await drawn(frame);
    await settle(frame);
    const s = await frame.evaluate(() => ({ ...window.segmap.stats, rendered: window.segmap.renderedColored(), origin: location.origin, top: window.top === window }));
    assert.equal(s.status, 'drawn');
    assert.ok(s.colored > 0 && s.rendered > 0, `coloured ${s.colored}, rendered ${s.rendered}`);
    assert.equal(s.origin, server.base, 'the frame is segmap (another origin than the page)');
    assert.equal(s.top, false, 'inside a frame');
    const v = await view(frame);
    assert.deepEqual(v.colours, client.colours, 'the frame shows the dialog\'s view');
    assert.equal(await frame.textContent('#embed-source'), 'Källa: SCB, 2022');
    const box = await page.$eval('iframe', (f) => { const r = f.getBoundingClientRect(); return { w: r.width, h: r.height }; });
    assert.equal(box.h, 520);
    await page.screenshot({ path: shotPath('embed-cross-origin'), fullPage: true });

    // A 320 px phone: the frame is as wide as the page, the legend fits.
    await page.setViewportSize({ width: 320, height: 640 });
    await settle(frame);
    const narrow = await frame.evaluate(() => {
      const l = document.querySelector('.embed-legend').getBoundingClientRect();
      return { w: window.innerWidth, legendRight: l.right, titleH: document.getElementById('embed-title').getBoundingClientRect().height };
    });
    assert.ok(narrow.w <= 320 && narrow.w >= 280, `frame width ${narrow.w}`);
    assert.ok(narrow.legendRight <= narrow.w, `legend inside the frame: ${narrow.legendRight} <= ${narrow.w}`);
    // Below 400 px the legend folds away with an accessible button.
    assert.ok(await frame.isVisible('#embed-legend-toggle'), 'fold button at 320 px');
    const expanded = await frame.getAttribute('#embed-legend-toggle', 'aria-expanded');
    await frame.click('#embed-legend-toggle');
    assert.notEqual(await frame.getAttribute('#embed-legend-toggle', 'aria-expanded'), expanded);
    await frame.click('#embed-legend-toggle');
    assert.equal(await frame.getAttribute('#embed-legend-toggle', 'aria-expanded'), expanded);
    await frame.click('#embed-legend-toggle');
    assert.equal(await frame.getAttribute('#embed-legend-toggle', 'aria-expanded'), 'false');
    assert.equal(await frame.isVisible('.embed-legend .legend-list'), false, 'folded legend hides its list');
    const folded = await frame.evaluate(() => document.querySelector('.embed-legend').getBoundingClientRect().height);
    assert.ok(folded < 40, `folded legend is one line: ${folded}px`);
    await page.screenshot({ path: shotPath('embed-cross-origin-320px'), fullPage: true });
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('an origin not on the frame-ancestors list is refused', async () => {
    pages.set('/refused.html', kommunPage('Ej tillåten', pages.get('/oembed.html') ? /<iframe[^>]+><\/iframe>/.exec(pages.get('/oembed.html'))[0] : dialogSnippet));
    const page = await browser.context.newPage();
    const console_ = [];
    page.on('console', (m) => console_.push(m.text()));
    const csp = [];
    page.on('response', async (r) => { if (r.url().startsWith(`${server.base}/embed`)) csp.push(await r.headerValue('content-security-policy')); });
    await page.goto(`http://127.0.0.1:${refusedPort}/refused.html`);
    await page.waitForLoadState('load');
    // The frame's document was delivered with the CSP, and the browser
    // refused to render it: no segmap inside.
    await page.waitForFunction(() => document.querySelector('iframe') !== null);
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    assert.equal(frames.length, 1);
    const inner = await frames[0].evaluate(() => ({ segmap: typeof window.segmap, url: location.href })).catch((e) => ({ error: e.message }));
    assert.notEqual(inner.segmap, 'object', `segmap must not run in the refused frame: ${JSON.stringify(inner)}`);
    assert.equal(csp.length, 1);
    assert.ok(csp[0].endsWith(`; frame-ancestors 'self' http://127.0.0.1:${allowedPort}`), csp[0]);
    assert.ok(console_.some((m) => /frame-ancestors/.test(m)), `Chromium reports the CSP refusal: ${console_.join(' | ')}`);
    await page.screenshot({ path: shotPath('embed-refused'), fullPage: true });
    await page.close();
  });

  test('embed options: controls=0, hover=0, click=1', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 640, height: 480 });
    const base = `${server.base}/embed?kommun=0127&ind=foreign_born_pct`;
    await page.goto(`${base}&controls=0&hover=0&click=1`);
    await drawn(page);
    await settle(page);
    assert.equal(await page.$$eval('.maplibregl-ctrl-zoom-in', (b) => b.length), 0, 'no zoom buttons');
    // Hover over a coloured area: no tooltip; click: its profile opens.
    const pt = await page.evaluate(() => {
      const m = window.segmap.map;
      const f = m.queryRenderedFeatures({ layers: ['area-fill'] }).find((x) => window.segmap.app.map.colored.has(x.id));
      const r = m.getCanvas().getBoundingClientRect();
      for (let y = 20; y < r.height - 20; y += 6) for (let x = 20; x < r.width - 20; x += 6) {
        const hit = m.queryRenderedFeatures([x, y], { layers: ['area-fill'] })[0];
        if (hit && hit.id === f.id) return { x: r.left + x, y: r.top + y, code: hit.properties.code };
      }
      return null;
    });
    assert.ok(pt, 'a point on a coloured area');
    await page.mouse.move(pt.x, pt.y);
    await page.mouse.move(pt.x + 1, pt.y + 1);
    assert.equal(await page.isHidden('#tooltip'), true, 'hover=0: no tooltip');
    await page.mouse.click(pt.x, pt.y);
    await page.waitForSelector('#profile:not([hidden])');
    await page.waitForFunction((c) => window.segmap.state.sel === c, pt.code);
    assert.match(page.url(), /controls=0/, 'the options stay in the URL');
    // The defaults: zoom buttons, tooltip on hover, clicks do nothing.
    await page.goto(base);
    await drawn(page);
    await settle(page);
    assert.equal(await page.$$eval('.maplibregl-ctrl-zoom-in', (b) => b.length), 1);
    await page.mouse.move(pt.x, pt.y);
    await page.mouse.move(pt.x + 1, pt.y + 1);
    await page.waitForSelector('#tooltip:not([hidden])');
    await page.mouse.click(pt.x, pt.y);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.isHidden('#profile'), true, 'click=0: no profile');
    assert.equal(await page.evaluate(() => window.segmap.state.sel), '');
    await page.close();
  });

  test('"Ladda ner bild" dialog offers PNG and SVG of the view at a chosen size', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.base}/?kommun=0127&ind=foreign_born_pct&method=jenks&k=4&scheme=YlOrRd&lang=en`);
    await drawn(page);
    await page.click('#btn-picture');
    await page.waitForSelector('#picture-dialog[open]');
    assert.equal(await page.$eval('#picture-dialog', (d) => document.getElementById(d.getAttribute('aria-labelledby')).textContent), 'Download the map as a picture');
    await page.selectOption('#picture-size', 'a4l');
    await page.selectOption('#picture-dpi', '300');
    const href = new URL(await page.getAttribute('#picture-download', 'href'), server.base);
    assert.equal(href.pathname, '/api/map.png');
    for (const [k, v] of Object.entries({ width: '1123', height: '794', dpi: '300', indicator: 'foreign_born_pct', kommun: '0127', method: 'jenks', k: '4', scheme: 'YlOrRd', lang: 'en' })) {
      assert.equal(href.searchParams.get(k), v, k);
    }
    assert.match(await page.textContent('#picture-pixels'), /3,509 × 2,481/);
    assert.match(await page.inputValue('#picture-alt'), /^Foreign born 2022 by DeSO in Botkyrka/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#picture-download')]);
    const path = await download.path();
    const png = readFileSync(path);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), 3509, 'PNG width in pixels');
    await page.check('#picture-svg');
    assert.ok(await page.isDisabled('#picture-dpi'));
    const svg = new URL(await page.getAttribute('#picture-download', 'href'), server.base);
    assert.equal(svg.pathname, '/api/map.svg');
    const body = await (await fetch(svg)).text();
    assert.match(body, /<desc id="map-desc">Foreign born 2022 by DeSO in Botkyrka/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#picture-dialog', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-picture');
    await page.close();
  });
});

// embedFrame finds the segmap frame in page (a cross-origin child frame),
// waiting for it to load when it is not there yet.
async function embedFrame(page, base) {
  const isEmbed = (f) => f.url().startsWith(`${base}/embed`);
  return page.frames().find(isEmbed) || page.waitForEvent('framenavigated', { predicate: isEmbed, timeout: 60_000 });
}
