// Browser test of the timeline chart and the speaker pages, driven by tests/browser.rs:
//   node tests/e2e/timeline.mjs URL SCREENSHOT.png
// The chart shows one bar per interval of /api/timeline, hovering shows a bar's interval and
// count, clicking or pressing Enter on a bar narrows the hits and the URL, the keyboard reaches
// the bars; a speaker's page opens from a hit with the counts of the API; phone width works.
import { fail, launch, shot, url } from "./common.mjs";
const shotAs = (suffix) => shot.replace(/\.png$/, `-${suffix}.png`);

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // Nothing may leave for another host: the chart is drawn by the page itself.
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) foreign.push(r.url()); });
  const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
  const bars = () => page.locator("#timeline svg .bar");

  // One bar per interval of the API's answer, with its count in its label.
  await page.goto(`${url}/?q=tariff`);
  await page.waitForSelector("#timeline svg .bar");
  const t = await api("/api/timeline?q=tariff");
  if (await bars().count() !== t.buckets.length) fail(`${await bars().count()} bars for ${t.buckets.length} intervals`);
  const labels = await bars().evaluateAll((gs) => gs.map((g) => g.getAttribute("aria-label")));
  t.buckets.forEach((b, i) => {
    if (!labels[i].startsWith(`${b.label}: ${b.count} quotation`)) fail(`bar ${i}: ${labels[i]} for ${b.label} ${b.count}`);
  });
  const caption = await page.textContent("#timeline figcaption");
  if (!caption.includes(`per ${t.by}`)) fail(`caption: ${caption}`);
  // The text equivalent lists every interval.
  if (await page.locator("#timeline table tr").count() !== t.buckets.length + 1) fail("table of intervals incomplete");

  // Hovering a bar shows its interval and count.
  const busiest = t.buckets.reduce((best, b, i) => (b.count > t.buckets[best].count ? i : best), 0);
  const target = t.buckets[busiest];
  await bars().nth(busiest).hover();
  await page.waitForSelector(".tl-tip:not([hidden])");
  const tip = await page.textContent(".tl-tip");
  if (tip !== `${target.label}: ${target.count} quotation${target.count === 1 ? "" : "s"}`) fail(`tooltip: ${tip}`);
  await page.screenshot({ path: shotAs("hover") });

  // Clicking it narrows the search (hits and URL) to its interval; the chart follows.
  await bars().nth(busiest).click();
  await page.waitForFunction((s) => location.search.includes(`since=${s}`), target.since);
  if (!page.url().includes(`until=${target.until}`)) fail(`URL ${page.url()} lacks until=${target.until}`);
  await page.waitForFunction((n) => document.querySelector("#status").textContent.startsWith(`${n} quotation`), target.count);
  const dates = await page.locator("li.hit .date").allTextContents();
  if (!dates.length || dates.some((d) => d < target.since || d > target.until)) fail(`hits outside ${target.label}: ${dates}`);
  if (await page.inputValue("#since") !== target.since) fail("since field not set");
  await page.waitForFunction((n) => {
    const gs = document.querySelectorAll("#timeline svg .bar");
    return gs.length > 0 && [...gs].reduce((s, g) => s + Number(g.getAttribute("aria-label").split(": ")[1].split(" ")[0]), 0) === n;
  }, target.count);

  // The chart follows a new search; the keyboard reaches its bars (Tab), moves between them
  // (arrows) and narrows with Enter.
  await page.fill("#since", "");
  await page.fill("#until", "");
  await page.fill("#q", "");
  await page.press("#q", "Enter");
  const all = await api("/api/timeline");
  await page.waitForFunction((n) => document.querySelectorAll("#timeline svg .bar").length === n, all.buckets.length);
  await page.focus("#go");
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList?.contains("bar"));
  }
  if (!reached) fail("Tab never reached the chart's bars");
  await page.keyboard.press("ArrowRight");
  const second = all.buckets[1] || all.buckets[0];
  const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  if (!focused.startsWith(second.label)) fail(`arrow moved to ${focused}, not ${second.label}`);
  if (!(await page.isVisible(".tl-tip"))) fail("no tooltip on a focused bar");
  await page.keyboard.press("Enter");
  await page.waitForFunction((s) => location.search.includes(`since=${s}`), second.since);

  // A speaker's page opens from a hit and shows the API's counts.
  await page.goto(`${url}/?q=tariff`);
  await page.waitForSelector("li.hit a.who");
  const name = await page.textContent("li.hit a.who");
  await page.click("li.hit a.who");
  await page.waitForURL((u) => u.pathname === `/speaker/${encodeURIComponent(name)}`);
  await page.waitForSelector("#sp-body:not([hidden]) #sp-timeline svg .bar");
  const s = await api(`/api/speaker?name=${encodeURIComponent(name)}`);
  const byWords = await api(`/api/search?speaker=${encodeURIComponent(name)}`);
  if (await page.textContent("#sp-name") !== name) fail(`speaker page of ${await page.textContent("#sp-name")}`);
  if (Number(await page.textContent("#sp-quotes")) !== s.quotes || s.quotes !== byWords.total) fail(`quotes: page ${await page.textContent("#sp-quotes")}, API ${s.quotes}, search ${byWords.total}`);
  if (Number(await page.textContent("#sp-articles")) !== s.articles) fail("articles count");
  if (await page.locator("#sp-timeline svg .bar").count() !== s.timeline.buckets.length) fail("speaker timeline bars");
  if (await page.locator("#sp-hits li.hit").count() !== s.latest.length) fail("latest quotations");
  const whos = await page.locator("#sp-hits li.hit .who").allTextContents();
  if (whos.some((w) => w !== name)) fail(`latest quotations of others: ${whos}`);
  if (await page.locator("#sp-words li").count() < 1) fail("no distinctive words");
  if (await page.locator("#sp-co a.who").count() !== s.co_quoted.length) fail("co-quoted speakers not linked");
  await page.screenshot({ path: shotAs("speaker"), fullPage: true });

  // The search box is scoped to them.
  const word = s.distinctive[0]?.word || "the";
  await page.fill("#sp-q", word);
  await page.press("#sp-q", "Enter");
  await page.waitForFunction((w) => location.search.includes(`q=${encodeURIComponent(w)}`), word);
  const scoped = await api(`/api/speaker?name=${encodeURIComponent(name)}&q=${encodeURIComponent(word)}`);
  await page.waitForFunction((n) => document.querySelectorAll("#sp-hits li.hit").length === n, scoped.latest.length);
  if ((await page.locator("#sp-hits li.hit .who").allTextContents()).some((w) => w !== name)) fail("scoped search left the speaker");
  // Another speaker is one click away.
  if (s.co_quoted.length) {
    await page.click("#sp-co a.who");
    await page.waitForFunction((n) => document.querySelector("#sp-name")?.textContent === n, s.co_quoted[0].name);
  }
  const nobody = await browser.newPage();
  await nobody.goto(`${url}/speaker/Zed%20Nobody`);
  await nobody.waitForFunction(() => document.querySelector("#sp-status").textContent.includes("no quotations"));
  await nobody.close();

  // Phone width: the chart and the speaker page fit the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/?q=tariff", `/speaker/${encodeURIComponent(name)}`]) {
    await page.goto(`${url}${path}`);
    await page.waitForSelector("svg .bar");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) fail(`${path} is ${overflow}px wider than a phone screen`);
    const width = await page.evaluate(() => document.querySelector("figure.timeline:not([hidden]) svg").getBoundingClientRect().width);
    if (width < 200 || width > 390) fail(`chart ${width}px wide on a phone`);
  }
  await page.screenshot({ path: shotAs("phone"), fullPage: true });
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${url}/?q=tariff`);
  await page.waitForSelector("#timeline svg .bar");
  await page.screenshot({ path: shot, fullPage: true });

  if (foreign.length) fail(`requests left the server: ${foreign.join(", ")}`);
  if (errors.length) fail(`page errors: ${errors.join("; ")}`);
  console.log("timeline browser test passed");
} finally {
  await browser.close();
}
