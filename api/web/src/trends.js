// "Utveckling över tid": an indicator's series for one or several areas
// beside the first area's kommun, län and riket (line chart and a table
// with one column per year, Excel/CSV download from /api/trend), and how
// the områdestyper of the kommun changed (/api/omradestyper/transition).
// Opened from the area profile as a modal <dialog>.
import { getJSON, url } from './api.js';
import { lineChart } from './chart.js';
import { fmt, fmtSigned } from './format.js';
import { t, indicatorName } from './i18n.js';
import { yearsFor } from './state.js';
import { seriesBreakNote } from './modes.js';

const AREA_COLORS = ['#c2185b', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f'];
const PARENT_STYLE = { kommun: { color: '#1f5f8b', dash: '6 4' }, lan: { color: '#7a6a2f', dash: '8 3 2 3' }, riket: { color: '#4d4d4d', dash: '2 3' } };
const MAX_AREAS = AREA_COLORS.length;

function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

// trendIndicators are the indicators with two or more years at the level.
export function trendIndicators(meta, level) {
  return (meta?.indicators || []).filter((i) => yearsFor(i, level).length > 1);
}

// seriesLabel names a trend series: the area's name, or the level's word for a parent.
function seriesLabel(lang, s) {
  if (s.level === 'riket') return t(lang, 'riket');
  return s.name || s.code;
}

// breakMarkers mark on the chart the first year of each new geography
// version (from the API's series_geography): "!" where the years do not
// compare, "≈" where they do by summing split areas.
export function breakMarkers(lang, d) {
  return (d?.series_geography?.breaks || []).map((b) => ({ x: b.year, label: b.comparable ? '≈' : '!', title: lang === 'en' ? b.note_en : b.note_sv }));
}

export class TrendView {
  constructor(app, opener) {
    this.app = app;
    this.opener = opener;
    this.codes = [];
    this.level = 'regso';
    this.ind = '';
    this.data = null;
  }

  // open shows the trend of indicator ind for the area level/code.
  async open(level, code, ind) {
    const lang = this.app.state.lang;
    const inds = trendIndicators(this.app.meta, level);
    this.level = level;
    this.codes = [code];
    this.ind = inds.some((i) => i.id === ind) ? ind : inds[0]?.id;
    document.getElementById('trend-dialog')?.remove();
    const close = h('button', { type: 'button', class: 'icon-btn', 'aria-label': t(lang, 'close'), text: '×' });
    this.dlg = h('dialog', { id: 'trend-dialog', class: 'dialog trend-dialog', 'aria-labelledby': 'trend-title' },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'trend-title', text: t(lang, 'trendTitle') }), close));
    close.addEventListener('click', () => this.dlg.close());
    this.dlg.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
    this.dlg.addEventListener('close', () => { this.dlg.remove(); this.opener?.isConnected && this.opener.focus(); });
    this.body = h('div', { class: 'trend-body' });
    this.types = h('section', { class: 'trend-types', id: 'trend-types' });
    this.largest = h('section', { class: 'trend-largest', id: 'trend-largest' });
    this.maps = h('section', { class: 'trend-maps', id: 'trend-maps' });
    this.dlg.append(this.body, this.largest, this.maps, this.types);
    document.body.append(this.dlg);
    this.dlg.showModal();
    close.focus();
    await Promise.all([this.load(), this.loadTypes()]);
  }

  query(format) {
    return { indicator: this.ind, level: this.level, codes: this.codes.join(','), format, lang: this.app.state.lang };
  }

  async load() {
    const lang = this.app.state.lang;
    this.body.replaceChildren(h('p', { class: 'muted', text: t(lang, 'loading') }));
    if (!this.ind) {
      this.body.replaceChildren(h('p', { class: 'muted', text: t(lang, 'trendNone') }));
      return;
    }
    try {
      this.data = await getJSON('api/trend', this.query());
      this.render();
      await Promise.all([this.loadLargest(), this.loadMaps()]);
    } catch (e) {
      this.body.replaceChildren(h('p', { class: 'error', text: `${t(lang, 'error')}: ${e.message}` }));
    }
  }

  // series for the chart: the asked areas, then the first area's kommun, län and riket.
  chartSeries() {
    const lang = this.app.state.lang;
    const d = this.data;
    const first = d.areas[0];
    const points = (s) => d.years.map((y, i) => ({ x: y, y: s.values[i] }));
    const out = d.areas.map((a, i) => ({ label: seriesLabel(lang, a), color: AREA_COLORS[i % AREA_COLORS.length], width: 2.5, points: points(a) }));
    for (const p of d.parents) {
      const mine = (p.level === 'kommun' && p.code === first?.kommun) || (p.level === 'lan' && p.code === first?.lan) || p.level === 'riket';
      if (!mine) continue;
      out.push({ label: seriesLabel(lang, p), ...PARENT_STYLE[p.level], points: points(p) });
    }
    return out;
  }

  render() {
    const lang = this.app.state.lang;
    const d = this.data;
    const ind = d.indicator;
    const dec = ind.decimals ?? 1;
    const sel = h('select', { id: 'trend-indicator', onchange: (e) => { this.ind = e.target.value; this.load(); } },
      ...trendIndicators(this.app.meta, this.level).map((i) => {
        const o = h('option', { value: i.id, text: indicatorName(lang, i) });
        o.selected = i.id === this.ind;
        return o;
      }));
    const add = h('input', { id: 'trend-add', type: 'text', placeholder: t(lang, 'trendAddHint'), size: '12', autocomplete: 'off' });
    const addForm = h('form', { class: 'trend-add', onsubmit: (e) => {
      e.preventDefault();
      const c = add.value.trim();
      if (c && !this.codes.includes(c) && this.codes.length < MAX_AREAS) { this.codes.push(c); this.load(); }
    } }, h('label', { for: 'trend-add', text: t(lang, 'trendAdd') }), add, h('button', { type: 'submit', text: t(lang, 'trendAddBtn') }));
    const chips = h('ul', { class: 'trend-areas' }, ...d.areas.map((a, i) => h('li', {},
      h('span', { class: 'key', style: `border-top: 3px solid ${AREA_COLORS[i % AREA_COLORS.length]}` }), `${a.name} (${a.code})`,
      this.codes.length > 1 ? h('button', { type: 'button', class: 'link', 'aria-label': `${t(lang, 'trendRemove')} ${a.name}`, text: '×',
        onclick: () => { this.codes = this.codes.filter((c) => c !== a.code); this.load(); } }) : null)));
    const series = this.chartSeries();
    const title = `${indicatorName(lang, ind)}${ind.unit ? ` (${ind.unit})` : ''}`;
    const chart = h('figure', { class: 'chart-box trend-chart' },
      h('figcaption', { text: title }),
      lineChart({ series, title, decimals: dec, lang, width: 640, height: 260, markers: breakMarkers(lang, d) }),
      h('ul', { class: 'chart-legend' }, ...series.map((s) => h('li', {},
        h('span', { class: 'key', style: `border-top: 3px ${s.dash ? (s.dash.startsWith('2') ? 'dotted' : 'dashed') : 'solid'} ${s.color}` }), s.label))));
    const breakNote = seriesBreakNote(lang, d.series_geography);
    if (breakNote) chart.append(h('p', { class: 'note', id: 'trend-break', text: breakNote }));
    const rows = [...d.areas, ...d.parents];
    const table = h('table', { class: 'profile-table trend-table', id: 'trend-table' },
      h('caption', { text: `${title} – ${t(lang, 'trendTable')}` }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t(lang, 'name') }), ...d.years.map((y) => h('th', { scope: 'col', class: 'num', text: String(y) })))),
      h('tbody', {}, ...rows.map((r) => h('tr', { 'data-code': r.code, 'data-level': r.level },
        h('th', { scope: 'row', text: seriesLabel(lang, r) }),
        ...r.values.map((v) => h('td', { class: 'num', text: fmt(v, dec, lang) }))))));
    const dl = h('p', { class: 'dialog-actions' },
      h('a', { id: 'trend-xlsx', href: url('api/trend', this.query('xlsx')), download: '', text: t(lang, 'trendExcel') }),
      h('a', { id: 'trend-csv', href: url('api/trend', this.query('csv')), download: '', text: 'CSV' }));
    this.body.replaceChildren(
      h('div', { class: 'field' }, h('label', { for: 'trend-indicator', text: t(lang, 'indicator') }), sel),
      chips, this.codes.length < MAX_AREAS ? addForm : null, chart, table, dl);
  }

  largestQuery(format) {
    return { indicator: this.ind, level: this.level, kommun: this.kommun(), n: 5, format, lang: this.app.state.lang };
  }

  // loadLargest lists the areas of the kommun with the largest changes of
  // the indicator between its first and last year (/api/change/largest),
  // as improvements and deteriorations when the indicator has a better
  // direction, else as increases and decreases.
  async loadLargest() {
    const lang = this.app.state.lang;
    if (!this.kommun() || this.level === 'kommun' || this.level === 'lan' || this.level === 'riket') { this.largest.replaceChildren(); return; }
    try {
      const ind = this.ind;
      const r = await getJSON('api/change/largest', this.largestQuery());
      if (ind !== this.ind) return; // a later choice is loading
      this.renderLargest(r);
    } catch (e) {
      this.largest.replaceChildren(h('p', { class: 'error', text: `${t(lang, 'error')}: ${e.message}` }));
    }
  }

  renderLargest(r) {
    const lang = this.app.state.lang;
    const d = r.indicator.decimals ?? 1;
    const unit = r.kind === 'percentage_points' ? t(lang, 'changePP') : (r.indicator.unit || '');
    const byMeaning = r.meaning !== 'neutral';
    const sides = byMeaning ? [['better', r.better], ['worse', r.worse]] : [['increase', r.increases], ['decrease', r.decreases]];
    const list = ([side, areas]) => h('div', { class: `largest-side ${side}` },
      h('h4', { text: t(lang, `largest_${side}`) }),
      areas.length ? h('ol', { id: `largest-${side}` }, ...areas.map((a) => h('li', { 'data-code': a.code, 'data-change': String(a.change) },
        `${a.name} (${a.code}): ${fmtSigned(a.change, d, lang)} ${unit}`,
        a.relative_pct !== null && a.relative_pct !== undefined ? ` (${fmtSigned(a.relative_pct, 1, lang)} %)` : '',
        h('span', { class: 'muted', text: ` ${fmt(a.from, d, lang)} → ${fmt(a.to, d, lang)}` }))))
        : h('p', { class: 'muted', text: t(lang, 'largestNone') }));
    const name = this.app.kommunName?.(this.kommun()) || this.kommun();
    this.largest.dataset.indicator = r.indicator.id;
    this.largest.replaceChildren(
      h('h3', { text: `${t(lang, 'largestTitle')} ${r.from}–${r.to}: ${name}` }),
      h('p', { class: 'muted', id: 'largest-meaning', text: t(lang, `changeMeaning_${r.meaning}`) }),
      h('div', { class: 'largest-lists' }, ...sides.map(list)),
      h('p', { class: 'dialog-actions' },
        h('a', { id: 'largest-xlsx', href: url('api/change/largest', this.largestQuery('xlsx')), download: '', text: t(lang, 'trendExcel') }),
        h('a', { id: 'largest-csv', href: url('api/change/largest', this.largestQuery('csv')), download: '', text: 'CSV' })));
  }

  mapsQuery() {
    const st = this.app.state;
    return { indicator: this.ind, level: this.level, kommun: this.kommun(), method: st.method, k: st.k, scheme: st.scheme, lang: st.lang };
  }

  // loadMaps shows one map per year of the indicator in the kommun, all
  // with the same class breaks (pooled over the years): the server draws
  // them as one SVG (/api/multiples.svg, also for print and embeds), and
  // /api/multiples gives the shared legend with each year's counts.
  async loadMaps() {
    const lang = this.app.state.lang;
    if (!this.kommun() || !['deso', 'regso'].includes(this.level)) { this.maps.replaceChildren(); return; }
    try {
      const ind = this.ind;
      const r = await getJSON('api/multiples', this.mapsQuery());
      if (ind !== this.ind) return; // a later choice is loading
      this.renderMaps(r);
    } catch (e) {
      this.maps.replaceChildren(h('p', { class: 'error', text: `${t(lang, 'error')}: ${e.message}` }));
    }
  }

  renderMaps(r) {
    const lang = this.app.state.lang;
    const svg = url('api/multiples.svg', { ...this.mapsQuery(), width: 900 });
    const name = this.app.kommunName?.(this.kommun()) || this.kommun();
    const classes = (r.maps[0]?.legend || []).map((l, i) => ({ ...l, i })).filter((l) => l.kind === 'class');
    const table = h('table', { class: 'profile-table sm-table', id: 'sm-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t(lang, 'klass') }), ...r.years.map((y) => h('th', { scope: 'col', class: 'num', text: String(y) })))),
      h('tbody', {}, ...classes.map((c) => h('tr', { 'data-class': String(c.i) },
        h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${c.color}` }), ` ${c.label}`),
        ...r.maps.map((m) => h('td', { class: 'num', text: String(m.legend[c.i]?.count ?? 0) }))))));
    this.maps.dataset.indicator = r.indicator.id;
    this.maps.replaceChildren(
      h('h3', { text: `${t(lang, 'smTitle')}: ${name}` }),
      h('p', { class: 'muted', id: 'sm-note', text: t(lang, 'smNote').replace('{years}', r.years.join(', ')) }),
      h('figure', { class: 'sm-figure' }, h('img', { id: 'sm-img', src: svg, alt: `${indicatorName(lang, r.indicator)} ${r.years.join(', ')}`, loading: 'lazy' })),
      table,
      h('p', { class: 'dialog-actions' }, h('a', { id: 'sm-print', href: svg, target: '_blank', rel: 'noopener', text: t(lang, 'smPrint') })));
  }

  // loadTypes shows the 5×5 table of how the RegSO of the first area's kommun changed type.
  async loadTypes() {
    const lang = this.app.state.lang;
    const kommun = this.kommun();
    if (!kommun) return;
    try {
      const r = await getJSON('api/omradestyper/transition', { kommun, lang });
      this.renderTypes(r, kommun);
    } catch (e) {
      // No two years of types: nothing to show.
      if (e.status !== 404) this.types.replaceChildren(h('p', { class: 'error', text: `${t(lang, 'error')}: ${e.message}` }));
    }
  }

  kommun() {
    const c = this.codes[0] || '';
    if (this.level === 'kommun') return c;
    return this.data?.areas?.[0]?.kommun || (/^\d{4}/.test(c) ? c.slice(0, 4) : '');
  }

  renderTypes(r, kommun) {
    const lang = this.app.state.lang;
    const label = (ti) => `${ti.type} ${lang === 'en' ? ti.label_en : ti.label_sv}`;
    const head = h('tr', {}, h('th', { scope: 'col', text: `${r.from} \\ ${r.to}` }), ...r.types.map((ti) => h('th', { scope: 'col', class: 'num', title: label(ti), text: String(ti.type) })));
    const body = r.areas.map((row, i) => h('tr', {}, h('th', { scope: 'row', text: label(r.types[i]) }),
      ...row.map((n, j) => h('td', { class: `num${i === j ? ' diag' : n ? (j > i ? ' better' : ' worse') : ''}`,
        title: `${fmt(r.population[i][j], 0, lang)} ${t(lang, 'trendPersons')}`, text: String(n) }))));
    const name = this.app.kommunName?.(kommun) || kommun;
    const moves = r.moves.map((m) => h('li', { class: m.direction },
      `${m.name} (${m.code}): ${m.from} → ${m.to} (${t(lang, m.direction === 'better' ? 'trendBetter' : 'trendWorse')})`));
    this.types.replaceChildren(
      h('h3', { text: `${t(lang, 'trendTypes')} ${r.from}–${r.to}: ${name}` }),
      h('p', { class: 'muted', text: t(lang, 'trendTypesNote').replace('{better}', r.better).replace('{worse}', r.worse).replace('{unchanged}', r.unchanged) }),
      h('table', { class: 'profile-table transition-table', id: 'transition-table' }, h('thead', {}, head), h('tbody', {}, ...body)),
      moves.length ? h('ul', { class: 'trend-moves' }, ...moves) : null);
  }
}

// openTrend opens the trend view of an area from the profile.
export function openTrend(app, level, code, ind, opener) {
  const v = new TrendView(app, opener);
  v.open(level, code, ind);
  return v;
}
