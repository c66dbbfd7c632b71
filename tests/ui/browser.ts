// Headless Chromium for the UI tests: Debian's chromium (.ci/run installs it), driven by
// playwright-core, with the background networking that floods a closed network turned off. Every
// console error and uncaught page error of every page is collected; screenshots go to
// tests/ui/screenshots/ (ignored by git) for a person to look at.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.PVPIPE_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(import.meta.dirname, "screenshots");

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far, with the page they came from. */
  errors: string[];
  shot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium, as .ci/run does) or set PVPIPE_CHROMIUM`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const watch = (p: Page) => {
    p.on("console", (m) => {
      if (m.type() === "error") errors.push(`${p.url()}: console error: ${m.text()}`);
    });
    p.on("pageerror", (e) => errors.push(`${p.url()}: page error: ${e.message}`));
  };
  context.on("page", watch);
  const page = await context.newPage();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser,
    context,
    page,
    errors,
    async shot(p, name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await p.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}
