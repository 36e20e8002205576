// Accessibility of a loaded page: axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA)
// plus what axe does not check the way this site needs:
//   - <html> has lang and dir, and dir is rtl exactly for right-to-left
//     languages (Dari fa-AF, Pashto ps, …; the same list as src/lang.rs);
//   - the first Tab reaches the skip link (a.skip, href #main, #main exists),
//     and the focused skip link is on screen and at least 24×24;
//   - every visible interactive target is at least 24×24 CSS px or meets
//     the spacing exception of WCAG 2.5.8 (see targetSizeInPage).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Primary language subtags and script subtags written right to left.
const RTL_LANGUAGES = new Set([
  'ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'mzn', 'pnb', 'prs', 'ps', 'sd', 'syr', 'ug',
  'ur', 'yi',
]);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'rohg']);

// 'rtl' or 'ltr' for a BCP 47 code: fa-AF and ps are rtl, en, ru, ky are ltr.
export function expectedDir(code) {
  const [primary, ...rest] = code.toLowerCase().split(/[-_]/);
  const script = rest.find((part) => part.length === 4);
  if (script) return RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

// <html lang> and <html dir> of the loaded page.
export function htmlLangDir(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    dir: document.documentElement.getAttribute('dir'),
  }));
}

// Problems with <html lang/dir>, as strings. Cheap: run on every page.
export async function langDirProblems(page) {
  const { lang, dir } = await htmlLangDir(page);
  if (!lang) return ['<html> has no lang attribute'];
  if (!dir) return [`<html lang="${lang}"> has no dir attribute (expected dir="${expectedDir(lang)}")`];
  if (dir !== expectedDir(lang)) {
    return [`<html lang="${lang}" dir="${dir}">: ${lang} is written ${expectedDir(lang)}, so dir must be "${expectedDir(lang)}"`];
  }
  return [];
}

// The first Tab must land on the skip link, which must lead to #main and
// be visible (on screen, at least 24×24) while focused.
export async function skipLinkProblems(page) {
  await page.evaluate(() => {
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press('Tab');
  const found = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { none: true };
    const r = el.getBoundingClientRect();
    return {
      html: el.outerHTML.slice(0, 160),
      isSkip: el.matches('a.skip'),
      href: el.getAttribute('href'),
      mainExists: document.getElementById('main') !== null,
      rect: { x: r.left, y: r.top, w: r.width, h: r.height },
      viewport: { w: window.innerWidth, h: window.innerHeight },
    };
  });
  await page.evaluate(() => document.activeElement?.blur?.());
  if (found.none) return ['the first Tab focuses nothing (expected the skip link a.skip)'];
  const problems = [];
  if (!found.isSkip) problems.push(`the first Tab focuses ${found.html}, not the skip link a.skip`);
  else if (found.href !== '#main') problems.push(`the skip link points to ${found.href}, not #main`);
  if (!found.mainExists) problems.push('the skip link target #main does not exist');
  if (found.isSkip) {
    const { rect: r, viewport: v } = found;
    const onScreen = r.x >= 0 && r.y >= 0 && r.x + r.w <= v.w + 0.5 && r.y + r.h <= v.h + 0.5;
    if (!onScreen || r.w < 24 || r.h < 24) {
      problems.push(
        `the focused skip link is not fully visible: ${Math.round(r.w)}×${Math.round(r.h)} px at ` +
          `(${Math.round(r.x)}, ${Math.round(r.y)}) in a ${v.w}×${v.h} viewport`,
      );
    }
  }
  return problems;
}

// Target size, WCAG 2.2 SC 2.5.8 (AA). Runs in the browser. The rule as
// implemented here:
//   - Targets: visible a[href], button, input, select, textarea, summary
//     and [tabindex] elements (tabindex="-1" on an element that is not
//     itself a control is skipped: it is a focus target for scripts and
//     skip links, not something to tap). Visible = rendered, not hidden by
//     visibility or opacity, with a non-empty box that is not moved off the
//     page (the skip link waits off-screen until focused; it is checked
//     separately when focused).
//   - Inline exception: a link with display:inline inside a block that also
//     holds words that are not part of any target (a link in a sentence, a
//     footnote mark) is sized by the line-height of that text, which WCAG
//     exempts. Links alone in their block (item headings, the footer feed
//     link, the brand link) and non-inline targets (nav, switcher, pager,
//     chooser links, buttons) are checked.
//   - Size: a bounding box of at least 24×24 CSS px passes.
//   - Spacing exception: an undersized target passes when a circle of
//     24 px diameter centred on its bounding box intersects no other
//     target's bounding box and no other undersized target's circle
//     (centres at least 24 px apart).
function targetSizeInPage() {
  const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const CONTROL = 'a[href], button, input, select, textarea, summary';
  const MIN = 24;
  const RADIUS = MIN / 2;
  const docW = document.documentElement.scrollWidth;
  const docH = document.documentElement.scrollHeight;

  const describe = (el) => {
    const parts = [];
    for (let n = el; n && n !== document.body && parts.length < 4; n = n.parentElement) {
      let s = n.localName;
      if (n.id) s += `#${n.id}`;
      for (const c of n.classList) s += `.${c}`;
      parts.unshift(s);
    }
    const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    return `${parts.join(' > ')} "${text.slice(0, 40)}"`;
  };

  const isVisible = (el, r) => {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    if (r.width < 2 && r.height < 2) return false; // clipped to 1px (visually hidden)
    const x = r.left + window.scrollX;
    const y = r.top + window.scrollY;
    return x + r.width > 0 && y + r.height > 0 && x < docW && y < docH;
  };

  const blockContainer = (el) => {
    let n = el.parentElement;
    while (n && n !== document.body) {
      const d = getComputedStyle(n).display;
      if (d !== 'inline' && d !== 'contents') return n;
      n = n.parentElement;
    }
    return document.body;
  };

  const inSentence = (el) => {
    if (el.localName !== 'a' || getComputedStyle(el).display !== 'inline') return false;
    const block = blockContainer(el);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!/[\p{L}\p{N}]/u.test(t.data)) continue;
      const owner = t.parentElement.closest(SELECTOR);
      if (!owner || !block.contains(owner)) return true;
    }
    return false;
  };

  const targets = [];
  for (const el of document.querySelectorAll(SELECTOR)) {
    if (el.getAttribute('tabindex') === '-1' && !el.matches(CONTROL)) continue;
    const r = el.getBoundingClientRect();
    if (!isVisible(el, r)) continue;
    const box = { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height };
    // Half a pixel of slack for sub-pixel layout (a 23.99 px box is 24 px on screen).
    const small = box.w < MIN - 0.5 || box.h < MIN - 0.5;
    targets.push({ el, box, small, inline: small && inSentence(el) });
  }

  const centre = (b) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });
  const distToBox = (p, b) => {
    const dx = Math.max(b.x - p.x, 0, p.x - (b.x + b.w));
    const dy = Math.max(b.y - p.y, 0, p.y - (b.y + b.h));
    return Math.hypot(dx, dy);
  };

  const problems = [];
  for (const t of targets) {
    if (!t.small || t.inline) continue;
    const c = centre(t.box);
    const clash = targets.find((o) => {
      if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return false;
      if (distToBox(c, o.box) < RADIUS - 0.01) return true;
      if (!o.small) return false;
      const oc = centre(o.box);
      return Math.hypot(c.x - oc.x, c.y - oc.y) < MIN - 0.01;
    });
    if (clash) {
      problems.push({
        element: describe(t.el),
        size: `${t.box.w.toFixed(1)}×${t.box.h.toFixed(1)}`,
        near: describe(clash.el),
      });
    }
  }
  return { checked: targets.length, problems };
}

export async function targetSizeProblems(page) {
  const { problems } = await page.evaluate(targetSizeInPage);
  return problems.map(
    (p) =>
      `target-size (WCAG 2.5.8): ${p.element} is ${p.size} px, under 24×24, and too close to ` +
      `${p.near} (a 24 px circle on its centre overlaps it)`,
  );
}

// axe-core violations of the WCAG tags, one string per rule.
export async function axeProblems(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 200),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    }));
  }, AXE_TAGS);
  return violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 5)
      .map((n) => `    at ${n.target}: ${n.html}\n      ${n.summary}`)
      .join('\n');
    const more = v.nodes.length > 5 ? `\n    … and ${v.nodes.length - 5} more element(s)` : '';
    return `axe ${v.id} (${v.impact}): ${v.help}\n${nodes}${more}`;
  });
}

// All accessibility checks of a loaded page, as strings.
export async function a11yProblems(page) {
  const problems = [];
  problems.push(...(await langDirProblems(page)));
  problems.push(...(await skipLinkProblems(page)));
  problems.push(...(await targetSizeProblems(page)));
  problems.push(...(await axeProblems(page)));
  return problems;
}
