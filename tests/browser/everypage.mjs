// One visit of every HTML page of a site, in one tab with JavaScript on,
// the cache off and every request to another origin blocked. Each visit
// checks, at no extra load:
//   privacy  – nothing fetched from or pointing at another origin, nothing
//              stored (cookie, localStorage, sessionStorage);
//   weight   – bytes of the page and what it loads (for the budget);
//   scripts  – no <script> but the theme's quick-exit script (one
//              <script src="{base path}quick-exit.js" defer> of this
//              origin, no other attribute, no text) and JSON-LD data (type
//              exactly application/ld+json, no other attribute, text that
//              parses as JSON), no on* attribute, no javascript: URL, no
//              dialog, window.__pwned unset; on the hostile site every
//              other <script> fails, JSON-LD too;
//   lang-dir – <html lang> and a dir that matches it;
// and notes the page's kind and language for the sampled checks. The tab
// has a 360×640 viewport. options.perPage: more checks run on each loaded
// page, as async (page, urlPath, where, kind) => void.

import { langDirProblems, htmlLangDir } from './a11y.mjs';
import { load } from './browser.mjs';
import { scriptsInPage } from './hostile.mjs';
import { classify, directoryPlace, DIRECTORY_KINDS } from './kinds.mjs';
import { guardRequests, privacyProblems } from './privacy.mjs';
import { overBudget, watchResponses } from './weight.mjs';

// Signs that code ran or could run in the loaded page, as strings.
async function scriptProblems(page, dialogs, allowed) {
  const problems = [];
  if (await page.evaluate(() => window.__pwned !== undefined)) problems.push('window.__pwned is set: injected code ran');
  for (const message of dialogs.splice(0)) problems.push(`a dialog opened: ${JSON.stringify(message)}`);
  problems.push(...(await page.evaluate(scriptsInPage, allowed)));
  return problems;
}

// Visits every page of site (served at origin). Records findings in report
// under the check names (options.scriptCheck renames 'scripts', for the
// hostile site). Returns [{ path, kind, lang, weight }].
export async function visitEveryPage(context, origin, site, report, options = {}) {
  const scriptCheck = options.scriptCheck ?? 'scripts';
  const measure = options.weight ?? true;
  const perPage = options.perPage ?? [];
  const allowJsonLd = scriptCheck === 'scripts';
  const quickExitPath = `${site.config.basePath ?? '/'}quick-exit.js`;
  const section = site.config.servicesSection ?? 'services';
  const page = await context.newPage();
  await page.setViewport({ width: 360, height: 640 });
  await page.setCacheEnabled(false);
  const guard = await guardRequests(page, origin);
  const responses = watchResponses(page, origin);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });

  const visited = [];
  try {
    for (const urlPath of site.pages) {
      const where = `${site.name} ${urlPath}`;
      let response;
      try {
        response = await load(page, origin + urlPath);
      } catch (err) {
        report.fail('load', where, `did not load: ${err.message}`);
        guard.take();
        await responses.take();
        continue;
      }
      report.checked('load');
      if (response?.status() !== 200) report.fail('load', where, `answered HTTP ${response?.status()}`);

      const blocked = guard.take();
      const weight = await responses.take();
      for (const f of weight.failures) report.fail('weight', where, f);

      report.checked('privacy');
      for (const p of await privacyProblems(page, context, blocked)) report.fail('privacy', where, p);

      report.checked(scriptCheck);
      for (const p of await scriptProblems(page, dialogs, { allowJsonLd, quickExitPath })) report.fail(scriptCheck, where, p);

      report.checked('lang-dir');
      for (const p of await langDirProblems(page)) report.fail('lang-dir', where, p);

      if (measure) {
        report.checked('weight');
        const over = overBudget(weight, site.config.pageKb);
        if (over) report.fail('weight', where, over);
      }
      const { lang } = await htmlLangDir(page);
      const kind = await classify(page, urlPath, section);
      const place = directoryPlace(urlPath, section);
      if (place) report.checked('kinds');
      if (place && !DIRECTORY_KINDS.includes(kind)) {
        report.fail('kinds', where, `the URL is a ${place} page of the service directory, but the page lacks its markers (article.service, .print, .emergency, .items .card): classified as "${kind}"`);
      }
      for (const check of perPage) await check(page, urlPath, where, kind);
      visited.push({ path: urlPath, kind, place, lang, weight });
    }
  } finally {
    await page.close().catch(() => {});
  }
  return visited;
}
