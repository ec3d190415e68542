// Browser test of the page's "Check a quote" mode, driven by tests/browser.rs:
//   node tests/e2e/check.mjs URL SCREENSHOT.png
// Switches modes, checks a close claim (verdict, diff marks, sources), a wrong speaker and a
// paraphrase, restores a check from a shared URL, checks that hostile quotations and hostile
// claims are shown as text and run nothing, and saves screenshots (desktop and phone).
import { fail, launch, shot, url } from "./common.mjs";

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs += 1; d.dismiss(); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("li.hit");

  // The mode switch shows the check form and hides the search.
  await page.click("#mode-check");
  if (!(await page.isVisible("#claim")) || await page.isVisible("#q")) fail("check mode not shown");
  if (!page.url().includes("mode=check")) fail(`URL ${page.url()} lacks mode=check`);

  // "/" is a character in the claim box, not a jump to the search box.
  await page.click("#claim");
  await page.keyboard.type("a/b");
  if (await page.inputValue("#claim") !== "a/b") fail("typing / left the claim box");

  // Typing the claimed speaker offers the names that start so, as the search's filter does.
  await page.fill("#claim-speaker", "Ing");
  await page.waitForFunction(() => [...document.querySelectorAll("#speakers option")]
    .some((o) => o.value === "Ingrid Løvaas"));

  // A close claim: verdict first, then the quotation with <del>/<ins> marks, then sources.
  await page.fill("#claim", "I never wanted the tariffs, I wanted a conversation");
  await page.fill("#claim-speaker", "okafor");
  await page.press("#claim", "Enter");
  await page.waitForSelector("#verdict.close");
  const verdict = await page.textContent("#verdict");
  if (!verdict.startsWith("close: 2 words changed, said by Adaeze Okafor, first reported 2023-06-02")) fail(`verdict: ${verdict}`);
  const first = page.locator("li.match").first();
  const dels = await first.locator(".diff del").allTextContents();
  const ins = await first.locator(".diff ins").allTextContents();
  if (dels.join("|") !== "tariff.|the" || ins.join("|") !== "tariffs,|a") fail(`marks: ${dels} / ${ins}`);
  if (!(await first.locator(".sim").textContent()).startsWith("similarity 0.7")) fail("no similarity");
  const sourcesText = await first.locator("ul.articles").textContent();
  if (!sourcesText.includes("2023-06-02") || !sourcesText.includes("okafor-valdessa-talks-analysis.txt")) fail(`sources: ${sourcesText}`);
  if (!(await first.locator(".context").textContent()).includes("Okafor says")) fail("no paragraph");
  for (const part of ["mode=check", "claim=I+never", "speaker=okafor"]) {
    if (!page.url().includes(part)) fail(`URL ${page.url()} lacks ${part}`);
  }

  // The same words under another speaker's name; a paraphrase.
  await page.fill("#claim-speaker", "sanchez");
  await page.click("#check-go");
  await page.waitForSelector("#verdict.different-speaker");
  await page.fill("#claim-speaker", "");
  await page.fill("#claim", "Okafor said she had never really cared for tariffs and only wanted everyone to talk");
  await page.click("#check-go");
  await page.waitForSelector("#verdict.not-found");

  // A shared URL restores and runs the check.
  await page.goto(`${url}/?mode=check&claim=${encodeURIComponent("The tariff was the only way to get anyone to pick up the phone")}&speaker=okafor`);
  await page.waitForSelector("#verdict.verbatim");
  if (await page.inputValue("#claim-speaker") !== "okafor") fail("speaker not restored");
  if (await page.isVisible("#q")) fail("search shown in check mode");

  // A hostile quotation checked verbatim, and a hostile claim: both only ever text.
  await page.fill("#claim-speaker", "");
  await page.fill("#claim", "This <script>window.__pwned = 1; alert(1)</script> and <img src=x onerror='window.__pwned=2'> are injected");
  await page.click("#check-go");
  await page.waitForSelector("#verdict.verbatim");
  const shown = await page.textContent("li.match .diff");
  if (!shown.includes("<script>") || !shown.includes("<img src=x onerror=")) fail(`quotation not literal: ${shown}`);
  await page.fill("#claim", "This <script>window.__pwned = 3; alert(3)</script> and <img src=y onerror='window.__pwned=4'> are injected");
  await page.click("#check-go");
  await page.waitForFunction(() => [...document.querySelectorAll("li.match .diff ins")].some((e) => e.textContent.includes("3")));
  const marked = await page.textContent("li.match .diff");
  if (!marked.includes("onerror=")) fail(`claim not literal: ${marked}`);
  if ((await page.locator("#check script, #check img, #verdict *").count()) !== 0) fail("markup was rendered");
  if (await page.evaluate(() => window.__pwned !== undefined)) fail("injected code ran");
  if (dialogs !== 0) fail("an alert was shown");

  // Back to search mode.
  await page.click("#mode-search");
  if (!(await page.isVisible("#q")) || await page.isVisible("#claim")) fail("search mode not restored");

  await page.goto(`${url}/?mode=check&claim=${encodeURIComponent("I never wanted the tariffs, I wanted a conversation")}&speaker=okafor`);
  await page.waitForSelector("#verdict.close");
  await page.screenshot({ path: shot, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) fail(`page is ${overflow}px wider than a phone screen`);
  await page.screenshot({ path: shot.replace(/\.png$/, "-phone.png"), fullPage: true });
  if (errors.length) fail(`page errors: ${errors.join("; ")}`);
  console.log("check page test passed");
} finally {
  await browser.close();
}
