// The partition health bar (one mark per time key, the worst status of its partitions), as SVG.
import type { PartitionStatus } from "../../../../f/lib/store/partition_states.ts";
import { html, raw, type Html } from "../html.ts";

export function healthBar(bar: { pdate: string; status: PartitionStatus }[], o: { width: number; height: number; x?: number; y?: number; standalone?: boolean }): Html {
  const n = Math.max(1, bar.length);
  const w = o.width / n;
  const x0 = o.x ?? 0;
  const y0 = o.y ?? 0;
  const marks = bar.map((b, i) => `<rect class="hb st-${b.status}" x="${(x0 + i * w).toFixed(2)}" y="${y0}" width="${Math.max(0.5, w - (w > 3 ? 1 : 0)).toFixed(2)}" height="${o.height}"><title>${b.pdate}: ${b.status}</title></rect>`).join("");
  return o.standalone
    ? html`<svg class="health-bar" width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}" role="img" aria-label="partition health">${raw(marks)}</svg>`
    : (raw(marks) as Html);
}
