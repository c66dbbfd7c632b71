// A value bound for a jsonb column whose shape the code does not know (a flow's inputs, a report's
// summary, an event's data): what it is as JSON, by a JSON round trip (undefined fields drop out,
// dates become strings), typed as the JSON value the driver serializes.
import type postgres from "postgres";

export function asJson(value: unknown): postgres.JSONValue {
  return JSON.parse(JSON.stringify(value ?? null));
}
