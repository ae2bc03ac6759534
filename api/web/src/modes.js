// Map modes. Each loader turns API responses into one view model that the
// map, legend and table share:
//   {rows:[{id,code,name,value,cls,classLabel,color,suppressed}], legend:[{label,color,count,extra}],
//    valueLabel, decimals, unit, note, diverging}
import { getJSON, getVersioned, classifyQuery, valuesQuery } from './api.js';
import { fmt, fmtSigned } from './format.js';
import { t, indicatorName, breakdownLabel } from './i18n.js';

// bdSuffix names the breakdown in the legend title (nothing for the total).
function bdSuffix(s) {
  return s.bd && s.bd !== 'total' ? ` – ${breakdownLabel(s.lang, s.bd)}` : '';
}

const NODATA = '#d9d9d9';

// areaNames is the level's areas (names) for the selection, fetched once
// per data version.
function areaNames(s, meta, signal) {
  return getVersioned(`api/areas/${encodeURIComponent(s.level)}`, { kommun: s.kommun }, signal, meta.data_version).catch((e) => {
    if (e.name === 'AbortError') throw e;
    return { areas: [] };
  });
}

// viewQuery asks /api/classify for what the map can show: the compact form
// (parallel arrays, names from areaNames) and, when some kommuner have no
// boundaries (the demo: national values, one län's boundaries), only the
// areas with one. The breaks and legend stay those of the selection.
export function viewQuery(s, meta) {
  const level = meta?.levels?.find((l) => l.id === s.level);
  const mapped = level?.feature_count > 0 && (meta.kommuner || []).some((k) => !k.mapped);
  return { ...classifyQuery(s, meta), format: 'compact', mapped: mapped ? 'true' : '' };
}

// compactAreas turns a compact classification into area objects (the
// objects form passes through).
function compactAreas(r, names) {
  if (!r.codes) return r.areas || [];
  const nameOf = new Map((names.areas || []).map((a) => [a.code, a.name]));
  return r.codes.map((code, i) => ({ id: r.ids[i], code, name: nameOf.get(code) ?? '', value: r.values[i], class: r.classes[i], suppressed: r.classes[i] === -2 }));
}

async function indicatorView(s, meta, signal) {
  const [r, names] = await Promise.all([
    getVersioned('api/classify', viewQuery(s, meta), signal, meta.data_version),
    areaNames(s, meta, signal),
  ]);
  const ind = meta.indicators.find((i) => i.id === s.ind) || {};
  const byClass = new Map();
  for (const l of r.legend || []) {
    if (l.kind === 'nodata') byClass.set(-1, l); else if (l.kind === 'suppressed') byClass.set(-2, l);
  }
  (r.legend || []).filter((l) => !l.kind || l.kind === 'class').forEach((l, i) => byClass.set(i, l));
  const rows = compactAreas(r, names).map((a) => {
    const l = byClass.get(a.class);
    return {
      id: a.id, code: a.code, name: a.name, value: a.value, cls: a.class, suppressed: !!a.suppressed,
      classLabel: l?.label ?? (a.suppressed ? t(s.lang, 'suppressed') : a.value === null ? t(s.lang, 'noData') : ''),
      color: a.color || l?.color || NODATA,
    };
  });
  return {
    rows, legend: (r.legend || []).map((l) => ({ label: l.label, color: l.color, count: l.count, kind: l.kind })),
    valueLabel: t(s.lang, 'value'), decimals: ind.decimals ?? 1, unit: ind.unit || '', note: [r.note, seriesBreakNote(s.lang, r.series_geography)].filter(Boolean).join(' '),
    title: `${indicatorName(s.lang, ind)}${bdSuffix(s)} ${s.year}`, summary: r.summary?.text || '',
  };
}

async function changeView(s, meta, signal) {
  // The server computes the change per area (GET /api/change): To − From,
  // in percentage points for percentages.
  const from = Math.min(s.year, s.year2);
  const to = Math.max(s.year, s.year2);
  // It classifies too: r.classes are the map's classes (k odd, symmetric
  // around zero up to the 95th percentile of |change|) and their colours,
  // and each area's class indexes them (service/change.go).
  const r = await getJSON('api/change', { level: s.level, indicator: s.ind, from, to, breakdown: s.bd, kommun: s.kommun, k: s.k }, signal);
  const ind = meta.indicators.find((i) => i.id === s.ind) || {};
  const d = ind.decimals ?? 1;
  // The colours follow the meaning of the change (r.classes.meaning): with
  // higher_is_better an improvement is green whatever its sign; without
  // it a neutral blue–red, and the legend says so. sides[i] names class i.
  const { breaks = [], colors = [], sides = [], meaning = 'neutral' } = r.classes || {};
  const k = colors.length;
  const side = (i) => (sides[i] && sides[i] !== 'small' ? ` (${t(s.lang, `side_${sides[i]}`)})` : '');
  // The outer classes are open-ended (values beyond the 95th percentile).
  const legend = colors.map((c, i) => ({
    label: (i === 0 ? `< ${fmtSigned(breaks[1], d, s.lang)}` : i === k - 1 ? `≥ ${fmtSigned(breaks[k - 1], d, s.lang)}`
      : `${fmtSigned(breaks[i], d, s.lang)} – ${fmtSigned(breaks[i + 1], d, s.lang)}`) + side(i),
    color: c, count: 0, kind: 'class', side: sides[i] || '',
  }));
  const nodata = { label: t(s.lang, 'noData'), color: NODATA, count: 0, kind: 'nodata' };
  const rows = (r.areas || []).map((x) => {
    const v = { id: x.id, code: x.code, name: x.name, value: x.change, suppressed: !!x.suppressed };
    const c = x.class ?? -1;
    if (v.value === null || !legend[c]) { nodata.count++; return { ...v, cls: -1, classLabel: nodata.label, color: NODATA }; }
    legend[c].count++;
    return { ...v, cls: c, classLabel: legend[c].label, color: colors[c] };
  });
  if (nodata.count) legend.push(nodata);
  const unit = r.kind === 'percentage_points' ? t(s.lang, 'changePP') : (ind.unit || '');
  return {
    rows, legend, valueLabel: t(s.lang, 'change'), decimals: d, unit, signed: true,
    meaning, note: [`${t(s.lang, 'changeNote')}: ${from} → ${to}`, t(s.lang, `changeMeaning_${meaning}`), seriesBreakNote(s.lang, r.series_geography)].filter(Boolean).join('. '), title: `${indicatorName(s.lang, ind)}${bdSuffix(s)} ${from}–${to}`,
  };
}

async function lisaView(s, meta, signal) {
  const [r, names] = await Promise.all([
    getJSON('api/lisa', { ...valuesQuery(s), alpha: s.alpha, permutations: 999, seed: 1 }, signal),
    areaNames(s, meta, signal),
  ]);
  const nameOf = new Map((names.areas || []).map((a) => [a.code, a.name]));
  const ind = meta.indicators.find((i) => i.id === s.ind) || {};
  const order = ['HH', 'LL', 'HL', 'LH', 'ns', 'island', 'nodata'];
  const label = (c) => (c === 'ns' ? t(s.lang, 'notSignificant') : c === 'island' ? t(s.lang, 'island') : c === 'nodata' ? t(s.lang, 'noData') : `${c} – ${t(s.lang, c)}`);
  const counts = Object.fromEntries(order.map((c) => [c, 0]));
  const color = (c) => r.colors?.[c] || NODATA; // the server's cluster colours (service.LISAColors)
  const rows = (r.areas || []).map((a) => {
    const c = order.includes(a.cluster) ? a.cluster : 'ns';
    counts[c]++;
    return { id: a.id, code: a.code, name: a.name || nameOf.get(a.code) || '', value: a.value, cls: c, classLabel: label(c), color: color(c) };
  });
  const legend = order.filter((c) => counts[c] || ['HH', 'LL', 'HL', 'LH', 'ns'].includes(c))
    .map((c) => ({ label: label(c), color: color(c), count: counts[c], kind: c }));
  const mo = r.moran || {};
  return {
    rows, legend, valueLabel: t(s.lang, 'value'), decimals: ind.decimals ?? 1, unit: ind.unit || '',
    note: `${t(s.lang, 'moran')} = ${fmt(mo.i, 3, s.lang)} (z = ${fmt(mo.z, 2, s.lang)}, p = ${fmt(mo.p_sim ?? mo.p_norm, 3, s.lang)})`,
    title: `LISA – ${indicatorName(s.lang, ind)}${bdSuffix(s)} ${s.year}`,
  };
}

// seriesBreakNote is the API's sentence saying where the series changes
// geography version (DeSO 2018 → DeSO 2025) and whether the years compare;
// '' when it does not.
export function seriesBreakNote(lang, g) {
  const b = g?.breaks?.[g.breaks.length - 1];
  if (!b) return '';
  return (lang === 'en' ? b.note_en : b.note_sv) || '';
}

// typeSourceNote is the API's sentence saying which områdestyper were used
// (SCB's official of a year, or computed by segmap from a year's shares).
export function typeSourceNote(lang, ts) {
  if (!ts) return '';
  return (lang === 'en' ? ts.note_en : ts.note_sv) || '';
}

async function typView(s, meta, signal) {
  const viaDeso = s.level !== 'regso';
  const [r, sub] = await Promise.all([
    getJSON('api/omradestyper', { kommun: s.kommun, lang: s.lang }, signal),
    viaDeso ? getJSON(`api/areas/${encodeURIComponent(s.level)}`, { kommun: s.kommun }, signal) : null,
  ]);
  const types = new Map((r.types || []).map((x) => [x.type, x]));
  if (viaDeso) {
    // No RegSO boundaries: colour each DeSO by the type of its RegSO.
    const regso = new Map((r.areas || []).map((a) => [a.code, a]));
    r.areas = (sub.areas || []).map((a) => {
      const p = regso.get(a.regso);
      return { id: a.id, code: a.code, name: a.name, kommun: a.kommun, type: p?.type ?? 0, population: null, regsoName: p?.name };
    });
  }
  const label = (x) => (s.lang === 'en' ? x.label_en : x.label_sv) || `${x.type}`;
  const counts = new Map();
  const rows = (r.areas || []).map((a) => {
    const ty = types.get(a.type);
    counts.set(a.type, (counts.get(a.type) || 0) + 1);
    return { id: a.id, code: a.code, name: a.regsoName ? `${a.name} (${a.regsoName})` : a.name, value: a.population, cls: a.type, classLabel: ty ? label(ty) : t(s.lang, 'noData'), color: ty?.color || NODATA };
  });
  const shareSum = [...types.values()].reduce((acc, x) => acc + (x.population_share || 0), 0);
  const scale = shareSum > 0 && shareSum <= 1.001 ? 100 : 1; // fraction or percent
  const legend = [...types.values()].sort((a, b) => a.type - b.type).map((x) => ({
    label: label(x), color: x.color, count: viaDeso ? x.regso_count : counts.get(x.type) ?? 0, kind: 'class',
    extra: x.population_share !== null && x.population_share !== undefined ? `${fmt(x.population_share * scale, 1, s.lang)} %` : '',
  }));
  const untyped = rows.filter((r) => !types.has(r.cls)).length;
  if (untyped && !viaDeso) legend.push({ label: t(s.lang, 'noData'), color: NODATA, count: untyped, kind: 'nodata' });
  return {
    rows, legend, valueLabel: t(s.lang, 'population'), decimals: 0, unit: '',
    note: [viaDeso ? `${t(s.lang, 'typNote')} – ${t(s.lang, 'typViaDeso')}` : t(s.lang, 'typNote'), typeSourceNote(s.lang, r.type_source)].filter(Boolean).join(' '),
    title: t(s.lang, 'modeTyp'), typeLabels: new Map([...types.values()].map((x) => [x.type, label(x)])),
  };
}

export function loadView(s, meta, signal) {
  switch (s.mode) {
    case 'change': return changeView(s, meta, signal);
    case 'lisa': return lisaView(s, meta, signal);
    case 'typ': return typView(s, meta, signal);
    default: return indicatorView(s, meta, signal);
  }
}
