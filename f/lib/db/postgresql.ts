// The Windmill `postgresql` resource type as a step parameter type. Steps declare
// `db: Postgresql` so Windmill's form shows a resource picker of that type.
export type { PgResource as Postgresql } from "./resource.ts";
