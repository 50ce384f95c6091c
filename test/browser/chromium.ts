// Where the browser tests find Chromium: $CHROMIUM, else Debian's (apt-get install chromium) or
// another usual place; undefined when there is none (the caller says how to install one).
import fs from "node:fs";

export function findChromium(): string | undefined {
  const env = process.env["CHROMIUM"];
  if (env) return env;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"].find((p) => fs.existsSync(p));
}

/** The launch flags for a machine without network access (see the project's notes on Chromium). */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
