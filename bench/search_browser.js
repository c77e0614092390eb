// Measures the search page in headless Chromium: for each query, a fresh page (empty cache)
// opens /search/?<query>, and once the first results show (search.js marks the results list
// with data-shown-ms), it prints the time since the page was asked for (`ms`, measured here;
// `page_ms`, the page's own clock from the start of its navigation), the bytes of every
// file the page loaded (as sent, and gzip-compressed as a host that compresses would send
// them) and the status line.
//
//   node bench/search_browser.js OUTPUT_FOLDER [QUERY...]
//
// Needs Chromium (Debian: apt-get install chromium) and playwright-core from npm, found
// through NODE_PATH or PLAYWRIGHT_CORE (the folder of the package), e.g.
//   npm install --prefix /tmp/pw playwright-core
//   PLAYWRIGHT_CORE=/tmp/pw/node_modules/playwright-core node bench/search_browser.js out
// The output folder is served from 127.0.0.1 by a small server in this script.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");
const zlib = require("zlib");
const { chromium } = require(process.env.PLAYWRIGHT_CORE || "playwright-core");

const [out, ...asked] = process.argv.slice(2);
const queries = asked.length > 0 ? asked : [
  "q=delegation",
  "q=labour+migration",
  "q=victim+protection+cooperation",
  "q=PO007",
  "q=labour&partner=partner-007&year=2015",
  "partner=partner-012&kind=press-release",
];

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

function serve(root) {
  const server = http.createServer((request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (!file.startsWith(root)) { response.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
    fs.readFile(file, (error, body) => {
      if (error) { response.writeHead(404).end("not found"); return; }
      response.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
      response.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

(async () => {
  const root = path.resolve(out);
  const server = await serve(root);
  const origin = "http://127.0.0.1:" + server.address().port;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  console.log(["query", "ms", "page_ms", "files", "bytes", "gzip_bytes", "status"].join("\t"));
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const files = [];
    page.on("response", async (response) => {
      try {
        const body = await response.body();
        files.push({ url: response.url(), bytes: body.length, gzip: zlib.gzipSync(body).length });
      } catch (e) { /* a redirect has no body */ }
    });
    const started = Date.now();
    await page.goto(origin + "/search/?" + query);
    await page.waitForSelector("#search-results[data-shown-ms]", { timeout: 30000 });
    const ms = Date.now() - started;
    await page.waitForTimeout(200);
    const status = await page.textContent("#search-status");
    const pageMs = await page.getAttribute("#search-results", "data-shown-ms");
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const gzip = files.reduce((sum, f) => sum + f.gzip, 0);
    console.log([query, ms, pageMs, files.length, bytes, gzip, status].join("\t"));
    await context.close();
  }
  await browser.close();
  server.close();
})().catch((error) => { console.error(error); process.exit(1); });
