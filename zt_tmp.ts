import { z } from "zod";
const f = z.enum(["", "a", "b"]).default("").describe("Plant").meta({ enumLabels: { "": "all", a: "A plant" }, title: "Plant code" });
console.log(JSON.stringify(z.toJSONSchema(z.object({ plant: f, d: z.iso.date().default("2010-01-01") }), { io: "input" }), null, 1));
console.log(f.parse(undefined));
