// Unit tests of the client's pure modules (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fmt, fmtSigned, fmtUnit } from '../src/format.js';
import { parse, serialize, normalise, defaults, yearsFor } from '../src/state.js';
import { breakdownLabel } from '../src/i18n.js';
import { flyPadding, FLY_MAX_ZOOM } from '../src/camera.js';
import { loadErrorMessage } from '../src/errors.js';
import { url, classifyQuery } from '../src/api.js';

const meta = {
  levels: [{ id: 'deso', tiles: 't' }, { id: 'regso', tiles: 't' }, { id: 'kommun', tiles: 't' }],
  indicators: [
    { id: 'low_econ_standard_pct', years: [2019, 2020, 2021, 2022], breakdowns: ['total'] },
    { id: 'unemployment_pct', years: [2020, 2021], breakdowns: ['total', 'kvinnor', 'man'] },
  ],
  kommuner: [{ code: '0180', name: 'Stockholm' }],
  defaults: { level: 'deso', indicator: 'low_econ_standard_pct', year: 2022, method: 'quantile', k: 5 },
};

test('numbers as the server writes them (testdata/locale/numbers.json, internal/locale)', () => {
  const golden = JSON.parse(readFileSync(new URL('../../../testdata/locale/numbers.json', import.meta.url), 'utf8'));
  assert.ok(golden.cases.length >= 10);
  for (const c of golden.cases) {
    assert.equal(fmt(c.v, c.decimals, 'sv'), c.sv, `${c.v} ${c.decimals} sv`);
    assert.equal(fmt(c.v, c.decimals, 'en'), c.en, `${c.v} ${c.decimals} en`);
  }
});

test('Swedish number format', () => {
  for (const [v, d, lang, want] of [
    [1234.56, 1, 'sv', '1\u00a0234,6'], [0.5, 0, 'sv', '1'], [-3.25, 2, 'sv', '\u22123,25'],
    [1234.56, 1, 'en', '1,234.6'], [null, 1, 'sv', '–'], [Number.NaN, 1, 'sv', '–'],
  ]) assert.equal(fmt(v, d, lang), want, `${v} ${d} ${lang}`);
  assert.equal(fmtSigned(2.5, 1, 'sv'), '+2,5');
  assert.equal(fmtSigned(-2.5, 1, 'sv'), '\u22122,5');
  assert.equal(fmtUnit(12.25, 1, '%', 'sv'), '12,3 %'.replace('12,3', fmt(12.25, 1, 'sv')));
  assert.equal(fmtUnit(300, 0, 'tkr', 'sv'), '300 tkr');
});

test('state round-trips through the URL and is normalised against meta', () => {
  const base = defaults(meta);
  const cases = [
    { in: '', want: { level: 'deso', ind: 'low_econ_standard_pct', year: 2022, mode: 'ind' } },
    { in: 'ind=unemployment_pct&year=2022', want: { ind: 'unemployment_pct', year: 2021 } }, // 2022 not available
    { in: 'ind=nope&k=42&method=bogus', want: { ind: 'low_econ_standard_pct', k: 9, method: 'quantile' } },
    { in: 'mode=typ&level=deso', want: { mode: 'typ', level: 'regso' } },
    { in: 'mode=hack&lang=fr', want: { mode: 'ind', lang: 'sv' } },
    { in: 'ind=unemployment_pct&bd=kvinnor&kommun=0180&sel=0180A0010', want: { bd: 'kvinnor', kommun: '0180', sel: '0180A0010' } },
  ];
  for (const c of cases) {
    const s = normalise(parse(c.in, base), meta);
    for (const [k, v] of Object.entries(c.want)) assert.equal(s[k], v, `${c.in}: ${k}`);
    const again = normalise(parse(serialize(s, base), base), meta);
    assert.deepEqual(again, s, `round trip of ${c.in}`);
  }
  assert.equal(serialize(normalise(parse('', base), meta), base), '', 'defaults are left out of the URL');
});

test('queries carry exactly the view', () => {
  const s = normalise(parse('ind=unemployment_pct&year=2020&k=7&method=fisher&scheme=Blues&kommun=0180&pool=1', defaults(meta)), meta);
  const q = new URLSearchParams(url('api/export.xlsx', classifyQuery(s, meta)).split('?')[1]);
  assert.equal(q.get('indicator'), 'unemployment_pct');
  assert.equal(q.get('year'), '2020');
  assert.equal(q.get('k'), '7');
  assert.equal(q.get('method'), 'fisher');
  assert.equal(q.get('scheme'), 'Blues');
  assert.equal(q.get('kommun'), '0180');
  assert.equal(q.get('pooled'), '2020,2021');
  assert.equal(q.get('breakdown'), 'total');
});

test('years follow the level: a DeSO-only year is not offered on RegSO', () => {
  const ind = { id: 'x', years: [2022, 2024], years_by_level: { deso: [2022, 2024], regso: [2022] }, breakdowns: ['total'] };
  assert.deepEqual(yearsFor(ind, 'deso'), [2022, 2024]);
  assert.deepEqual(yearsFor(ind, 'regso'), [2022]);
  assert.deepEqual(yearsFor(ind, 'kommun'), [2022, 2024]); // not listed: every year
  assert.deepEqual(yearsFor({ years: [2020] }, 'deso'), [2020]);
  const m = { levels: meta.levels, indicators: [ind] };
  const s = normalise({ ...defaults(m), ind: 'x', level: 'regso', year: 2024 }, m);
  assert.equal(s.year, 2022);
  const s2 = normalise({ ...defaults(m), ind: 'x', level: 'deso', year: 2024 }, m);
  assert.equal(s2.year, 2024);
});

test('change mode compares two different years (year2 = latest year before year)', () => {
  const ind = { id: 'x', years: [2022, 2024], breakdowns: ['total'] };
  const m = { levels: meta.levels, indicators: [ind], defaults: { indicator: 'x', year: 2024 } };
  const cases = [
    [{ year: 2024, year2: 0 }, 2024, 2022],
    [{ year: 2024, year2: 2024 }, 2024, 2022],
    [{ year: 2022, year2: 2022 }, 2022, 2024], // nothing earlier: the other year
    [{ year: 2022, year2: 2024 }, 2022, 2024], // a valid choice is kept
  ];
  for (const [st, year, year2] of cases) {
    const s = normalise({ ...defaults(m), mode: 'change', ...st }, m);
    assert.equal(s.year, year, JSON.stringify(st));
    assert.equal(s.year2, year2, JSON.stringify(st));
    assert.ok(Math.min(s.year, s.year2) < Math.max(s.year, s.year2), 'from < to');
  }
});

test('breakdown labels are words, not ids', () => {
  for (const [lang, id, want] of [
    ['sv', 'europa', 'Europa utom Sverige'], ['sv', 'ovriga', 'Övriga världen'], ['sv', 'sverige', 'Sverige'],
    ['en', 'europa', 'Europe except Sweden'], ['en', 'ovriga', 'Rest of the world'], ['en', 'sverige', 'Sweden'],
    ['sv', '20-34', '20–34 år'], ['en', '0-19', '0–19 years'], ['sv', '80+', '80 år och äldre'], ['en', '80+', '80 years and over'],
    ['sv', 'kvinnor', 'Kvinnor'], ['sv', 'okand', 'okand'],
  ]) assert.equal(breakdownLabel(lang, id), want, `${lang} ${id}`);
});

test('flying to an area pads the right side by the open panel', () => {
  assert.deepEqual(flyPadding(1000, 700, 0), { top: 80, bottom: 80, left: 80, right: 80 });
  assert.deepEqual(flyPadding(1000, 700, 400), { top: 80, bottom: 80, left: 80, right: 480 });
  // Panel over (almost) the whole map, as on a phone: plain, shrunk margin.
  assert.deepEqual(flyPadding(360, 600, 360), { top: 80, bottom: 80, left: 80, right: 80 });
  assert.deepEqual(flyPadding(200, 160, 0), { top: 40, bottom: 40, left: 40, right: 40 });
  for (const [w, h, p] of [[1000, 700, 400], [500, 400, 400], [320, 200, 320]]) {
    const pad = flyPadding(w, h, p);
    assert.ok(pad.left + pad.right < w && pad.top + pad.bottom < h, `${w}×${h} panel ${p}: room left for the area`);
  }
  assert.ok(FLY_MAX_ZOOM <= 12.5 && FLY_MAX_ZOOM >= 11.5);
});

test('load errors are translated, the server message kept as detail', () => {
  const same = new Error('from (2022) must be an earlier year than to (2022); years at deso: [2022 2024]');
  assert.deepEqual(loadErrorMessage('sv', same), { text: 'Välj två olika år.', detail: same.message });
  assert.equal(loadErrorMessage('en', same).text, 'Choose two different years.');
  const none = new Error('deso has no values of indicator "x" for 2019; years at deso: [2022]');
  assert.equal(loadErrorMessage('sv', none).text, 'Inga värden för urvalet.');
  assert.equal(loadErrorMessage('sv', none).detail, none.message);
  assert.deepEqual(loadErrorMessage('sv', new Error('database is locked')), { text: 'Kartan kunde inte laddas: database is locked', detail: '' });
  assert.equal(loadErrorMessage('en', new Error('boom')).text, 'The map could not be loaded: boom');
  // The API answers in the UI's language: its Swedish messages are known too.
  assert.equal(loadErrorMessage('sv', new Error('from (2022) måste vara ett tidigare år än to (2022); år på nivån deso: [2022 2024]')).text, 'Välj två olika år.');
  assert.equal(loadErrorMessage('sv', new Error('kommun har värden bara för 2022 (indikatorn "x"); förändring mellan år kräver två år')).text, 'Välj två olika år.');
  assert.equal(loadErrorMessage('sv', new Error('indikatorn "x" har inga värden för år 2019; år: [2022]')).text, 'Inga värden för urvalet.');
});
