// Development sites ("Planerade bostäder"): upload or draw site layers, show
// them on the map and read each site's overlay summary. Writes need the API
// token, which is kept in sessionStorage (gone when the tab closes).
import { absURL, url } from './api.js';
import { fmt } from './format.js';
import { t } from './i18n.js';
import { authRequest, getToken, setToken } from './token.js';


const COLORS = ['#d4145a', '#6a3d9a', '#e66101', '#1b7837', '#2166ac'];

function el(tag, props = {}, ...children) {
  const { dataset, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(e.dataset, dataset);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function field(id, label, input) {
  input.id = id;
  return el('div', { className: 'field' }, el('label', { htmlFor: id, textContent: label }), input);
}

export class Sites {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.layers = [];
    this.shown = new Map(); // layer id -> colour
    this.drawing = null; // null | {kind, points}
    this.selected = null; // {layer, site}
  }

  get lang() { return this.app.state?.lang === 'en' ? 'en' : 'sv'; }
  t(key, vars = {}) { return t(this.lang, key).replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? ''); }
  // nSites is "1 plats", "3 platser" (sv) / "1 site", "3 sites" (en).
  nSites(n) { return `${n} ${this.t(n === 1 ? 'siteSite' : 'siteSites')}`; }
  sitesWord(n) { return this.t(n === 1 ? 'siteSite' : 'siteSites'); }
  // message of an API error in the interface language (the API's messages
  // are English; the geometry problem is said in Swedish too).
  errText(e) { return this.lang === 'sv' ? e.message.replace('the polygon crosses itself at', this.t('siteCrossesItself')) : e.message; }
  get token() { return getToken(); }

  // raw: return the Response of a successful request unread (downloads:
  // the GeoJSON summary is JSON too, but is saved as a file, not parsed).
  request(method, path, { params, body, headers = {}, raw = false } = {}) {
    return authRequest(method, path, { params, body, headers, raw, lang: this.lang });
  }

  async init() {
    this.map = this.app.map.map;
    // Site tiles carry the token when there is one (--private-reads).
    this.map.setTransformRequest((u) => (this.token && u.includes('/tiles/sites/') ? { url: u, headers: { Authorization: `Bearer ${this.token}` } } : { url: u }));
    this.render();
    this.map.on('click', (e) => this.onMapClick(e));
    this.map.on('dblclick', (e) => { if (this.drawing?.kind === 'polygon') { e.preventDefault(); this.finishDrawing(); } });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      if (this.drawing) this.cancelDrawing();
      else if (this.selected) this.closeSummary();
    });
    await this.loadLayers();
  }

  status(msg, error = false) {
    this.statusEl.textContent = msg;
    this.statusEl.classList.toggle('error', error);
  }

  render() {
    const token = el('input', { type: 'password', autocomplete: 'off', value: this.token });
    token.addEventListener('change', () => setToken(token.value));
    const file = el('input', { type: 'file', accept: '.geojson,.json,.gpkg,.zip' });
    const name = el('input', { type: 'text' });
    const up = el('button', { type: 'button', className: 'more', id: 'site-upload', textContent: this.t('siteUpload') });
    up.addEventListener('click', () => this.upload(file, name));
    const bufs = el('input', { type: 'text', value: this.buffers || '500,1000', inputMode: 'numeric' });
    bufs.addEventListener('change', () => { this.buffers = bufs.value; if (this.selected) this.summary(this.selected.layer, this.selected.site); });
    this.bufInput = bufs;
    this.bufErr = el('p', { className: 'error', id: 'site-buffers-error', role: 'alert', hidden: true });
    bufs.setAttribute('aria-describedby', 'site-buffers-error');
    // Drawing.
    const drawBox = el('div', { className: 'site-draw' });
    const poly = el('button', { type: 'button', className: 'more', id: 'site-draw-polygon', textContent: this.t('siteDrawPolygon') });
    const pt = el('button', { type: 'button', className: 'more', id: 'site-draw-point', textContent: this.t('siteDrawPoint') });
    poly.addEventListener('click', () => this.startDrawing('polygon'));
    pt.addEventListener('click', () => this.startDrawing('point'));
    this.drawForm = el('div', { className: 'site-draw-form', hidden: true });
    drawBox.append(poly, pt, this.drawForm);
    this.listEl = el('ul', { className: 'site-layers', id: 'site-layers' });
    this.statusEl = el('p', { className: 'status', role: 'status' });
    // The summary opens in a panel over the map (as the area profile does).
    this.summaryEl = document.getElementById('site-summary') || el('div', { className: 'site-summary', id: 'site-summary', tabIndex: -1 });
    this.root.replaceChildren(
      el('h2', { textContent: this.t('siteTitle') }),
      field('site-token', this.t('siteToken'), token), el('p', { className: 'hint', textContent: this.t('siteTokenSaved') }),
      field('site-file', this.t('siteFile'), file), field('site-name', this.t('siteLayerName'), name), up,
      el('h3', { className: 'site-h3', textContent: this.t('siteDraw') }), drawBox,
      el('h3', { className: 'site-h3', textContent: this.t('siteLayers') }), this.listEl,
      field('site-buffers', this.t('siteBuffers'), bufs), this.bufErr,
      this.statusEl,
      ...(this.summaryEl.isConnected ? [] : [this.summaryEl]),
    );
    this.renderList();
  }

  renderList() {
    if (!this.layers.length) { this.listEl.replaceChildren(el('li', { className: 'muted', textContent: this.t('siteNoLayers') })); return; }
    this.listEl.replaceChildren(...this.layers.map((l) => {
      const cb = el('input', { type: 'checkbox', checked: this.shown.has(l.id), id: `site-layer-${l.id}` });
      cb.addEventListener('change', () => (cb.checked ? this.show(l.id) : this.hide(l.id)));
      const lab = el('label', { htmlFor: cb.id, className: 'check' }, cb, `${l.name} (${this.nSites(l.sites)})`);
      const ren = el('button', { type: 'button', className: 'link small', textContent: this.t('siteRename') });
      ren.addEventListener('click', () => this.rename(l));
      const del = el('button', { type: 'button', className: 'link small', textContent: this.t('siteRemove') });
      del.addEventListener('click', () => this.remove(l));
      return el('li', { dataset: { id: l.id } }, lab, el('span', { className: 'site-actions' }, ren, ' · ', del));
    }));
  }

  async loadLayers() {
    try {
      const r = await this.request('GET', 'api/sites');
      this.layers = r.layers || [];
    } catch (e) { this.layers = []; this.status(e.message, true); }
    this.renderList();
  }

  async upload(fileInput, nameInput) {
    const f = fileInput.files?.[0];
    if (!f) return;
    if (!this.token) { this.status(this.t('siteNeedToken'), true); return; }
    const fd = new FormData();
    fd.append('file', f, f.name);
    if (nameInput.value.trim()) fd.append('name', nameInput.value.trim());
    this.status(this.t('siteLoading'));
    try {
      const r = await this.request('POST', 'api/sites', { body: fd });
      // Repairs and CRS guesses of the import are said, not hidden.
      this.status([this.t('siteUploaded', { name: r.layer.name, n: r.layer.sites, sites: this.sitesWord(r.layer.sites) }), ...(r.report?.notes || [])].join(' · '));
      await this.loadLayers();
      await this.show(r.layer.id, { fit: true });
    } catch (e) { this.status(this.errText(e), true); }
  }

  async rename(l) {
    const name = prompt(this.t('siteNewName'), l.name);
    if (!name) return;
    try {
      await this.request('PATCH', `api/sites/${l.id}`, { body: JSON.stringify({ name }), headers: { 'content-type': 'application/json' } });
      await this.loadLayers();
    } catch (e) { this.status(e.message, true); }
  }

  async remove(l) {
    if (!confirm(this.t('siteConfirmDelete', { name: l.name }))) return;
    try {
      await this.request('DELETE', `api/sites/${l.id}`);
      this.hide(l.id);
      await this.loadLayers();
    } catch (e) { this.status(e.message, true); }
  }

  // show adds a layer's sites as a vector-tile source (GET
  // tiles/sites/{id}/{z}/{x}/{y}.mvt, MVT layer "sites") with fill and
  // outline layers. Point sites come in the tiles as 15 m octagons
  // (kind=point), a few pixels at z14 and invisible below, so they are drawn
  // instead from the layer's GeoJSON (GET api/sites/{id}/geojson) as a
  // circle layer of a fixed radius on a source "site-{id}-pts".
  async show(id, { fit = false } = {}) {
    const color = COLORS[id % COLORS.length];
    const src = `site-${id}`;
    if (!this.map.getSource(src)) {
      const tiles = [absURL(`tiles/sites/${id}/{z}/{x}/{y}.mvt`)];
      this.map.addSource(src, { type: 'vector', tiles, minzoom: 0, maxzoom: 16 });
      const sl = 'sites';
      const isPoint = ['==', ['get', 'kind'], 'point'];
      const sel = ['boolean', ['feature-state', 'selected'], false];
      this.map.addLayer({ id: `${src}-fill`, type: 'fill', source: src, 'source-layer': sl, filter: ['!', isPoint], paint: { 'fill-color': color, 'fill-opacity': 0.35 } });
      this.map.addLayer({ id: `${src}-line`, type: 'line', source: src, 'source-layer': sl, filter: ['!', isPoint], paint: { 'line-color': color, 'line-width': ['case', sel, 4, 2] } });
      this.map.on('mouseenter', `${src}-fill`, () => { this.map.getCanvas().style.cursor = 'pointer'; });
      this.map.on('mouseleave', `${src}-fill`, () => { this.map.getCanvas().style.cursor = ''; });
    }
    this.shown.set(id, color);
    this.renderList();
    // Keep what the status says (an upload's message and notes) when there is something.
    if (!this.statusEl.textContent || this.statusEl.textContent === this.t('siteLoading')) this.status(this.t('siteClickSite'));
    let fc = null;
    try { fc = await this.request('GET', `api/sites/${id}/geojson`); } catch (e) { this.status(e.message, true); }
    const pts = `${src}-pts`;
    if (fc && this.shown.has(id) && !this.map.getSource(pts)) {
      const points = (fc.features || []).filter((f) => f.geometry?.type === 'Point');
      this.map.addSource(pts, { type: 'geojson', data: { type: 'FeatureCollection', features: points } });
      const sel = ['boolean', ['feature-state', 'selected'], false];
      const hov = ['boolean', ['feature-state', 'hover'], false];
      this.map.addLayer({
        id: `${src}-point`, type: 'circle', source: pts,
        paint: {
          'circle-color': color, 'circle-radius': ['case', sel, 9, hov, 9, 7],
          'circle-stroke-color': ['case', sel, '#111111', '#ffffff'], 'circle-stroke-width': ['case', sel, 3, hov, 3, 2],
        },
      });
      let hovered = null;
      const setHover = (fid) => {
        if (hovered !== null && this.map.getSource(pts)) this.map.setFeatureState({ source: pts, id: hovered }, { hover: false });
        hovered = fid;
        if (fid !== null && this.map.getSource(pts)) this.map.setFeatureState({ source: pts, id: fid }, { hover: true });
      };
      this.map.on('mousemove', `${src}-point`, (e) => { this.map.getCanvas().style.cursor = 'pointer'; setHover(e.features?.[0]?.id ?? null); });
      this.map.on('mouseleave', `${src}-point`, () => { this.map.getCanvas().style.cursor = ''; setHover(null); });
      if (this.selected?.layer === id) this.markSelected(id, this.selected.site, true);
    }
    if (fit && fc) {
      const b = bbox(fc);
      if (b) this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 80, maxZoom: 14, duration: 0 });
    }
  }

  hide(id) {
    const src = `site-${id}`;
    for (const l of ['fill', 'line', 'point']) if (this.map.getLayer(`${src}-${l}`)) this.map.removeLayer(`${src}-${l}`);
    if (this.map.getSource(src)) this.map.removeSource(src);
    if (this.map.getSource(`${src}-pts`)) this.map.removeSource(`${src}-pts`);
    this.shown.delete(id);
    this.renderList();
  }

  siteLayerIds() {
    const ids = [];
    for (const id of this.shown.keys()) ids.push(`site-${id}-fill`, `site-${id}-point`);
    return ids.filter((x) => this.map.getLayer(x));
  }

  onMapClick(e) {
    if (this.drawing) { this.addDrawPoint([e.lngLat.lng, e.lngLat.lat]); return; }
    const ids = this.siteLayerIds();
    if (!ids.length) return;
    const f = this.map.queryRenderedFeatures(e.point, { layers: ids })[0];
    if (!f) return;
    const layer = parseInt(f.source.replace('site-', ''), 10); // site-{id} or site-{id}-pts
    // The area layer's click handler ran first and opened the area profile;
    // a click on a site is about the site.
    this.app.select?.(null);
    this.summary(layer, f.id);
  }

  // --- drawing -------------------------------------------------------------

  startDrawing(kind) {
    this.cancelDrawing();
    this.drawing = { kind, points: [] };
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    if (!this.map.getSource('site-draw')) {
      this.map.addSource('site-draw', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      this.map.addLayer({ id: 'site-draw-line', type: 'line', source: 'site-draw', paint: { 'line-color': '#111', 'line-width': 2, 'line-dasharray': [2, 1] } });
      this.map.addLayer({ id: 'site-draw-pt', type: 'circle', source: 'site-draw', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#111' } });
    }
    const finish = el('button', { type: 'button', className: 'more', id: 'site-draw-finish', textContent: this.t('siteFinish') });
    finish.addEventListener('click', () => this.finishDrawing());
    const cancel = el('button', { type: 'button', className: 'link small', textContent: this.t('siteCancel') });
    cancel.addEventListener('click', () => this.cancelDrawing());
    this.drawForm.hidden = false;
    this.drawForm.replaceChildren(el('p', { className: 'hint', textContent: this.t(kind === 'point' ? 'siteDrawPointHint' : 'siteDrawHint') }), finish, cancel);
    this.updateDraw();
  }

  addDrawPoint(p) {
    this.drawing.points.push(p);
    if (this.drawing.kind === 'point') { this.finishDrawing(); return; }
    this.updateDraw();
  }

  updateDraw() {
    const pts = this.drawing?.points || [];
    const features = pts.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p } }));
    if (pts.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: this.drawing.kind === 'polygon' && pts.length > 2 ? [...pts, pts[0]] : pts } });
    this.map.getSource('site-draw')?.setData({ type: 'FeatureCollection', features });
  }

  cancelDrawing() {
    this.drawing = null;
    this.map.doubleClickZoom.enable();
    this.map.getCanvas().style.cursor = '';
    this.map.getSource('site-draw')?.setData({ type: 'FeatureCollection', features: [] });
    if (this.drawForm) { this.drawForm.hidden = true; this.drawForm.replaceChildren(); }
  }

  finishDrawing() {
    const d = this.drawing;
    if (!d) return;
    let geometry;
    if (d.kind === 'point' && d.points.length) geometry = { type: 'Point', coordinates: d.points[0] };
    else if (d.kind === 'polygon' && d.points.length >= 3) geometry = { type: 'Polygon', coordinates: [[...d.points, d.points[0]]] };
    else return;
    this.drawing = null;
    this.map.getCanvas().style.cursor = '';
    // Attributes of the drawn site, then upload it as a GeoJSON layer.
    const name = el('input', { type: 'text' });
    const dw = el('input', { type: 'number', min: '0', step: '1' });
    const ten = el('select');
    for (const [v, k] of [['', 'siteUnknownL'], ['hyresrätt', 'siteRentalL'], ['bostadsrätt', 'siteTenantL'], ['äganderätt', 'siteOwnerL']]) ten.append(el('option', { value: v, textContent: this.t(k) }));
    const yr = el('input', { type: 'number', min: '1900', max: '2200', step: '1' });
    const save = el('button', { type: 'button', className: 'more', id: 'site-draw-save', textContent: this.t('siteSave') });
    const cancel = el('button', { type: 'button', className: 'link small', textContent: this.t('siteCancel') });
    cancel.addEventListener('click', () => this.cancelDrawing());
    save.addEventListener('click', async () => {
      if (!this.token) { this.status(this.t('siteNeedToken'), true); return; }
      const props = { namn: name.value.trim() || this.t('siteDrawn'), bostader: dw.value === '' ? null : Number(dw.value), upplatelseform: ten.value || null, ar: yr.value === '' ? null : Number(yr.value) };
      const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: props, geometry }] };
      try {
        const r = await this.request('POST', 'api/sites', { params: { filename: 'ritad.geojson', name: props.namn }, body: JSON.stringify(fc), headers: { 'content-type': 'application/geo+json' } });
        this.cancelDrawing();
        this.status(this.t('siteUploaded', { name: r.layer.name, n: r.layer.sites, sites: this.sitesWord(r.layer.sites) }));
        await this.loadLayers();
        await this.show(r.layer.id);
      } catch (e) { this.status(e.message, true); }
    });
    this.drawForm.replaceChildren(field('site-draw-name', this.t('siteSiteName'), name), field('site-draw-dwellings', this.t('siteDwellings'), dw),
      field('site-draw-tenure', this.t('siteTenure'), ten), field('site-draw-year', this.t('siteYear'), yr), save, cancel);
    name.focus();
  }

  // --- summary -------------------------------------------------------------

  // markSelected sets the selected state of a site in the tiles and among the points.
  markSelected(layer, site, on) {
    if (this.map.getSource(`site-${layer}`)) this.map.setFeatureState({ source: `site-${layer}`, sourceLayer: 'sites', id: site }, { selected: on });
    if (this.map.getSource(`site-${layer}-pts`)) this.map.setFeatureState({ source: `site-${layer}-pts`, id: site }, { selected: on });
  }

  async summary(layer, site) {
    if (this.selected) this.markSelected(this.selected.layer, this.selected.site, false);
    this.selected = { layer, site };
    this.markSelected(layer, site, true);
    this.summaryEl.hidden = false;
    // A bad buffer value is said beside the buffer field; the summary shown stays.
    const buffers = (this.bufInput?.value || '').replace(/\s/g, '');
    const bufErr = (msg) => {
      if (!this.bufErr) return;
      this.bufErr.textContent = msg || '';
      this.bufErr.hidden = !msg;
      this.bufInput?.setAttribute('aria-invalid', msg ? 'true' : 'false');
    };
    const ds = buffers === '' ? [] : buffers.split(',');
    if (ds.length > 5 || ds.some((d) => !(Number(d) >= 1 && Number(d) <= 5000))) {
      bufErr(this.t('siteBadBuffers'));
      if (this.summaryEl.dataset.site === String(site)) return;
    } else bufErr('');
    const prev = [...this.summaryEl.childNodes];
    this.summaryEl.replaceChildren(el('p', { className: 'muted', textContent: this.t('siteLoading') }));
    const params = { site, lang: this.lang };
    if (this.bufErr?.hidden !== false) params.buffers = buffers;
    let r;
    try {
      r = await this.request('GET', `api/sites/${layer}/summary`, { params });
    } catch (e) {
      if (e.status === 400 && /buffers/.test(e.message)) { bufErr(`${this.t('siteBadBuffers')} (${e.message})`); this.summaryEl.replaceChildren(...prev); return; }
      this.summaryEl.replaceChildren(el('p', { className: 'error', textContent: e.message }));
      return;
    }
    this.renderSummary(r, layer, params);
  }

  renderSummary(r, layer, params) {
    const s = r.sites[0];
    const lang = this.lang;
    const pct = (v) => {
      if (v === null || v === undefined) return '–';
      if (v > 0 && v < 0.0005) return `< ${fmt(0.1, 1, lang)} %`; // not "0,0 %" for a sliver that is there
      return `${fmt(100 * v, 1, lang)} %`;
    };
    const close = el('button', { type: 'button', className: 'icon-btn', textContent: '×', title: this.t('siteClose') });
    close.setAttribute('aria-label', this.t('siteClose'));
    close.addEventListener('click', () => this.closeSummary());
    const head = el('div', { className: 'profile-head' }, el('h3', { className: 'site-h3', textContent: `${this.t('siteSummaryTitle')}: ${s.name}` }), close);
    const facts = el('dl', { className: 'facts' });
    const fact = (k, v) => facts.append(el('dt', { textContent: k }), el('dd', { textContent: v }));
    fact(this.t('siteDwellings'), s.dwellings === null ? this.t('siteNone') : fmt(s.dwellings, 0, lang));
    fact(this.t('siteTenure'), s.tenure_label);
    if (s.year !== null) fact(this.t('siteYear'), String(s.year));
    if (s.kind === 'polygon') fact(this.t('siteArea'), `${fmt(s.area_m2 / 10000, 2, lang)} ha`);
    // Areas touched.
    const at = el('table', { className: 'profile-table site-areas' });
    at.append(el('caption', { textContent: this.t('siteAreas') }));
    at.append(el('thead', {}, el('tr', {}, ...[this.t('siteCode'), this.t('siteName'), this.t('siteShareSite'), this.t('siteShareArea')].map((h, i) => el('th', { scope: 'col', className: i > 1 ? 'num' : '', textContent: h })))));
    const tb = el('tbody');
    for (const a of s.areas || []) {
      const name = a.level === 'regso' && a.omradestyp ? `${a.name} (${this.t('siteType').toLowerCase()} ${a.omradestyp}: ${a.omradestyp_label})` : a.name;
      tb.append(el('tr', { dataset: { level: a.level } }, el('td', { textContent: a.code }), el('td', { textContent: name }),
        el('td', { className: 'num', textContent: pct(a.share_of_site) }), el('td', { className: 'num', textContent: s.kind === 'point' ? '–' : pct(a.share_of_area) })));
    }
    at.append(tb);
    // Estimates: one column per zone.
    const zones = s.zones || [];
    const et = el('table', { className: 'profile-table site-estimates' });
    et.append(el('caption', { textContent: this.t('siteEstimates') }));
    et.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: this.t('siteIndicator') }),
      ...zones.map((z) => el('th', { scope: 'col', className: 'num', textContent: z.zone === 'site' ? this.t('siteInSite') : this.t('siteBuffer', { d: fmt(z.distance_m, 0, lang) }) })))));
    const eb = el('tbody');
    const inds = zones[0]?.estimates || [];
    inds.forEach((e, i) => {
      eb.append(el('tr', { dataset: { indicator: e.indicator } }, el('th', { scope: 'row', textContent: e.name }),
        ...zones.map((z) => {
          const x = z.estimates[i];
          const v = fmt(x.value, x.unit === '%' || x.unit === 'tkr' ? 1 : 0, lang);
          return el('td', { className: 'num', textContent: v === '–' ? v : `${v}${x.unit && x.unit !== 'antal' ? ` ${x.unit}` : ''}` });
        })));
    });
    et.append(eb);
    // Nearest type 1/2.
    const n = s.nearest_type_1_2;
    const near = el('p', { className: 'site-nearest' }, el('strong', { textContent: `${this.t('siteNearest')}: ` }),
      n ? `${n.name} (${n.code}, ${this.t('siteType').toLowerCase()} ${n.type}), ${n.distance_m === 0 ? this.t('siteTouches') : `${this.t('siteDistance')} ${fmt(n.distance_m, 0, lang)} m`}` : (s.nearest_type_1_2_note || this.t('siteNone')));
    // Tenure mix.
    const tm = el('table', { className: 'profile-table site-tenure' });
    tm.append(el('caption', { textContent: this.t('siteTenureMix') }));
    tm.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col', textContent: '' }),
      ...(s.tenure_mix || []).flatMap((m) => [el('th', { scope: 'col', className: 'num', textContent: `${m.level === 'deso' ? 'DeSO' : 'RegSO'} ${this.t('siteBefore').toLowerCase()}` }), el('th', { scope: 'col', className: 'num', textContent: `${this.t('siteAfter').toLowerCase()}` })]))));
    const tbody = el('tbody');
    for (const [key, share] of [['siteRental', 'rental_share'], ['siteTenantOwned', 'tenant_owned_share'], ['siteOwnerOccupied', 'owner_occupied_share']]) {
      tbody.append(el('tr', { dataset: { tenure: share } }, el('th', { scope: 'row', textContent: this.t(key) }),
        ...(s.tenure_mix || []).flatMap((m) => [el('td', { className: 'num', textContent: pct(m.before[share]) }), el('td', { className: 'num', textContent: m.after ? pct(m.after[share]) : '–' })])));
    }
    tm.append(tbody);
    const notes = (s.tenure_mix || []).map((m) => m.note).filter(Boolean).concat(s.notes || []);
    // Downloads (fetched with the token, so private reads work too).
    const dl = el('ul', { className: 'dl-list' });
    for (const ext of ['csv', 'xlsx', 'geojson']) {
      const a = el('a', { href: url(`api/sites/${layer}/summary.${ext}`, params), textContent: ext.toUpperCase(), id: `site-dl-${ext}` });
      a.setAttribute('download', `segmap_plats_${layer}_${s.id}.${ext}`);
      a.addEventListener('click', async (ev) => {
        if (!this.token) return; // public reads: a plain link
        ev.preventDefault();
        let blob;
        try {
          const res = await this.request('GET', `api/sites/${layer}/summary.${ext}`, { params, headers: { accept: '*/*' }, raw: true });
          blob = await res.blob();
        } catch (e) { this.status(e.message, true); return; }
        const href = URL.createObjectURL(blob);
        const tmp = el('a', { href, download: a.getAttribute('download') });
        document.body.append(tmp); tmp.click(); tmp.remove();
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
      });
      dl.append(el('li', {}, a));
    }
    const method = el('details', { className: 'site-method' }, el('summary', { textContent: this.t('siteMethod') }), el('p', { textContent: r.method }));
    const scroll = (tbl) => el('div', { className: 'site-scroll' }, tbl);
    this.summaryEl.replaceChildren(head, facts, scroll(at), scroll(et), near, scroll(tm), ...notes.map((x) => el('p', { className: 'hint', textContent: x })),
      el('h3', { className: 'site-h3', textContent: this.t('siteDownload') }), dl, method);
    this.summaryEl.dataset.site = String(s.id);
    this.summaryEl.focus({ preventScroll: false });
  }
}

Sites.prototype.closeSummary = function closeSummary() {
  if (this.selected) this.markSelected(this.selected.layer, this.selected.site, false);
  this.selected = null;
  if (this.summaryEl.isConnected && this.summaryEl.id === 'site-summary' && this.summaryEl.tagName === 'ASIDE') this.summaryEl.hidden = true;
};

function bbox(fc) {
  let b = null;
  const add = (c) => {
    if (typeof c[0] === 'number') {
      if (!b) b = [c[0], c[1], c[0], c[1]];
      else { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); }
    } else for (const x of c) add(x);
  };
  for (const f of fc.features || []) if (f.geometry) add(f.geometry.coordinates);
  return b;
}
