// In-browser checks of the built glimmer sites, run by scripts/browser-check.
//
//   node tests/browser/check.mjs [BUILT_SITES_DIR]   (default target/validate)
//
// Serves each built site (every folder of BUILT_SITES_DIR with an
// index.html) on 127.0.0.1 and loads it in one headless Chromium:
//   1. every page: privacy, weight, no scripts, lang/dir (everypage.mjs);
//   2. one page of each kind × LTR/RTL × 360×640 and 1280×800: axe-core
//      and the checks axe lacks (a11y.mjs);
//   3. the same pages with JavaScript off (nojs.mjs);
//   4. a hostile site built from script payloads (hostile.mjs).
// Writes target/browser/weight.tsv, prints every failure with its URL and
// reason, and exits 1 when anything failed (2 when it could not run).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { a11yProblems } from './a11y.mjs';
import { launchBrowser, withPage, load } from './browser.mjs';
import { visitEveryPage } from './everypage.mjs';
import { buildHostileSite } from './hostile.mjs';
import { sampleByKind } from './kinds.mjs';
import { noJsProblems } from './nojs.mjs';
import { Report } from './report.mjs';
import { startServer } from './serve.mjs';
import { findSites, htmlPages, readSiteConfig } from './sites.mjs';
import { heaviest, writeWeightReport } from './weight.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(REPO, 'target', 'browser');
const GLIMMER = process.env.GLIMMER ?? path.join(REPO, 'target', 'release', 'glimmer');
const VIEWPORTS = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
];
// A page that does not exist, deep in the tree: the host answers with
// /404.html, whose root-relative links must still work.
const MISSING_PATH = '/no/such/page/';

const log = (...args) => console.log(...args);

async function checkAccessibility(context, origin, site, sample, report) {
  await withPage(context, async (page) => {
    for (const viewport of VIEWPORTS) {
      await page.setViewport(viewport);
      for (const { path: urlPath, kind, dir } of sample) {
        const where = `${site.name} ${urlPath} [${kind}, ${dir}, ${viewport.width}×${viewport.height}]`;
        report.checked('a11y');
        try {
          await load(page, origin + urlPath);
          for (const p of await a11yProblems(page)) report.fail('a11y', where, p);
        } catch (err) {
          report.fail('a11y', where, `could not be checked: ${err.message}`);
        }
      }
    }
  });
}

async function checkWithoutJs(context, origin, site, sample, report) {
  const pages = [...sample, { path: MISSING_PATH, kind: '404', dir: 'ltr' }];
  await withPage(context, async (page) => {
    await page.setJavaScriptEnabled(false);
    await page.setViewport(VIEWPORTS[0]);
    for (const { path: urlPath, kind, dir } of pages) {
      const where = `${site.name} ${urlPath} [${kind}, ${dir}, JavaScript off]`;
      report.checked('no-js');
      try {
        for (const p of await noJsProblems(page, origin + urlPath, kind, site)) report.fail('no-js', where, p);
      } catch (err) {
        report.fail('no-js', where, `could not be checked: ${err.message}`);
      }
    }
  });
}

async function checkSite(browser, server, site, report, weightRows) {
  server.serve(site.dir);
  const started = Date.now();
  const context = await browser.createBrowserContext();
  try {
    const visited = await visitEveryPage(context, server.origin, site, report);
    for (const v of visited) weightRows.push({ url: `${site.name}${v.path}`, ...v.weight });
    const codes = site.config.languages.map((l) => l.code);
    const sample = sampleByKind(visited, codes);
    await checkAccessibility(context, server.origin, site, sample, report);
    await checkWithoutJs(context, server.origin, site, sample, report);
    const kinds = sample.map((s) => `${s.kind}/${s.dir}`).join(', ');
    log(`    ${site.pages.length} pages; sampled ${sample.length}: ${kinds} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await context.close().catch(() => {});
  }
}

async function checkHostile(browser, server, report) {
  const dir = path.join(OUT, 'hostile');
  const built = await buildHostileSite(GLIMMER, dir, report);
  if (!built) return;
  const site = {
    name: 'hostile',
    dir: built,
    pages: await htmlPages(built),
    config: await readSiteConfig(path.join(dir, 'glimmer.toml')),
  };
  server.serve(site.dir);
  const context = await browser.createBrowserContext();
  try {
    await visitEveryPage(context, server.origin, site, report, { scriptCheck: 'hostile', weight: false });
    // The payloads must have reached the page, as text: otherwise this
    // check proved nothing.
    await withPage(context, async (page) => {
      await load(page, `${server.origin}/en/stories/evil/`);
      const text = await page.evaluate(() => document.body.innerText);
      if (!text.includes('<script>window.__pwned=1</script>')) {
        report.fail('hostile', 'hostile /en/stories/evil/', 'the payload <script>window.__pwned=1</script> is not shown as text: the check did not see the hostile content');
      }
    });
    log(`    ${site.pages.length} hostile pages loaded with JavaScript on`);
  } finally {
    await context.close().catch(() => {});
  }
}

async function main() {
  const started = Date.now();
  const base = path.resolve(process.argv[2] ?? path.join(REPO, 'target', 'validate'));
  const sites = await findSites(base, REPO).catch((err) => {
    throw new Error(`cannot read the built sites in ${base} (${err.message}); run scripts/validate-html first`);
  });
  if (sites.length === 0) throw new Error(`no built site in ${base}; run scripts/validate-html first`);

  const report = new Report();
  const weightRows = [];
  const server = await startServer();
  const chromium = await launchBrowser();
  log(`==> browser checks on ${server.origin} with ${await chromium.browser.version()}`);
  try {
    for (const site of sites) {
      log(`==> ${site.name} (budget ${site.config.pageKb} KB)`);
      await checkSite(chromium.browser, server, site, report, weightRows);
    }
    log('==> hostile site');
    await checkHostile(chromium.browser, server, report);
  } finally {
    await chromium.close();
    await server.close();
  }

  const tsv = path.join(OUT, 'weight.tsv');
  await writeWeightReport(tsv, weightRows);
  log('');
  log(`Heaviest pages (gzip level 9; full list in ${path.relative(REPO, tsv)}):`);
  for (const r of heaviest(weightRows)) {
    log(`  ${String(r.gzip).padStart(7)} B gzip  ${String(r.raw).padStart(7)} B raw  ${r.resources} res.  ${r.url}`);
  }
  report.print(log);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log('');
  log(report.ok ? `browser-check: all passed in ${seconds} s` : `browser-check: FAILED (${report.failures.length} failure(s)) in ${seconds} s`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`browser-check: could not run: ${err.stack ?? err}`);
    process.exit(2);
  },
);
