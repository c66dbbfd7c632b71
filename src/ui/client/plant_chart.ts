/// <reference lib="dom" />
// A plant unit's hours: the measured series, the filled (gap-free) series dashed under it, and
// every filled hour as a point coloured by its fill method, drawn with uPlot.
import uPlot from "uplot";

interface Series {
  t: number[];
  measured: (number | null)[];
  filled: (number | null)[];
  method: string[];
}

const METHOD_COLOURS: Record<string, string> = {
  night_zero: "#6a5acd",
  sibling_csi: "#b9770e",
  station_csi: "#d4ac0d",
  clear_sky_index: "#e67e22",
  linear: "#16a085",
  spline: "#8e44ad",
  profile: "#7f8c8d",
  none: "#c0392b",
};

const holder = document.querySelector<HTMLElement>("[data-chart]");
const data = document.getElementById("plant-series");
if (holder && data?.textContent) {
  const s = JSON.parse(data.textContent) as Series;
  const methods = [...new Set(s.method)].filter((m) => m !== "measured");
  const perMethod = methods.map((m) => s.filled.map((v, i) => (s.method[i] === m ? (m === "none" ? 0 : v) : null)));
  const opts: uPlot.Options = {
    width: Math.min(1100, holder.clientWidth || 900),
    height: 320,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Asia/Seoul"),
    scales: { x: { time: true } },
    axes: [{}, { label: "kWh" }],
    series: [
      {},
      { label: "measured", stroke: "#1f5fa8", width: 1.5, spanGaps: false, points: { show: false } },
      { label: "filled", stroke: "#888", dash: [4, 4], width: 1, points: { show: false } },
      ...methods.map((m) => ({
        label: m === "none" ? "none (left empty, drawn at 0)" : m,
        stroke: METHOD_COLOURS[m] ?? "#333",
        width: 0,
        paths: () => null,
        points: { show: true, size: 7, fill: METHOD_COLOURS[m] ?? "#333", stroke: METHOD_COLOURS[m] ?? "#333" },
      })),
    ],
  };
  new uPlot(opts, [s.t, s.measured, s.filled, ...perMethod] as uPlot.AlignedData, holder);
}
