// schedules/index.ts → `f/pv/<id>.schedule.yaml`. The args are the flow's full input (zod fills
// the defaults), so a scheduled run gets exactly what `pvpipe start` passes the local engine.
import type { FlowDef } from "../flow/dsl.ts";
import type { ScheduleDef } from "../../schedules/index.ts";
import { flowPath } from "./openflow.ts";
import { toYaml } from "./yaml.ts";

export const scheduleFile = (id: string) => `f/pv/${id}.schedule.yaml`;

export function scheduleObject(s: ScheduleDef, flow: FlowDef): Record<string, unknown> {
  if (s.cron.trim().split(/\s+/).length !== 6) throw new Error(`schedule ${s.id}: cron "${s.cron}" must have 6 fields (seconds first)`);
  const args = flow.input.parse(s.args) as Record<string, unknown>;
  return {
    summary: s.summary,
    schedule: s.cron,
    timezone: s.timezone,
    // Croner syntax, the parser `pvpipe start` uses too.
    cron_version: "v2",
    script_path: flowPath(flow.id),
    is_flow: true,
    enabled: true,
    // Windmill keeps one queued tick per schedule: a run still going when the next tick comes makes
    // that tick skip (the daily flows catch up missed days themselves).
    no_flow_overlap: true,
    // Always in the server's export of a schedule (windmill-types schedule.rs): written out so
    // that a push of an unchanged tree finds nothing to change. The workspace error handler is EE.
    ws_error_handler_muted: false,
    args,
  };
}

export function renderSchedules(schedules: ScheduleDef[], flows: FlowDef[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of schedules) {
    const flow = flows.find((f) => f.id === s.flow);
    if (!flow) throw new Error(`schedule ${s.id}: no flow "${s.flow}" in flows/index.ts`);
    files.set(scheduleFile(s.id), toYaml(scheduleObject(s, flow)));
  }
  return files;
}
