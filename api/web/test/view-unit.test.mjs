// Unit tests of how the client asks for a classification and keeps it:
// the compact, view-scoped query, the answers kept per data version, and
// the rows made of a compact answer (fetch is stubbed; no browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getVersioned } from '../src/api.js';
import { loadView, viewQuery } from '../src/modes.js';

// stubFetch answers from fn(url) and records the URLs asked for.
function stubFetch(fn) {
  const asked = [];
  globalThis.fetch = async (u) => {
    asked.push(String(u));
    const [status, body] = fn(String(u));
    return { ok: status < 400, status, statusText: '', json: async () => body };
  };
  return asked;
}

const meta = {
  data_version: 7,
  levels: [{ id: 'deso', feature_count: 3 }, { id: 'regso', feature_count: 0 }],
  indicators: [{ id: 'x', years: [2022], decimals: 1, unit: '%' }],
  kommuner: [{ code: '0180', mapped: true }, { code: '2080', mapped: false }],
};
const state = { mode: 'ind', level: 'deso', ind: 'x', year: 2022, bd: 'total', kommun: '', method: 'quantile', k: 2, scheme: 'Blues', pool: false, lang: 'sv' };

test('the classify query is compact, and only the mapped areas when some kommuner have no boundaries', () => {
  assert.equal(viewQuery(state, meta).format, 'compact');
  assert.equal(viewQuery(state, meta).mapped, 'true');
  assert.equal(viewQuery({ ...state, level: 'regso' }, meta).mapped, '', 'a level without boundaries: every area (the table)');
  const allMapped = { ...meta, kommuner: meta.kommuner.map((k) => ({ ...k, mapped: true })) };
  assert.equal(viewQuery(state, allMapped).mapped, '');
});

test('answers are kept per data version: asked once, again after a new version, errors not kept', async () => {
  let fail = true;
  const asked = stubFetch((u) => (u.includes('bad') && fail ? [500, { error: { message: 'no' } }] : [200, { u }]));
  const a = await getVersioned('api/values', { indicator: 'x', year: 2022 }, undefined, 1);
  const b = await getVersioned('api/values', { indicator: 'x', year: 2022 }, undefined, 1);
  assert.equal(a, b);
  assert.equal(asked.length, 1);
  await getVersioned('api/values', { indicator: 'x', year: 2021 }, undefined, 1);
  await getVersioned('api/values', { indicator: 'x', year: 2022 }, undefined, 2);
  assert.equal(asked.length, 3, 'another query and another data version are asked for');
  await assert.rejects(getVersioned('api/bad', {}, undefined, 1));
  fail = false;
  await getVersioned('api/bad', {}, undefined, 1);
  assert.equal(asked.length, 5, 'an error is asked for again');
});

test('a compact classification becomes rows with names and the legend colours', async () => {
  const legend = [{ label: 'a', color: '#111', count: 1, kind: 'class' }, { label: 'b', color: '#222', count: 1, kind: 'class' },
    { label: 'n', color: '#ddd', count: 1, kind: 'nodata' }, { label: 's', color: '#999', count: 1, kind: 'suppressed' }];
  const asked = stubFetch((u) => (u.startsWith('api/classify')
    ? [200, { format: 'compact', legend, ids: [1, 2, 3, 4], codes: ['A', 'B', 'C', 'D'], values: [1, 5, null, null], classes: [0, 1, -1, -2], note: '', summary: { text: 't' } }]
    : [200, { areas: [{ code: 'A', name: 'Ay' }, { code: 'B', name: 'Be' }, { code: 'C', name: 'Ce' }, { code: 'D', name: 'De' }] }]));
  const v = await loadView({ ...state, year: 2020 }, { ...meta, data_version: 99 });
  assert.deepEqual(v.rows.map((r) => [r.id, r.code, r.name, r.value, r.cls, r.color, r.suppressed]),
    [[1, 'A', 'Ay', 1, 0, '#111', false], [2, 'B', 'Be', 5, 1, '#222', false], [3, 'C', 'Ce', null, -1, '#ddd', false], [4, 'D', 'De', null, -2, '#999', true]]);
  assert.ok(asked.some((u) => u.includes('format=compact') && u.includes('mapped=true')), asked.join(' '));
  await loadView({ ...state, year: 2020 }, { ...meta, data_version: 99 });
  assert.equal(asked.length, 2, 'the same view again: nothing fetched');
});
