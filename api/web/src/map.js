// MapLibre setup. Tiles carry geometry, feature id (= data.FeatureID) and
// code/name only; colours come from JSON and are applied with feature-state,
// so changing indicator/year/method never refetches tiles.
import { flyPadding, FLY_MAX_ZOOM } from './camera.js';
import { AttributionControl, Map as MLMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import { KommunLabels } from './labels.js';
import { absURL } from './api.js';

const NO_FILL = 'rgba(0,0,0,0)';
const OUTLINE_LEVELS = ['kommun', 'lan'];
// MapLibre's own UI strings (zoom buttons, attribution toggle, the hint
// when a page scroll passes over an embedded map, …) in the UI language.
// English repeats MapLibre's defaults so a switch back from Swedish works.
export const MAP_LOCALE = {
  sv: {
    'AttributionControl.ToggleAttribution': 'Visa eller dölj källor',
    'AttributionControl.MapFeedback': 'Synpunkter på kartan',
    'FullscreenControl.Enter': 'Helskärm',
    'FullscreenControl.Exit': 'Avsluta helskärm',
    'GeolocateControl.FindMyLocation': 'Visa var jag är',
    'GeolocateControl.LocationNotAvailable': 'Positionen är inte tillgänglig',
    'LogoControl.Title': 'MapLibre-logotyp',
    'Map.Title': 'Karta',
    'Marker.Title': 'Kartmarkör',
    'NavigationControl.ResetBearing': 'Dra för att vrida kartan, klicka för att återställa norr uppåt',
    'NavigationControl.ZoomIn': 'Zooma in',
    'NavigationControl.ZoomOut': 'Zooma ut',
    'Popup.Close': 'Stäng',
    'GlobeControl.Enable': 'Visa som jordglob',
    'GlobeControl.Disable': 'Visa som platt karta',
    'TerrainControl.Enable': 'Visa terräng',
    'TerrainControl.Disable': 'Dölj terräng',
    'CooperativeGesturesHandler.WindowsHelpText': 'Håll ned Ctrl och scrolla för att zooma kartan',
    'CooperativeGesturesHandler.MacHelpText': 'Håll ned ⌘ och scrolla för att zooma kartan',
    'CooperativeGesturesHandler.MobileHelpText': 'Använd två fingrar för att flytta kartan',
  },
  en: {
    'AttributionControl.ToggleAttribution': 'Toggle attribution',
    'AttributionControl.MapFeedback': 'Map feedback',
    'FullscreenControl.Enter': 'Enter fullscreen',
    'FullscreenControl.Exit': 'Exit fullscreen',
    'GeolocateControl.FindMyLocation': 'Find my location',
    'GeolocateControl.LocationNotAvailable': 'Location not available',
    'LogoControl.Title': 'MapLibre logo',
    'Map.Title': 'Map',
    'Marker.Title': 'Map marker',
    'NavigationControl.ResetBearing': 'Drag to rotate map, click to reset north',
    'NavigationControl.ZoomIn': 'Zoom in',
    'NavigationControl.ZoomOut': 'Zoom out',
    'Popup.Close': 'Close popup',
    'GlobeControl.Enable': 'Enable globe',
    'GlobeControl.Disable': 'Disable globe',
    'TerrainControl.Enable': 'Enable terrain',
    'TerrainControl.Disable': 'Disable terrain',
    'CooperativeGesturesHandler.WindowsHelpText': 'Use Ctrl + scroll to zoom the map',
    'CooperativeGesturesHandler.MacHelpText': 'Use ⌘ + scroll to zoom the map',
    'CooperativeGesturesHandler.MobileHelpText': 'Use two fingers to move the map',
  },
};

export const mapLocale = (lang) => MAP_LOCALE[lang] || MAP_LOCALE.sv;

async function tileJSON(lvl) {
  const fallback = { minzoom: 0, maxzoom: 14, bounds: null, layer: lvl.id, ok: false };
  if (!lvl.tilejson) return fallback;
  try {
    const res = await fetch(absURL(lvl.tilejson));
    if (!res.ok) return fallback;
    const j = await res.json();
    return {
      minzoom: j.minzoom ?? 0, maxzoom: j.maxzoom ?? 14, bounds: j.bounds || null,
      layer: j.vector_layers?.[0]?.id || lvl.id, ok: true,
    };
  } catch { return fallback; }
}

// tileJSONSettled: after a change of the data the server may still be
// building the tiles of a new level (its TileJSON answers 404 meanwhile):
// ask again a few times before taking the fallback.
async function tileJSONSettled(lvl, tries = 12, waitMs = 250) {
  for (let i = 0; ; i++) {
    const tj = await tileJSON(lvl);
    if (tj.ok || !lvl.tilejson || i + 1 >= tries) return tj;
    await new Promise((r) => { setTimeout(r, waitMs); });
  }
}

// addBasemap puts the configured basemap (meta.basemap) under everything:
// a raster XYZ template, or a MapLibre style whose sources and layers come
// first (its glyphs and sprite too; segmap's own labels need neither). A
// style that cannot be loaded leaves the plain background.
async function addBasemap(style, bm) {
  if (!bm?.url) return;
  if (bm.type === 'raster') {
    style.sources.basemap = { type: 'raster', tiles: [bm.url], tileSize: 256, maxzoom: 19, attribution: bm.attribution || '' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
    return;
  }
  try {
    const res = await fetch(bm.url);
    if (!res.ok) throw new Error(`${res.status}`);
    const ext = await res.json();
    for (const [id, src] of Object.entries(ext.sources || {})) {
      style.sources[id] = bm.attribution && !src.attribution ? { ...src, attribution: bm.attribution } : src;
    }
    style.layers = [...(ext.layers || [])];
    if (ext.glyphs) style.glyphs = ext.glyphs;
    if (ext.sprite) style.sprite = ext.sprite;
  } catch (e) {
    console.warn(`segmap: basemap style ${bm.url} not loaded (${e.message}); plain background`);
  }
}

export class SegMap {
  // opts: {controls: zoom buttons (default true), cooperative: scroll zooms
  // only with Ctrl/⌘ (for maps inside other pages), lang}
  constructor(container, meta, handlers, opts = {}) {
    this.opts = opts;
    // __WORKER_FILE__ is the hashed worker file name, defined by build.mjs.
    setWorkerUrl(new URL(`./${__WORKER_FILE__}`, import.meta.url).href);
    this.meta = meta;
    this.h = handlers; // {hover(feature|null, point), click(id, code, level)}
    this.levels = new Map(meta.levels.map((l) => [l.id, l]));
    this.tj = new Map();
    this.level = null;
    this.colored = new Map(); // id -> colour for the current level
    this.selected = null;
    this.hovered = null;
    this.container = container;
  }

  async init(level, hasCamera) {
    await Promise.all([...this.levels.values()].filter((l) => l.tiles).map(async (l) => this.tj.set(l.id, await tileJSON(l))));
    const style = {
      version: 8,
      sources: {},
      layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
    };
    await addBasemap(style, this.meta.basemap);
    this.srcKeys = new Map(); // source id -> what it was made from (refresh compares)
    for (const [id, lvl] of this.levels) {
      if (!lvl.tiles || !this.tj.has(id)) continue;
      style.sources[`src-${id}`] = this.sourceSpec(lvl);
    }
    const b = this.tj.get(level)?.bounds || this.tj.get('kommun')?.bounds || [17.5, 58.7, 19.2, 60.2];
    this.map = new MLMap({
      container: this.container, style, hash: true, attributionControl: false,
      bounds: hasCamera ? undefined : [[b[0], b[1]], [b[2], b[3]]],
      fitBoundsOptions: { padding: 20 }, maxZoom: 16, fadeDuration: 0,
      locale: { ...mapLocale(this.opts.lang) },
      ...(this.opts.cooperative ? { cooperativeGestures: true } : {}),
    });
    this.lang = this.opts.lang;
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.addControls();
    await new Promise((resolve) => this.map.once('load', resolve));
    this.addOverlays();
    this.map.on('mousemove', 'area-fill', (e) => this.onMove(e));
    this.map.on('mouseleave', 'area-fill', () => this.onLeave());
    this.map.on('click', 'area-fill', (e) => {
      const f = e.features?.[0];
      if (f) this.h.click(f.id, f.properties.code, this.level);
    });
    this.setLevel(level);
  }

  // sourceSpec is the vector source of a level (its TileJSON read into this.tj).
  sourceSpec(lvl) {
    const tj = this.tj.get(lvl.id);
    const spec = {
      type: 'vector', tiles: [absURL(lvl.tiles)], minzoom: tj.minzoom, maxzoom: tj.maxzoom,
      ...(tj.bounds ? { bounds: tj.bounds } : {}),
    };
    this.srcKeys.set(`src-${lvl.id}`, JSON.stringify({ ...spec, ok: tj.ok }));
    return spec;
  }

  // addOverlays adds the kommun/län outlines, the context overlays and the
  // kommun labels whose sources exist and that are not there yet.
  addOverlays() {
    for (const id of OUTLINE_LEVELS) {
      if (!this.map.getSource(`src-${id}`) || this.map.getLayer(`outline-${id}`)) continue;
      this.map.addLayer({
        id: `outline-${id}`, type: 'line', source: `src-${id}`, 'source-layer': this.tj.get(id).layer,
        paint: id === 'lan'
          ? { 'line-color': '#1b2631', 'line-width': 2 }
          : { 'line-color': '#34495e', 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.6, 12, 1.6] },
      });
    }
    for (const l of this.meta.levels) {
      if (l.kind !== 'overlay' || !this.map.getSource(`src-${l.id}`) || this.map.getLayer(`ctx-${l.id}`)) continue;
      this.map.addLayer({
        id: `ctx-${l.id}`, type: 'line', source: `src-${l.id}`, 'source-layer': this.tj.get(l.id).layer,
        layout: { visibility: 'none' },
        paint: { 'line-color': '#5b2a86', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1.2, 13, 2.5], 'line-dasharray': [2, 1] },
      });
    }
    const names = new Map(this.meta.kommuner.map((k) => [k.code, k.name]));
    if (this.labels) this.labels.names = names;
    else if (this.map.getSource('src-kommun')) this.labels = new KommunLabels(this.map, 'src-kommun', this.tj.get('kommun').layer, names);
  }

  // refresh takes new metadata after the data changed (the data page
  // imported or removed boundaries): sources of new levels are added, a
  // source whose tiles changed (?v=, bounds) is replaced together with the
  // layers drawn from it, and removed levels lose their source and layers.
  async refresh(meta) {
    this.meta = meta;
    this.levels = new Map(meta.levels.map((l) => [l.id, l]));
    const tiled = meta.levels.filter((l) => l.tiles);
    await Promise.all(tiled.map(async (l) => this.tj.set(l.id, await tileJSONSettled(l))));
    const order = this.map.getStyle().layers;
    const replace = (src, spec) => {
      const deps = order.filter((ly) => ly.source === src);
      for (const ly of deps) this.map.removeLayer(ly.id);
      if (this.map.getSource(src)) this.map.removeSource(src);
      this.srcKeys.delete(src);
      if (!spec) return;
      this.map.addSource(src, spec);
      // Back in their old places: before the next layer that is there now.
      for (const ly of [...deps].reverse()) {
        const i = order.findIndex((x) => x.id === ly.id);
        const before = order.slice(i + 1).find((x) => this.map.getLayer(x.id));
        this.map.addLayer(ly, before?.id);
      }
    };
    for (const l of tiled) {
      const src = `src-${l.id}`;
      const prev = this.srcKeys.get(src);
      const spec = this.sourceSpec(l);
      if (prev !== this.srcKeys.get(src) || !this.map.getSource(src)) replace(src, spec);
    }
    for (const src of [...this.srcKeys.keys()]) {
      if (!tiled.some((l) => `src-${l.id}` === src)) replace(src, null);
    }
    if (this.level && !this.map.getSource(`src-${this.level}`)) this.level = null;
    this.colored = new Map();
    this.selected = null;
    this.addOverlays();
  }

  // addControls (re-)adds the controls whose titles come from the locale.
  addControls() {
    for (const c of this.localized || []) this.map.removeControl(c);
    this.localized = [];
    const add = (c, pos) => { this.map.addControl(c, pos); this.localized.push(c); };
    if (this.opts.controls !== false) add(new NavigationControl({ showCompass: false }), 'top-right');
    if (this.meta.basemap?.url) add(new AttributionControl({ compact: true }), 'bottom-right');
  }

  // setLang switches MapLibre's UI strings. MapLibre 6 reads them from the
  // table given as the locale option and has no setter, so the table is
  // patched in place (the map's _locale, as MapLibre's locale plugins do)
  // and the controls and the scroll hint that have read it are re-created.
  setLang(lang) {
    if (!this.map || lang === this.lang) return;
    this.lang = lang;
    Object.assign(this.map._locale, mapLocale(lang));
    this.addControls();
    const cg = this.map.cooperativeGestures;
    if (cg?.isEnabled()) { cg.disable(); cg.enable(); }
  }

  // setContext shows the listed overlay levels as outlines, hides the rest.
  setContext(ids) {
    for (const l of this.meta.levels) {
      if (!this.map.getLayer(`ctx-${l.id}`)) continue;
      this.map.setLayoutProperty(`ctx-${l.id}`, 'visibility', ids.includes(l.id) ? 'visible' : 'none');
    }
  }

  sourceRef(id) {
    return { source: `src-${this.level}`, sourceLayer: this.tj.get(this.level).layer, id };
  }

  setLevel(level) {
    if (level === this.level && (!level || this.map.getLayer('area-fill'))) return;
    for (const id of ['area-fill', 'area-line', 'area-hover', 'area-sel']) if (this.map.getLayer(id)) this.map.removeLayer(id);
    if (this.level && this.map.getSource(`src-${this.level}`)) this.map.removeFeatureState({ source: `src-${this.level}`, sourceLayer: this.tj.get(this.level).layer });
    // An empty store has no level with boundaries yet: nothing to draw.
    this.level = level && this.map.getSource(`src-${level}`) ? level : null;
    if (!this.level) return;
    this.colored = new Map();
    this.selected = null;
    const src = `src-${level}`;
    const sl = this.tj.get(level)?.layer || level;
    const before = this.map.getLayer('outline-kommun') ? 'outline-kommun' : undefined;
    this.map.addLayer({
      id: 'area-fill', type: 'fill', source: src, 'source-layer': sl,
      paint: { 'fill-color': ['coalesce', ['feature-state', 'color'], NO_FILL], 'fill-opacity': 0.9 },
    }, before);
    this.map.addLayer({
      id: 'area-line', type: 'line', source: src, 'source-layer': sl,
      paint: { 'line-color': '#ffffff', 'line-opacity': 0.7, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.2, 13, 1] },
    }, before);
    this.map.addLayer({
      id: 'area-hover', type: 'line', source: src, 'source-layer': sl,
      paint: { 'line-color': '#111', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2, 0] },
    });
    this.map.addLayer({
      id: 'area-sel', type: 'line', source: src, 'source-layer': sl,
      paint: { 'line-color': '#d4145a', 'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3.5, 0] },
    });
  }

  // setColors replaces every area colour of the current level; ids missing
  // from colors stay transparent (e.g. outside the kommun filter).
  setColors(colors) {
    if (!this.level) { this.colored = new Map(); return; }
    const src = { source: `src-${this.level}`, sourceLayer: this.tj.get(this.level).layer };
    this.map.removeFeatureState(src);
    for (const [id, color] of colors) this.map.setFeatureState({ ...src, id }, { color });
    this.colored = colors;
    if (this.selected !== null) this.map.setFeatureState({ ...src, id: this.selected }, { selected: true });
    this.map.triggerRepaint();
  }

  // idle resolves when the map has rendered everything it has requested.
  idle() {
    return new Promise((resolve) => {
      const check = () => (this.map.loaded() && this.map.areTilesLoaded() ? resolve() : this.map.once('idle', check));
      this.map.once('idle', check);
      this.map.triggerRepaint();
    });
  }

  select(id) {
    if (!this.level) return;
    if (this.selected !== null) this.map.setFeatureState(this.sourceRef(this.selected), { selected: false });
    this.selected = id ?? null;
    if (this.selected !== null) this.map.setFeatureState(this.sourceRef(this.selected), { selected: true });
  }

  // featureBounds returns the bbox of a loaded feature of a level (union over tiles).
  featureBounds(level, id) {
    const tj = this.tj.get(level);
    if (!tj) return null;
    const fs = this.map.querySourceFeatures(`src-${level}`, { sourceLayer: tj.layer, filter: ['==', ['id'], id] });
    let b = null;
    const add = (c) => {
      if (typeof c[0] === 'number') {
        if (!b) b = [c[0], c[1], c[0], c[1]];
        else { b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]); }
      } else for (const x of c) add(x);
    };
    for (const f of fs) add(f.geometry.coordinates);
    return b;
  }

  // flyTo fits the area; panelW is the width of a panel over the map's
  // right side (the area profile) so the area is not hidden under it.
  flyTo(level, id, panelW = 0) {
    const b = this.featureBounds(level, id);
    if (!b) return false;
    const c = this.map.getContainer();
    this.map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: flyPadding(c.clientWidth, c.clientHeight, panelW), maxZoom: FLY_MAX_ZOOM, duration: 600 });
    return true;
  }

  // renderedColored counts distinct loaded features of the current level
  // whose fill colour is set (what the tests wait for).
  renderedColored() {
    if (!this.level) return 0;
    const tj = this.tj.get(this.level);
    const fs = this.map.querySourceFeatures(`src-${this.level}`, { sourceLayer: tj.layer });
    const ids = new Set();
    for (const f of fs) if (this.colored.has(f.id)) ids.add(f.id);
    return ids.size;
  }

  onMove(e) {
    const f = e.features?.[0];
    if (!f) return;
    if (this.hovered !== f.id) {
      if (this.hovered !== null && this.hovered !== undefined) this.map.setFeatureState(this.sourceRef(this.hovered), { hover: false });
      this.hovered = f.id;
      this.map.setFeatureState(this.sourceRef(f.id), { hover: true });
    }
    this.map.getCanvas().style.cursor = 'pointer';
    this.h.hover({ id: f.id, code: f.properties.code, name: f.properties.name }, e.point);
  }

  onLeave() {
    if (this.hovered !== null && this.hovered !== undefined) this.map.setFeatureState(this.sourceRef(this.hovered), { hover: false });
    this.hovered = null;
    this.map.getCanvas().style.cursor = '';
    this.h.hover(null);
  }
}
