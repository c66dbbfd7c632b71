// HTML by tagged templates (Hono's html helper): every interpolated value is escaped unless it is
// itself a template result or passed through raw(). Our templates never interpolate promises, so
// the result is a plain escaped string.
import { html as honoHtml, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Html = HtmlEscapedString;

export const html = (strings: TemplateStringsArray, ...values: unknown[]): Html => honoHtml(strings, ...values) as Html;

export { raw };

/** JSON for a `<script type="application/json">` block: `<` escaped so no text can close the tag. */
export function jsonScript(id: string, value: unknown): Html {
  return raw(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, "\\u003c")}</script>`) as Html;
}
