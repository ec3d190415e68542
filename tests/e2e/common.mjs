// What every browser test here shares (tests/browser.rs runs them): the page's URL and the
// screenshot's path from the command line, a failure, and Debian's Chromium started headless.
import { chromium } from "playwright-core";

export const [url, shot] = process.argv.slice(2);
export const fail = (msg) => { throw new Error(msg); };

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
