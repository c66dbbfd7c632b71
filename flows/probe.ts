// probe: first available date per KOSPO unit.
import { z } from "zod";
import { defineFlow, inputsOf, resource, step } from "../src/flow/dsl.ts";
import { KOSPO_PROBE } from "./scripts.ts";

const schema = z.object({
  plant: z.string().default("").describe("Plant code; empty = all"),
  unit: z.number().int().min(0).default(0).describe("Unit; 0 = all"),
  earliest: z.iso.date().default("2010-01-01").describe("Do not look before this day"),
});
const input = inputsOf(schema);

export const probe = defineFlow({
  id: "probe",
  summary: "Find the first day with data of each KOSPO unit",
  description: "Stores the first date per unit in nambu_plants.first_date; plans start there.",
  input: schema,
  order: ["plant", "unit", "earliest"],
  modules: [
    step("kospo_probe", KOSPO_PROBE, { db: resource("db"), kospo_api: resource("kospo_api"), gencd: input("plant"), hogi: input("unit"), earliest: input("earliest") }, {
      summary: "Probe first dates",
    }),
  ],
});
