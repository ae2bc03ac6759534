// Legend with counts per class.
import { t } from './i18n.js';

export function renderLegend(root, view, lang) {
  const h2 = document.createElement('h2');
  h2.textContent = t(lang, 'legend');
  const title = document.createElement('p');
  title.className = 'legend-title';
  title.textContent = view.title + (view.unit ? ` (${view.unit})` : '');
  const ul = document.createElement('ul');
  ul.className = 'legend-list';
  for (const l of view.legend) {
    const li = document.createElement('li');
    li.dataset.kind = l.kind || 'class';
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = l.color;
    const lab = document.createElement('span');
    lab.className = 'legend-label';
    lab.textContent = l.label;
    const cnt = document.createElement('span');
    cnt.className = 'legend-count';
    cnt.textContent = l.extra ? `${l.count} · ${l.extra}` : String(l.count);
    li.append(sw, lab, cnt);
    ul.append(li);
  }
  const kids = [h2, title, ul];
  if (view.note) {
    const p = document.createElement('p');
    p.className = 'legend-note';
    p.textContent = view.note;
    kids.push(p);
  }
  root.replaceChildren(...kids);
}
