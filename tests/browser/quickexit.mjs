// Quick exit: every page has, right after the skip link,
//
//   <div class="exit-bar"><a id="quick-exit" class="exit" href="{quick_exit}"
//   rel="nofollow noreferrer">Exit this page</a> <span id="quick-exit-hint"
//   class="exit-hint" hidden>…</span> <a class="safety" href="/{lang}/safety/">…</a></div>
//
// and the theme's quick-exit.js, which on a click (or three Shift presses
// within 2 s) hides the page at once, blanks the title and leaves with
// location.replace(), so that Back does not return. A reader who may be
// watched must be able to leave in one tap, with or without JavaScript.
//
// exitLinkCheck (check 'exit-link'), on every page, during the one visit
// of everypage.mjs (JavaScript on, 360×640), from the DOM:
//   - a#quick-exit.exit sits in div.exit-bar and has text; in document
//     order it is the second focusable element, after the skip link a.skip,
//     and no element has a positive tabindex (which would reorder Tab);
//   - its href is the quick_exit of the page's language (<html lang>) in
//     glimmer.toml (the site's, else https://www.google.com/); its rel
//     holds nofollow and noreferrer;
//   - the page has exactly one <script src="{base path}quick-exit.js">,
//     with defer, and it ran: the hint #quick-exit-hint is no longer hidden;
//   - the safety link (.exit-bar a.safety) leads to {base path}{lang}/safety/
//     and that page was built.
//
// checkQuickExit (check 'quick-exit'), on the chooser, the 404 page and one
// left-to-right and one right-to-left page of the kinds in EXIT_KINDS. Every
// request to the quick-exit destinations is answered with a stub page (the
// test never leaves the machine); any other request to another origin is
// aborted and reported.
//   At 360×640 and 1280×800, JavaScript on:
//   - the second Tab focuses the exit link, and its focus outline shows:
//     at least 2 px, with a contrast of at least 3:1 against the bar;
//   - the link is visible at the top of the viewport (wholly in view, its
//     top in the first 10% of the height, nothing drawn over its centre)
//     and still is after scrolling to the bottom (the bar is sticky; a page
//     too short to scroll gets a spacer first); it is at least 44×44 px
//     (WCAG 2.5.5 AAA; its size is reported);
//   - at 360×640: going back from the end with Shift+Tab, no focused
//     element vanishes entirely under the sticky bar (WCAG 2.2 SC 2.4.11).
//   JavaScript on, 360×640 (history: a same-origin stub page, then the
//   page):
//   - a real click on the link: in the same task (a window click listener
//     added by the test runs right after the page's own), <html> is
//     display: none and the title empty; the tab ends on the destination,
//     with no Referer; Back then lands on the stub page before, never on
//     the page left (its history entry was replaced);
//   - three Shift presses: the same;
//   - two Shift presses, and three Shift+Tab presses: the page stays;
//   - once per site (timing): three presses spread over 1.4 s leave, three
//     presses spread over 2.2 s do not.
//   JavaScript off, 360×640:
//   - the hint is hidden; a click on the link opens the destination;
//   - the safety link opens a page (200) whose <html lang> is the page's
//     language and that has a non-empty <h1>.
// Failures name the site, the page, its kind and direction, the mode
// (JavaScript on/off, viewport), what was expected and what happened.

import { readFile } from 'node:fs/promises';
import { load } from './browser.mjs';
import { DEFAULT_QUICK_EXIT } from './sites.mjs';

export const EXIT_KINDS = ['chooser', '404', 'home', 'list', 'story', 'fallback', 'service'];
const VIEWPORTS = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
];
const BEFORE_PATH = '/__before-quick-exit__/';
const PROBE = '__quickExitProbe';
const TOP_SHARE = 0.1; // the link's top must lie in the first 10% of the viewport
const COMFORTABLE = 44;
const MIN_FOCUS_CONTRAST = 3;
const SETTLE_MS = 200; // how long a page that must stay is watched
const MAX_BACK_TABS = 40; // Shift+Tab steps of the focus-not-obscured check
const NAV_TIMEOUT = 4000;
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

const stubPage = (title) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title></head><body><p>${title}</p></body></html>`;
const html = (body, status = 200) => ({
  status,
  contentType: 'text/html; charset=utf-8',
  headers: { 'Cache-Control': 'no-store' },
  body,
});
const normal = (url) => {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The destination configured for readers of lang (site.config.languages
// from sites.mjs); the first language's for a page whose lang is unknown.
function destinationFor(config, lang) {
  const l = config.languages.find((x) => x.code === lang) ?? config.languages[0];
  return l?.quickExit ?? DEFAULT_QUICK_EXIT;
}

// ---------------------------------------------------------------------
// In the page (run by page.evaluate)

function exitFactsInPage(quickExitPath) {
  const FOCUSABLE = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex], [contenteditable]';
  const describe = (el) => (el ? el.outerHTML.slice(0, 140) : 'nothing');
  const focusables = [...document.querySelectorAll(FOCUSABLE)].filter((el) => {
    const t = el.getAttribute('tabindex');
    if (t !== null && Number(t) < 0) return false;
    if (el.disabled) return false;
    return el.checkVisibility({ checkVisibilityCSS: true });
  });
  const link = document.getElementById('quick-exit');
  const hint = document.getElementById('quick-exit-hint');
  const safety = document.querySelector('.exit-bar a.safety');
  const scripts = [...document.querySelectorAll('script[src]')].filter((s) => {
    try {
      const u = new URL(s.getAttribute('src'), document.baseURI);
      return u.origin === location.origin && u.pathname === quickExitPath;
    } catch {
      return false;
    }
  });
  return {
    lang: document.documentElement.getAttribute('lang'),
    link: link && {
      html: describe(link),
      inBar: link.matches('.exit-bar > a.exit'),
      href: link.getAttribute('href'),
      rel: [...(link.relList ?? [])],
      text: link.textContent.trim(),
    },
    first: describe(focusables[0]),
    second: describe(focusables[1]),
    order: focusables[0]?.matches('a.skip') === true && link !== null && focusables[1] === link,
    positive: [...document.querySelectorAll('[tabindex]')].filter((el) => Number(el.getAttribute('tabindex')) > 0).map(describe),
    hint: hint && { hidden: hint.hidden, shown: hint.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) },
    safety: safety && { href: safety.getAttribute('href'), html: describe(safety) },
    scripts: scripts.map((s) => ({ html: describe(s), defer: s.hasAttribute('defer') })),
  };
}

// The focused element, and how its focus outline stands out from the
// background behind it (the first opaque background of its ancestors).
function focusedInPage() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { html: 'nothing (the body)' };
  const cs = getComputedStyle(el);
  let behind = 'rgb(255, 255, 255)';
  for (let n = el.parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    if (!/^rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') {
      behind = bg;
      break;
    }
  }
  return {
    html: el.outerHTML.slice(0, 140),
    isExit: el.id === 'quick-exit',
    outline: { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0, color: cs.outlineColor },
    behind,
  };
}

function exitBoxInPage() {
  const a = document.getElementById('quick-exit');
  if (!a) return null;
  const r = a.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    x: r.left,
    y: r.top,
    w: r.width,
    h: r.height,
    vw: window.innerWidth,
    vh: window.innerHeight,
    scrollY: window.scrollY,
    visible: a.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }),
    coveredBy: hit === a || a.contains(hit) ? null : hit ? hit.outerHTML.slice(0, 120) : 'nothing (off screen)',
    position: getComputedStyle(a.closest('.exit-bar') ?? a).position,
  };
}

// Scrolls to the very bottom; a page too short to scroll gets a spacer
// first, so that stickiness is always put to the test.
function scrollToBottomInPage() {
  const doc = document.documentElement;
  let spacer = false;
  if (doc.scrollHeight < window.innerHeight * 2) {
    const div = document.createElement('div');
    div.style.height = `${window.innerHeight * 3}px`;
    document.body.append(div);
    spacer = true;
  }
  window.scrollTo({ top: doc.scrollHeight, behavior: 'instant' });
  return { spacer };
}

// Listeners on window, added after the page's own: the click and keydown
// events reach them right after the page's handlers ran, in the same task,
// so what they see is the page before any navigation. They report through
// a DevTools binding (window[name], see exitTab): its call is sent at once,
// even when the page is leaving.
function installProbesInPage(name) {
  if (window.__quickExitProbes) return;
  window.__quickExitProbes = true;
  const send = (type, e) => {
    const t = e.target;
    window[name](
      JSON.stringify({
        type,
        key: e.key ?? null,
        onLink: Boolean(t && t.closest && t.closest('#quick-exit')),
        target: t && t.outerHTML ? t.outerHTML.slice(0, 100) : String(t),
        display: getComputedStyle(document.documentElement).display,
        title: document.title,
        time: Date.now(),
      }),
    );
  };
  window.addEventListener('click', (e) => send('click', e));
  window.addEventListener('keydown', (e) => send('keydown', e));
}

// ---------------------------------------------------------------------
// Contrast (WCAG relative luminance)

function parseColor(css) {
  const m = /rgba?\(([^)]+)\)/.exec(css ?? '');
  if (!m) return null;
  const [r, g, b, a = 1] = m[1].split(/[,\s/]+/).filter(Boolean).map(Number);
  return { r, g, b, a };
}

function luminance({ r, g, b }) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(cssA, cssB) {
  const a = parseColor(cssA);
  const b = parseColor(cssB);
  if (!a || !b) return null;
  // A translucent colour is blended over the other one.
  const over = { r: a.r * a.a + b.r * (1 - a.a), g: a.g * a.a + b.g * (1 - a.a), b: a.b * a.a + b.b * (1 - a.a) };
  const [hi, lo] = [luminance(over), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// ---------------------------------------------------------------------
// Every page (check 'exit-link')

// Problems of the loaded page at urlPath, as strings. pages: the site's
// URL paths (to tell whether the safety page was built).
export async function exitLinkProblems(page, config, pages) {
  const basePath = config.basePath ?? '/';
  const f = await page.evaluate(exitFactsInPage, `${basePath}quick-exit.js`);
  const problems = [];
  if (!f.link) return ['exit link: expected a#quick-exit in div.exit-bar right after the skip link; the page has none'];
  const destination = destinationFor(config, f.lang);
  if (!f.link.inBar) problems.push(`exit link: expected a.exit#quick-exit as a child of div.exit-bar; got ${f.link.html}`);
  if (!f.link.text) problems.push(`exit link: expected a text (its accessible name); got ${f.link.html}`);
  if (!f.order) {
    problems.push(`tab order: expected the skip link a.skip, then a#quick-exit, as the first two focusable elements; got ${f.first}, then ${f.second}`);
  }
  if (f.positive.length > 0) problems.push(`tab order: expected no positive tabindex (it moves an element before the exit link); got ${f.positive.join(', ')}`);
  if (f.link.href !== destination) {
    problems.push(`href: expected ${destination} (quick_exit for lang "${f.lang}" in ${config.configFile ?? 'glimmer.toml'}); got ${JSON.stringify(f.link.href)}`);
  }
  for (const word of ['nofollow', 'noreferrer']) {
    if (!f.link.rel.includes(word)) problems.push(`rel: expected it to contain ${word}; got rel="${f.link.rel.join(' ')}"`);
  }
  if (f.scripts.length !== 1 || !f.scripts[0].defer) {
    problems.push(`script: expected exactly one <script src="${basePath}quick-exit.js" defer>; got ${f.scripts.length === 0 ? 'none' : f.scripts.map((s) => s.html).join(', ')}`);
  }
  if (!f.hint) problems.push('hint: expected span#quick-exit-hint in the exit bar; the page has none');
  else if (f.hint.hidden) problems.push('hint after load: expected quick-exit.js to un-hide #quick-exit-hint (JavaScript is on); it is still hidden: the script did not run');
  const safety = `${basePath}${f.lang}/safety/`;
  if (!f.safety) problems.push(`safety link: expected .exit-bar a.safety to ${safety}; the page has none`);
  else if (f.safety.href !== safety) problems.push(`safety link: expected href ${safety} (the page's language, "${f.lang}"); got ${f.safety.html}`);
  else if (!pages.includes(`/${safety.slice(basePath.length)}`)) problems.push(`safety link: ${safety} was not built`);
  return problems;
}

// For everypage.mjs (options.perPage, through check.mjs): checks every
// page of site, recording under 'exit-link'.
export function exitLinkCheck(site, report) {
  return async (page, urlPath, where) => {
    report.checked('exit-link');
    try {
      for (const p of await exitLinkProblems(page, site.config, site.pages)) report.fail('exit-link', where, p);
    } catch (err) {
      report.fail('exit-link', where, `could not be checked: ${err.message}`);
    }
  };
}

// ---------------------------------------------------------------------
// The sampled pages (check 'quick-exit')

// A tab whose requests are answered by routes(url) (a puppeteer respond
// object, or null), else by the server at origin; the destinations get a
// stub page (their requests are logged, with the Referer sent), the stub
// page before (BEFORE_PATH) is made up, anything else is aborted and
// logged. Probe messages of installProbesInPage are collected.
async function exitTab(context, { origin, destinations, js, routes = () => null }) {
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.dismiss().catch(() => {}));
  await page.setJavaScriptEnabled(js);
  await page.setCacheEnabled(false);
  const log = { destination: [], blocked: [], probes: [] };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    let u = null;
    try {
      u = new URL(url);
    } catch {
      // not a URL: aborted below
    }
    const routed = routes(url);
    if (routed) {
      request.respond(routed);
    } else if (u && u.origin === origin && u.pathname === BEFORE_PATH) {
      request.respond(html(stubPage('The page before')));
    } else if (u && (u.origin === origin || LOCAL_SCHEMES.has(u.protocol))) {
      request.continue();
    } else if (u && destinations.has(u.href)) {
      const headers = request.headers();
      const referer = Object.entries(headers).find(([k]) => k.toLowerCase() === 'referer')?.[1] ?? null;
      log.destination.push({ url, referer });
      request.respond(html(stubPage('Neutral page')));
    } else {
      log.blocked.push(url);
      request.abort('blockedbyclient');
    }
  });
  // The probes report through a binding on a session of their own, whose
  // calls arrive even when the page that made them is gone.
  const cdp = await page.createCDPSession();
  cdp.on('Runtime.bindingCalled', ({ name, payload }) => {
    if (name === PROBE) log.probes.push(JSON.parse(payload));
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: PROBE });
  const clear = () => {
    log.destination.length = 0;
    log.blocked.length = 0;
    log.probes.length = 0;
  };
  return { page, log, clear, origin };
}

// Loads the stub page (unless the tab is on it already), then url (so
// that Back has somewhere to go), and installs the probes.
async function loadAfterStub(tab, url) {
  if (tab.page.url() !== tab.origin + BEFORE_PATH) await load(tab.page, tab.origin + BEFORE_PATH);
  const response = await load(tab.page, url);
  if (tab.page.url() !== url) throw new Error(`${url} redirected to ${tab.page.url()}`);
  await tab.page.evaluate(installProbesInPage, PROBE);
  tab.clear();
  return response;
}

// Two frames (a tab in the background gets none: then 100 ms).
const nextFrames = (page) =>
  page.evaluate(
    () =>
      new Promise((r) => {
        requestAnimationFrame(() => requestAnimationFrame(r));
        setTimeout(r, 100);
      }),
  );

async function waitForProbes(log, type, n) {
  for (let i = 0; i < 20 && log.probes.filter((p) => p.type === type).length < n; i++) await sleep(25);
  return log.probes.filter((p) => p.type === type);
}

function boxProblems(box, when) {
  if (!box) return [`${when}: expected a#quick-exit; the page has none`];
  const size = `${box.w.toFixed(1)}×${box.h.toFixed(1)} px at (${box.x.toFixed(0)}, ${box.y.toFixed(0)})`;
  const problems = [];
  if (!box.visible) problems.push(`${when}: expected the exit link to be shown; it is hidden (display, visibility or opacity)`);
  const inView = box.x >= -0.5 && box.y >= -0.5 && box.x + box.w <= box.vw + 0.5 && box.y + box.h <= box.vh + 0.5;
  if (!inView || box.y > box.vh * TOP_SHARE) {
    problems.push(`${when}: expected the exit link wholly in view with its top in the first ${box.vh * TOP_SHARE} px; got ${size} in a ${box.vw}×${box.vh} viewport scrolled to ${Math.round(box.scrollY)} (the exit bar is position: ${box.position})`);
  } else if (box.coveredBy) {
    problems.push(`${when}: expected the exit link to be on top at its centre; ${box.coveredBy} is drawn over it`);
  }
  return problems;
}

// Layout at one viewport, JavaScript on. Returns { problems, size }.
async function layoutProblems(tab, url, viewport) {
  const { page } = tab;
  await page.bringToFront();
  await page.setViewport(viewport);
  await load(page, url);
  const problems = [];
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo({ top: 0, behavior: 'instant' });
  });
  await page.keyboard.press('Tab');
  const first = await page.evaluate(focusedInPage);
  await page.keyboard.press('Tab');
  const second = await page.evaluate(focusedInPage);
  if (!second.isExit) {
    problems.push(`tab order: expected the 2nd Tab to focus a#quick-exit (the 1st the skip link); the 1st focused ${first.html}, the 2nd ${second.html}`);
  } else {
    const o = second.outline;
    const ratio = contrast(o.color, second.behind);
    if (o.style === 'none' || o.width < 2 || ratio === null || ratio < MIN_FOCUS_CONTRAST) {
      problems.push(
        `focus indicator: expected the focused exit link to show an outline of at least 2 px with a contrast of at least ${MIN_FOCUS_CONTRAST}:1 against the bar behind it (${second.behind}); ` +
          `got outline ${o.width}px ${o.style} ${o.color}${ratio === null ? '' : `, contrast ${ratio.toFixed(2)}:1`}`,
      );
    }
  }
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo({ top: 0, behavior: 'instant' });
  });
  await nextFrames(page);
  const top = await page.evaluate(exitBoxInPage);
  problems.push(...boxProblems(top, 'at the top'));
  // The one control a reader in danger must hit at once, often with a
  // thumb: held to the 44×44 px of WCAG 2.5.5 (AAA), not only the 24 px
  // minimum every other link meets.
  if (top && (top.w < COMFORTABLE - 0.5 || top.h < COMFORTABLE - 0.5)) {
    problems.push(`target size: expected at least ${COMFORTABLE}×${COMFORTABLE} px; got ${top.w.toFixed(1)}×${top.h.toFixed(1)} px`);
  }
  const { spacer } = await page.evaluate(scrollToBottomInPage);
  await nextFrames(page);
  const bottom = await page.evaluate(exitBoxInPage);
  if (bottom && bottom.scrollY < bottom.vh) {
    problems.push(`after scrolling to the bottom: expected to scroll at least one screen; the page scrolled only ${Math.round(bottom.scrollY)} px`);
  } else {
    problems.push(...boxProblems(bottom, `after scrolling to the bottom${spacer ? ' (of a spacer added to the short page)' : ''}`));
  }
  if (viewport === VIEWPORTS[0]) problems.push(...(await obscuredFocusProblems(page)));
  return { problems, size: top ? { w: top.w, h: top.h } : null };
}

// The focused element, and whether the sticky exit bar hides it entirely:
// every part of it on screen lies under the bar (WCAG 2.2 SC 2.4.11).
// done: the focus is back in the bar, on the skip link or nowhere.
function focusUnderBarInPage() {
  const el = document.activeElement;
  const bar = document.querySelector('.exit-bar');
  if (!el || el === document.body || !bar || bar.contains(el) || el.matches('a.skip')) return { done: true };
  const b = bar.getBoundingClientRect();
  let onScreen = false;
  for (const r of el.getClientRects()) {
    const x1 = Math.max(r.left, 0);
    const y1 = Math.max(r.top, 0);
    const x2 = Math.min(r.right, window.innerWidth);
    const y2 = Math.min(r.bottom, window.innerHeight);
    if (x2 - x1 < 1 || y2 - y1 < 1) continue;
    onScreen = true;
    if (x1 < b.left - 0.5 || x2 > b.right + 0.5 || y1 < b.top - 0.5 || y2 > b.bottom + 0.5) return { hidden: null };
  }
  if (!onScreen) return { hidden: null };
  const r = el.getBoundingClientRect();
  return { hidden: `${el.outerHTML.slice(0, 90)} (from ${r.top.toFixed(0)} to ${r.bottom.toFixed(0)} px; the bar ends at ${b.bottom.toFixed(0)} px)` };
}

// Focuses the last focusable element of the page, without scrolling.
function focusLastInPage() {
  const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')].filter(
    (el) => el.getAttribute('tabindex') !== '-1' && el.checkVisibility({ checkVisibilityCSS: true }) && !el.closest('.exit-bar'),
  );
  all.at(-1)?.focus({ preventScroll: true });
  return all.length;
}

// Going back through the page with Shift+Tab from its end (the browser
// scrolls each element it focuses to the top edge when it is above the
// viewport), no focused element may vanish under the sticky exit bar. The
// page is scrolled to its bottom already. At most MAX_BACK_TABS steps.
async function obscuredFocusProblems(page) {
  const total = await page.evaluate(focusLastInPage);
  const hidden = [];
  let steps = 0;
  while (steps < Math.min(total, MAX_BACK_TABS)) {
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    steps += 1;
    const r = await page.evaluate(focusUnderBarInPage);
    if (r.done) break;
    if (r.hidden) hidden.push(r.hidden);
  }
  if (hidden.length === 0) return [];
  return [
    `focus not obscured: expected every element focused while going back with Shift+Tab to show at least in part (WCAG 2.2 SC 2.4.11); ` +
      `${hidden.length} of ${steps} vanished under the sticky exit bar, e.g. ${hidden.slice(0, 3).join('; ')}`,
  ];
}

// After an exit: the tab shows the destination, nothing else left the
// machine, the destination got no Referer, and Back does not return to url.
async function afterExitProblems(tab, url, destination, how) {
  const { page, log } = tab;
  const problems = [];
  const before = tab.origin + BEFORE_PATH;
  if (page.url() !== normal(destination)) {
    problems.push(`${how}: expected the tab to end on ${destination}; it is on ${page.url()}`);
  }
  if (!log.destination.some((d) => d.url === normal(destination))) {
    problems.push(`${how}: expected a request to ${destination}; got ${log.destination.map((d) => d.url).join(', ') || 'none'}`);
  }
  for (const d of log.destination) {
    if (d.referer) problems.push(`${how}: expected no Referer on the request to ${d.url}; it sent ${d.referer}`);
  }
  for (const b of log.blocked) problems.push(`${how}: expected no request to another origin but ${destination}; got ${b}`);
  await page.goBack({ waitUntil: 'load', timeout: NAV_TIMEOUT }).catch(() => null);
  const at = page.url();
  if (at === url) {
    problems.push(`Back: after ${how}, expected Back to land on the page before (${before}), the history entry of the page left replaced; Back returned to the page itself`);
  } else if (at !== before && at !== normal(destination)) {
    problems.push(`Back: after ${how}, expected Back to land on the page before (${before}); it landed on ${at}`);
  }
  return problems;
}

// Presses Shift n times, gaps[i] ms before press i (none before the first).
async function pressShift(page, n, gap = 0) {
  for (let i = 0; i < n; i++) {
    if (i > 0 && gap > 0) await sleep(gap);
    await page.keyboard.press('Shift');
  }
}

// Three presses with `gap` ms between them must leave: hidden at the last
// press, then on the destination, and Back does not return.
async function shiftExitProblems(tab, url, destination, gap, how) {
  const { page, log } = tab;
  await loadAfterStub(tab, url);
  await page.evaluate(() => document.activeElement?.blur?.());
  const problems = [];
  const navigation = page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT + 2 * gap }).then(
    () => true,
    () => false,
  );
  await pressShift(page, 3, gap);
  const downs = await waitForProbes(log, 'keydown', 3);
  // A page that hid itself or asked for the destination gets the time to
  // load it; one that did neither, a moment.
  const leaving = downs.some((d) => d.display === 'none') || log.destination.length > 0;
  const left = leaving ? await navigation : await Promise.race([navigation, sleep(2 * SETTLE_MS).then(() => false)]);
  if (!left) {
    return [`${how}: expected three Shift presses to leave for ${destination}; the page stayed (${downs.length} keydown events seen, the tab is on ${page.url()}, <html> display: ${downs.at(-1)?.display ?? '?'}): is quick-exit.js loaded?`];
  }
  const last = downs.at(-1);
  if (downs.length < 3) problems.push(`${how}: expected 3 keydown events before leaving; got ${downs.length} (the page left before the third press)`);
  else if (last.display !== 'none') problems.push(`${how}: hidden at once: expected <html> display: none in the same task as the third press; got display: ${last.display}`);
  else if (last.title !== '') problems.push(`${how}: hidden at once: expected the title blanked; got "${last.title}"`);
  problems.push(...(await afterExitProblems(tab, url, destination, how)));
  return problems;
}

// Three presses that must not leave (n presses, `gap` ms apart).
async function shiftStayProblems(tab, url, n, gap, how) {
  const { page, log } = tab;
  await load(page, url);
  await page.evaluate(installProbesInPage, PROBE);
  tab.clear();
  await page.evaluate(() => document.activeElement?.blur?.());
  await pressShift(page, n, gap);
  await sleep(SETTLE_MS);
  const downs = await waitForProbes(log, 'keydown', n);
  const spread = downs.length > 1 ? downs.at(-1).time - downs[0].time : 0;
  const left = page.url() !== url || log.destination.length > 0 || downs.some((d) => d.display === 'none');
  if (left) {
    return [`${how}: expected the page to stay after ${n} Shift presses over ${spread} ms; it ${page.url() !== url ? `left for ${page.url()}` : 'hid itself or asked for the destination'}`];
  }
  if (downs.length < n) return [`${how}: expected ${n} keydown events; got ${downs.length}: the presses did not reach the page`];
  if (n === 3 && spread <= 2000) return [`${how}: the test pressed too fast (${spread} ms); cannot tell`];
  return [];
}

// Three Shift+Tab presses (a keyboard user going back) must not leave.
async function shiftTabStayProblems(tab, url, how) {
  const { page, log } = tab;
  await load(page, url);
  await page.evaluate(installProbesInPage, PROBE);
  tab.clear();
  await page.evaluate(() => document.activeElement?.blur?.());
  for (let i = 0; i < 3; i++) {
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
  }
  await sleep(SETTLE_MS);
  const downs = await waitForProbes(log, 'keydown', 6);
  if (page.url() !== url || log.destination.length > 0 || downs.some((d) => d.display === 'none')) {
    return [`${how}: expected the page to stay after three Shift+Tab presses (Shift with another key is no exit); it ${page.url() !== url ? `left for ${page.url()}` : 'hid itself or asked for the destination'}`];
  }
  if (downs.length < 6) return [`${how}: expected 6 keydown events; got ${downs.length}: the presses did not reach the page`];
  return [];
}

// The checks with JavaScript on, at 360×640. timing: also the spread
// presses (slow: once per site).
async function scriptProblems(tab, url, destination, timing) {
  const { page, log } = tab;
  await page.bringToFront();
  await page.setViewport(VIEWPORTS[0]);
  const problems = [];

  // A real click.
  await loadAfterStub(tab, url);
  let left = true;
  try {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), page.click('#quick-exit')]);
  } catch (err) {
    left = false;
    problems.push(`click: expected the click on the exit link to open ${destination}; nothing loaded in ${NAV_TIMEOUT / 1000} s (${err.message.split('\n')[0]}); the tab is on ${page.url()}`);
  }
  const [click] = await waitForProbes(log, 'click', 1);
  if (!click) problems.push('click: hidden at once: no click event reached the window (a handler stopped it?), so whether the page was hidden is unknown');
  else if (!click.onLink) problems.push(`click: expected the click to land on the exit link; it landed on ${click.target} (something covers the link)`);
  else {
    if (click.display !== 'none') problems.push(`click: hidden at once: expected <html> display: none in the same task as the click, before the next page loads; got display: ${click.display}`);
    if (click.title !== '') problems.push(`click: hidden at once: expected the title blanked; got "${click.title}"`);
  }
  if (left) problems.push(...(await afterExitProblems(tab, url, destination, 'click')));

  // Shift, three times.
  problems.push(...(await shiftExitProblems(tab, url, destination, 0, 'Shift×3')));
  // Shift, twice: the page stays.
  problems.push(...(await shiftStayProblems(tab, url, 2, 0, 'Shift×2')));
  problems.push(...(await shiftTabStayProblems(tab, url, 'Shift+Tab×3')));
  if (timing) {
    problems.push(...(await shiftExitProblems(tab, url, destination, 700, 'Shift×3 over 1.4 s')));
    problems.push(...(await shiftStayProblems(tab, url, 3, 1100, 'spread Shift×3')));
  }
  return problems;
}

// The checks with JavaScript off, at 360×640. lang: the page's language.
async function noScriptProblems(tab, url, destination, lang) {
  const { page, log } = tab;
  await page.bringToFront();
  await page.setViewport(VIEWPORTS[0]);
  await load(page, url);
  tab.clear();
  const problems = [];
  const hint = await page.evaluate(() => {
    const h = document.getElementById('quick-exit-hint');
    return h && { hidden: h.hidden, shown: h.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) };
  });
  if (hint && (!hint.hidden || hint.shown)) {
    problems.push(`hint: expected #quick-exit-hint hidden without JavaScript (Shift does nothing then); got ${hint.hidden ? '' : 'no hidden attribute, '}${hint.shown ? 'shown' : 'not shown'}`);
  }
  try {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), page.click('#quick-exit')]);
    if (page.url() !== normal(destination)) problems.push(`click: expected the plain link to open ${destination}; the tab is on ${page.url()}`);
    for (const d of log.destination) {
      if (d.referer) problems.push(`click: expected no Referer on the request to ${d.url}; it sent ${d.referer}`);
    }
    for (const b of log.blocked) problems.push(`click: expected no request to another origin but ${destination}; got ${b}`);
  } catch (err) {
    problems.push(`click: expected the plain link to open ${destination}; nothing loaded (${err.message.split('\n')[0]}); the tab is on ${page.url()}`);
  }

  await load(page, url);
  const href = await page.evaluate(() => document.querySelector('.exit-bar a.safety')?.getAttribute('href') ?? null);
  if (href === null) return [...problems, 'safety link: expected .exit-bar a.safety; the page has none'];
  try {
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT }), page.click('.exit-bar a.safety')]);
    const to = await page.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      h1: document.querySelector('h1')?.textContent.trim() ?? null,
    }));
    const got = `HTTP ${response?.status()}, <html lang="${to.lang}">, ${to.h1 === null ? 'no <h1>' : `<h1> "${to.h1.slice(0, 60)}"`}`;
    if (response?.status() !== 200 || to.lang !== lang || !to.h1) {
      problems.push(`safety link: expected ${href} to open a page (200) with <html lang="${lang}"> and an <h1>; got ${got}`);
    }
  } catch (err) {
    problems.push(`safety link: expected ${href} to open a page; nothing loaded (${err.message.split('\n')[0]})`);
  }
  return problems;
}

// Every check of one page. tabs: { on, off } from exitTab. Returns
// { problems: [{ mode, why }], sizes: [{ viewport, w, h }] }.
async function pageProblems(tabs, url, config, timing) {
  const out = [];
  const sizes = [];
  const add = (mode, list) => out.push(...list.map((why) => ({ mode, why })));
  await load(tabs.off.page, url);
  const lang = await tabs.off.page.evaluate(() => document.documentElement.getAttribute('lang'));
  const destination = destinationFor(config, lang);
  for (const viewport of VIEWPORTS) {
    const r = await layoutProblems(tabs.on, url, viewport);
    add(`JavaScript on, ${viewport.width}×${viewport.height}`, r.problems);
    if (r.size) sizes.push({ viewport, ...r.size });
  }
  add('JavaScript on, 360×640', await scriptProblems(tabs.on, url, destination, timing));
  add('JavaScript off, 360×640', await noScriptProblems(tabs.off, url, destination, lang));
  return { problems: out, sizes };
}

// The pages of sample (kinds.mjs) that this check visits.
export function exitSample(sample) {
  return sample.filter((s) => EXIT_KINDS.includes(s.kind));
}

// Runs the sampled checks on site, served at origin; records under
// 'quick-exit' and prints one line of what it saw.
export async function checkQuickExit(context, origin, site, sample, report, log = console.log) {
  const started = Date.now();
  const pages = exitSample(sample);
  const destinations = new Set(site.config.languages.map((l) => normal(l.quickExit)));
  if (destinations.size === 0) destinations.add(normal(DEFAULT_QUICK_EXIT));
  const tabs = {
    on: await exitTab(context, { origin, destinations, js: true }),
    off: await exitTab(context, { origin, destinations, js: false }),
  };
  const sizes = new Map();
  try {
    let timing = true;
    for (const s of pages) {
      const where = (mode) => `${site.name} ${s.path} [${s.kind}, ${s.dir}, ${mode}]`;
      report.checked('quick-exit');
      try {
        const r = await pageProblems(tabs, origin + s.path, site.config, timing);
        if (timing) report.tally('quick-exit', 'timing runs');
        timing = false;
        report.tally('quick-exit', `${s.dir} pages`);
        for (const { mode, why } of r.problems) report.fail('quick-exit', where(mode), why);
        for (const z of r.sizes) {
          const key = `${z.viewport.width}×${z.viewport.height}`;
          sizes.set(key, [...(sizes.get(key) ?? []), z]);
          report.tally('quick-exit', z.h >= COMFORTABLE - 0.5 ? `links ≥ ${COMFORTABLE} px tall` : `links under ${COMFORTABLE} px tall`);
        }
      } catch (err) {
        report.fail('quick-exit', where('any'), `could not be checked: ${err.message}`);
      }
    }
  } finally {
    await tabs.on.page.close().catch(() => {});
    await tabs.off.page.close().catch(() => {});
  }
  const range = (list, k) => {
    const v = list.map((z) => z[k]);
    const [lo, hi] = [Math.min(...v), Math.max(...v)];
    return lo.toFixed(0) === hi.toFixed(0) ? lo.toFixed(0) : `${lo.toFixed(0)}–${hi.toFixed(0)}`;
  };
  const shown = [...sizes].map(([vp, list]) => `${range(list, 'w')}×${range(list, 'h')} px at ${vp}`).join(', ');
  log(`    quick exit: ${pages.length} pages (${pages.map((s) => `${s.kind}/${s.dir}`).join(', ')}); exit link ${shown || 'not measured'}; destination ${[...destinations].join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// ---------------------------------------------------------------------
// Self-test (selftest.mjs): the checks above on made-up pages of a fake
// origin, some broken on purpose.

export const SELFTEST_ORIGIN = 'http://quick-exit.test';

// Answers requests to origin from files: { '/path': { body, contentType } }.
export function routesFrom(origin, files) {
  return (url) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (u.origin !== origin || u.pathname === BEFORE_PATH) return null;
    const f = files[u.pathname];
    if (!f) return html(stubPage('Not found'), 404);
    return { status: 200, contentType: f.contentType ?? 'text/html; charset=utf-8', headers: { 'Cache-Control': 'no-store' }, body: f.body };
  };
}

// Both checks (every page, sampled page) of the page at path, in tabs
// from selfTestTabs. Returns the problems as strings, each led by its mode.
// only: 'layout' (at 360×640) or 'script' (JavaScript on) runs that part
// of the sampled checks alone, after the every-page check.
async function madeUpProblems(tabs, config, path, { timing = false, only = null } = {}) {
  const url = SELFTEST_ORIGIN + path;
  await tabs.on.page.setViewport(VIEWPORTS[0]);
  await load(tabs.on.page, url);
  const every = await exitLinkProblems(tabs.on.page, config, tabs.paths());
  const mode = 'JavaScript on, 360×640';
  let problems;
  if (only === 'layout') problems = (await layoutProblems(tabs.on, url, VIEWPORTS[0])).problems.map((why) => ({ mode, why }));
  else if (only === 'script') problems = (await scriptProblems(tabs.on, url, destinationFor(config, 'en'), timing)).map((why) => ({ mode, why }));
  else problems = (await pageProblems(tabs, url, config, timing)).problems;
  return [...every.map((p) => `[every page] ${p}`), ...problems.map((p) => `[${p.mode}] ${p.why}`)];
}

// Tabs (JavaScript on and off) on the made-up origin, answered from
// tabs.files (see routesFrom), which a test sets.
async function selfTestTabs(context, config) {
  const destinations = new Set(config.languages.map((l) => normal(l.quickExit)));
  const tabs = { files: {}, paths: () => Object.keys(tabs.files) };
  const routes = (url) => routesFrom(SELFTEST_ORIGIN, tabs.files)(url);
  tabs.on = await exitTab(context, { origin: SELFTEST_ORIGIN, destinations, js: true, routes });
  tabs.off = await exitTab(context, { origin: SELFTEST_ORIGIN, destinations, js: false, routes });
  tabs.close = async () => {
    await tabs.on.page.close().catch(() => {});
    await tabs.off.page.close().catch(() => {});
  };
  return tabs;
}

const THEME = new URL('../../themes/default/', import.meta.url);
const SELFTEST_DESTINATIONS = { en: 'https://neutral.example/', 'fa-AF': 'https://neutral.example/fa/?q=weather' };

// A page like the theme's, with the theme's own CSS.
function fakePage(style, o) {
  const { lang = 'en', dir = 'ltr', href = SELFTEST_DESTINATIONS[lang], rel = 'nofollow noreferrer', hint = ' hidden' } = o;
  const { safety = `/${lang}/safety/`, before = '', css = '', script = true, links = false, referrer = true } = o;
  const link = links ? ' <a href="/en/safety/">A link</a>' : '';
  const text = `<p>A paragraph of the page, long enough to wrap on a phone and to make the page scroll.${link}</p>`.repeat(40);
  return (
    `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `${referrer ? '<meta name="referrer" content="no-referrer">' : ''}<title>A page</title>` +
    `${script ? '<script src="/quick-exit.js" defer></script>' : ''}<style>${style}${css}</style></head><body>${before}` +
    '<a class="skip" href="#main">Skip to main content</a>' +
    `<div class="exit-bar"><a id="quick-exit" class="exit" href="${href}" rel="${rel}">Exit this page</a> ` +
    `<span id="quick-exit-hint" class="exit-hint"${hint}>or press Shift 3 times</span> <a class="safety" href="${safety}">Staying safe online</a></div>` +
    `<header class="site"><p class="brand"><a href="/${lang}/">Site</a></p></header><main id="main"><h1>A page</h1>${text}</main></body></html>`
  );
}

// The theme's quick-exit.js with `from` replaced by `to`; throws when the
// script no longer holds `from` (then this self-test must be updated).
function changed(script, from, to) {
  if (!script.includes(from)) throw new Error(`themes/default/static/quick-exit.js no longer contains ${JSON.stringify(from)}: update the quick-exit self-test`);
  return script.replace(from, to);
}

// Returns problems with the checks themselves, as strings.
export async function selfTestQuickExit(context) {
  const style = await readFile(new URL('templates/partials/style.css', THEME), 'utf8');
  const script = await readFile(new URL('static/quick-exit.js', THEME), 'utf8');
  const config = {
    basePath: '/',
    configFile: 'the self-test config',
    languages: Object.entries(SELFTEST_DESTINATIONS).map(([code, quickExit]) => ({ code, quickExit })),
  };
  const js = (body) => ({ body, contentType: 'text/javascript; charset=utf-8' });
  const site = (pages, quickExitJs = script) => ({
    '/en/safety/': { body: fakePage(style, { lang: 'en' }) },
    '/fa-AF/safety/': { body: fakePage(style, { lang: 'fa-AF', dir: 'rtl' }) },
    ...(quickExitJs === null ? {} : { '/quick-exit.js': js(quickExitJs) }),
    ...pages,
  });
  const en = (o = {}) => ({ '/en/': { body: fakePage(style, { lang: 'en', ...o }) } });
  const cases = [
    { name: 'a correct page', path: '/en/', files: site(en()), timing: true, expect: [] },
    {
      name: 'a correct right-to-left page with a destination of its own',
      path: '/fa-AF/',
      files: site({ '/fa-AF/': { body: fakePage(style, { lang: 'fa-AF', dir: 'rtl' }) } }),
      expect: [],
    },
    {
      name: 'a page whose quick-exit.js is missing',
      path: '/en/',
      files: site(en({ script: false }), null),
      expect: ['[every page] script:', '[every page] hint after load:', 'click: hidden at once', 'Back: after click', 'Shift×3: expected three Shift presses to leave'],
    },
    {
      name: 'a script that leaves with location.assign and does not hide the page',
      path: '/en/',
      files: site(en(), changed(changed(script, 'window.location.replace(', 'window.location.assign('), "document.documentElement.style.display = 'none';", '')),
      only: 'script',
      expect: ['Back: after click', 'Back: after Shift×3', 'click: hidden at once', 'Shift×3: hidden at once'],
    },
    {
      name: 'a script that leaves on two Shift presses',
      path: '/en/',
      files: site(en(), changed(script, 'presses.length >= 3', 'presses.length >= 2')),
      only: 'script',
      expect: ['Shift×2: expected the page to stay'],
    },
    {
      name: 'a script that counts Shift held with another key',
      path: '/en/',
      files: site(en(), changed(script, "if (event.key !== 'Shift') {\n      presses = [];\n      return;\n    }\n    if (event.repeat) return;", "if (event.key !== 'Shift' || event.repeat) return;")),
      only: 'script',
      expect: ['Shift+Tab×3: expected the page to stay'],
    },
    {
      name: 'a script without the 2 s window',
      path: '/en/',
      files: site(en(), changed(script, 'return now - t < 2000;', 'return true;')),
      timing: true,
      only: 'script',
      expect: ['spread Shift×3: expected the page to stay'],
    },
    {
      name: 'a page with broken markup and styles',
      path: '/fa-AF/',
      files: site({
        '/fa-AF/': {
          body: fakePage(style, {
            lang: 'fa-AF',
            dir: 'rtl',
            href: SELFTEST_DESTINATIONS.en,
            rel: 'nofollow',
            hint: '',
            referrer: false,
            safety: '/fa-AF/nosafety/',
            before: '<a href="/fa-AF/other/">Other</a>',
            css: '.exit-bar{position:static}.exit{padding:0;font-size:9px;line-height:1;min-block-size:0}.exit:focus-visible{outline:none}',
          }),
        },
        '/fa-AF/nosafety/': { body: '<!doctype html><html lang="en"><title>x</title><p>No heading</p>' },
      }),
      expect: [
        '[every page] href: expected https://neutral.example/fa/',
        '[every page] rel: expected it to contain noreferrer',
        '[every page] tab order:',
        '[every page] safety link:',
        '[JavaScript on, 360×640] tab order: expected the 2nd Tab',
        '[JavaScript on, 1280×800] after scrolling to the bottom',
        '[JavaScript on, 360×640] target size:',
        '[JavaScript off, 360×640] hint:',
        '[JavaScript off, 360×640] safety link: expected /fa-AF/nosafety/',
        '[JavaScript on, 360×640] click: expected no Referer',
        '[JavaScript off, 360×640] click: expected no Referer',
      ],
    },
    {
      name: 'a page whose exit link has no visible focus',
      path: '/en/',
      files: site(en({ css: '.exit:focus-visible{outline:3px solid #fff}.exit-bar{background:#fff}' })),
      only: 'layout',
      expect: ['[JavaScript on, 360×640] focus indicator:'],
    },
    {
      name: 'links that Shift+Tab brings under the sticky bar',
      path: '/en/',
      files: site(en({ links: true, css: 'html{scroll-padding-top:0}' })),
      only: 'layout',
      expect: ['[JavaScript on, 360×640] focus not obscured:'],
    },
    {
      name: 'links kept clear of the sticky bar by scroll-padding-top',
      path: '/en/',
      files: site(en({ links: true, css: 'html{scroll-padding-top:6rem}' })),
      only: 'layout',
      expect: [],
      absent: ['focus not obscured'],
    },
  ];
  const out = [];
  const tabs = await selfTestTabs(context, config);
  try {
    for (const c of cases) {
      tabs.files = c.files;
      const problems = await madeUpProblems(tabs, config, c.path, c);
      if (c.expect.length === 0 && problems.length > 0) {
        out.push(`quick-exit self-test: ${c.name} was reported:\n${problems.join('\n')}`);
      }
      for (const fragment of c.expect) {
        if (!problems.some((p) => p.includes(fragment))) {
          out.push(`quick-exit self-test: ${c.name}: "${fragment}" was not reported: the check is broken (it reported: ${problems.join('; ') || 'nothing'})`);
        }
      }
      for (const fragment of c.absent ?? []) {
        const found = problems.filter((p) => p.includes(fragment));
        if (found.length > 0) out.push(`quick-exit self-test: ${c.name} was reported: ${found.join('; ')}`);
      }
    }
  } finally {
    await tabs.close();
  }
  return out;
}
