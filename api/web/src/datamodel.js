// Pure helpers of the data page (datapage.js): what the API's upload,
// preview, join report and import job say, turned into what the page shows,
// and the planner's edits applied to the mapping. No DOM here, so
// test/datapage-unit.test.mjs runs them in Node.
import { fmt } from './format.js';
import { t } from './i18n.js';

// fill replaces {name} in a string.
export function fill(s, vars = {}) {
  return String(s).replace(/\{(\w+)\}/g, (_, k) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k])));
}

const tr = (lang, key, vars) => fill(t(lang, key), vars);
const n0 = (v, lang) => fmt(v ?? 0, 0, lang);

const INDICATOR_EXT = ['xlsx', 'csv', 'txt'];
const BOUNDARY_EXT = ['geojson', 'json', 'gpkg', 'zip'];

// kindOf guesses what a file holds from its name, as the API does when it
// is not told: indicators (xlsx, csv, txt) or boundaries (GeoJSON,
// GeoPackage, zipped Shapefile); '' for anything else.
export function kindOf(filename) {
  const ext = String(filename || '').toLowerCase().split('.').pop();
  if (INDICATOR_EXT.includes(ext)) return 'indicators';
  if (BOUNDARY_EXT.includes(ext)) return 'boundaries';
  return '';
}

export const CAUSES = ['leading_zero', 'other_version', 'other_level', 'other_kommun', 'unknown'];

// joinReport says a JoinPreview in words: a headline (how many codes match),
// one line per cause of the unmatched codes with its plain-language
// explanation, the examples, and whether the store was empty.
export function joinReport(join, lang) {
  if (!join) return null;
  const j = { codes: 0, matched: 0, unmatched: 0, causes: {}, unmatched_examples: [], ...join };
  const headline = j.store_empty
    ? tr(lang, 'dpJoinEmptyStore', { codes: n0(j.codes, lang) })
    : tr(lang, 'dpJoinHeadline', { codes: n0(j.codes, lang), matched: n0(j.matched, lang), unmatched: n0(j.unmatched, lang) });
  const causes = CAUSES.filter((c) => (j.causes?.[c] || 0) > 0)
    .map((c) => ({ cause: c, count: j.causes[c], text: tr(lang, `dpCause_${c}`, { n: n0(j.causes[c], lang) }) }));
  const examples = (j.unmatched_examples || []).map((e) => ({
    code: e.code, place: e.place || '', cause: CAUSES.includes(e.cause) ? e.cause : 'unknown',
    message: e.message || t(lang, `dpCauseShort_${CAUSES.includes(e.cause) ? e.cause : 'unknown'}`), suggestion: e.suggestion || '',
  }));
  const inStore = j.unmatched_in_store ? tr(lang, 'dpJoinInStore', { n: n0(j.unmatched_in_store, lang), examples: (j.unmatched_in_store_examples || []).slice(0, 5).join(', ') }) : '';
  return {
    headline, causes, examples, inStore,
    ok: j.matched > 0 || !!j.store_empty,
    leadingZero: (j.causes?.leading_zero || 0) > 0,
  };
}

// previewFacts lists what was understood of an indicator file, as
// [label, value] pairs for a description list.
export function previewFacts(upload, lang) {
  const p = upload?.preview || {};
  const m = upload?.mapping || {};
  const facts = [[t(lang, 'dpFactFile'), upload?.file || '']];
  if (upload?.sheet) facts.push([t(lang, 'dpFactSheet'), upload.sheet]);
  facts.push([t(lang, 'dpFactFormat'), formatLabel(upload?.format || m.format, p, lang)]);
  if (p.code_column) facts.push([t(lang, 'dpFactCode'), p.code_column]);
  facts.push([t(lang, 'dpFactLevel'), [m.level || p.level, p.geography_label].filter(Boolean).join(' – ')]);
  const years = p.years?.length ? p.years.join(', ') : (m.year ? String(m.year) : '–');
  facts.push([t(lang, 'dpFactYears'), `${years}${p.year_layout ? ` (${t(lang, `dpYears_${p.year_layout}`)})` : ''}`]);
  const valueCols = (p.columns || []).filter((c) => c.numeric).length;
  facts.push([t(lang, 'dpFactColumns'), tr(lang, 'dpFactColumnsN', { n: n0(valueCols, lang) })]);
  facts.push([t(lang, 'dpFactRows'), tr(lang, 'dpFactRowsN', { n: n0(p.join?.rows ?? p.join?.codes ?? 0, lang), missing: n0(p.missing, lang), suppressed: n0(p.suppressed, lang) })]);
  return facts;
}

function formatLabel(format, p, lang) {
  const parts = [format === 'scb' ? t(lang, 'dpFormatSCB') : format === 'long' ? t(lang, 'dpFormatLong') : t(lang, 'dpFormatWide')];
  if (p.encoding) parts.push(p.encoding === 'windows-1252' ? 'Windows-1252' : 'UTF-8');
  if (p.delimiter) parts.push(tr(lang, 'dpDelimiter', { d: p.delimiter === 'tab' ? 'tab' : p.delimiter }));
  if (p.decimal_comma) parts.push(t(lang, 'dpDecimalComma'));
  return parts.join(', ');
}

// isDeso: the boundary upload is imported as DeSO (it then completes the
// store unless its mapping says "complete": false).
export function isDeso(upload) {
  return (upload?.preview?.level || upload?.mapping?.level) === 'deso';
}

// boundaryFacts: the same for a boundary file.
export function boundaryFacts(upload, lang) {
  const p = upload?.preview || {};
  const facts = [
    [t(lang, 'dpFactFile'), upload?.file || ''],
    [t(lang, 'dpFactLevel'), [p.level || upload?.mapping?.level, p.geography_label].filter(Boolean).join(' – ')],
    [t(lang, 'dpFactCodeField'), p.code_field || '–'],
    [t(lang, 'dpFactFeatures'), n0(p.features, lang)],
  ];
  if (p.source_srid) facts.push([t(lang, 'dpFactCRS'), `EPSG:${p.source_srid}`]);
  if (isDeso(upload) && upload?.mapping?.complete !== false) facts.push([t(lang, 'dpFactAlso'), t(lang, 'dpAlsoDeso')]);
  return facts;
}

// asList: a mapping's column reference (a string or a list) as a list.
export function asList(v) {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.filter((x) => x !== '') : [String(v)];
}

// columnOptions are the choices of a column select: none, each numeric
// column of the file ("B: 2022, Sverige, totalt"), and the current value when it sums
// several columns. Values are JSON lists of column names.
export function columnOptions(columns, current, lang) {
  const cur = asList(current);
  const opts = [['[]', t(lang, 'dpNoColumn')]];
  for (const c of (columns || []).filter((x) => x.numeric !== false || cur.includes(x.name))) opts.push([JSON.stringify([c.name]), c.letter ? `${c.letter}: ${c.name}` : c.name]);
  if (cur.length > 1) opts.push([JSON.stringify(cur), cur.join(' + ')]);
  return { options: opts, value: JSON.stringify(cur) };
}

// parseNumber reads a number typed the Swedish or the English way ("1,5", "1.5").
export function parseNumber(s) {
  const v = String(s ?? '').trim().replace(/\s/g, '').replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

// editEntry returns the mapping with one field of indicator entry i changed
// to the raw value of its form control (the mapping itself is not changed).
export function editEntry(mapping, i, field, raw) {
  const entries = (mapping.indicators || []).map((e, k) => {
    if (k !== i) return e;
    const e2 = { ...e };
    switch (field) {
      case 'value': case 'numerator': case 'denominator': {
        let list = [];
        try { list = JSON.parse(raw || '[]'); } catch { list = asList(raw); }
        e2[field] = Array.isArray(list) ? list : asList(list);
        break;
      }
      case 'higher_is_better': e2[field] = raw === 'true' ? true : raw === 'false' ? false : null; break;
      case 'scale': case 'decimals': case 'year': {
        const n = parseNumber(raw);
        if (n === null) delete e2[field]; else e2[field] = field === 'scale' ? n : Math.round(n);
        break;
      }
      default: e2[field] = String(raw ?? '').trim();
    }
    return e2;
  });
  return { ...mapping, indicators: entries };
}

// withoutEntries drops the entries the planner unticked (indexes in skip).
export function withoutEntries(mapping, skip) {
  return { ...mapping, indicators: (mapping.indicators || []).filter((_, i) => !skip.has(i)) };
}

// progress says how far an import job has come: {text, value, max} for a
// <progress> element (value null: indeterminate).
export function progress(job, lang) {
  const total = job?.total || 0;
  const done = Math.min(job?.done || 0, total || Infinity);
  switch (job?.state) {
    case 'queued': return { text: t(lang, 'dpJobQueued'), value: null, max: 1 };
    case 'done': return { text: t(lang, 'dpJobDone'), value: 1, max: 1 };
    case 'failed': return { text: job.error?.message || t(lang, 'dpJobFailed'), value: null, max: 1 };
    default:
      if (job.step === 'complete') return { text: t(lang, 'dpJobCompleting'), value: null, max: 1 };
      if (!total) return { text: t(lang, 'dpJobRunning'), value: null, max: 1 };
      return { text: tr(lang, 'dpJobProgress', { done: n0(done, lang), total: n0(total, lang), pct: fmt((100 * done) / total, 0, lang) }), value: done, max: total };
  }
}

// indicatorNames lists the distinct indicators of a mapping (an indicator
// with breakdowns is several entries with one id), in order.
export function indicatorNames(mapping, lang) {
  const seen = new Map();
  for (const e of mapping?.indicators || []) {
    if (!e.id || seen.has(e.id)) continue;
    seen.set(e.id, (lang === 'en' ? e.name_en : e.name_sv) || e.name_sv || e.id);
  }
  return [...seen.entries()].map(([id, name]) => ({ id, name }));
}

// resultText says what an import wrote, from the finished job and the
// mapping it used.
export function resultText(job, mapping, lang) {
  const r = job?.report || {};
  if (job?.kind === 'boundaries') {
    const done = tr(lang, 'dpDoneBoundaries', { n: n0(r.features, lang), level: r.level || mapping?.level || '' });
    return r.completed ? `${done} ${completedText(r.completed, lang)}` : done;
  }
  const names = indicatorNames(mapping, lang);
  return tr(lang, 'dpDoneIndicators', {
    values: n0(r.values ?? r.matched, lang), n: names.length, names: names.map((x) => x.name).join(', '),
    matched: n0(r.matched, lang), codes: n0(r.codes, lang),
  });
}

// completedText says what a DeSO import made besides the DeSO ("RegSO: 23
// områden, Kommun: 1 område"), then the server's notes (what could not be
// made, DeSO 2025 splits).
export function completedText(c, lang) {
  const levels = (c.levels || []).map((l) => {
    const level = l.level === 'kommun' ? t(lang, 'kommun') : l.level === 'regso' ? 'RegSO' : l.level;
    if (!l.areas) return tr(lang, 'dpDoneLevelNone', { level });
    return tr(lang, l.areas === 1 ? 'dpDoneLevel1' : 'dpDoneLevel', { level, n: n0(l.areas, lang) });
  });
  const notes = (c.notes || []).map((n) => `${n}.`);
  return [tr(lang, 'dpDoneCompleted', { levels: levels.join(', ') }), ...notes].join(' ');
}

// mapTarget is the state patch that shows the first imported indicator on
// the map at the imported level (the year: the latest, chosen by normalise).
export function mapTarget(mapping) {
  const first = (mapping?.indicators || []).find((e) => e.id);
  if (!first) return null;
  return { mode: 'ind', ind: first.id, level: mapping.level || 'deso', bd: first.breakdown || 'total', sel: '' };
}

// yearsText: "deso 2022, 2023 · kommun 2022" for an indicator of the list.
export function yearsText(ind) {
  return (ind?.levels || []).map((l) => `${l.level} ${(l.years || []).join(', ')}`).join(' · ');
}
