// The settings form. Re-rendered from state on each change (cheap); focus is restored by id.
import { t, indicatorName, levelName, breakdownLabel } from './i18n.js';
import { METHODS, DEFAULT_SCHEMES, yearsFor, contextLayers } from './state.js';
import { url, classifyQuery } from './api.js';
import { reportLink } from './report.js';

function field(id, label, control) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const l = document.createElement('label');
  l.htmlFor = id;
  l.textContent = label;
  control.id = id;
  wrap.append(l, control);
  return wrap;
}

function select(options, value, onChange) {
  const s = document.createElement('select');
  for (const [v, label] of options) {
    const o = document.createElement('option');
    o.value = String(v);
    o.textContent = label;
    if (String(v) === String(value)) o.selected = true;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function renderControls(form, app) {
  const { state: s, meta } = app;
  const L = (k) => t(s.lang, k);
  const active = document.activeElement?.id;
  const kids = [];

  const fs = document.createElement('fieldset');
  fs.className = 'modes';
  const lg = document.createElement('legend');
  lg.textContent = L('mode');
  fs.append(lg);
  for (const [m, key] of [['ind', 'modeInd'], ['typ', 'modeTyp'], ['lisa', 'modeLisa'], ['change', 'modeChange']]) {
    const id = `mode-${m}`;
    const r = Object.assign(document.createElement('input'), { type: 'radio', name: 'mode', id, value: m, checked: s.mode === m });
    r.addEventListener('change', () => app.update({ mode: m }));
    const l = document.createElement('label');
    l.htmlFor = id;
    l.append(r, ` ${L(key)}`);
    fs.append(l);
  }
  kids.push(fs);

  const levels = meta.levels.filter((l) => l.tiles && (['deso', 'regso', 'kommun'].includes(l.id) || l.kind === 'custom'));
  const lv = select(levels.map((l) => [l.id, levelName(s.lang, l)]), s.level, (v) => app.update({ level: v, sel: '' }));
  if (s.mode === 'typ') lv.disabled = true;
  kids.push(field('ctl-level', L('level'), lv));

  // Context layers: overlay levels drawn as outlines (e.g. utsatta områden).
  const ctx = contextLayers(meta);
  if (ctx.length) {
    const on = s.ctx ? s.ctx.split(',') : [];
    const cf = document.createElement('fieldset');
    cf.id = 'ctl-context';
    const cl = document.createElement('legend');
    cl.textContent = L('contextLayers');
    cf.append(cl);
    for (const l of ctx) {
      const cb = Object.assign(document.createElement('input'), { type: 'checkbox', id: `ctx-${l.id}`, value: l.id, checked: on.includes(l.id) });
      cb.addEventListener('change', () => {
        const next = ctx.map((x) => x.id).filter((id) => (id === l.id ? cb.checked : on.includes(id)));
        app.update({ ctx: next.join(',') });
      });
      const lab = document.createElement('label');
      lab.htmlFor = cb.id;
      lab.append(cb, ` ${levelName(s.lang, l)}`);
      cf.append(lab);
    }
    kids.push(cf);
  }

  // Kommun filter: a search box with suggestions, matched on name or code.
  const kin = Object.assign(document.createElement('input'), { type: 'search', autocomplete: 'off', placeholder: L('kommunAll') });
  kin.setAttribute('list', 'kommun-list');
  const k = meta.kommuner.find((x) => x.code === s.kommun);
  kin.value = k ? `${k.name} (${k.code})` : '';
  if (!k && s.kommun.includes(',')) kin.placeholder = L('kommunMapped').replace('{n}', s.kommun.split(',').length);
  const dl = document.createElement('datalist');
  dl.id = 'kommun-list';
  for (const x of meta.kommuner) {
    const o = Object.assign(document.createElement('option'), { value: `${x.name} (${x.code})` });
    if (x.mapped === false) { o.label = `${x.name} (${x.code}) – ${L('unmappedMark')}`; o.dataset.unmapped = '1'; }
    dl.append(o);
  }
  const applyKommun = () => {
    const v = kin.value.trim().toLowerCase();
    if (!v) { if (s.kommun) app.update({ kommun: '', sel: '' }); return; }
    const hit = meta.kommuner.find((x) => `${x.name} (${x.code})`.toLowerCase() === v || x.code === v || x.name.toLowerCase() === v)
      || meta.kommuner.filter((x) => x.name.toLowerCase().startsWith(v)).at(0);
    if (hit && hit.code !== s.kommun) app.update({ kommun: hit.code, sel: '' });
  };
  kin.addEventListener('change', applyKommun);
  kin.addEventListener('keydown', (e) => { if (e.key === 'Enter') applyKommun(); });
  const kf = field('ctl-kommun', L('kommunSearch'), kin);
  kf.append(dl);
  if (s.kommun) {
    const clr = Object.assign(document.createElement('button'), { type: 'button', className: 'link small', textContent: L('kommunAll') });
    clr.id = 'ctl-kommun-clear';
    clr.addEventListener('click', () => app.update({ kommun: '', sel: '' }));
    kf.append(clr);
  }
  if (k && k.mapped === false) {
    // No boundaries: the map stays empty, the table still lists its areas.
    kf.append(Object.assign(document.createElement('p'), { id: 'kommun-unmapped', className: 'notice', role: 'status', textContent: L('kommunUnmapped').replace('{name}', k.name) }));
  }
  kids.push(kf);

  if (s.mode !== 'typ') {
    const inds = meta.indicators.filter((i) => i.id !== 'omradestyp' && (s.mode !== 'change' || yearsFor(i, s.level).length > 1));
    kids.push(field('ctl-ind', L('indicator'), select(inds.map((i) => [i.id, indicatorName(s.lang, i) + (i.unit ? ` (${i.unit})` : '')]), s.ind, (v) => app.update({ ind: v }))));
    const ind = meta.indicators.find((i) => i.id === s.ind);
    const desc = s.lang === 'en' ? ind?.description_en : ind?.description_sv;
    if (desc || ind?.source) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = [desc, ind?.source ? `${L('source')}: ${ind.source}` : ''].filter(Boolean).join(' ');
      kids.push(p);
    }
    const years = [...yearsFor(ind, s.level)].sort((a, b) => b - a);
    kids.push(field('ctl-year', L('year'), select(years.map((y) => [y, String(y)]), s.year, (v) => app.update({ year: +v }))));
    if (s.mode === 'change') kids.push(field('ctl-year2', L('baseYear'), select(years.map((y) => [y, String(y)]), s.year2, (v) => app.update({ year2: +v }))));
    const bds = ind?.breakdowns?.length ? ind.breakdowns : ['total'];
    if (bds.length > 1) kids.push(field('ctl-bd', L('breakdown'), select(bds.map((b) => [b, breakdownLabel(s.lang, b)]), s.bd, (v) => app.update({ bd: v }))));
  }
  if (s.mode === 'ind') {
    const pool = Object.assign(document.createElement('input'), { type: 'checkbox', id: 'ctl-pool', checked: !!s.pool });
    pool.addEventListener('change', () => app.update({ pool: pool.checked ? '1' : '' }));
    const pl = document.createElement('label');
    pl.htmlFor = 'ctl-pool';
    pl.className = 'check';
    pl.append(pool, ` ${L('pooled')}`);
    kids.push(pl);
    kids.push(field('ctl-method', L('method'), select(METHODS.map((m) => [m, L(`m_${m}`)]), s.method, (v) => app.update({ method: v }))));
  }
  if (s.mode === 'ind' || s.mode === 'change') {
    kids.push(field('ctl-k', L('k'), select([2, 3, 4, 5, 6, 7, 8, 9].map((n) => [n, String(n)]), s.k, (v) => app.update({ k: +v }))));
  }
  if (s.mode === 'ind') {
    const schemes = meta.schemes?.map((x) => x.name || x) || DEFAULT_SCHEMES;
    kids.push(field('ctl-scheme', L('scheme'), select(schemes.map((n) => [n, n]), s.scheme, (v) => app.update({ scheme: v }))));
  }
  if (s.mode === 'lisa') {
    kids.push(field('ctl-alpha', L('alpha'), select([0.1, 0.05, 0.01, 0.001].map((a) => [a, `p < ${String(a).replace('.', s.lang === 'sv' ? ',' : '.')}`]), s.alpha, (v) => app.update({ alpha: +v }))));
  }
  form.replaceChildren(...kids);
  if (active) document.getElementById(active)?.focus();
}

export function renderDownloads(root, app) {
  const s = app.state;
  const oy = app.meta.indicators.find((i) => i.id === 'omradestyp')?.years?.at(-1) ?? 2022;
  const q = s.mode === 'typ' ? { level: 'regso', indicator: 'omradestyp', year: oy, breakdown: 'total', kommun: s.kommun, lang: s.lang } : classifyQuery(s, app.meta);
  const h2 = Object.assign(document.createElement('h2'), { textContent: t(s.lang, 'downloads') });
  if (s.mode === 'lisa' || s.mode === 'change') {
    // The export endpoints classify the indicator for one year; they cannot
    // export LISA clusters or changes, so offering them here would download
    // something other than the map. Say so instead.
    const p = Object.assign(document.createElement('p'), { id: 'dl-unavailable', className: 'hint', textContent: t(s.lang, s.mode === 'lisa' ? 'dlNoLisa' : 'dlNoChange') });
    root.replaceChildren(h2, p, reportLink(app));
    return;
  }
  const ul = document.createElement('ul');
  ul.className = 'dl-list';
  for (const [ext, key] of [['csv', 'csv'], ['xlsx', 'xlsx'], ['geojson', 'geojson']]) {
    const a = Object.assign(document.createElement('a'), { href: url(`api/export.${ext}`, q), textContent: t(s.lang, key) });
    a.id = `dl-${ext}`;
    a.setAttribute('download', '');
    const li = document.createElement('li');
    li.append(a);
    ul.append(li);
  }
  root.replaceChildren(h2, ul, reportLink(app));
}
