// Browser test of the quoth search page, driven by tests/browser.rs:
//   node tests/e2e/search.mjs URL SCREENSHOT.png
// Searches, filters by speaker and dates, opens a context view, checks that an injected
// <script> quote is shown literally and runs nothing, and saves a screenshot.
import { fail, launch, shot, url } from "./common.mjs";

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs += 1; d.dismiss(); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);

  // Search with Enter.
  await page.fill("#q", "tariff");
  await page.press("#q", "Enter");
  await page.waitForSelector("li.hit mark");
  const status = await page.textContent("#status");
  if (!/quotations? ·/.test(status)) fail(`status: ${status}`);

  // Typing in the speaker filter offers the names that start so.
  const offered = (input, prefix, name) => page.fill(input, prefix).then(() => page.waitForFunction(
    (n) => [...document.querySelectorAll("#speakers option")].some((o) => o.value === n), name));
  await offered("#speaker", "Ada", "Adaeze Okafor");

  // Filter by speaker and dates with the button; the URL reflects the search.
  await page.fill("#speaker", "okafor");
  await page.fill("#since", "2023");
  await page.fill("#until", "2023-12-31");
  await page.click("#go");
  await page.waitForFunction(() => {
    const hits = [...document.querySelectorAll("li.hit")];
    return hits.length > 0 && hits.every((h) => h.querySelector(".who").textContent === "Adaeze Okafor"
      && h.querySelector(".date").textContent.startsWith("2023"));
  });
  for (const part of ["q=tariff", "speaker=okafor", "since=2023", "until=2023-12-31"]) {
    if (!page.url().includes(part)) fail(`URL ${page.url()} lacks ${part}`);
  }

  // The top speakers are clickable filters.
  if ((await page.locator("#facets .chip").count()) < 1) fail("no top speakers shown");

  // Context view.
  await page.click("li.hit .more");
  await page.waitForSelector("li.hit .context");
  const context = await page.textContent("li.hit .context");
  if (!context.includes("tariff")) fail(`context: ${context}`);

  // An injected quote is text, not markup.
  await page.fill("#speaker", "");
  await page.fill("#since", "");
  await page.fill("#until", "");
  await page.fill("#q", "injected");
  await page.press("#q", "Enter");
  await page.waitForFunction(() => document.querySelector("li.hit .quote")?.textContent.includes("injected"));
  const quote = await page.textContent("li.hit .quote");
  if (!quote.includes("<script>") || !quote.includes("<img src=x onerror=")) fail(`quote not literal: ${quote}`);
  if ((await page.locator("li.hit .quote script, li.hit .quote img").count()) !== 0) fail("markup was rendered");
  if (await page.evaluate(() => window.__pwned !== undefined)) fail("injected code ran");
  if (dialogs !== 0) fail("an alert was shown");

  // "/" focuses the search box.
  await page.click("h1");
  await page.keyboard.press("/");
  if (await page.evaluate(() => document.activeElement.id) !== "q") fail("/ did not focus the box");

  // A shared URL restores the search.
  await page.goto(`${url}/?q=wall&sort=oldest`);
  await page.waitForSelector("li.hit");
  if (await page.inputValue("#q") !== "wall" || await page.inputValue("#sort") !== "oldest") fail("URL not restored");

  await page.goto(`${url}/?q=tariff`);
  await page.waitForSelector("li.hit mark");
  await page.screenshot({ path: shot, fullPage: true });
  // Readable on a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) fail(`page is ${overflow}px wider than a phone screen`);
  await page.screenshot({ path: shot.replace(/\.png$/, "-phone.png"), fullPage: true });
  if (errors.length) fail(`page errors: ${errors.join("; ")}`);
  console.log("browser test passed");
} finally {
  await browser.close();
}
