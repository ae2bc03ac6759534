// Independent MVT decoder for the Go tests in tiles/: reads gzipped or raw
// tiles named on the command line and prints, as JSON, every layer and
// feature with its id, properties and raw rings (loadGeometry, tile units).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';

const out = {};
for (const file of process.argv.slice(2)) {
  let buf = readFileSync(file);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const tile = new VectorTile(new Pbf(buf));
  const layers = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    const features = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      features.push({
        id: f.id,
        type: f.type,
        properties: f.properties,
        rings: f.loadGeometry().map((r) => r.map((p) => [p.x, p.y])),
      });
    }
    layers[name] = { extent: layer.extent, version: layer.version, features };
  }
  out[file] = layers;
}
process.stdout.write(JSON.stringify(out));
