// segmap web client entry point.
import { getJSON, setLanguage } from './api.js';
import { SegMap } from './map.js';
import { loadView } from './modes.js';
import { renderControls, renderDownloads } from './controls.js';
import { renderLegend } from './legend.js';
import { loadErrorMessage } from './errors.js';
import { Table } from './table.js';
import { Profile } from './profile.js';
import { t, applyStatic } from './i18n.js';
import { fmt, fmtSigned } from './format.js';
import * as st from './state.js';
import { EmbedChrome, documentBase, embedQuery, isEmbedPath, parseEmbed, pinQuery, updateOEmbedLink } from './embed.js';
import { renderShare } from './share.js';
import { Sites } from './sites.js';
import { updateReportLink } from './report.js';
import { DataPage } from './datapage.js';

const DATA_KEYS = ['mode', 'level', 'kommun', 'ind', 'year', 'year2', 'bd', 'method', 'k', 'scheme', 'alpha', 'pool', 'lang'];

class App {
  constructor() {
    this.seq = 0;
    this.view = null;
    this.selectedId = null;
    this.types = new Map();
    let resolveReady;
    this.ready = new Promise((r) => { resolveReady = r; });
    this.resolveReady = resolveReady;
    this.stats = { seq: 0, status: 'loading', colored: 0, startedAt: 0, drawnAt: 0, ms: 0, firstDrawnAt: 0 };
  }

  async start() {
    // /embed: map and legend only, for iframes on a kommun's web site.
    // Options: controls=0 (no zoom buttons), hover=0, click=1 (see embed.js).
    this.embedOpts = isEmbedPath(location.pathname) ? parseEmbed(location.search) : null;
    if (this.embedOpts) document.body.classList.add('embed');
    const wantTable = location.hash === '#table';
    this.meta = await getJSON('api/meta');
    this.meta.kommuner = this.meta.kommuner || [];
    this.kommuner = new Map(this.meta.kommuner.map((k) => [k.code, k.name]));
    this.base = st.defaults(this.meta);
    this.state = st.normalise(st.parse(location.search, this.base), this.meta);
    setLanguage(this.state.lang);
    if (this.embedOpts && !this.embedOpts.click) this.state.sel = ''; // no selection without click=1
    applyStatic(this.state.lang);
    this.setTitle();
    this.els = {
      form: document.getElementById('controls'), legend: document.getElementById('legend'),
      downloads: document.getElementById('downloads'), status: document.getElementById('status'),
      tooltip: document.getElementById('tooltip'), lang: document.getElementById('lang'),
    };
    this.els.lang.value = this.state.lang;
    this.els.lang.addEventListener('change', () => this.update({ lang: this.els.lang.value }));
    this.table = new Table(document.getElementById('table-region'), this);
    this.profile = new Profile(document.getElementById('profile'), this);
    const eo = this.embedOpts;
    this.map = new SegMap(document.getElementById('map'), this.meta, {
      hover: (f, p) => (!eo || eo.hover ? this.tooltip(f, p) : null),
      click: (id) => (this.sites?.drawing ? null : !eo || eo.click ? this.select(id, { from: 'map' }) : null),
    }, { controls: !eo || eo.controls, cooperative: !!eo, lang: this.state.lang });
    this.setupSummary();
    if (eo) this.chrome = new EmbedChrome(this);
    else {
      this.els.share = Object.assign(document.createElement('section'), { id: 'share', className: 'share' });
      this.els.downloads.after(this.els.share);
    }
    const hasCamera = /^#\d/.test(location.hash);
    await this.map.init(this.state.level, hasCamera);
    this.map.setContext(this.state.ctx ? this.state.ctx.split(',') : []);
    if (!eo) {
      this.sites = new Sites(document.getElementById('sites'), this);
      this.sites.init().catch((e) => console.error(e));
      this.setupDataPage();
    }
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.selectedId !== null) this.select(null); });
    this.writeURL();
    renderControls(this.els.form, this);
    renderDownloads(this.els.downloads, this);
    if (this.els.share) renderShare(this.els.share, this);
    this.loadTypes();
    await this.reload();
    if (wantTable) document.getElementById('table-region')?.focus();
    if (this.state.kommun && !hasCamera) this.fitKommun(this.state.kommun);
  }

  // setupDataPage wires the header's Karta/Data navigation to the data page
  // (datapage.js); ?page=data opens it.
  setupDataPage() {
    this.datapage = new DataPage(document.getElementById('datapage'), this);
    document.getElementById('nav-map')?.addEventListener('click', () => this.update({ page: '' }));
    document.getElementById('nav-data')?.addEventListener('click', () => this.update({ page: 'data' }));
    if (this.state.page === 'data') this.datapage.open(false).catch((e) => console.error(e));
  }

  // refreshMeta reloads /api/meta after the data changed (an import, a
  // rename or delete on the data page): new levels get their tiles, the
  // lists their indicators; patch (e.g. the new indicator) is applied and
  // the map redrawn.
  async refreshMeta(patch = {}) {
    const meta = await getJSON('api/meta');
    meta.kommuner = meta.kommuner || [];
    this.meta = meta;
    this.kommuner = new Map(meta.kommuner.map((k) => [k.code, k.name]));
    this.base = { ...st.defaults(meta), page: this.base.page };
    await this.map.refresh(meta);
    const prevLevel = this.state.level;
    this.state = st.normalise({ ...this.state, ...patch }, meta);
    this.map.setLevel(this.state.level);
    if (prevLevel !== this.state.level || patch.sel === '') { this.selectedId = null; this.profile.close(); }
    this.writeURL();
    renderControls(this.els.form, this);
    renderDownloads(this.els.downloads, this);
    if (this.els.share) renderShare(this.els.share, this);
    this.table.showAll = false;
    await this.reload();
  }

  // setTitle names the page in the UI language (the embed page keeps the
  // map's title, which the server writes).
  setTitle() {
    if (!this.embedOpts) document.title = t(this.state.lang, 'docTitle');
  }

  // stateQuery is the URL query of the state (with patch applied).
  stateQuery(patch = {}) {
    return st.serialize({ ...this.state, ...patch }, this.base);
  }

  // setupSummary adds the written summary of the map (from /api/classify):
  // the map's accessible description and the canvas's text alternative.
  setupSummary() {
    const p = Object.assign(document.createElement('p'), { id: 'map-summary', className: 'sr-only' });
    document.querySelector('.map-wrap').append(p);
    document.getElementById('map').setAttribute('aria-describedby', 'map-summary');
    this.els.summary = p;
  }

  describe(view) {
    const lang = this.state.lang;
    if (!view.summary) {
      // Modes without a server summary: title and the legend's counts.
      view.summary = `${view.title}: ${view.legend.map((l) => `${l.label} ${l.count} ${t(lang, 'areas')}`).join(', ')}.`;
    }
    this.els.summary.textContent = view.summary;
    const canvas = this.map.map.getCanvas();
    canvas.setAttribute('aria-label', `${t(lang, 'mapLabel')}: ${view.summary}`);
  }

  kommunName(code) {
    return this.kommuner.get(code) || this.kommuner.get(String(code).slice(0, 4)) || '';
  }

  typeLabel(n) {
    return this.types.get(n) || this.types.get(Number(n)) || `${t(this.state.lang, 'type')} ${n}`;
  }

  async loadTypes() {
    try {
      const r = await getJSON('api/omradestyper', { lang: this.state.lang });
      this.types = new Map((r.types || []).map((x) => [x.type, (this.state.lang === 'en' ? x.label_en : x.label_sv) || String(x.type)]));
    } catch { /* optional */ }
  }

  writeURL() {
    let q = st.serialize(this.state, this.base);
    if (this.embedOpts) q = [pinQuery(q, this.state), embedQuery(this.embedOpts)].filter(Boolean).join('&'); // an embed stays pinned
    history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
    updateOEmbedLink(`${documentBase()}${this.embedOpts ? '/embed' : '/'}${q ? `?${q}` : ''}`);
  }

  update(patch) {
    const prev = this.state;
    const merged = { ...prev, ...patch };
    if (merged.mode === 'typ' && prev.mode !== 'typ') this.levelBeforeTyp = prev.level;
    if (prev.mode === 'typ' && merged.mode !== 'typ' && patch.level === undefined && this.levelBeforeTyp) merged.level = this.levelBeforeTyp;
    const next = st.normalise(merged, this.meta);
    this.state = next;
    setLanguage(next.lang);
    const dataChanged = DATA_KEYS.some((k) => prev[k] !== next[k]);
    if (prev.lang !== next.lang) { applyStatic(next.lang); this.els.lang.value = next.lang; this.loadTypes(); this.sites?.render(); }
    if (prev.lang !== next.lang) { this.map.setLang(next.lang); this.setTitle(); if (this.datapage?.isOpen) this.datapage.render(); }
    if (prev.page !== next.page && this.datapage) {
      if (next.page === 'data') this.datapage.open().catch((e) => console.error(e)); else this.datapage.close();
    }
    if (prev.level !== next.level) { this.map.setLevel(next.level); this.selectedId = null; this.profile.close(); }
    if (prev.ctx !== next.ctx) this.map.setContext(next.ctx ? next.ctx.split(',') : []);
    this.writeURL();
    renderControls(this.els.form, this);
    renderDownloads(this.els.downloads, this);
    if (this.els.share) renderShare(this.els.share, this);
    if (dataChanged) { this.table.showAll = false; this.reload(); }
    else if (this.view && (prev.sort !== next.sort || prev.dir !== next.dir)) this.table.render(this.view);
    if (prev.kommun !== next.kommun && next.kommun) this.fitKommun(next.kommun);
  }

  // fitAll shows every area of the current level.
  fitAll() {
    const b = this.map.tj.get(this.state.level)?.bounds;
    if (b) this.map.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 20, duration: 0 });
  }

  setSort(col) {
    const s = this.state;
    this.update({ sort: col, dir: s.sort === col && s.dir === 'asc' ? 'desc' : s.sort === col ? 'asc' : (col === 'value' ? 'desc' : 'asc') });
    document.querySelector(`button.sort[data-col="${col}"]`)?.focus();
  }

  // fitKommun zooms to a kommun. Tiles give geometry only for what is
  // loaded, so first show the whole level, then measure the kommun.
  async fitKommun(code) {
    this.fitAll();
    await this.map.idle();
    const layer = this.map.tj.get('kommun')?.layer;
    if (!layer) return;
    const fs = this.map.map.querySourceFeatures('src-kommun', { sourceLayer: layer, filter: ['==', ['get', 'code'], code] });
    if (fs.length) this.map.flyTo('kommun', fs[0].id, this.panelWidth());
  }

  async reload() {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    const seq = ++this.seq;
    const startedAt = performance.now();
    this.stats = { ...this.stats, status: 'loading', startedAt };
    // An empty store (or one without indicators yet): nothing to colour.
    if (!this.map.level || (this.state.mode !== 'typ' && !this.state.ind)) { this.showEmpty(seq); return; }
    this.els.status.textContent = t(this.state.lang, 'loading');
    let view;
    try {
      view = await loadView(this.state, this.meta, ac.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (seq !== this.seq) return;
      this.showLoadError(e);
      return;
    }
    if (seq !== this.seq) return;
    const fetchedAt = performance.now();
    this.els.status.classList.remove('error');
    this.view = view;
    this.rowsById = new Map(view.rows.map((r) => [r.id, r]));
    this.map.setColors(new Map(view.rows.map((r) => [r.id, r.color])));
    renderLegend(this.els.legend, view, this.state.lang);
    this.describe(view);
    this.chrome?.update(view);
    updateReportLink(this);
    const coloredAt = performance.now();
    this.table.render(view);
    const tableAt = performance.now();
    if (this.state.sel) {
      const r = view.rows.find((x) => x.code === this.state.sel);
      if (r && r.id !== this.selectedId) this.select(r.id, { from: 'url' });
      else if (r) this.map.select(r.id);
    }
    await this.map.idle();
    if (seq !== this.seq) return;
    const drawnAt = performance.now();
    this.els.status.textContent = `${view.rows.length} ${t(this.state.lang, 'areas')}`;
    this.stats = {
      ...this.stats, seq, status: 'drawn', colored: view.rows.filter((r) => r.color).length,
      drawnAt, ms: drawnAt - startedAt, firstDrawnAt: this.stats.firstDrawnAt || drawnAt,
      phases: { fetch: fetchedAt - startedAt, colour: coloredAt - fetchedAt, table: tableAt - coloredAt, render: drawnAt - tableAt },
    };
    this.resolveReady(this.stats);
  }

  // showEmpty says that there is nothing to draw yet and points to the data page.
  showEmpty(seq) {
    this.view = null;
    this.rowsById = new Map();
    this.map.setColors(new Map());
    this.els.legend.replaceChildren();
    this.table.root.replaceChildren();
    this.els.status.classList.remove('error');
    this.els.status.textContent = t(this.state.lang, this.map.level ? 'emptyNoIndicators' : 'emptyStore');
    this.stats = { ...this.stats, seq, status: 'empty', colored: 0 };
    this.resolveReady(this.stats);
  }

  // panelWidth is the width of the open area profile over the map (0 when closed).
  panelWidth() {
    const p = document.getElementById('profile');
    return p && !p.hidden ? p.offsetWidth : 0;
  }

  // showLoadError clears what the failed selection would have replaced
  // (colours, legend, table: they belong to the previous selection) and
  // says what went wrong in the UI language, the server's message as detail.
  showLoadError(e) {
    const { text, detail } = loadErrorMessage(this.state.lang, e);
    this.view = null;
    this.rowsById = new Map();
    this.map.setColors(new Map());
    this.els.legend.replaceChildren();
    this.table.root.replaceChildren();
    const st = this.els.status;
    st.replaceChildren(text);
    if (detail) st.append(' ', Object.assign(document.createElement('small'), { className: 'error-detail', textContent: `(${detail})` }));
    st.classList.add('error');
    this.stats = { ...this.stats, status: 'error', error: e.message, errorText: text };
  }

  select(id, opts = {}) {
    if (id === null || id === undefined) {
      this.selectedId = null;
      this.map.select(null);
      this.table.highlight(null);
      this.profile.close();
      if (this.state.sel) this.update({ sel: '' });
      return;
    }
    const r = this.rowsById?.get(id);
    this.selectedId = id;
    this.map.select(id);
    this.table.highlight(id, opts.from !== 'table');
    const code = r?.code;
    if (code) {
      if (this.state.sel !== code) this.update({ sel: code });
      this.profile.open(this.state.level, code);
    }
    if (opts.fly) this.map.flyTo(this.state.level, id, this.panelWidth());
  }

  tooltip(f, p) {
    const tt = this.els.tooltip;
    if (!f || !this.view) { tt.hidden = true; return; }
    const r = this.rowsById.get(f.id);
    const lang = this.state.lang;
    const v = r ? (r.suppressed && r.value === null ? t(lang, 'suppressed') : (this.view.signed ? fmtSigned : fmt)(r.value, this.view.decimals, lang)) : '–';
    tt.replaceChildren();
    const b = document.createElement('strong');
    b.textContent = f.name || r?.name || '';
    const c = document.createElement('div');
    c.className = 'muted';
    c.textContent = `${f.code}${this.kommunName(f.code) && this.state.level !== 'kommun' ? ` · ${this.kommunName(f.code)}` : ''}`;
    const val = document.createElement('div');
    val.textContent = `${this.view.valueLabel}: ${v}${this.view.unit && v !== '–' ? ` ${this.view.unit}` : ''}`;
    tt.append(b, c, val);
    if (r?.classLabel) {
      const cl = document.createElement('div');
      cl.className = 'tt-class';
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = r.color;
      cl.append(sw, r.classLabel);
      tt.append(cl);
    }
    tt.hidden = false;
    const w = tt.parentElement.clientWidth;
    tt.style.left = `${Math.min(p.x + 14, w - tt.offsetWidth - 8)}px`;
    tt.style.top = `${p.y + 14}px`;
  }
}

const app = new App();
// Test and debugging hook: window.segmap.ready resolves after the first
// fully drawn choropleth; window.segmap.stats describes the latest draw.
window.segmap = {
  app,
  ready: app.ready,
  get stats() { return app.stats; },
  get state() { return app.state; },
  renderedColored: () => app.map.renderedColored(),
  get sites() { return app.sites; },
  get datapage() { return app.datapage; },
  get map() { return app.map?.map; },
};
app.start().catch((e) => {
  const s = document.getElementById('status');
  // Before the state is read (e.g. /api/meta failed) the language is the URL's.
  const lang = app.state?.lang || (new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'sv');
  s.textContent = `${t(lang, 'error')}: ${e.message}`;
  s.classList.add('error');
  app.stats = { ...app.stats, status: 'error', error: e.message };
  console.error(e);
});
