// Camera helpers without MapLibre (unit-tested in node).

// FLY_MAX_ZOOM caps the zoom when flying to one area: a small DeSO should
// still show its surroundings.
export const FLY_MAX_ZOOM = 12;

// flyPadding is the fitBounds padding when flying to an area while a side
// panel of panelW px covers the right of a mapW × mapH map: the right side
// is padded by the panel so the area lands in the visible part. When the
// panel leaves too little map (narrow screens, where it covers the map)
// the padding is the plain margin, shrunk to fit.
export function flyPadding(mapW, mapH, panelW = 0, margin = 80) {
  const m = Math.max(0, Math.min(margin, Math.floor(mapW / 4), Math.floor(mapH / 4)));
  const pad = { top: m, bottom: m, left: m, right: m };
  if (panelW > 0 && mapW - panelW - 2 * m >= 160) pad.right = m + panelW;
  return pad;
}
