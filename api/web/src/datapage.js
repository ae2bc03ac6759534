// Datasidan: bring statistics and boundaries into the store from the
// browser (issue 16). Upload a file (picker or drag and drop), read the
// preview of what was understood and the join report, edit the suggested
// indicators, import with progress, and manage what the store holds. Writes
// need the API token (token.js, shared with the site layers); the API is
// /api/data (see the README, "Data page / Datasidan").
import { APIError } from './api.js';
import { t, indicatorName } from './i18n.js';
import { fmt } from './format.js';
import { authRequest, getToken, setToken } from './token.js';
import {
  boundaryFacts, columnOptions, editEntry, fill, isDeso, joinReport, kindOf, mapTarget, previewFacts, progress, resultText,
  withoutEntries, yearsText,
} from './datamodel.js';

const OUTLINE_SRC = 'dp-outline';
const POLL_MS = 250;
const LEVELS = ['deso', 'regso', 'kommun', 'lan'];
const AGGREGATIONS = ['ratio', 'sum', 'weighted_mean', 'none'];

function el(tag, props = {}, ...children) {
  const { dataset, attrs, ...rest } = props;
  const e = Object.assign(document.createElement(tag), rest);
  if (dataset) Object.assign(e.dataset, dataset);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

function field(id, label, input, hint) {
  input.id = id;
  const kids = [el('label', { htmlFor: id, textContent: label }), input];
  if (hint) {
    kids.push(el('span', { className: 'hint', id: `${id}-hint`, textContent: hint }));
    input.setAttribute('aria-describedby', `${id}-hint`);
  }
  return el('div', { className: 'field' }, kids);
}

function select(options, value) {
  const s = el('select');
  for (const [v, label] of options) s.append(el('option', { value: String(v), textContent: label, selected: String(v) === String(value ?? '') }));
  return s;
}

function dl(facts) {
  return el('dl', { className: 'facts dp-facts' }, facts.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]));
}

export class DataPage {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.upload = null; // the current Upload (API answer)
    this.skip = new Set(); // indexes of unticked indicator entries
    this.job = null;
    this.lists = { indicators: [], layers: [], imports: [] };
    this.renaming = null; // indicator id being renamed
    this.busy = false;
    this.attempts = 0; // uploads tried (tests wait for the next one)
    this.previews = 0; // previews made again with edits
    this.previewing = null; // the running re-preview
  }

  get lang() { return this.app.state?.lang === 'en' ? 'en' : 'sv'; }
  t(key, vars) { return fill(t(this.lang, key), vars); }
  get isOpen() { return !this.root.hidden; }

  req(method, path, opts = {}) { return authRequest(method, path, { ...opts, lang: this.lang }); }
  json(method, path, body) {
    return this.req(method, path, { body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json' } });
  }

  // open/close show the page in place of the map settings (the map stays,
  // so an outline or a new indicator is seen at once).
  async open(focus = true) {
    this.root.hidden = false;
    document.body.classList.add('datapage-open');
    this.syncNav();
    this.render();
    if (focus) this.root.querySelector('h2')?.focus();
    this.app.map?.map?.resize();
    await this.loadLists();
  }

  close() {
    this.root.hidden = true;
    document.body.classList.remove('datapage-open');
    this.clearOutline();
    this.syncNav();
    this.app.map?.map?.resize();
  }

  syncNav() {
    const open = this.isOpen;
    for (const [id, on] of [['nav-map', !open], ['nav-data', open]]) {
      const b = document.getElementById(id);
      if (!b) continue;
      if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    }
  }

  // --- status -------------------------------------------------------------

  say(msg, { error = false } = {}) {
    if (!this.statusEl) return;
    this.statusEl.textContent = error ? '' : msg;
    this.errorEl.textContent = error ? msg : '';
    this.errorEl.hidden = !error;
  }

  fail(e) {
    // The API's message, in the language asked for (Swedish by default).
    const msg = e instanceof APIError ? e.message : `${this.t('dpFailed')}: ${e?.message || e}`;
    this.say(msg, { error: true });
  }

  // --- rendering ----------------------------------------------------------

  render() {
    const L = (k, v) => this.t(k, v);
    const token = el('input', { type: 'password', autocomplete: 'off', value: getToken() });
    token.addEventListener('change', () => { setToken(token.value); this.loadLists(); });
    this.fileInput = el('input', { type: 'file', accept: '.xlsx,.csv,.txt,.geojson,.json,.gpkg,.zip' });
    this.kindSel = select([['', L('dpKindAuto')], ['indicators', L('dpKindIndicators')], ['boundaries', L('dpKindBoundaries')]], '');
    const up = el('button', { type: 'button', className: 'btn', id: 'dp-upload', textContent: L('dpUpload') });
    up.addEventListener('click', () => this.uploadFile(this.fileInput.files?.[0]));
    this.fileInput.addEventListener('change', () => { if (this.fileInput.files?.[0]) this.uploadFile(this.fileInput.files[0]); });
    const drop = el('div', { className: 'dp-drop', id: 'dp-drop' },
      field('dp-file', L('dpFile'), this.fileInput, L('dpFileHint')),
      el('p', { className: 'dp-drop-text', textContent: L('dpDrop') }));
    for (const ev of ['dragenter', 'dragover']) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
    for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      const f = e.dataTransfer?.files?.[0];
      if (f) this.uploadFile(f);
    });
    this.statusEl = el('p', { className: 'status dp-status', id: 'dp-status', role: 'status', attrs: { 'aria-live': 'polite' } });
    this.errorEl = el('p', { className: 'error dp-error', id: 'dp-error', role: 'alert', hidden: true });
    this.progressEl = el('progress', { id: 'dp-progress', hidden: true, max: 1, attrs: { 'aria-labelledby': 'dp-status' } });
    this.previewEl = el('section', { className: 'dp-preview', id: 'dp-preview', attrs: { 'aria-labelledby': 'dp-preview-title' } });
    this.listsEl = el('section', { className: 'dp-lists', id: 'dp-lists', attrs: { 'aria-labelledby': 'dp-lists-title' } });
    this.root.replaceChildren(
      el('h2', { id: 'dp-title', tabIndex: -1, textContent: L('dpTitle') }),
      el('p', { className: 'hint', textContent: L('dpIntro') }),
      field('dp-token', L('dpToken'), token, L('siteTokenSaved')),
      drop,
      field('dp-kind', L('dpKind'), this.kindSel),
      up,
      this.statusEl, this.progressEl, this.errorEl,
      this.previewEl,
      this.listsEl,
    );
    this.renderPreview();
    this.renderLists();
  }

  // --- upload and preview -------------------------------------------------

  async uploadFile(f) {
    if (!f || this.busy) return;
    if (!getToken()) { this.say(this.t('siteNeedToken'), { error: true }); this.attempts++; return; }
    const kind = this.kindSel?.value || kindOf(f.name);
    const fd = new FormData();
    fd.append('file', f, f.name);
    if (kind) fd.append('kind', kind);
    this.busy = true;
    this.say(this.t('dpUploading', { file: f.name }));
    try {
      if (this.upload) this.discard(this.upload.id);
      this.upload = null;
      this.renderPreview();
      const u = await this.req('POST', 'api/data/uploads', { body: fd });
      this.setUpload(u);
      this.say(this.t('dpUploaded', { file: u.file }));
    } catch (e) {
      this.upload = null;
      this.renderPreview();
      this.fail(e);
    } finally { this.busy = false; this.attempts++; }
  }

  setUpload(u) {
    this.upload = u;
    this.dirty = false;
    this.skip = new Set();
    this.job = null;
    this.renderPreview();
    if (u.kind === 'boundaries') this.showOutline(u.preview);
  }

  discard(id) { this.req('DELETE', `api/data/uploads/${encodeURIComponent(id)}`).catch(() => {}); }

  // repreview sends the edited mapping; the answer replaces the preview.
  // A second call while one runs waits for that one.
  repreview() {
    if (this.previewing) return this.previewing;
    if (!this.upload || this.busy) return Promise.resolve();
    this.previewing = this.doRepreview().finally(() => { this.previewing = null; });
    return this.previewing;
  }

  async doRepreview() {
    this.busy = true;
    this.say(this.t('dpPreviewing'));
    try {
      const u = await this.json('POST', `api/data/uploads/${encodeURIComponent(this.upload.id)}/preview`, { mapping: this.sendMapping() });
      const skip = this.skip;
      this.setUpload(u);
      if (u.kind !== 'boundaries' && u.mapping?.indicators?.length === this.upload.mapping?.indicators?.length) this.skip = skip;
      this.renderPreview();
      this.previews++;
      this.say(this.t('dpPreviewed'));
      this.previewEl.querySelector('#dp-join')?.focus();
    } catch (e) { this.fail(e); } finally { this.busy = false; }
  }

  sendMapping() {
    const m = this.upload?.mapping || {};
    return this.upload?.kind === 'boundaries' ? m : withoutEntries(m, this.skip);
  }

  renderPreview() {
    if (!this.previewEl) return;
    const u = this.upload;
    if (!u) { this.previewEl.replaceChildren(); this.previewEl.hidden = true; return; }
    this.previewEl.hidden = false;
    const L = (k, v) => this.t(k, v);
    const boundaries = u.kind === 'boundaries';
    const kids = [el('h3', { id: 'dp-preview-title', textContent: L(boundaries ? 'dpPreviewBoundaries' : 'dpPreviewIndicators') })];
    kids.push(dl(boundaries ? boundaryFacts(u, this.lang) : previewFacts(u, this.lang)));
    const warnings = u.preview?.warnings || [];
    if (warnings.length) kids.push(el('ul', { className: 'dp-warnings', id: 'dp-warnings' }, warnings.map((w) => el('li', { textContent: w }))));
    // Repairs the import makes by itself: said, not hidden, but folded.
    const fixed = [...(u.preview?.fixed || []), ...(u.preview?.repaired || [])];
    if (fixed.length) {
      kids.push(el('details', { className: 'dp-fixed' }, el('summary', { textContent: L('dpFixed', { n: fixed.length }) }),
        el('ul', {}, fixed.map((w) => el('li', { textContent: w })))));
    }
    if (boundaries) kids.push(this.boundaryForm(u));
    else {
      if ((u.sheets || []).length > 1) kids.push(this.sheetField(u));
      kids.push(this.sampleTable(u.preview));
      kids.push(this.indicatorForm(u));
    }
    kids.push(this.joinSection(u.preview?.join));
    kids.push(this.actions(u));
    this.previewEl.replaceChildren(...kids.filter(Boolean));
  }

  sheetField(u) {
    const s = select(u.sheets.map((x) => [x, x]), u.sheet);
    s.addEventListener('change', () => {
      this.upload.mapping = { ...this.upload.mapping, sheet: s.value, indicators: [] };
      this.repreview();
    });
    return field('dp-sheet', this.t('dpFactSheet'), s);
  }

  sampleTable(p) {
    const header = p?.header || [];
    const rows = p?.sample_rows || [];
    if (!header.length && !rows.length) return null;
    const table = el('table', { className: 'dp-sample', id: 'dp-sample' },
      el('caption', { textContent: this.t('dpSample', { n: rows.length }) }),
      el('thead', {}, el('tr', {}, header.map((h) => el('th', { scope: 'col', textContent: h })))),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', { textContent: c }))))));
    return el('div', { className: 'dp-scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': this.t('dpSampleLabel') } }, table);
  }

  indicatorForm(u) {
    const L = (k, v) => this.t(k, v);
    const m = u.mapping || {};
    const cols = u.preview?.columns || [];
    const wrap = el('div', { className: 'dp-indicators', id: 'dp-indicators' }, el('h4', { textContent: L('dpSuggested') }),
      el('p', { className: 'hint', textContent: L('dpSuggestedHint') }));
    if (u.preview?.year_layout === 'fixed' || (!u.preview?.years?.length && !m.year_column)) {
      const y = el('input', { type: 'number', value: m.year || '', min: 1960, max: 2100, inputMode: 'numeric' });
      y.addEventListener('change', () => { this.upload.mapping = { ...this.upload.mapping, year: parseInt(y.value, 10) || 0 }; this.dirty = true; });
      wrap.append(field('dp-year', L('dpYear'), y, L('dpYearHint')));
    }
    (m.indicators || []).forEach((e, i) => {
      const id = (name) => `dp-ind-${i}-${name}`;
      const on = (input, name, ev = 'change') => input.addEventListener(ev, () => {
        this.upload.mapping = editEntry(this.upload.mapping, i, name, input.value);
        this.dirty = true;
      });
      const inc = el('input', { type: 'checkbox', id: id('use'), checked: !this.skip.has(i) });
      inc.addEventListener('change', () => { if (inc.checked) this.skip.delete(i); else this.skip.add(i); fs.classList.toggle('skipped', !inc.checked); });
      const text = (name, label, hint) => { const x = el('input', { type: 'text', value: e[name] ?? '' }); on(x, name); return field(id(name), label, x, hint); };
      const colSel = (name, label) => {
        const { options, value } = columnOptions(cols, e[name], this.lang);
        const s = select(options, value);
        on(s, name);
        return field(id(name), label, s);
      };
      const hib = select([['', L('dpHibUnknown')], ['true', L('dpHibHigher')], ['false', L('dpHibLower')]], e.higher_is_better === true ? 'true' : e.higher_is_better === false ? 'false' : '');
      on(hib, 'higher_is_better');
      const agg = select(AGGREGATIONS.map((a) => [a, L(`dpAgg_${a}`)]), e.aggregation || 'sum');
      on(agg, 'aggregation');
      const num = (name, label) => { const x = el('input', { type: 'text', inputMode: 'decimal', value: e[name] ?? '' }); on(x, name); return field(id(name), label, x); };
      const title = [e.name_sv || e.id, e.breakdown && e.breakdown !== 'total' ? `(${e.breakdown})` : ''].filter(Boolean).join(' ');
      const fs = el('fieldset', { className: `dp-entry${this.skip.has(i) ? ' skipped' : ''}`, dataset: { index: String(i), id: e.id || '' } },
        el('legend', { textContent: L('dpEntry', { n: i + 1, name: title }) }),
        el('label', { className: 'check', htmlFor: inc.id }, inc, ` ${L('dpUse')}`),
        el('div', { className: 'dp-grid' },
          text('name_sv', L('dpNameSv')), text('name_en', L('dpNameEn')),
          text('unit', L('dpUnit'), L('dpUnitHint')), field(id('higher_is_better'), L('dpHib'), hib),
          field(id('aggregation'), L('dpAgg'), agg), num('scale', L('dpScale')),
          colSel('value', L('dpValue')), colSel('numerator', L('dpNumerator')), colSel('denominator', L('dpDenominator')),
          text('id', L('dpId'), L('dpIdHint')), text('breakdown', L('dpBreakdown')), num('decimals', L('dpDecimals'))));
      wrap.append(fs);
    });
    const again = el('button', { type: 'button', className: 'btn secondary', id: 'dp-repreview', textContent: L('dpRepreview') });
    again.addEventListener('click', () => this.repreview());
    wrap.append(again);
    return wrap;
  }

  boundaryForm(u) {
    const L = (k, v) => this.t(k, v);
    const m = u.mapping || {};
    const fields = u.preview?.fields || [];
    const set = (name, v) => { this.upload.mapping = { ...this.upload.mapping, [name]: v }; this.dirty = true; };
    const level = el('input', { type: 'text', value: m.level || '', attrs: { list: 'dp-levels' } });
    level.addEventListener('change', () => set('level', level.value.trim()));
    const levels = el('datalist', { id: 'dp-levels' }, LEVELS.map((l) => el('option', { value: l })));
    const code = select([['', L('dpDetect')], ...fields.map((f) => [f, f])], m.code_field);
    code.addEventListener('change', () => set('code_field', code.value));
    const name = select([['', L('dpDetect')], ...fields.map((f) => [f, f])], m.name_field);
    name.addEventListener('change', () => set('name_field', name.value));
    const nsv = el('input', { type: 'text', value: m.level_name_sv || '' });
    nsv.addEventListener('change', () => set('level_name_sv', nsv.value.trim()));
    const again = el('button', { type: 'button', className: 'btn secondary', id: 'dp-repreview', textContent: L('dpRepreview') });
    again.addEventListener('click', () => this.repreview());
    // A DeSO file completes the store unless unticked (the mapping's "complete").
    let complete = null;
    if (isDeso(u)) {
      const box = el('input', { type: 'checkbox', id: 'dp-complete', checked: m.complete !== false });
      box.addEventListener('change', () => {
        set('complete', box.checked);
        this.previewEl.querySelector('dl')?.replaceWith(dl(boundaryFacts(this.upload, this.lang)));
      });
      complete = el('label', { className: 'check', htmlFor: 'dp-complete' }, box, ` ${L('dpComplete')}`);
    }
    return el('div', { className: 'dp-boundary-form' },
      field('dp-level', L('dpLevel'), level, L('dpLevelHint')), levels,
      el('div', { className: 'dp-grid' }, field('dp-code-field', L('dpFactCodeField'), code), field('dp-name-field', L('dpNameField'), name)),
      field('dp-level-name', L('dpLevelName'), nsv, L('dpLevelNameHint')),
      complete,
      el('p', { className: 'hint', id: 'dp-extent', textContent: u.preview?.bbox ? L('dpExtentShown') : '' }),
      again);
  }

  joinSection(join) {
    const rep = joinReport(join, this.lang);
    if (!rep) return null;
    const L = (k, v) => this.t(k, v);
    const sec = el('section', { className: `dp-join${rep.ok ? '' : ' bad'}`, id: 'dp-join', tabIndex: -1, attrs: { 'aria-labelledby': 'dp-join-title' } },
      el('h4', { id: 'dp-join-title', textContent: L('dpJoinTitle') }),
      el('p', { className: 'dp-join-head', textContent: rep.headline }));
    if (rep.causes.length) sec.append(el('ul', { className: 'dp-causes' }, rep.causes.map((c) => el('li', { dataset: { cause: c.cause }, textContent: c.text }))));
    if (rep.leadingZero) sec.append(el('p', { className: 'dp-hint-zero', id: 'dp-hint-zero', textContent: L('dpLeadingZeroHint') }));
    if (rep.examples.length) {
      sec.append(el('table', { className: 'dp-examples' },
        el('caption', { textContent: L('dpExamples') }),
        el('thead', {}, el('tr', {}, [L('code'), L('dpPlace'), L('dpCause')].map((h) => el('th', { scope: 'col', textContent: h })))),
        el('tbody', {}, rep.examples.map((x) => el('tr', { dataset: { cause: x.cause } }, el('td', { textContent: x.code }), el('td', { textContent: x.place }), el('td', { textContent: x.message }))))));
    }
    if (rep.inStore) sec.append(el('p', { className: 'hint', textContent: rep.inStore }));
    return sec;
  }

  actions(u) {
    const L = (k, v) => this.t(k, v);
    const imp = el('button', { type: 'button', className: 'btn', id: 'dp-import', textContent: L(u.kind === 'boundaries' ? 'dpImportBoundaries' : 'dpImport') });
    imp.addEventListener('click', () => this.runImport());
    const yaml = el('button', { type: 'button', className: 'link', id: 'dp-yaml', textContent: L('dpYaml') });
    yaml.addEventListener('click', () => this.downloadYAML());
    const cancel = el('button', { type: 'button', className: 'link', id: 'dp-cancel', textContent: L('dpCancel') });
    cancel.addEventListener('click', () => { this.discard(u.id); this.upload = null; this.clearOutline(); this.renderPreview(); this.say(L('dpCancelled')); });
    return el('div', { className: 'dp-actions' }, imp, u.kind === 'boundaries' ? null : yaml, cancel);
  }

  // downloadYAML saves the mapping as segmap import YAML (fetched with the
  // token, so it is a Blob download rather than a plain link).
  async downloadYAML() {
    if (!this.upload) return;
    // The server keeps the last previewed mapping: preview the edits first.
    if (this.dirty) await this.repreview();
    try {
      const path = `api/data/uploads/${encodeURIComponent(this.upload.id)}/mapping.yaml`;
      const res = await this.req('GET', path, { headers: { accept: 'application/yaml, */*' }, raw: true });
      const blob = await res.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: `${this.upload.file.replace(/\.[^.]+$/, '')}.mapping.yaml` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) { this.fail(e); }
  }

  // --- import -------------------------------------------------------------

  async runImport() {
    const u = this.upload;
    if (!u || this.busy) return;
    this.busy = true;
    const mapping = this.sendMapping();
    this.say(this.t('dpJobQueued'));
    this.progressEl.hidden = false;
    this.progressEl.removeAttribute('value');
    try {
      let job = await this.json('POST', `api/data/uploads/${encodeURIComponent(u.id)}/import`, { mapping });
      while (job.state === 'queued' || job.state === 'running') {
        this.showProgress(job);
        await new Promise((r) => setTimeout(r, POLL_MS));
        job = await this.req('GET', `api/data/jobs/${encodeURIComponent(job.id)}`);
      }
      this.job = job;
      this.showProgress(job);
      if (job.state === 'failed') {
        this.say(job.error?.message || this.t('dpJobFailed'), { error: true });
        return;
      }
      const done = resultText(job, mapping, this.lang);
      this.upload = null;
      this.renderPreview();
      // A boundary file's outline stays until an indicator colours its areas.
      if (u.kind !== 'boundaries') this.clearOutline();
      await this.afterChange(u.kind === 'boundaries' ? { level: mapping.level } : mapTarget(mapping));
      if (u.kind === 'boundaries') this.fitBBox(job.report?.bbox || u.preview?.bbox);
      this.say(done);
      this.resultEl?.remove();
      this.resultEl = el('p', { className: 'dp-result', id: 'dp-result', textContent: done });
      this.previewEl.before(this.resultEl);
    } catch (e) { this.fail(e); } finally {
      this.busy = false;
      this.progressEl.hidden = true;
    }
  }

  showProgress(job) {
    const p = progress(job, this.lang);
    if (p.value === null) this.progressEl.removeAttribute('value');
    else { this.progressEl.max = p.max; this.progressEl.value = p.value; }
    if (job.state !== 'failed') this.say(p.text);
  }

  // afterChange reloads the metadata (new levels, indicators, tile
  // versions), shows patch on the map and refreshes the lists.
  async afterChange(patch = {}) {
    await this.app.refreshMeta(patch || {});
    await this.loadLists();
  }

  // --- the map: a boundary file's extent ----------------------------------

  showOutline(p) {
    const map = this.app.map?.map;
    if (!map || !p) return;
    const fc = p.outline?.features?.length ? p.outline : bboxFeature(p.bbox);
    if (!fc) return;
    if (map.getSource(OUTLINE_SRC)) map.getSource(OUTLINE_SRC).setData(fc);
    else {
      map.addSource(OUTLINE_SRC, { type: 'geojson', data: fc });
      map.addLayer({ id: `${OUTLINE_SRC}-fill`, type: 'fill', source: OUTLINE_SRC, paint: { 'fill-color': '#e66101', 'fill-opacity': 0.15 } });
      map.addLayer({ id: `${OUTLINE_SRC}-line`, type: 'line', source: OUTLINE_SRC, paint: { 'line-color': '#b34700', 'line-width': 1.5 } });
    }
    this.fitBBox(p.bbox);
  }

  clearOutline() {
    const map = this.app.map?.map;
    if (!map) return;
    for (const l of ['fill', 'line']) if (map.getLayer(`${OUTLINE_SRC}-${l}`)) map.removeLayer(`${OUTLINE_SRC}-${l}`);
    if (map.getSource(OUTLINE_SRC)) map.removeSource(OUTLINE_SRC);
  }

  fitBBox(b) {
    const map = this.app.map?.map;
    if (!map || !Array.isArray(b) || b.length !== 4) return;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
  }

  // --- lists: indicators, boundary layers, imports ------------------------

  async loadLists() {
    try {
      const [i, b, h] = await Promise.all([
        this.req('GET', 'api/data/indicators'), this.req('GET', 'api/data/boundaries'), this.req('GET', 'api/data/imports'),
      ]);
      this.lists = { indicators: i?.indicators || [], layers: b?.layers || [], imports: h?.imports || [] };
    } catch (e) {
      this.lists = { indicators: [], layers: [], imports: [] };
      if (this.isOpen) this.fail(e);
    }
    this.renderLists();
  }

  renderLists() {
    if (!this.listsEl) return;
    const L = (k, v) => this.t(k, v);
    const { indicators, layers, imports } = this.lists;
    const indList = el('ul', { className: 'dp-list', id: 'dp-indicator-list' });
    if (!indicators.length) indList.append(el('li', { className: 'muted', textContent: L('dpNoIndicators') }));
    for (const ind of indicators) indList.append(this.indicatorItem(ind));
    const layerList = el('ul', { className: 'dp-list', id: 'dp-layer-list' });
    if (!layers.length) layerList.append(el('li', { className: 'muted', textContent: L('dpNoLayers') }));
    for (const l of layers) {
      const del = el('button', { type: 'button', className: 'link small', textContent: L('siteRemove'), attrs: { 'aria-label': L('dpDeleteLayer', { name: l.name_sv || l.level }) } });
      del.addEventListener('click', () => this.act(L('dpConfirmLayer', { name: l.name_sv || l.level }), 'DELETE', `api/data/boundaries/${encodeURIComponent(l.level)}`, L('dpDeletedLayer', { name: l.name_sv || l.level })));
      layerList.append(el('li', { dataset: { level: l.level } },
        el('span', { className: 'dp-item-name', textContent: `${l.name_sv || l.level} (${l.level})` }),
        el('span', { className: 'muted', textContent: ` ${fmt(l.features, 0, this.lang)} ${L('areas')}` }), ' ', del));
    }
    const last = imports[0];
    const undo = el('button', { type: 'button', className: 'btn secondary', id: 'dp-undo', textContent: L('dpUndo'), disabled: !last?.undoable });
    undo.addEventListener('click', () => this.act(L('dpConfirmUndo', { file: last?.file || '' }), 'POST', 'api/data/imports/undo', L('dpUndone', { file: last?.file || '' })));
    const hist = el('ul', { className: 'dp-list dp-history', id: 'dp-history' },
      imports.slice(0, 5).map((x) => el('li', { dataset: { id: String(x.id) } }, `${x.file || x.kind}${x.summary ? ` – ${x.summary}` : ''}${x.undone ? ` (${L('dpWasUndone')})` : ''}`)));
    this.listsEl.replaceChildren(
      el('h3', { id: 'dp-lists-title', textContent: L('dpInStore') }),
      el('h4', { textContent: L('dpIndicators') }), indList,
      el('h4', { textContent: L('dpLayers') }), layerList,
      el('h4', { textContent: L('dpImports') }), imports.length ? hist : el('p', { className: 'muted', textContent: L('dpNoImports') }), undo,
    );
  }

  indicatorItem(ind) {
    const L = (k, v) => this.t(k, v);
    const name = indicatorName(this.lang, ind);
    const li = el('li', { dataset: { id: ind.id } });
    if (this.renaming === ind.id) {
      const sv = el('input', { type: 'text', value: ind.name_sv || '' });
      const en = el('input', { type: 'text', value: ind.name_en || '' });
      const save = el('button', { type: 'submit', className: 'btn', textContent: L('save') });
      const cancel = el('button', { type: 'button', className: 'link', textContent: L('dpCancel') });
      const form = el('form', { className: 'dp-rename' }, field(`dp-rename-sv-${ind.id}`, L('dpNameSv'), sv), field(`dp-rename-en-${ind.id}`, L('dpNameEn'), en), save, cancel);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        this.renaming = null;
        await this.act('', 'PATCH', `api/data/indicators/${encodeURIComponent(ind.id)}`, L('dpRenamed', { name: sv.value.trim() }), { name_sv: sv.value.trim(), name_en: en.value.trim() });
      });
      cancel.addEventListener('click', () => { this.renaming = null; this.renderLists(); });
      li.append(form);
      queueMicrotask(() => sv.focus());
      return li;
    }
    const ren = el('button', { type: 'button', className: 'link small dp-rename-btn', textContent: L('siteRename'), attrs: { 'aria-label': L('dpRenameInd', { name }) } });
    ren.addEventListener('click', () => { this.renaming = ind.id; this.renderLists(); });
    const del = el('button', { type: 'button', className: 'link small dp-delete-btn', textContent: L('siteRemove'), attrs: { 'aria-label': L('dpDeleteInd', { name }) } });
    del.addEventListener('click', () => this.act(L('dpConfirmInd', { name }), 'DELETE', `api/data/indicators/${encodeURIComponent(ind.id)}`, L('dpDeletedInd', { name })));
    const years = el('span', { className: 'dp-years' });
    for (const lv of ind.levels || []) {
      for (const y of lv.years || []) {
        const b = el('button', { type: 'button', className: 'link small dp-year-btn', dataset: { year: String(y), level: lv.level }, textContent: L('dpDeleteYearShort', { year: y }), attrs: { 'aria-label': L('dpDeleteYear', { name, year: y }) } });
        b.addEventListener('click', () => this.act(L('dpConfirmYear', { name, year: y }), 'DELETE', `api/data/indicators/${encodeURIComponent(ind.id)}`, L('dpDeletedYear', { name, year: y }), undefined, { year: y }));
        years.append(' ', b);
      }
    }
    li.append(
      el('span', { className: 'dp-item-name', textContent: name }),
      el('span', { className: 'muted', textContent: ` ${ind.id} · ${yearsText(ind)}${ind.unit ? ` · ${ind.unit}` : ''}` }),
      el('span', { className: 'dp-item-actions' }, ren, ' · ', del, years));
    return li;
  }

  // act runs one change (rename, delete, undo) after a confirmation (none
  // when confirmText is empty), then reloads the map and the lists.
  async act(confirmText, method, path, doneText, body, params) {
    if (confirmText && !confirm(confirmText)) return;
    if (!getToken()) { this.say(this.t('siteNeedToken'), { error: true }); return; }
    try {
      if (body) await this.json(method, path, body);
      else await this.req(method, path, { params });
      await this.afterChange({});
      this.say(doneText);
    } catch (e) { this.fail(e); this.renderLists(); }
  }
}

// bboxFeature: a rectangle for an extent without an outline.
function bboxFeature(b) {
  if (!Array.isArray(b) || b.length !== 4) return null;
  const ring = [[b[0], b[1]], [b[2], b[1]], [b[2], b[3]], [b[0], b[3]], [b[0], b[1]]];
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] };
}
