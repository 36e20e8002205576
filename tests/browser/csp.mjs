// Content-Security-Policy (check 'csp'), on every page during the one visit
// (everypage.mjs):
//   - the page has its policy: a <meta http-equiv="Content-Security-Policy">
//     in <head>, before any <style>, <script> or <link>;
//   - the policy is in force: a <style> added to the page is refused;
//   - nothing on the page broke the policy while it loaded: no
//     securitypolicyviolation (an inline style whose hash the policy lacks,
//     a script, a font, a frame…). The browser logs every violation with
//     the event; the log of the page is read through a DevTools session
//     opened after the load (Log.enable hands over the page's entries so
//     far), so that no listener has to be in the page before it loads.
// The self-test (cspSelfTest) proves the check fails on a page whose style
// does not match the hash in its policy, on a page without a policy and on
// a policy that lets any inline style through, and passes a page whose
// policy matches its style and carries JSON-LD.

import { createHash } from 'node:crypto';
import { withPage } from './browser.mjs';

// The policy's place and whether it is in force, read in the page.
function policyFacts() {
  const metas = [...document.querySelectorAll('meta[http-equiv]')].filter(
    (m) => m.httpEquiv.toLowerCase() === 'content-security-policy',
  );
  const first = metas[0];
  const before = first
    ? [...document.head.querySelectorAll('style, script, link')].filter(
        (el) => el.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING,
      ).map((el) => el.outerHTML.slice(0, 80))
    : [];
  const probe = document.createElement('style');
  probe.textContent = ':root{--glimmer-csp-probe:1}';
  document.head.append(probe);
  const applied = getComputedStyle(document.documentElement).getPropertyValue('--glimmer-csp-probe') !== '';
  probe.remove();
  return {
    policies: metas.length,
    inHead: first ? first.parentElement === document.head : false,
    before,
    applied,
  };
}

// The violations the browser logged for the loaded document.
async function loggedViolations(page) {
  const session = await page.createCDPSession();
  const found = [];
  session.on('Log.entryAdded', ({ entry }) => {
    if (entry.source === 'security' || /Content Security Policy/i.test(entry.text)) found.push(entry.text);
  });
  try {
    // Chromium sends the entries so far, as events, before it answers.
    await session.send('Log.enable');
  } finally {
    await session.detach().catch(() => {});
  }
  return found;
}

// Problems of the loaded page, as strings.
export async function cspProblems(page) {
  const problems = (await loggedViolations(page)).map((text) => `securitypolicyviolation: ${text.slice(0, 300)}`);
  const facts = await page.evaluate(policyFacts);
  if (facts.policies === 0) {
    problems.push('no <meta http-equiv="Content-Security-Policy">: the page has no policy');
  } else {
    if (!facts.inHead) problems.push('the Content-Security-Policy meta tag is not in <head>');
    for (const el of facts.before) problems.push(`${el} comes before the policy, which does not govern it`);
    if (facts.applied) problems.push('the policy is not in force: a <style> added to the page was applied');
  }
  return problems;
}

// The per-page check for visitEveryPage's options.perPage.
export function cspCheck(report) {
  return async (page, urlPath, where) => {
    report.checked('csp');
    try {
      for (const p of await cspProblems(page)) report.fail('csp', where, p);
    } catch (err) {
      report.fail('csp', where, `could not be checked: ${err.message}`);
    }
  };
}

const STYLE = 'body{color:#222}';
const hashOf = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const pageWith = (policy, extra = '') =>
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  (policy === null ? '' : `<meta http-equiv="Content-Security-Policy" content="${policy}">`) +
  `<title>t</title><style>${STYLE}</style>${extra}</head><body><main><p>x</p></main></body></html>`;
const strict = (style) => `default-src 'self'; script-src 'self'; style-src 'self' ${style}; object-src 'none'`;
const JSON_LD = '<script type="application/ld+json">{"@context":"https://schema.org","@type":"Service"}</script>';

// [what, html, fragment the check must report, or null when it must pass]
const CASES = [
  ['a style that does not match the hash', pageWith(strict(hashOf('body{color:#000}'))), 'securitypolicyviolation'],
  ['a page without a policy', pageWith(null), 'has no policy'],
  ['a policy allowing any inline style', pageWith("default-src 'self'; style-src 'unsafe-inline'"), 'not in force'],
  ['a matching hash and JSON-LD', pageWith(strict(hashOf(STYLE)), JSON_LD), null],
];

// Runs the cases in a fresh tab of context; returns the problems of the
// check itself (empty when it works).
export async function cspSelfTest(context) {
  return withPage(context, async (page) => {
    const out = [];
    for (const [what, html, fragment] of CASES) {
      await page.goto(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`, { waitUntil: 'load' });
      const problems = await cspProblems(page);
      if (fragment && !problems.some((p) => p.includes(fragment))) {
        out.push(`csp self-test: ${what} was not reported: the check is broken (it reported: ${problems.join('; ') || 'nothing'})`);
      }
      if (!fragment && problems.length > 0) out.push(`csp self-test: ${what} was reported: ${problems.join('; ')}`);
    }
    return out;
  });
}

// Runs the self-test into report (check 'selftest'); returns 1, the
// number of self-tests run.
export async function runCspSelfTest(context, report) {
  report.checked('selftest');
  try {
    for (const p of await cspSelfTest(context)) report.fail('selftest', 'self-test csp', p);
  } catch (err) {
    report.fail('selftest', 'self-test csp', `could not run: ${err.stack ?? err.message}`);
  }
  return 1;
}
