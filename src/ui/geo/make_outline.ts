// Generates korea_outline.json, the map's base layer: South Korea (and North Korea, for context)
// from Natural Earth's 1:10m Admin 0 countries as redistributed by the npm package world-atlas
// (Natural Earth is public domain; world-atlas is ISC). Simplified with topojson-simplify to what a
// 600-pixel map shows, islands smaller than a few km² dropped, coordinates rounded to 0.001°.
// Run `npx tsx src/ui/geo/make_outline.ts` to regenerate; `--check` fails when the file differs.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import { presimplify, simplify } from "topojson-simplify";
import type { GeometryCollection, Topology } from "topojson-specification";

export const OUTLINE_FILE = join(import.meta.dirname, "korea_outline.json");
const COUNTRIES = { "410": "South Korea", "408": "North Korea" } as const;
/** Planar-area threshold for topojson-simplify, in square degrees (a few km at this latitude). */
const MIN_WEIGHT = 1e-4;
/** Rings smaller than this (square degrees, ≈ 10 km²) are left out. */
const MIN_RING_AREA = 1e-3;

function ringArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(a / 2);
}

export function makeOutline(): FeatureCollection<MultiPolygon, { id: string; name: string }> {
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-10m.json"), "utf8")) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  topo.objects.countries.geometries = topo.objects.countries.geometries.filter((g) => String(g.id) in COUNTRIES);
  const simple = simplify(presimplify(topo), MIN_WEIGHT);
  const round = (p: number[]) => [Math.round(p[0] * 1000) / 1000, Math.round(p[1] * 1000) / 1000];
  const fc = feature(simple, simple.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  return {
    type: "FeatureCollection",
    features: fc.features.map((f) => {
      const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      const kept = polys.filter((p) => ringArea(p[0]) >= MIN_RING_AREA).map((p) => p.filter((r) => ringArea(r) >= MIN_RING_AREA).map((r) => r.map(round)));
      const id = String(f.id);
      return { type: "Feature", id, properties: { id, name: COUNTRIES[id as keyof typeof COUNTRIES] }, geometry: { type: "MultiPolygon", coordinates: kept } };
    }),
  };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const text = `${JSON.stringify(makeOutline())}\n`;
  if (process.argv.includes("--check")) {
    if (readFileSync(OUTLINE_FILE, "utf8") !== text) {
      process.stderr.write(`${OUTLINE_FILE} is out of date: run npx tsx src/ui/geo/make_outline.ts\n`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTLINE_FILE, text);
    process.stdout.write(`wrote ${OUTLINE_FILE} (${text.length} bytes)\n`);
  }
}
