// Unit tests of the embedding helpers (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMBED_DEFAULTS, embedQuery, embedURL, isEmbedPath, parseEmbed, pinQuery, publicBase, snippet } from '../src/embed.js';

test('embed options parse and write back only what differs from the defaults', () => {
  assert.deepEqual(parseEmbed(''), EMBED_DEFAULTS);
  assert.deepEqual(parseEmbed('?controls=0&hover=false&click=1&ind=x'), { controls: false, hover: false, click: true });
  assert.deepEqual(parseEmbed('?controls=1&hover=yes&click=off'), { controls: true, hover: true, click: false });
  for (const o of [EMBED_DEFAULTS, { controls: false, hover: true, click: true }, { controls: true, hover: false, click: false }]) {
    assert.deepEqual(parseEmbed(embedQuery(o)), o, JSON.stringify(o));
  }
  assert.equal(embedQuery(EMBED_DEFAULTS), '');
  assert.equal(embedQuery({ controls: false, hover: true, click: true }), 'controls=0&click=1');
  assert.ok(isEmbedPath('/embed') && isEmbedPath('/segmap/embed/') && !isEmbedPath('/') && !isEmbedPath('/embedded'));
});

test('public base comes from the oEmbed discovery link, else from the page', () => {
  const link = (page) => `https://karta.kommun.se/segmap/api/oembed?format=json&url=${encodeURIComponent(page)}`;
  assert.equal(publicBase(link('https://karta.kommun.se/segmap/embed?ind=x'), 'http://10.0.0.5:8080/embed'), 'https://karta.kommun.se/segmap');
  assert.equal(publicBase(link('https://karta.kommun.se/segmap/?ind=x'), 'http://10.0.0.5:8080/'), 'https://karta.kommun.se/segmap');
  assert.equal(publicBase(link('https://karta.kommun.se/'), ''), 'https://karta.kommun.se');
  assert.equal(publicBase('', 'http://localhost:8080/embed?x=1#9/59/18'), 'http://localhost:8080');
  assert.equal(publicBase('', 'http://localhost:8080/karta/'), 'http://localhost:8080/karta');
});

test('iframe snippets: fixed size like oEmbed, or responsive; attributes escaped', () => {
  const src = embedURL('https://k.se/s', 'ind=a&kommun=0127', { controls: false, hover: true, click: false }, '#9.2/59.1/17.8');
  assert.equal(src, 'https://k.se/s/embed?ind=a&kommun=0127&controls=0#9.2/59.1/17.8');
  assert.equal(embedURL('https://k.se', '', EMBED_DEFAULTS, '#table'), 'https://k.se/embed', 'only a camera hash is kept');
  assert.equal(snippet({ src, title: 'Låg "ekonomisk" <standard> & mer', width: 800, height: 600 }),
    '<iframe src="https://k.se/s/embed?ind=a&amp;kommun=0127&amp;controls=0#9.2/59.1/17.8" width="800" height="600" title="Låg &quot;ekonomisk&quot; &lt;standard&gt; &amp; mer" style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>');
  assert.equal(snippet({ src: 'https://k.se/embed', title: 't', width: 0, height: 450 }),
    '<iframe src="https://k.se/embed" title="t" style="border:0;width:100%;height:450px" loading="lazy" allowfullscreen></iframe>');
});

test('embed URLs pin level, indicator and year even when they are the defaults', () => {
  const s = { mode: 'ind', level: 'deso', ind: 'foreign_born_pct', year: 2024, year2: 2022 };
  assert.equal(pinQuery('kommun=0127', s), 'level=deso&ind=foreign_born_pct&year=2024&kommun=0127');
  assert.equal(pinQuery('ind=foreign_born_pct&kommun=0127&k=4', s), 'level=deso&ind=foreign_born_pct&year=2024&kommun=0127&k=4', 'no duplicates');
  assert.equal(pinQuery('mode=change&year2=2022', { ...s, mode: 'change' }), 'level=deso&ind=foreign_born_pct&year=2024&year2=2022&mode=change');
  const src = new URL(embedURL('https://k.se', pinQuery('kommun=0127', s), EMBED_DEFAULTS, '#9/59/18'));
  for (const [k, v] of [['ind', 'foreign_born_pct'], ['year', '2024'], ['level', 'deso'], ['kommun', '0127']]) assert.equal(src.searchParams.get(k), v, k);
});
