// resources/*.ts → `f/pv/<name>.resource.yaml` and the root `<type>.resource-type.yaml` files.
import type { ResourceDef } from "../../resources/index.ts";
import { resourcePath } from "../../resources/index.ts";
import type { ResourceTypeDef } from "../../resources/types.ts";
import { toYaml } from "./yaml.ts";

export const resourceFile = (name: string) => `${resourcePath(name)}.resource.yaml`;
export const resourceTypeFile = (name: string) => `${name}.resource-type.yaml`;

export function resourceTypeObject(t: ResourceTypeDef): Record<string, unknown> {
  return {
    description: t.description,
    schema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      order: Object.keys(t.fields),
      properties: Object.fromEntries(Object.entries(t.fields).map(([k, f]) => [k, { ...f }])),
      required: t.required,
    },
    // What the server stores and exports for a type (ResourceType in windmill-api resources.rs):
    // written out so that a push of an unchanged tree finds nothing to change.
    format_extension: null,
    is_fileset: false,
  };
}

export function resourceObject(r: ResourceDef): Record<string, unknown> {
  return { description: r.description, resource_type: r.resource_type, value: r.value };
}

export function renderResources(resources: ResourceDef[], types: ResourceTypeDef[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of types) files.set(resourceTypeFile(t.name), toYaml(resourceTypeObject(t)));
  for (const r of resources) {
    if (r.resource_type !== "postgresql" && !types.some((t) => t.name === r.resource_type)) {
      throw new Error(`resource ${r.name}: unknown resource type ${r.resource_type}`);
    }
    files.set(resourceFile(r.name), toYaml(resourceObject(r)));
  }
  return files;
}
