// A flow's input form, generated from the JSON Schema of its zod input (the schema the CLI
// validates with and the Windmill form is generated from): enums become selects (with their
// labels), dates date pickers, numbers number inputs, booleans checkboxes; a field may be given a
// picker of choices read from the reference tables instead.
import { html, type Html } from "../html.ts";

export interface JsonSchemaField {
  type?: string;
  enum?: unknown[];
  enumLabels?: Record<string, string>;
  format?: string;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  items?: { type?: string };
}

export interface JsonSchemaObject {
  properties: Record<string, JsonSchemaField>;
  required?: string[];
}

export interface Picker {
  multiple?: boolean;
  options: { value: string; label: string; attrs?: Record<string, string> }[];
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

function field(name: string, f: JsonSchemaField, value: unknown, required: boolean, picker: Picker | undefined): Html {
  const id = `f-${name}`;
  const current = value ?? f.default;
  const selected = new Set(asList(current));
  const opts = (choices: { value: string; label: string; attrs?: Record<string, string> }[]) =>
    choices.map((o) => html`<option value="${o.value}"${selected.has(o.value) ? html` selected` : ""}${Object.entries(o.attrs ?? {}).map(([k, v]) => html` data-${k}="${v}"`)}>${o.label}</option>`);
  let control: Html;
  if (picker) {
    control = html`<select id="${id}" name="${name}"${picker.multiple ? html` multiple size="8"` : ""}>${opts(picker.options)}</select>`;
  } else if (f.enum) {
    const labels = f.enumLabels ?? {};
    control = html`<select id="${id}" name="${name}"${required ? html` required` : ""}>${opts(f.enum.map((v) => ({ value: String(v), label: labels[String(v)] ?? String(v) })))}</select>`;
  } else if (f.type === "boolean") {
    control = html`<input id="${id}" name="${name}" type="checkbox" value="true"${current === true || current === "true" ? html` checked` : ""}>`;
  } else if (f.type === "string" && f.format === "date") {
    control = html`<input id="${id}" name="${name}" type="date" value="${current === undefined ? "" : String(current)}"${required ? html` required` : ""}>`;
  } else if (f.type === "integer" || f.type === "number") {
    const max = f.maximum !== undefined && f.maximum < Number.MAX_SAFE_INTEGER ? html` max="${f.maximum}"` : "";
    control = html`<input id="${id}" name="${name}" type="number" step="${f.type === "integer" ? "1" : "any"}"${f.minimum !== undefined ? html` min="${f.minimum}"` : ""}${max} value="${current === undefined ? "" : String(current)}"${required ? html` required` : ""}>`;
  } else {
    control = html`<input id="${id}" name="${name}" value="${asList(current).join(",")}"${required ? html` required` : ""}>`;
  }
  return html`<div class="field" data-field="${name}"><label for="${id}">${name}</label>${control}${f.description ? html`<small>${f.description}</small>` : ""}</div>`;
}

export function flowForm(o: {
  schema: JsonSchemaObject;
  order: readonly string[];
  values: Record<string, unknown>;
  pickers: Record<string, Picker>;
  action: string;
  method: "get" | "post";
  submit: Html;
  hidden?: Record<string, string>;
}): Html {
  const names = [...o.order, ...Object.keys(o.schema.properties).filter((k) => !o.order.includes(k))];
  const required = new Set(o.schema.required ?? []);
  return html`<form class="flow-form" method="${o.method}" action="${o.action}">
${Object.entries(o.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
${names.map((n) => field(n, o.schema.properties[n], o.values[n], required.has(n), o.pickers[n]))}
<div class="actions">${o.submit}</div>
</form>`;
}
