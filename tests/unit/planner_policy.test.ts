// Planner policies → the partition statuses a run selects (the planner SQL then picks exactly those).
import { describe, expect, it } from "vitest";
import { policySchema, policyStatuses } from "../../f/lib/planner/policy.ts";

describe("policyStatuses", () => {
  it.each([
    ["missing", ["missing"]],
    ["failed", ["failed"]],
    ["stale", ["stale"]],
    ["missing+failed", ["missing", "failed"]],
    ["failed+stale", ["failed", "stale"]],
    ["missing+missing", ["missing"]],
    [" missing+failed ", ["missing", "failed"]],
    ["all", ["missing", "failed", "stale", "materialized"]],
    ["failed+all", ["missing", "failed", "stale", "materialized"]],
  ])("%j selects %j and nothing else", (policy, statuses) => {
    expect(policyStatuses(policy)).toEqual(statuses);
  });

  it("`failed` never selects missing or materialized partitions", () => {
    expect(policyStatuses("failed")).not.toContain("missing");
    expect(policyStatuses("failed")).not.toContain("materialized");
  });

  it.each(["", "missed", "missing,failed", "missing+", "+failed", "materialized", "ALL"])("rejects %j naming the valid policies", (policy) => {
    const r = policySchema.safeParse(policy);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("policy must be one of missing, failed, stale, all or a combination such as missing+failed");
    expect(() => policyStatuses(policy)).toThrow(/policy must be one of/);
  });
});
