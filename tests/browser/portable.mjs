// The portable copy (`glimmer build --portable`) opened as a reader opens
// it from a USB stick or an unzipped folder: from file://, no server.
//
// Starting at the language chooser (index.html), the walk clicks its way
// to a home page, a story, the service directory (the header's help link)
// and a service page, in English and then in Dari (right to left). On
// every page: it loads with its styles (the header's background is the
// theme's --accent colour, which needs the inline style sheet to apply
// under the page's Content-Security-Policy), the page is a file (not a
// folder listing), no request fails, no request leaves file:// (data:
// URLs, which never leave the browser, aside), and no Content-Security-
// Policy violation is reported (so quick-exit.js ran). Every picture on
// it, scrolled into view (they load lazily), loads from file:// (complete,
// naturalWidth > 0; pictures.mjs).

import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withPage } from './browser.mjs';
import { picturesLoad } from './pictures.mjs';
import { Report } from './report.mjs';

// The walk: what to click on each page, and what the page it opens is.
const STEPS = [
  { kind: 'home', click: (lang) => `ul.chooser a[hreflang="${lang}"]` },
  { kind: 'story', click: () => 'ul.items li.item a' },
  { kind: 'directory', click: () => 'header.site .help a' },
  { kind: 'service', click: () => 'li.card :is(h2, h3, h4) a' },
];
const LANGUAGES = ['en', 'fa-AF'];

// The check: opens the example's portable copy (target/portable/
// example-portable, as scripts/build-test-sites writes it, or built here
// when missing) in a fresh browser context and walks it.
// `served` is the example as built for a server, for the self-test.
export async function checkPortableCopy(browser, report, { glimmer, repo, served, log }) {
  const folder = await portableExample(glimmer, repo, path.join(repo, 'target', 'portable', 'example'), report);
  if (!folder) return;
  const context = await browser.createBrowserContext();
  try {
    const pages = await checkPortable(context, folder, report);
    log(`    ${pages} pages of ${path.relative(repo, folder)} opened from file:// by clicking links`);
    await selfTest(context, served, report, log);
  } finally {
    await context.close().catch(() => {});
  }
}

// The check of the check: the same walk over the site made for a server
// (root-relative links, folders for pages) must fail.
async function selfTest(context, served, report, log) {
  try {
    await stat(path.join(served, 'index.html'));
  } catch {
    return;
  }
  const probe = new Report();
  await checkPortable(context, served, probe);
  report.checked('selftest');
  if (probe.ok) {
    report.fail('selftest', `portable walk over ${served}`, 'found nothing wrong in a site made for a server');
  } else {
    log(`    self-test: the walk fails the site made for a server (${probe.failures.length} failures)`);
  }
}

// The example's portable copy in `dir` (built there with `glimmer` when
// it is missing): returns its folder, or null after reporting why not.
async function portableExample(glimmer, repo, dir, report) {
  const folder = `${dir}-portable`;
  try {
    await stat(path.join(folder, 'index.html'));
    return folder;
  } catch {
    // not built yet
  }
  const run = spawnSync(glimmer, ['build', '--root', repo, '--output', dir, '--portable'], { encoding: 'utf8' });
  if (run.status !== 0) {
    report.fail('portable', 'example', `glimmer build --portable failed:\n${run.stdout}${run.stderr}`);
    return null;
  }
  return folder;
}

// Walks the copy in `folder` from its index.html; returns the pages seen.
async function checkPortable(context, folder, report) {
  const start = pathToFileURL(path.join(folder, 'index.html')).href;
  const base = start.slice(0, -'index.html'.length);
  let pages = 0;
  await withPage(context, async (page) => {
    const seen = watchRequests(page);
    await page.evaluateOnNewDocument(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    for (const lang of LANGUAGES) {
      seen.reset();
      await page.goto(start, { waitUntil: 'load', timeout: 30_000 });
      await checkPage(page, seen, base, 'chooser', report);
      pages += 1;
      for (const step of STEPS) {
        const where = `portable ${lang} ${step.kind}`;
        const selector = step.click(lang);
        if (!(await page.$(selector))) {
          report.fail('portable', where, `nothing to click: no ${selector} on ${page.url()}`);
          break;
        }
        seen.reset();
        await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 30_000 }), page.click(selector)]);
        await checkPage(page, seen, base, step.kind, report, lang);
        pages += 1;
      }
    }
  });
  return pages;
}

// Records every request of the page, and those that failed.
function watchRequests(page) {
  const seen = { requests: [], failed: [] };
  seen.reset = () => {
    seen.requests = [];
    seen.failed = [];
  };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('requestfailed', (r) => seen.failed.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
  return seen;
}

async function checkPage(page, seen, base, kind, report, lang) {
  const url = page.url();
  const where = `portable ${url.startsWith(base) ? url.slice(base.length) : url} [${kind}${lang ? `, ${lang}` : ''}]`;
  report.checked('portable');
  report.tally('portable', `${kind} pages`);
  const problems = [];
  if (!url.startsWith('file://') || !url.endsWith('.html')) problems.push(`opened ${url}, not an HTML file`);
  // Before the requests are read: the pictures' files are requests too.
  const pictures = await picturesLoad(page);
  report.tally('portable', 'pictures', pictures.pictures);
  problems.push(...pictures.problems);
  for (const r of seen.requests) {
    if (!r.startsWith('file://') && !r.startsWith('data:')) problems.push(`a request left file://: ${r}`);
  }
  for (const f of seen.failed) problems.push(`a request failed: ${f}`);
  const facts = await page.evaluate(() => {
    const header = document.querySelector('header.site');
    const probe = document.createElement('i');
    probe.style.color = 'var(--accent)';
    document.body.append(probe);
    const accent = getComputedStyle(probe).color;
    probe.remove();
    return {
      lang: document.documentElement.lang,
      header: header ? getComputedStyle(header).backgroundColor : null,
      accent,
      hasAccent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() !== '',
      violations: window.__violations ?? [],
    };
  });
  if (lang && facts.lang !== lang) problems.push(`<html lang> is ${facts.lang}, expected ${lang}`);
  if (!facts.hasAccent) problems.push('the style sheet did not apply: no --accent');
  if (facts.header === null) problems.push('no header.site');
  else if (facts.header !== facts.accent) {
    problems.push(`the header's background is ${facts.header}, not the accent colour ${facts.accent}`);
  }
  for (const v of facts.violations) problems.push(`Content-Security-Policy violation: ${v}`);
  for (const p of problems) report.fail('portable', where, p);
}
