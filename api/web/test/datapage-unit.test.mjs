// Unit tests of the data page's pure helpers (src/datamodel.js) and its
// strings (no browser needed). The browser test is datapage.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  asList, boundaryFacts, columnOptions, editEntry, fill, indicatorNames, joinReport, kindOf, mapTarget, parseNumber, previewFacts,
  progress, resultText, withoutEntries, yearsText,
} from '../src/datamodel.js';
import { t } from '../src/i18n.js';
import { fmt } from '../src/format.js';

test('kindOf tells indicator files from boundary files by the extension', () => {
  for (const [name, want] of [
    ['000005FB_20240813-152341.xlsx', 'indicators'], ['egen.CSV', 'indicators'], ['data.txt', 'indicators'],
    ['deso.gpkg', 'boundaries'], ['vaxjo.geojson', 'boundaries'], ['x.json', 'boundaries'], ['shape.zip', 'boundaries'],
    ['bild.png', ''], ['', ''], [undefined, ''],
  ]) assert.equal(kindOf(name), want, name);
});

test('joinReport says matches and the causes of the unmatched codes in plain Swedish', () => {
  const join = {
    rows: 5984, codes: 5984, matched: 175, unmatched: 5809,
    causes: { leading_zero: 2494, other_version: 0, other_kommun: 3314, unknown: 1 },
    unmatched_examples: [
      { code: '114A0010', place: 'rad 6', cause: 'leading_zero', suggestion: '0114A0010', message: 'koden har tappat sin inledande nolla' },
      { code: 'XYZ', place: 'rad 9', cause: 'weird' },
    ],
  };
  const r = joinReport(join, 'sv');
  assert.equal(r.headline, `${fmt(5984, 0, 'sv')} koder i filen: 175 finns i databasen, ${fmt(5809, 0, 'sv')} saknas och skrivs inte.`);
  assert.deepEqual(r.causes.map((c) => c.cause), ['leading_zero', 'other_kommun', 'unknown'], 'causes with a count, in a fixed order');
  assert.match(r.causes[0].text, /tappat sin inledande nolla.*Excel/);
  assert.ok(r.causes[0].text.startsWith(fmt(2494, 0, 'sv')));
  assert.equal(r.leadingZero, true);
  assert.equal(r.ok, true);
  assert.equal(r.examples[0].message, 'koden har tappat sin inledande nolla', "the API's message is kept");
  assert.equal(r.examples[1].cause, 'unknown', 'an unknown cause is said as unknown');
  assert.equal(r.examples[1].message, t('sv', 'dpCauseShort_unknown'));
  const en = joinReport(join, 'en');
  assert.match(en.headline, /^5,984 codes in the file: 175 are in the database/);
  // Nothing matched and a store with areas: not ok; an empty store keeps every code.
  assert.equal(joinReport({ codes: 3, matched: 0, unmatched: 3, causes: { unknown: 3 } }, 'sv').ok, false);
  const empty = joinReport({ codes: 53, matched: 0, unmatched: 0, store_empty: true }, 'sv');
  assert.equal(empty.ok, true);
  assert.match(empty.headline, /inga områden på den här nivån än: alla 53/);
  assert.equal(joinReport(null, 'sv'), null);
});

test('editEntry changes one field of one entry and leaves the mapping as it was', () => {
  const m = {
    level: 'deso', format: 'scb',
    indicators: [
      { id: 'sverige', name_sv: 'Sverige', value: ['2022, Sverige, totalt'], aggregation: 'sum', scale: 1 },
      { id: 'andel', name_sv: 'Andel', numerator: 'B', denominator: ['E'], aggregation: 'ratio', scale: 100, higher_is_better: null },
    ],
  };
  const copy = JSON.parse(JSON.stringify(m));
  let e = editEntry(m, 0, 'name_sv', '  Födda i Sverige ');
  assert.equal(e.indicators[0].name_sv, 'Födda i Sverige');
  assert.deepEqual(m, copy, 'the input is not changed');
  assert.equal(e.indicators[1], m.indicators[1], 'other entries are the same objects');
  e = editEntry(m, 1, 'numerator', JSON.stringify(['C', 'D']));
  assert.deepEqual(e.indicators[1].numerator, ['C', 'D']);
  e = editEntry(m, 1, 'denominator', '[]');
  assert.deepEqual(e.indicators[1].denominator, []);
  for (const [raw, want] of [['true', true], ['false', false], ['', null]]) {
    assert.equal(editEntry(m, 1, 'higher_is_better', raw).indicators[1].higher_is_better, want, raw);
  }
  assert.equal(editEntry(m, 1, 'scale', '0,5').indicators[1].scale, 0.5, 'decimal comma');
  assert.equal(editEntry(m, 1, 'decimals', '2.4').indicators[1].decimals, 2);
  assert.ok(!('scale' in editEntry(m, 1, 'scale', 'abc').indicators[1]), 'not a number: the server default');
});

test('withoutEntries drops the unticked entries; indicatorNames lists distinct ids', () => {
  const m = { level: 'deso', indicators: [{ id: 'a', name_sv: 'A' }, { id: 'a', breakdown: 'x' }, { id: 'b', name_sv: 'B', name_en: 'Bee' }] };
  assert.deepEqual(withoutEntries(m, new Set([1])).indicators.map((e) => e.id), ['a', 'b']);
  assert.equal(m.indicators.length, 3);
  assert.deepEqual(indicatorNames(m, 'sv'), [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }]);
  assert.deepEqual(indicatorNames(m, 'en').map((x) => x.name), ['A', 'Bee']);
});

test('columnOptions and asList: one option per column, a summed list kept', () => {
  const cols = [{ name: 'A', letter: 'A', numeric: false }, { name: '2022, Sverige, totalt', letter: 'B', numeric: true }, { name: '2022, totalt, totalt', letter: 'E' }];
  const one = columnOptions(cols, '2022, totalt, totalt', 'sv');
  assert.deepEqual(one.options.map((o) => o[1]), ['– ingen –', 'B: 2022, Sverige, totalt', 'E: 2022, totalt, totalt']);
  assert.equal(one.value, JSON.stringify(['2022, totalt, totalt']));
  assert.ok(one.options.some((o) => o[0] === one.value), 'the current value is an option');
  const two = columnOptions(cols, ['B', 'E'], 'sv');
  assert.equal(two.options.at(-1)[1], 'B + E');
  assert.equal(two.value, two.options.at(-1)[0]);
  assert.deepEqual(asList(''), []);
  assert.deepEqual(asList(null), []);
  assert.deepEqual(asList('B'), ['B']);
});

test('progress of an import job', () => {
  const p = progress({ state: 'running', done: 4096, total: 5984 }, 'sv');
  assert.equal(p.value, 4096);
  assert.equal(p.max, 5984);
  assert.equal(p.text, `Importerar … ${fmt(4096, 0, 'sv')} av ${fmt(5984, 0, 'sv')} rader (68 %)`);
  assert.equal(progress({ state: 'running', done: 0, total: 0 }, 'sv').value, null, 'no total: indeterminate');
  assert.equal(progress({ state: 'queued' }, 'en').text, t('en', 'dpJobQueued'));
  assert.equal(progress({ state: 'failed', error: { message: 'blad 1 rad 7: fel' } }, 'sv').text, 'blad 1 rad 7: fel');
  assert.equal(progress({ state: 'done' }, 'sv').value, 1);
  // A DeSO file's areas are written; the completion has no row count.
  assert.deepEqual(progress({ state: 'running', step: 'complete', done: 175, total: 175 }, 'sv'), { text: t('sv', 'dpJobCompleting'), value: null, max: 1 });
});

test('resultText and mapTarget after an import', () => {
  const mapping = { level: 'deso', indicators: [{ id: 'sverige', name_sv: 'Födda i Sverige', breakdown: 'total' }, { id: 'europa', name_sv: 'Födda i Europa' }] };
  const job = { kind: 'indicators', state: 'done', report: { codes: 5984, matched: 175, values: 350 } };
  assert.equal(resultText(job, mapping, 'sv'), `Klart: 350 värden skrevs för 2 indikator(er): Födda i Sverige, Födda i Europa. 175 av ${fmt(5984, 0, 'sv')} koder matchade. Kartan visar den nya indikatorn.`);
  assert.equal(resultText({ kind: 'boundaries', report: { features: 175, level: 'deso' } }, { level: 'deso' }, 'sv'), 'Klart: 175 områden skrevs på nivån deso.');
  // A DeSO file completed the store: what was made, then the server's notes.
  const completed = { levels: [{ level: 'regso', areas: 23 }, { level: 'kommun', areas: 1 }], notes: ['6 DeSO 2025-koder delar ett DeSO 2018-område och följer dess RegSO och kommun (t.ex. 0780C1021)'] };
  assert.equal(resultText({ kind: 'boundaries', report: { features: 53, level: 'deso', completed } }, { level: 'deso' }, 'sv'),
    'Klart: 53 områden skrevs på nivån deso. Av DeSO gjordes också RegSO: 23 områden, Kommun: 1 område; SCB:s nationella referensdata (hierarki, indikatorer, områdestyper) lades in. Ångra tar bort allt i ett steg. 6 DeSO 2025-koder delar ett DeSO 2018-område och följer dess RegSO och kommun (t.ex. 0780C1021).');
  assert.match(resultText({ kind: 'boundaries', report: { features: 53, level: 'deso', completed: { levels: [{ level: 'regso', areas: 0 }, { level: 'kommun', areas: 1 }] } } }, { level: 'deso' }, 'en'),
    /Also made from the DeSO: RegSO: no areas, Municipality: 1 area;/);
  assert.deepEqual(mapTarget(mapping), { mode: 'ind', ind: 'sverige', level: 'deso', bd: 'total', sel: '' });
  assert.equal(mapTarget({ indicators: [] }), null);
});

test('previewFacts and yearsText', () => {
  const u = {
    file: 'f.csv', format: 'wide', mapping: { level: 'deso' },
    preview: { code_column: 'A', geography_label: 'DeSO 2018', years: [2021, 2022], year_layout: 'columns', encoding: 'windows-1252', delimiter: ';', decimal_comma: true, columns: [{ numeric: true }, { numeric: false }], missing: 2, suppressed: 1, join: { rows: 10 } },
  };
  const f = Object.fromEntries(previewFacts(u, 'sv'));
  assert.equal(f['Nivå och indelning'], 'deso – DeSO 2018');
  assert.equal(f['År'], '2021, 2022 (år i kolumnrubrikerna)');
  assert.equal(f.Format, 'en rad per område, Windows-1252, avgränsare ;, decimalkomma');
  assert.equal(f.Värdekolumner, '1 kolumner med tal');
  assert.match(f.Rader, /^10 rader med kod \(2 saknade värden, 1 skyddade/);
  assert.equal(yearsText({ levels: [{ level: 'deso', years: [2022, 2023] }, { level: 'kommun', years: [2022] }] }), 'deso 2022, 2023 · kommun 2022');
  assert.equal(parseNumber(' 1 234,5 '), 1234.5);
  assert.equal(fill('{a} och {b}', { a: 1 }), '1 och ');
});

test('boundaryFacts says what a DeSO file also makes, unless the completion is unticked', () => {
  const up = { file: 'dalarna.gpkg', preview: { level: 'deso', code_field: 'deso', features: 175, source_srid: 3006 }, mapping: { level: 'deso' } };
  const also = (u, lang) => boundaryFacts(u, lang).find(([k]) => k === t(lang, 'dpFactAlso'));
  assert.equal(also(up, 'sv')?.[1], t('sv', 'dpAlsoDeso'));
  assert.equal(also(up, 'en')?.[1], t('en', 'dpAlsoDeso'));
  assert.equal(also({ ...up, mapping: { level: 'deso', complete: true } }, 'sv')?.[1], t('sv', 'dpAlsoDeso'));
  assert.equal(also({ ...up, mapping: { level: 'deso', complete: false } }, 'sv'), undefined);
  assert.equal(also({ ...up, preview: { ...up.preview, level: 'regso' }, mapping: { level: 'regso' } }, 'sv'), undefined);
  assert.ok(boundaryFacts(up, 'sv').some(([, v]) => v === 'EPSG:3006'));
});

test('every data-page string is there in Swedish and English', () => {
  const src = ['datapage.js', 'datamodel.js'].map((f) => readFileSync(new URL(`../src/${f}`, import.meta.url), 'utf8')).join('\n');
  const keys = new Set([...src.matchAll(/['`](dp[A-Za-z]+(?:_[a-z_]+)?)['`]/g)].map((m) => m[1]));
  // Keys built from a prefix and an enum.
  for (const c of ['leading_zero', 'other_version', 'other_level', 'other_kommun', 'unknown']) keys.add(`dpCause_${c}`).add(`dpCauseShort_${c}`);
  for (const a of ['ratio', 'sum', 'weighted_mean', 'none']) keys.add(`dpAgg_${a}`);
  for (const y of ['columns', 'rows', 'fixed']) keys.add(`dpYears_${y}`);
  keys.add('navMap').add('navData').add('navLabel').add('emptyStore').add('emptyNoIndicators');
  assert.ok(keys.size > 80, `${keys.size} keys found`);
  const i18n = readFileSync(new URL('../src/i18n.js', import.meta.url), 'utf8');
  const [svPart, enPart] = i18n.split(/\n {2}en: \{/);
  for (const k of keys) {
    assert.ok(new RegExp(`\\b${k}:`).test(svPart), `sv ${k}`);
    assert.ok(new RegExp(`\\b${k}:`).test(enPart), `en ${k}`);
    assert.notEqual(t('sv', k), k, `${k} resolves`);
  }
});
