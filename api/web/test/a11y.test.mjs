// Accessibility checks of the map client in headless Chromium: WCAG 2.1 AA
// text contrast (1.4.3) for every visible text outside the map canvas, a
// visible focus indicator on every tab stop (2.4.7), and the main controls
// operable from the keyboard alone (2.1.1).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, missingTools, shotPath, startServer } from './harness.mjs';

const skip = missingTools();
if (skip && process.env.SEGMAP_REQUIRE_TOOLS === '1') throw new Error(`browser tests need: ${skip}`);

describe('accessibility', { skip: skip || false, timeout: 10 * 60_000 }, () => {
  let server; let browser; let page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => window.segmap?.stats?.status === 'drawn', null, { timeout: 120_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  // lowContrast lists visible texts below AA contrast, in the page's current state.
  const lowContrast = () => page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const over = (fg, bg) => ({ r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1 });
    const lum = (c) => {
      const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    // background: blend the element's and its ancestors' backgrounds over white.
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (const c of layers.reverse()) bg = over(c, bg);
      return bg;
    };
    const bad = [];
    const map = document.getElementById('map');
    for (const el of document.body.querySelectorAll('*')) {
      if (map.contains(el) || el.closest('[hidden]')) continue;
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join('');
      if (!text) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none' || el.getClientRects().length === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue; // visually hidden (skip link, sr-only)
      if (el.closest('.skip, .sr-only, .visually-hidden')) continue;
      const bg = background(el);
      const fg = over(parse(cs.color), bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} "${text.slice(0, 30)}": ${ratio.toFixed(2)}`);
    }
    return bad;
  });

  test('text contrast meets WCAG AA (sv and en, with a profile open)', async () => {
    // The check finds a light grey text on the white sidebar (#999: 2.85:1).
    await page.evaluate(() => document.getElementById('controls').insertAdjacentHTML('beforeend', '<p id="probe" style="color:#999">prov</p>'));
    assert.deepEqual((await lowContrast()).map((x) => x.split('.')[0]), ['p#probe']);
    await page.evaluate(() => document.getElementById('probe').remove());
    assert.deepEqual(await lowContrast(), []);
    // Open an area profile from the table, then check again in English.
    await page.click('#data-table tbody tr:nth-child(3)');
    await page.waitForSelector('#profile:not([hidden]) svg.chart');
    assert.deepEqual(await lowContrast(), []);
    const s0 = await page.evaluate(() => window.segmap.stats.seq);
    await page.selectOption('#lang', 'en');
    await page.waitForFunction((s) => window.segmap.stats.seq > s && window.segmap.stats.status === 'drawn', s0, { timeout: 60_000 });
    assert.deepEqual(await lowContrast(), []);
    await page.selectOption('#lang', 'sv');
    await page.keyboard.press('Escape');
    // The data page (Datasidan) with the store's lists.
    await page.click('#nav-data');
    await page.waitForSelector('#dp-indicator-list li[data-id]');
    assert.deepEqual(await lowContrast(), []);
    await page.click('#nav-map');
    await page.waitForSelector('#datapage', { state: 'hidden' });
  });

  test('every tab stop shows where the focus is', async () => {
    // From the top of a fresh page (a blurred element would stay the
    // starting point of sequential navigation).
    await page.goto(`${server.base}/`);
    await page.waitForFunction(() => window.segmap?.stats?.status === 'drawn', null, { timeout: 120_000 });
    const seen = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const cs = getComputedStyle(e);
        const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
        return { what: `${e.tagName.toLowerCase()}#${e.id}.${e.className}`, ring };
      });
      if (!f) break;
      seen.push(f);
    }
    assert.ok(seen.length >= 10, `tab stops: ${seen.map((f) => f.what)}`);
    const noRing = seen.filter((f) => !f.ring).map((f) => f.what);
    assert.deepEqual(noRing, [], 'tab stops without a visible focus indicator');
  });

  test('indicator, year and classification can be changed from the keyboard', async () => {
    const st0 = await page.evaluate(() => ({ ...window.segmap.state }));
    const s0 = await page.evaluate(() => window.segmap.stats.seq);
    await page.focus('#ctl-ind');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((s) => window.segmap.stats.seq > s && window.segmap.stats.status === 'drawn', s0, { timeout: 60_000 });
    const st1 = await page.evaluate(() => ({ ...window.segmap.state }));
    assert.notEqual(st1.ind, st0.ind, 'ArrowDown on the indicator list changes the indicator');
    const s1 = await page.evaluate(() => window.segmap.stats.seq);
    await page.focus('#ctl-k');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((s) => window.segmap.stats.seq > s && window.segmap.stats.status === 'drawn', s1, { timeout: 60_000 });
    const st2 = await page.evaluate(() => ({ ...window.segmap.state }));
    assert.notEqual(st2.k, st1.k, 'the number of classes changes');
    await page.screenshot({ path: shotPath('12-keyboard') });
  });
});
