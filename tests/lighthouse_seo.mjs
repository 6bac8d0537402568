// Lighthouse's SEO audit of several pages with one Chromium: `node lighthouse_seo.mjs OUT URL...`
// writes OUT, a JSON object of each URL's report (the Lighthouse result). Chromium's path comes
// from CHROME_PATH; its profile goes in TMPDIR.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [out, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
});
const reports = {};
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port, onlyCategories: ["seo"], logLevel: "error", output: "json",
      throttlingMethod: "provided", disableFullPageScreenshot: true, formFactor: "mobile",
    });
    reports[url] = result.lhr;
  }
} finally {
  await chrome.kill();
}
fs.writeFileSync(out, JSON.stringify(reports));
