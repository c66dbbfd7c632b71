// `pvpipe assets`: the asset graph as text.
import type { Command } from "commander";
import { graph, ASSETS } from "../../../f/lib/assets/catalog.ts";
import { DIMENSION_RESOLVERS } from "../../../f/lib/assets/dimensions.ts";
import { describeGraph } from "../../../f/lib/assets/graph.ts";
import { keyDimensions } from "../../../f/lib/assets/partitions.ts";
import type { CliContext } from "./context.ts";

export function registerAssetsCommand(program: Command, { out }: CliContext): void {
  program
    .command("assets")
    .description("Print the asset graph")
    .action(() => {
      out(describeGraph(graph));
      for (const a of ASSETS) for (const d of keyDimensions(a.partitions)) if (d.kind === "dynamic" && !DIMENSION_RESOLVERS[d.name]) throw new Error(`no resolver for ${d.name}`);
    });
}
