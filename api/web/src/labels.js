// Kommun name labels as an HTML overlay. MapLibre needs a glyph server
// (PBF font ranges) for symbol text, and segmap runs without internet, so
// labels are positioned DOM elements instead (aria-hidden: the table is the
// accessible alternative to the map).
export class KommunLabels {
  constructor(map, sourceId, sourceLayer, names) {
    this.map = map;
    this.src = sourceId;
    this.layer = sourceLayer;
    this.names = names; // code -> name
    this.points = new Map(); // code -> [lng, lat]
    this.root = document.createElement('div');
    this.root.className = 'map-labels';
    this.root.setAttribute('aria-hidden', 'true');
    map.getContainer().append(this.root);
    this.els = new Map();
    let pending = false;
    map.on('sourcedata', (e) => {
      if (e.sourceId !== this.src || pending) return;
      pending = true;
      map.once('idle', () => { pending = false; this.collect(); });
    });
    map.on('move', () => this.place());
    map.once('idle', () => this.collect());
  }

  collect() {
    const boxes = new Map();
    for (const f of this.map.querySourceFeatures(this.src, { sourceLayer: this.layer })) {
      const code = f.properties.code;
      // The largest polygon part decides the label position.
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) {
        const ring = poly[0];
        let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
        for (const [x, y] of ring) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
        const b = boxes.get(code);
        if (!b) boxes.set(code, [x0, y0, x1, y1]);
        else { b[0] = Math.min(b[0], x0); b[1] = Math.min(b[1], y0); b[2] = Math.max(b[2], x1); b[3] = Math.max(b[3], y1); }
      }
    }
    for (const [code, b] of boxes) this.points.set(code, [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
    this.place();
  }

  place() {
    const z = this.map.getZoom();
    const show = z >= 6 && z < 12.5;
    this.root.hidden = !show;
    if (!show) return;
    const w = this.map.getContainer().clientWidth;
    const h = this.map.getContainer().clientHeight;
    const placed = []; // greedy collision test: skip a label that overlaps one already shown
    for (const [code, ll] of this.points) {
      let el = this.els.get(code);
      if (!el) {
        el = document.createElement('span');
        el.className = 'map-label';
        el.textContent = this.names.get(code) || code;
        this.root.append(el);
        this.els.set(code, el);
      }
      const p = this.map.project(ll);
      let vis = p.x > 0 && p.y > 0 && p.x < w && p.y < h;
      if (vis) {
        el.w ??= el.textContent.length * 7 + 6;
        const box = [p.x - el.w / 2, p.y - 9, p.x + el.w / 2, p.y + 9];
        vis = !placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]);
        if (vis) placed.push(box);
      }
      el.style.display = vis ? '' : 'none';
      if (vis) el.style.transform = `translate(${Math.round(p.x)}px, ${Math.round(p.y)}px) translate(-50%, -50%)`;
    }
  }
}
