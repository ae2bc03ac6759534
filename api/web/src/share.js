// "Bädda in" (iframe snippet for the current view) and "Ladda ner bild"
// (PNG/SVG from /api/map.png|svg) dialogs. Native <dialog>: modal, Escape
// closes it, focus moves in on open and back to the opening button on close.
import { t } from './i18n.js';
import { url, classifyQuery } from './api.js';
import { fmt } from './format.js';
import { EMBED_DEFAULTS, EMBED_SIZES, documentBase, embedURL, pinQuery, snippet } from './embed.js';

// Picture sizes (CSS px at 96 DPI; A4 = 297 × 210 mm).
const PICTURE_SIZES = [
  { id: 'screen', width: 0, height: 0 },
  { id: 'slide', width: 1280, height: 720 },
  { id: 'a4l', width: 1123, height: 794 },
  { id: 'a4p', width: 794, height: 1123 },
];
const DPIS = [96, 150, 300];
const clampSize = (v) => Math.max(120, Math.min(4000, Math.round(v) || 0));

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

function field(id, label, control) {
  control.id = id;
  return el('div', { class: 'field' }, el('label', { for: id, text: label }), control);
}

function check(id, label, checked) {
  const box = el('input', { type: 'checkbox', id, checked });
  return el('label', { class: 'check', for: id }, box, ` ${label}`);
}

// openDialog shows a modal dialog built by build(dialog) and returns focus
// to opener when it closes.
function openDialog(id, titleKey, lang, opener, build) {
  document.getElementById(id)?.remove();
  const titleId = `${id}-title`;
  const close = el('button', { type: 'button', class: 'icon-btn', 'aria-label': t(lang, 'close'), text: '×' });
  const dlg = el('dialog', { id, class: 'dialog', 'aria-labelledby': titleId },
    el('div', { class: 'dialog-head' }, el('h2', { id: titleId, text: t(lang, titleKey) }), close));
  close.addEventListener('click', () => dlg.close());
  // Escape closes the dialog only (not also the selected area, see main.js).
  dlg.addEventListener('keydown', (e) => { if (e.key === 'Escape') e.stopPropagation(); });
  build(dlg);
  dlg.addEventListener('close', () => { dlg.remove(); (opener?.isConnected ? opener : document.getElementById(opener?.id))?.focus(); });
  document.body.append(dlg);
  dlg.showModal();
  (dlg.querySelector('[autofocus]') || close).focus();
  return dlg;
}

// stateQuery of the view for an embed: no selection, sort or table state.
function embedState(app) {
  return pinQuery(app.stateQuery({ sel: '', sort: app.base.sort, dir: app.base.dir }), app.state);
}

export function openEmbedDialog(app, opener) {
  const lang = app.state.lang;
  const L = (k) => t(lang, k);
  const title = app.view?.title || document.title;
  return openDialog('embed-dialog', 'embedTitle', lang, opener, (dlg) => {
    const size = el('select', { autofocus: true },
      ...EMBED_SIZES.map((s) => el('option', { value: s.id, text: s.width ? `${s.width} × ${s.height} px` : L('embedResponsive') })),
      el('option', { value: 'custom', text: L('embedCustom') }));
    const w = el('input', { type: 'number', min: 200, max: 4000, step: 10, value: 800, inputmode: 'numeric' });
    const h = el('input', { type: 'number', min: 200, max: 4000, step: 10, value: EMBED_SIZES[0].height, inputmode: 'numeric' });
    const opts = el('fieldset', { class: 'dialog-opts' }, el('legend', { text: L('embedShow') }),
      check('embed-controls', L('embedControls'), EMBED_DEFAULTS.controls),
      check('embed-hover', L('embedHover'), EMBED_DEFAULTS.hover),
      check('embed-click', L('embedClick'), EMBED_DEFAULTS.click),
      check('embed-camera', L('embedCamera'), true));
    const code = el('textarea', { readonly: true, rows: 5, spellcheck: 'false' });
    const copied = el('span', { id: 'embed-copied', class: 'muted', role: 'status', 'aria-live': 'polite' });
    const copy = el('button', { type: 'button', id: 'embed-copy', class: 'primary', text: L('embedCopy') });
    const preview = el('a', { id: 'embed-preview', target: '_blank', rel: 'noopener', text: L('embedPreview') });
    const oembed = el('p', { class: 'hint', id: 'embed-oembed' });
    const preset = () => {
      const p = EMBED_SIZES.find((s) => s.id === size.value);
      if (p) { if (p.width) w.value = p.width; h.value = p.height; }
      render();
    };
    const render = () => {
      w.disabled = size.value === 'responsive';
      const o = {
        controls: dlg.querySelector('#embed-controls').checked, hover: dlg.querySelector('#embed-hover').checked,
        click: dlg.querySelector('#embed-click').checked,
      };
      const camera = dlg.querySelector('#embed-camera').checked ? location.hash : '';
      const src = embedURL(documentBase(), embedState(app), o, camera);
      code.value = snippet({ src, title, width: size.value === 'responsive' ? 0 : clampSize(+w.value), height: clampSize(+h.value) });
      preview.href = src;
      oembed.textContent = `${L('embedOEmbed')} ${src.replace(/#.*$/, '')}`;
      copied.textContent = '';
    };
    const custom = () => { size.value = 'custom'; render(); };
    size.addEventListener('change', preset);
    w.addEventListener('input', custom);
    h.addEventListener('input', () => { if (size.value !== 'responsive') size.value = 'custom'; render(); });
    opts.addEventListener('change', render);
    copy.addEventListener('click', async () => {
      code.select();
      let ok = false;
      try { await navigator.clipboard.writeText(code.value); ok = true; } catch {
        try { ok = document.execCommand('copy'); } catch { ok = false; }
      }
      copied.textContent = ok ? L('embedCopied') : L('embedCopyFailed');
    });
    dlg.append(
      el('p', { class: 'hint', text: `${L('embedIntro')} ${title}.` }),
      field('embed-size', L('embedSize'), size),
      el('div', { class: 'dialog-row' }, field('embed-width', L('width'), w), field('embed-height', L('height'), h)),
      opts,
      field('embed-code', L('embedCode'), code),
      el('div', { class: 'dialog-actions' }, copy, preview, copied),
      oembed,
    );
    render();
  });
}

export function openPictureDialog(app, opener) {
  const lang = app.state.lang;
  const L = (k) => t(lang, k);
  return openDialog('picture-dialog', 'pictureTitle', lang, opener, (dlg) => {
    if (app.state.mode !== 'ind') {
      dlg.append(el('p', { id: 'picture-unavailable', text: L('pictureOnlyInd') }));
      return;
    }
    const c = app.map.map.getContainer();
    const screen = { width: clampSize(c.clientWidth), height: clampSize(c.clientHeight) };
    const fmtEl = el('fieldset', { class: 'dialog-opts' }, el('legend', { text: L('pictureFormat') }),
      el('label', { class: 'check', for: 'picture-png' }, el('input', { type: 'radio', name: 'picture-format', id: 'picture-png', value: 'png', checked: true, autofocus: true }), ' PNG'),
      el('label', { class: 'check', for: 'picture-svg' }, el('input', { type: 'radio', name: 'picture-format', id: 'picture-svg', value: 'svg' }), ` SVG – ${L('pictureSVG')}`));
    const size = el('select', {}, ...PICTURE_SIZES.map((s) => el('option', {
      value: s.id, text: s.id === 'screen' ? `${L('pictureScreen')} (${screen.width} × ${screen.height})` : `${L(`picture_${s.id}`)} (${s.width} × ${s.height})`,
    })), el('option', { value: 'custom', text: L('embedCustom') }));
    const w = el('input', { type: 'number', min: 120, max: 4000, step: 10, value: screen.width, inputmode: 'numeric' });
    const h = el('input', { type: 'number', min: 120, max: 4000, step: 10, value: screen.height, inputmode: 'numeric' });
    const dpi = el('select', {}, ...DPIS.map((d) => el('option', { value: d, text: `${d} DPI${d === 96 ? ` – ${L('pictureDPIScreen')}` : d === 300 ? ` – ${L('pictureDPIPrint')}` : ''}` })));
    const pixels = el('p', { id: 'picture-pixels', class: 'hint', 'aria-live': 'polite' });
    const alt = el('textarea', { readonly: true, rows: 4 });
    alt.value = app.view?.summary || '';
    const link = el('a', { id: 'picture-download', class: 'button primary', download: true, text: L('pictureDownload') });
    const preset = () => {
      const p = PICTURE_SIZES.find((s) => s.id === size.value);
      if (p) { const q = p.width ? p : screen; w.value = q.width; h.value = q.height; }
      render();
    };
    const render = () => {
      const format = dlg.querySelector('input[name="picture-format"]:checked').value;
      dpi.disabled = format === 'svg';
      const width = clampSize(+w.value); const height = clampSize(+h.value);
      const d = format === 'svg' ? 96 : +dpi.value;
      link.href = url(`api/map.${format}`, { ...classifyQuery(app.state, app.meta), width, height, ...(format === 'png' ? { dpi: d } : {}) });
      pixels.textContent = format === 'svg'
        ? L('pictureVector')
        : L('picturePixels').replace('{w}', fmt(Math.round((width * d) / 96), 0, lang)).replace('{h}', fmt(Math.round((height * d) / 96), 0, lang));
    };
    size.addEventListener('change', preset);
    for (const i of [w, h]) i.addEventListener('input', () => { size.value = 'custom'; render(); });
    dpi.addEventListener('change', render);
    fmtEl.addEventListener('change', render);
    dlg.append(fmtEl, field('picture-size', L('pictureSize'), size),
      el('div', { class: 'dialog-row' }, field('picture-width', L('width'), w), field('picture-height', L('height'), h)),
      field('picture-dpi', L('pictureDPI'), dpi), pixels,
      field('picture-alt', L('pictureAlt'), alt),
      el('div', { class: 'dialog-actions' }, link));
    render();
  });
}

// renderShare draws the two buttons that open the dialogs.
export function renderShare(root, app) {
  const L = (k) => t(app.state.lang, k);
  const embed = el('button', { type: 'button', id: 'btn-embed', class: 'share-btn', 'aria-haspopup': 'dialog', text: L('embed') });
  const picture = el('button', { type: 'button', id: 'btn-picture', class: 'share-btn', 'aria-haspopup': 'dialog', text: L('picture') });
  embed.addEventListener('click', () => openEmbedDialog(app, embed));
  picture.addEventListener('click', () => openPictureDialog(app, picture));
  root.replaceChildren(el('h2', { text: L('shareMap') }), el('div', { class: 'share-list' }, embed, picture));
}
