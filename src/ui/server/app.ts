// The UI's HTTP application (Hono): pages rendered on the server, a few bundled scripts, the live
// run log over server-sent events; loopback hosts only, security headers on every answer.
import { Hono } from "hono";
import type { StaticFile } from "../build.ts";
import type { UiContext } from "./context.ts";
import { httpStatusOf } from "./errors.ts";
import { registerAssetRoutes } from "./routes/assets.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { registerLaunchRoutes } from "./routes/launch.ts";
import { registerPartitionRoutes } from "./routes/partitions.ts";
import { registerRunRoutes } from "./routes/runs.ts";
import { hostGuard, securityHeaders } from "./security.ts";
import { errorPage } from "./views/layout.ts";

export function createUiApp(ctx: UiContext, o: { port: () => number | null; statics: Map<string, StaticFile> }): Hono {
  const app = new Hono();
  app.use(async (c, next) => hostGuard(o.port())(c, next));
  app.use(securityHeaders());
  app.get("/", (c) => c.redirect("/assets"));
  app.get("/static/:name", (c) => {
    const f = o.statics.get(c.req.param("name"));
    if (!f) return c.html(errorPage(404, "no such file"), 404);
    return c.body(new Uint8Array(f.body), 200, { "Content-Type": f.type, "Cache-Control": "no-cache" });
  });
  registerAssetRoutes(app, ctx);
  registerPartitionRoutes(app, ctx);
  registerRunRoutes(app, ctx);
  registerLaunchRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  app.notFound((c) => c.html(errorPage(404, `no page at ${new URL(c.req.url).pathname} (start at /assets)`), 404));
  app.onError((e, c) => {
    const status = httpStatusOf(e);
    if (status === 500) ctx.log(`UI: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${ctx.redact(`${e.name}: ${e.message}`)}`);
    const message = status === 500 ? `the page could not be made: ${e.name}: ${e.message}` : e.message;
    return c.html(errorPage(status, ctx.redact(message)), status);
  });
  return app;
}
