// The page shell: title, navigation, the stylesheet and the page's own scripts (served from
// /static, bundled at install time; no CDN, no inline script).
import { html, type Html } from "../html.ts";

export type Section = "assets" | "runs" | "launch" | "health";

const NAV: { id: Section; href: string; label: string }[] = [
  { id: "assets", href: "/assets", label: "Assets" },
  { id: "runs", href: "/runs", label: "Runs" },
  { id: "launch", href: "/launch", label: "Launch" },
  { id: "health", href: "/health", label: "Data health" },
];

export function page(o: { title: string; section?: Section; body: Html; scripts?: string[]; today?: string }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · pvpipe</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/ui.css">
${(o.scripts ?? []).map((s) => html`<script type="module" src="/static/${s}.js"></script>`)}
</head>
<body>
<header class="top">
  <a class="brand" href="/assets">pvpipe</a>
  <nav>${NAV.map((n) => html`<a href="${n.href}"${n.id === o.section ? html` class="active" aria-current="page"` : ""}>${n.label}</a>`)}</nav>
  ${o.today ? html`<span class="clock" title="the pipeline clock (PVPIPE_NOW when pinned)">today ${o.today} KST</span>` : ""}
</header>
<main>
${o.body}
</main>
</body>
</html>`;
}

export function errorPage(status: number, message: string): Html {
  const title = status === 404 ? "Not found" : status === 403 ? "Refused" : status === 400 ? "Bad request" : "Error";
  return page({ title, body: html`<h1>${title}</h1><p class="error-message" role="alert">${message}</p><p><a href="/assets">back to the assets</a></p>` });
}
