// zod schemas for every query parameter the pages read; a bad value is a 400 naming the parameter.
import { z } from "zod";
import { isoDate } from "../../../f/lib/time/kst.ts";
import { CorrectTheRequest } from "./errors.ts";

export function parseParams<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new CorrectTheRequest(`${where}${issue.message}`, { cause: r.error });
}

const assetKey = z.string({ message: "give an asset key, e.g. kospo/hourly" }).trim().min(1, "give an asset key, e.g. kospo/hourly").max(200);

export const assetPageParams = z.object({
  key: assetKey,
  end: isoDate.optional(),
  span: z.coerce.number({ message: "must be a number of days (or months)" }).int("must be a whole number").min(1, "must be at least 1").max(366, "must be at most 366").optional(),
});

export const partitionParams = z.object({
  asset: assetKey,
  key: z.string({ message: "give a partition key, e.g. 2026-12-01|997S-1" }).trim().min(1, "give a partition key, e.g. 2026-12-01|997S-1").max(300),
});

export const rawBodyParams = z.object({ id: z.coerce.number({ message: "must be a stored file id" }).int().positive() });

export const RUN_STATUSES = ["running", "success", "partial", "failed", "cancelled"] as const;

export const runsParams = z.object({
  status: z.enum(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(", ")}` }).or(z.literal("").transform(() => undefined)).optional(),
  flow: z.string().trim().max(100).optional().transform((s) => s || undefined),
  limit: z.coerce.number({ message: "must be a number" }).int().min(1, "must be at least 1").max(1000, "must be at most 1000").default(50),
});

export const runIdParam = z.string().trim().min(4, "give a run id (or at least 4 characters of one)").max(100).regex(/^[0-9a-zA-Z-]+$/, "a run id has letters, digits and dashes only");

export const eventsParams = z.object({ after: z.coerce.number({ message: "must be an event id" }).int().min(0).default(0) });

export const healthParams = z.object({ day: isoDate.optional() });

export const plantParams = z.object({
  id: z.string({ message: "give a plant id, e.g. kospo:997S-1" }).trim().min(3).max(200).regex(/^(kospo|koen):/, "a plant id starts with kospo: or koen:"),
  end: isoDate.optional(),
  days: z.coerce.number({ message: "must be a number of days" }).int().min(1).max(92, "must be at most 92").default(14),
});
