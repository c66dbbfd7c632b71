// The map of plants: the shipped outline of Korea (src/ui/geo/korea_outline.json, Natural Earth)
// projected equirectangularly with the longitude scaled by cos(36°) — true enough at this size —
// and one circle per plant unit with coordinates; units on the same site are set around it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FeatureCollection, MultiPolygon } from "geojson";
import { html, raw, type Html } from "../html.ts";

const outline = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "geo", "korea_outline.json"), "utf8")) as FeatureCollection<MultiPolygon, { id: string; name: string }>;

const BOUNDS = { west: 124.4, east: 131.0, south: 33.0, north: 38.9 };
const K = Math.cos((36 * Math.PI) / 180);
const SCALE = 100; // pixels per degree of latitude
export const MAP_WIDTH = Math.round((BOUNDS.east - BOUNDS.west) * K * SCALE);
export const MAP_HEIGHT = Math.round((BOUNDS.north - BOUNDS.south) * SCALE);

export const project = (lon: number, lat: number): [number, number] => [(lon - BOUNDS.west) * K * SCALE, (BOUNDS.north - lat) * SCALE];

/** The outline paths, computed once. */
const outlinePaths = outline.features
  .map((f) => {
    const d = f.geometry.coordinates
      .flatMap((poly) => poly.map((ring) => ring.map(([lon, lat], i) => `${i ? "L" : "M"}${project(lon, lat).map((v) => v.toFixed(1)).join(",")}`).join("") + "Z"))
      .join("");
    return `<path class="land land-${f.properties.id === "410" ? "kr" : "other"}" d="${d}"></path>`;
  })
  .join("");

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  href: string;
  cls: string;
  title: string;
}

export function koreaMap(points: MapPoint[]): Html {
  // Units of one site share coordinates: place them on a small ring around it so each can be clicked.
  const bySite = new Map<string, MapPoint[]>();
  for (const p of points) {
    const k = `${p.lat.toFixed(4)},${p.lon.toFixed(4)}`;
    bySite.set(k, [...(bySite.get(k) ?? []), p]);
  }
  const circles = [...bySite.values()].flatMap((site) =>
    site.map((p, i) => {
      const [x0, y0] = project(p.lon, p.lat);
      const r = site.length > 1 ? 6 + site.length : 0;
      const a = (2 * Math.PI * i) / site.length;
      const [x, y] = [x0 + r * Math.cos(a), y0 + r * Math.sin(a)];
      return html`<a href="${p.href}"><circle class="plant ${p.cls}" data-plant="${p.id}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="6"><title>${p.title}</title></circle></a>`;
    }),
  );
  return html`<svg class="korea-map" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="img" aria-label="plants on a map of Korea">
<rect class="sea" x="0" y="0" width="${MAP_WIDTH}" height="${MAP_HEIGHT}"></rect>
${raw(outlinePaths)}
${circles}
</svg>`;
}
