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
//   4. every print page of a service directory in print media, and its
//      A4 PDF (print.mjs);
//   5. a hostile site built from script payloads (hostile.mjs);
//   6. the example's portable copy, opened from file:// (portable.mjs);
//   7. every page with a <picture>, on a phone: files chosen, lazy
//      loading, boxes before loading, fallback files (pictures.mjs).
// During the visit of every page (1) also: numbers and addresses laid out
// left to right and dialling what they show (bidi.mjs), and the help link
// of sites with a service directory (help.mjs). Before all that, the
// self-tests (selftest.mjs) prove that those checks can fail.
// Writes target/browser/weight.tsv (and the print PDFs under
// target/browser/print/), prints every failure with its URL and reason,
// and exits 1 when anything failed (2 when it could not run).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { a11yProblems, expectedDir } from './a11y.mjs';
import { bidiProblems } from './bidi.mjs';
import { launchBrowser, withPage, load } from './browser.mjs';
import { cspCheck, runCspSelfTest } from './csp.mjs';
import { visitEveryPage } from './everypage.mjs';
import { helpCheck } from './help.mjs';
import { buildHostileSite, TYPED_SCRIPTS } from './hostile.mjs';
import { DIRECTORY_KINDS, sampleByKind } from './kinds.mjs';
import { noJsProblems } from './nojs.mjs';
import { checkPictures, pictureFinder } from './pictures.mjs';
import { checkPortableCopy } from './portable.mjs';
import { printProblems } from './print.mjs';
import { checkQuickExit, exitLinkCheck } from './quickexit.mjs';
import { Report } from './report.mjs';
import { runSelfTests } from './selftest.mjs';
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

// Every print page of the directory in print media, and its PDF.
async function checkPrint(context, origin, site, visited, report) {
  const pages = visited.filter((v) => v.kind === 'print');
  await withPage(context, async (page) => {
    for (const v of pages) {
      const dir = expectedDir(v.lang ?? 'en');
      const where = `${site.name} ${v.path} [print, ${dir}]`;
      const pdfFile = path.join(OUT, 'print', site.name, `${v.path.replace(/^\/|\/$/g, '').replace(/\//g, '-')}.pdf`);
      report.checked('print');
      report.tally('print', `${dir} print pages`);
      try {
        const r = await printProblems(page, origin + v.path, pdfFile);
        report.tally('print', 'cards', r.cards);
        report.tally('print', 'phone numbers', r.nums);
        report.tally('print', 'PDF pages', r.pdfPages);
        for (const p of r.problems) report.fail('print', where, p);
      } catch (err) {
        report.fail('print', where, `could not be checked: ${err.message}`);
      }
    }
  });
  return pages.length;
}

// Checks run on every page during the one visit (everypage.mjs): the
// help link (help.mjs) and numbers and addresses (bidi.mjs); and the
// pages with a <picture> are noted (pictures.mjs).
function perPageChecks(site, report, help, pictures) {
  const guarded = (check, fn) => async (page, urlPath, where, kind) => {
    try {
      await fn(page, urlPath, where, kind);
    } catch (err) {
      report.fail(check, where, `could not be checked: ${err.message}`);
    }
  };
  return [
    guarded('help', (page, urlPath, where) => help.visit(page, urlPath, where)),
    guarded('bidi', async (page, urlPath, where, kind) => {
      const r = await bidiProblems(page);
      report.checked('bidi');
      const dir = r.dir === 'rtl' ? 'rtl' : 'ltr';
      if (DIRECTORY_KINDS.includes(kind)) report.tally('bidi', `${dir} directory pages`);
      report.tally('bidi', 'tel/sms links', r.counts.telSms);
      report.tally('bidi', 'channels with a .num', r.counts.channels);
      report.tally('bidi', `.num/bdi[dir=ltr] in ${dir} pages`, r.counts.isolates);
      report.tally('bidi', 'characters placed', r.counts.chars);
      report.tally('bidi', 'addresses/numbers in rtl text', r.counts.bare);
      for (const p of r.problems) report.fail('bidi', `${where} [${kind}, ${dir}]`, p);
    }),
    cspCheck(report),
    exitLinkCheck(site, report),
    guarded('pictures', (page, urlPath) => pictures.visit(page, urlPath)),
  ];
}

async function checkSite(browser, server, site, report, weightRows) {
  server.serve(site.dir);
  const started = Date.now();
  const context = await browser.createBrowserContext();
  try {
    const help = helpCheck(site, report);
    const pictures = pictureFinder();
    const perPage = perPageChecks(site, report, help, pictures);
    const visited = await visitEveryPage(context, server.origin, site, report, { perPage });
    const helpFacts = help.finish();
    for (const v of visited) weightRows.push({ url: `${site.name}${v.path}`, ...v.weight });
    const codes = site.config.languages.map((l) => l.code);
    const sample = sampleByKind(visited, codes);
    await checkAccessibility(context, server.origin, site, sample, report);
    await checkWithoutJs(context, server.origin, site, sample, report);
    const printed = await checkPrint(context, server.origin, site, visited, report);
    await checkQuickExit(context, server.origin, site, sample, report);
    log(`    pictures: ${await checkPictures(context, server.origin, site, pictures.pages, report)}`);
    const kinds = sample.map((s) => `${s.kind}/${s.dir}`).join(', ');
    const directory = visited.filter((v) => DIRECTORY_KINDS.includes(v.kind)).length;
    log(`    ${site.pages.length} pages; sampled ${sample.length}: ${kinds} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    log(
      helpFacts.hasDirectory
        ? `    directory: ${directory} pages, ${printed} printed; ${helpFacts.links} help links on ${helpFacts.pages} pages (${helpFacts.languages} languages)`
        : `    no directory: no help link on ${helpFacts.pages} pages`,
    );
  } finally {
    await context.close().catch(() => {});
  }
}

async function selfTest(browser, report) {
  const context = await browser.createBrowserContext();
  try {
    const n = (await runSelfTests(context, report, path.join(OUT, 'print'))) + (await runCspSelfTest(context, report));
    log(`    ${n} self-tests`);
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
      for (const payload of ['<script>window.__pwned=1</script>', ...TYPED_SCRIPTS]) {
        if (!text.includes(payload)) {
          report.fail('hostile', 'hostile /en/stories/evil/', `the payload ${payload} is not shown as text: the check did not see the hostile content`);
        }
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
    log('==> self-tests of the checks');
    await selfTest(chromium.browser, report);
    for (const site of sites) {
      log(`==> ${site.name} (budget ${site.config.pageKb} KB)`);
      await checkSite(chromium.browser, server, site, report, weightRows);
    }
    log('==> hostile site');
    await checkHostile(chromium.browser, server, report);
    log('==> the portable copy of the example, from file://');
    await checkPortableCopy(chromium.browser, report, { glimmer: GLIMMER, repo: REPO, served: path.join(base, 'example'), log });
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
