// Launch a backfill (/launch): the form generated from the backfill flow's input schema with
// pickers from the reference tables; "Show the plan" previews the partitions and chunks the
// planner selects; "Launch" (POST, same origin and this start's token) starts the run through the
// engine in this process and opens its page.
import type { Hono } from "hono";
import { backfill } from "../../../../flows/backfill.ts";
import { addDays, todayKst, yesterdayKst } from "../../../../f/lib/time/kst.ts";
import { UsageError } from "../../../config/errors.ts";
import { kospoUnitOptions, stationOptions } from "../../sql/reference_options.ts";
import type { UiContext } from "../context.ts";
import { CorrectTheRequest } from "../errors.ts";
import { html, type Html } from "../html.ts";
import { backfillSchema, formToBackfillInput, type BackfillInput } from "../launch_input.ts";
import { previewPlan, type PlanPreview } from "../plan_preview.ts";
import { requireSameOrigin } from "../security.ts";
import { flowForm, type Picker } from "../views/flow_form.ts";
import { count, runHref } from "../views/format.ts";
import { page } from "../views/layout.ts";

const SHOWN_CHUNKS = 100;

async function pickers(ctx: UiContext): Promise<Record<string, Picker>> {
  const [units, stations] = await Promise.all([kospoUnitOptions(ctx.sql), stationOptions(ctx.sql)]);
  const plants = [...new Map(units.map((u) => [u.gencd, u])).values()];
  const short = (name: string) => name.replace(/^한국남부발전\(주\)_/, "").replace(/\s*태양광발전실적$/, "");
  return {
    plant: {
      options: [{ value: "", label: "(every unit with coordinates)" }, ...plants.map((p) => ({ value: p.gencd, label: `${p.gencd} ${short(p.label)}${units.some((u) => u.gencd === p.gencd && u.located) ? "" : " (no coordinates)"}` }))],
    },
    unit: {
      options: [{ value: "0", label: "0 (every unit of the plant)" }, ...units.map((u) => ({ value: String(u.hogi), label: `${u.gencd}-${u.hogi}`, attrs: { plant: u.gencd } }))],
    },
    stations: {
      multiple: true,
      options: stations.map((s) => ({ value: String(s.stn_id), label: `${s.stn_id} ${s.station_name}${s.has_solar_sensor ? " · pyranometer" : ""}${s.mapped ? " · matched to a plant" : ""}` })),
    },
  };
}

function hiddenFields(input: BackfillInput): Html {
  return html`${Object.entries(input).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => html`<input type="hidden" name="${k}" value="${String(x)}">`) : [html`<input type="hidden" name="${k}" value="${typeof v === "boolean" ? (v ? "true" : "") : String(v)}">`]))}`;
}

function planView(ctx: UiContext, input: BackfillInput, plan: PlanPreview): Html {
  return html`<section class="plan" data-plan-partitions="${plan.partitions}" data-plan-chunks="${plan.chunks.length}">
<h2>Plan</h2>
<p class="plan-summary"><strong>${plan.asset}</strong> ${input.start}..${input.end}, policy ${input.policy}: <strong>${count(plan.partitions)} partitions in ${count(plan.chunks.length)} chunks</strong>${plan.partitions === 0 ? " — nothing to do under this policy" : ""}.</p>
${plan.chunks.length ? html`<table class="data chunks"><thead><tr><th>unit</th><th>from</th><th>to</th><th class="num">partitions</th></tr></thead><tbody>
${plan.chunks.slice(0, SHOWN_CHUNKS).map((c) => html`<tr><td>${c.pdim ?? "(all)"}</td><td>${c.start}</td><td>${c.end}</td><td class="num">${c.partitions}</td></tr>`)}
</tbody></table>${plan.chunks.length > SHOWN_CHUNKS ? html`<p>… and ${count(plan.chunks.length - SHOWN_CHUNKS)} more chunks.</p>` : ""}` : ""}
${ctx.launcher
  ? html`<form method="post" action="/launch" class="launch-form"><input type="hidden" name="_token" value="${ctx.token}">${hiddenFields(input)}<button type="submit" class="primary" data-launch>Launch this backfill</button></form>`
  : html`<p>Launching is off in this server.</p>`}
</section>`;
}

async function launchPage(ctx: UiContext, query: Record<string, string[]>): Promise<{ body: Html; status: 200 | 400 }> {
  const previewing = Object.keys(query).some((k) => k in backfillSchema.properties);
  let plan: Html | "" = "";
  let error: string | null = null;
  let values: Record<string, unknown> = { start: addDays(yesterdayKst(), -6), end: yesterdayKst() };
  if (previewing) {
    values = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, backfillSchema.properties[k]?.type === "array" ? v : v[0]]));
    try {
      const input = formToBackfillInput(query);
      values = input;
      plan = planView(ctx, input, await previewPlan(ctx.sql, input));
    } catch (e) {
      if (!(e instanceof CorrectTheRequest)) throw e;
      error = e.message;
    }
  }
  const form = flowForm({
    schema: backfillSchema,
    order: backfill.order ?? [],
    values,
    pickers: await pickers(ctx),
    action: "/launch",
    method: "get",
    submit: html`<button type="submit" data-preview>Show the plan</button>`,
  });
  const body = html`<h1>Launch a backfill</h1>
<p class="lead">${backfill.description} The form is the backfill flow's own input (the same schema <code>pvpipe backfill</code> and the Windmill form use). The plan comes first; the run starts on this machine's engine and appears in <a href="/runs">Runs</a>.</p>
${error ? html`<div class="error-box" role="alert" data-form-error>${error}</div>` : ""}
${form}
${plan}`;
  return { body: page({ title: "Launch", section: "launch", body, scripts: ["launch_form"], today: todayKst() }), status: error ? 400 : 200 };
}

export function registerLaunchRoutes(app: Hono, ctx: UiContext): void {
  app.get("/launch", async (c) => {
    const r = await launchPage(ctx, c.req.queries() ?? {});
    return c.html(r.body, r.status);
  });
  app.post("/launch", async (c) => {
    const body = await c.req.parseBody({ all: true });
    await requireSameOrigin(c, ctx.token, body);
    const form = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string")]));
    const input = formToBackfillInput(form);
    if (!ctx.launcher) throw new CorrectTheRequest("launching is off in this server");
    let runId: string;
    try {
      runId = await ctx.launcher.launch(backfill, input);
    } catch (e) {
      if (e instanceof UsageError) throw new CorrectTheRequest(e.message, { cause: e });
      throw e;
    }
    return c.redirect(runHref(runId), 303);
  });
}
