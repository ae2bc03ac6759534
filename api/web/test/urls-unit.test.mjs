// Unit tests (no browser): URLs the client builds stay under the page's
// path prefix, and the report link passes only an indicator the report can
// cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absURL } from '../src/api.js';
import { reportIndicator, reportURL } from '../src/report.js';

test('server-relative URLs resolve under the page, prefix and all', () => {
  const cases = [
    // [relative, page, want]
    ['tiles/deso/{z}/{x}/{y}.mvt?v=8', 'https://karta.kommun.se/segmap/', 'https://karta.kommun.se/segmap/tiles/deso/{z}/{x}/{y}.mvt?v=8'],
    ['tiles/deso/{z}/{x}/{y}.mvt?v=8', 'https://karta.kommun.se/segmap/embed?ind=x', 'https://karta.kommun.se/segmap/tiles/deso/{z}/{x}/{y}.mvt?v=8'],
    ['tiles/deso.json', 'http://127.0.0.1:8080/?lang=en#9/59.3/18', 'http://127.0.0.1:8080/tiles/deso.json'],
    ['tiles/sites/3/{z}/{x}/{y}.mvt', 'https://a.se/x/y/', 'https://a.se/x/y/tiles/sites/3/{z}/{x}/{y}.mvt'],
    // Absolute URLs (another server's tiles) are left alone.
    ['https://tiles.example.se/{z}/{x}/{y}.png', 'https://a.se/segmap/', 'https://tiles.example.se/{z}/{x}/{y}.png'],
  ];
  for (const [rel, page, want] of cases) assert.equal(absURL(rel, page), want, `${rel} on ${page}`);
});

const meta = {
  indicators: [
    { id: 'low_econ_standard_pct', breakdowns: ['total'], years_by_level: { deso: [2022], regso: [2022] } },
    { id: 'unemployment_pct', breakdowns: ['total', 'kvinnor', 'man'] },
    { id: 'age_group_pct', breakdowns: ['0-19', '20-64', '65+'], years_by_level: { deso: [2022] } },
    { id: 'regso_only', breakdowns: ['total'], years_by_level: { regso: [2022] } },
    { id: 'omradestyp', breakdowns: ['total'] },
  ],
};
const rows = (...values) => ({ rows: values.map((value, i) => ({ id: i, value })) });
const state = (patch) => ({ mode: 'ind', kommun: '0180', lang: 'sv', year: 2022, ...patch });

test('the report gets the map indicator only when it can cluster it', () => {
  const cases = [
    // [name, state, view, want]
    ['total breakdown, view not loaded yet', state({ ind: 'low_econ_standard_pct' }), null, 'low_econ_standard_pct'],
    ['total breakdown, many values', state({ ind: 'low_econ_standard_pct' }), rows(1, 2, 3), 'low_econ_standard_pct'],
    ['one of several breakdowns is total', state({ ind: 'unemployment_pct', bd: 'kvinnor' }), rows(1, 2), 'unemployment_pct'],
    ['no total breakdown', state({ ind: 'age_group_pct', bd: '65+' }), rows(1, 2, 3), ''],
    ['no DeSO values', state({ ind: 'regso_only', level: 'regso' }), rows(1, 2), ''],
    ['one area with a value', state({ ind: 'low_econ_standard_pct' }), rows(4, null, null), ''],
    ['no area with a value', state({ ind: 'low_econ_standard_pct' }), rows(null, Number.NaN), ''],
    ['unknown indicator', state({ ind: 'nope' }), rows(1, 2), ''],
    ['area types mode', state({ mode: 'typ', ind: 'low_econ_standard_pct' }), rows(1, 2), ''],
    ['the area type indicator', state({ ind: 'omradestyp' }), rows(1, 2), ''],
  ];
  for (const [name, s, view, want] of cases) {
    assert.equal(reportIndicator(s, meta, view), want, name);
    const q = new URLSearchParams(reportURL(s, meta, view).split('?')[1] || '');
    assert.equal(q.get('indicator') || '', want, `${name}: URL ${reportURL(s, meta, view)}`);
    assert.equal(q.get('kommun'), '0180', name);
  }
});

test('the report link is relative and carries the change years only with a usable indicator', () => {
  const ok = reportURL(state({ mode: 'change', ind: 'low_econ_standard_pct', year: 2022, year2: 2019, lang: 'en' }), meta, rows(1, 2));
  assert.ok(!ok.startsWith('/'), `relative: ${ok}`);
  const q = new URLSearchParams(ok.split('?')[1]);
  assert.deepEqual([q.get('change'), q.get('from'), q.get('to'), q.get('lang')], ['low_econ_standard_pct', '2019', '2022', 'en']);
  const no = new URLSearchParams(reportURL(state({ mode: 'change', ind: 'age_group_pct', year: 2022, year2: 2019 }), meta, rows(1, 2)).split('?')[1]);
  assert.equal(no.get('change'), null);
  assert.equal(no.get('indicator'), null);
});
