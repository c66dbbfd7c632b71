// A raw payload's data version: the first 16 hex digits of the sha256 of its JSON.
import { createHash } from "node:crypto";

export const payloadHash = (payload: unknown): string => createHash("sha256").update(JSON.stringify(payload)).digest("hex").slice(0, 16);
