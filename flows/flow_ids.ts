// The flows' ids, for what names them without loading their steps (`pvpipe runs --flow` help).
// flows/index.ts refuses to load if this list and FLOWS disagree.
export const FLOW_IDS = ["backfill", "daily_nambu", "daily_weather", "monthly_namdong", "probe"] as const;
