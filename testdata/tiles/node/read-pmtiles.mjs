// Independent PMTiles reader for the Go tests in tiles/pmtiles: opens the
// archive with the npm `pmtiles` package and prints, as JSON, its header,
// metadata and, for each z/x/y argument, the sha256 and length of the tile
// (decompressed by pmtiles) or null when absent.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { PMTiles } from 'pmtiles';

class BufferSource {
  constructor(buf, key) { this.buf = buf; this.key = key; }
  getKey() { return this.key; }
  async getBytes(offset, length) {
    const b = this.buf.subarray(offset, offset + length);
    return { data: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) };
  }
}

const [file, ...addrs] = process.argv.slice(2);
const p = new PMTiles(new BufferSource(readFileSync(file), file));
const header = await p.getHeader();
const metadata = await p.getMetadata();
const tiles = {};
for (const a of addrs) {
  const [z, x, y] = a.split('/').map(Number);
  const t = await p.getZxy(z, x, y);
  tiles[a] = t ? { sha256: createHash('sha256').update(new Uint8Array(t.data)).digest('hex'), length: t.data.byteLength } : null;
}
process.stdout.write(JSON.stringify({ header, metadata, tiles }));
