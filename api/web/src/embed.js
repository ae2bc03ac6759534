// Embedding: the options of the /embed page, the public base URL (from the
// oEmbed discovery link the server writes into <head>), the iframe snippet,
// and the embed page's own title, source line and links.
import { t } from './i18n.js';
import { url, classifyQuery } from './api.js';

// Options of /embed beside the map state, with their defaults:
//   controls=0  no zoom buttons
//   hover=0     no tooltip with the area's value under the pointer
//   click=1     a click on an area selects it and opens its profile
export const EMBED_DEFAULTS = Object.freeze({ controls: true, hover: true, click: false });
const EMBED_KEYS = Object.keys(EMBED_DEFAULTS);

// Iframe sizes offered by the "Bädda in" dialog (CSS px); width 0 = 100 % wide.
export const EMBED_SIZES = Object.freeze([
  { id: 'responsive', width: 0, height: 480 },
  { id: 'small', width: 480, height: 360 },
  { id: 'medium', width: 800, height: 600 },
  { id: 'large', width: 1200, height: 800 },
]);

export function isEmbedPath(pathname) {
  return /\/embed\/?$/.test(pathname);
}

export function parseEmbed(search) {
  const p = new URLSearchParams(search);
  const o = { ...EMBED_DEFAULTS };
  for (const k of EMBED_KEYS) {
    if (p.has(k)) o[k] = !['0', 'false', 'no', 'off'].includes(p.get(k).toLowerCase());
  }
  return o;
}

// embedQuery writes the options that differ from the defaults ("" when none).
export function embedQuery(o) {
  const p = new URLSearchParams();
  for (const k of EMBED_KEYS) if (!!o[k] !== EMBED_DEFAULTS[k]) p.set(k, o[k] ? '1' : '0');
  return p.toString();
}

// publicBase is the service's public base URL (scheme://host[/prefix], no
// trailing slash). The server names the page's public URL in the oEmbed
// discovery link, which is right behind --public-url and trusted proxies;
// without the link it is taken from the page's own address.
export function publicBase(oembedHref, pageHref) {
  try {
    const page = new URL(new URL(oembedHref).searchParams.get('url'));
    return page.origin + page.pathname.replace(/\/(embed)?$/, '');
  } catch {
    const u = new URL(pageHref);
    return u.origin + u.pathname.replace(/\/(embed\/?)?$/, '').replace(/\/$/, '');
  }
}

export function documentBase() {
  const link = document.querySelector('link[rel="alternate"][type="application/json+oembed"]');
  return publicBase(link?.href || '', location.href);
}

// updateOEmbedLink points the discovery link at the page's current URL
// (the state changes after load; the link should follow).
export function updateOEmbedLink(pageURL) {
  const link = document.querySelector('link[rel="alternate"][type="application/json+oembed"]');
  if (!link) return;
  try {
    const u = new URL(link.href);
    u.searchParams.set('url', pageURL);
    link.href = u.href;
  } catch { /* leave it */ }
}

// pinQuery writes level, indicator and year (and the comparison year in
// change mode) into an embed's state query even when they are the server's
// defaults, so an embedded map does not silently change when an import
// brings a newer year or another default indicator.
export function pinQuery(stateQuery, s) {
  const have = new URLSearchParams(stateQuery);
  const p = new URLSearchParams();
  const pins = [['level', s.level], ['ind', s.ind], ['year', s.year]];
  if (s.mode === 'change') pins.push(['year2', s.year2]);
  for (const [k, v] of pins) if (v !== undefined && v !== null && v !== '' && v !== 0) p.set(k, String(v));
  for (const [k, v] of have) if (!p.has(k)) p.set(k, v);
  return p.toString();
}

// embedURL is the /embed URL of a view: state query, embed options, and
// optionally the camera (#zoom/lat/lng).
export function embedURL(base, stateQuery, opts, camera = '') {
  const q = [stateQuery, embedQuery(opts)].filter(Boolean).join('&');
  return `${base}/embed${q ? `?${q}` : ''}${camera && /^#\d/.test(camera) ? camera : ''}`;
}

const escAttr = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

// snippet is the <iframe> to paste into a web page. A fixed size matches
// what /api/oembed answers; width 0 makes it as wide as its container.
export function snippet({ src, title, width, height }) {
  const h = Math.max(1, height | 0);
  if (!width) {
    return `<iframe src="${escAttr(src)}" title="${escAttr(title)}" style="border:0;width:100%;height:${h}px" loading="lazy" allowfullscreen></iframe>`;
  }
  return `<iframe src="${escAttr(src)}" width="${width | 0}" height="${h}" title="${escAttr(title)}" style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>`;
}

// EmbedChrome is the embed page's title, source line and links to the same
// data as a table (in the full client) and as CSV.
export class EmbedChrome {
  constructor(app) {
    this.app = app;
    const main = document.querySelector('.main');
    const wrap = document.querySelector('.map-wrap');
    this.title = Object.assign(document.createElement('h1'), { id: 'embed-title', className: 'embed-title' });
    this.foot = Object.assign(document.createElement('p'), { id: 'embed-foot', className: 'embed-foot' });
    main.prepend(this.title);
    main.append(this.foot);
    // The legend sits on the map.
    // Below 400 px it covers much of the map, so a button folds it away
    // (folded from the start on such narrow frames).
    const legend = document.getElementById('legend');
    const box = Object.assign(document.createElement('div'), { id: 'embed-legend-box', className: 'embed-legend' });
    this.legendToggle = Object.assign(document.createElement('button'), { type: 'button', id: 'embed-legend-toggle', className: 'embed-legend-toggle' });
    this.legendToggle.setAttribute('aria-controls', 'legend');
    const setOpen = (open) => {
      box.classList.toggle('collapsed', !open);
      this.legendToggle.setAttribute('aria-expanded', String(open));
    };
    setOpen(!window.matchMedia?.('(max-width: 399px)').matches);
    this.legendToggle.addEventListener('click', () => setOpen(box.classList.contains('collapsed')));
    this.legendToggle.textContent = t(app.state.lang, 'legend');
    box.append(this.legendToggle, legend);
    wrap.append(box);
  }

  update(view) {
    const { state: s, meta } = this.app;
    const L = (k) => t(s.lang, k);
    this.title.textContent = view.title;
    this.legendToggle.textContent = L('legend');
    const base = documentBase();
    const q = this.app.stateQuery();
    const source = Object.assign(document.createElement('span'), { id: 'embed-source', textContent: `${L('source')}: SCB, ${s.year}` });
    const table = Object.assign(document.createElement('a'), {
      id: 'embed-table', href: `${base}/${q ? `?${q}` : ''}#table`, target: '_blank', rel: 'noopener', textContent: L('embedTable'),
    });
    const kids = [source, ' · ', table];
    if (s.mode === 'ind') { // the export classifies one year: not a change map
      const csv = Object.assign(document.createElement('a'), {
        id: 'embed-csv', href: url('api/export.csv', classifyQuery(s, meta)),
        textContent: L('embedCSV'),
      });
      csv.setAttribute('download', '');
      kids.push(' · ', csv);
    }
    this.foot.replaceChildren(...kids);
  }
}
