// Which partitions a run should (re)materialize. Policies combine with '+': 'missing+failed'.
import { z } from "zod";
import type { PartitionStatus } from "../store/partition_states.ts";

const BASE = ["missing", "failed", "stale", "all"] as const;
export type BasePolicy = (typeof BASE)[number];

export const policySchema = z
  .string()
  .trim()
  .refine((s) => s.split("+").every((p) => (BASE as readonly string[]).includes(p)), {
    message: `policy must be one of ${BASE.join(", ")} or a combination such as missing+failed`,
  });

export function policyStatuses(policy: string): PartitionStatus[] {
  const parts = policySchema.parse(policy).split("+") as BasePolicy[];
  if (parts.includes("all")) return ["missing", "failed", "stale", "materialized"];
  return [...new Set(parts)] as PartitionStatus[];
}
