// Kinds of page, so that the slower checks (axe, no-JavaScript) run on one
// page of each kind instead of on every page: the language chooser, a home
// page, a section list, a later list page, a story, a plain page, a page
// shown from another language (fallback) and the 404 page. Each kind is
// sampled once in a left-to-right language (en, then ky, …) and once in a
// right-to-left one (fa-AF, then ps, …), where the site has them.

import { expectedDir } from './a11y.mjs';

export const KINDS = ['chooser', 'home', 'list', 'list-page-2+', 'story', 'page', 'fallback', '404'];

// Language-neutral pages: one per site, whatever the direction.
const SINGLE = new Set(['chooser', '404']);

const PREFERRED = { ltr: ['en', 'ky'], rtl: ['fa-AF', 'ps'] };

// The kind of the loaded page at urlPath. Runs checks in the page.
export async function classify(page, urlPath) {
  if (urlPath === '/') return 'chooser';
  if (urlPath === '/404.html') return '404';
  if (/^\/[^/]+\/$/.test(urlPath)) return 'home';
  if (/\/page\/\d+\/$/.test(urlPath)) return 'list-page-2+';
  return page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return 'page';
    if (main.querySelector('ul.items, .count')) return 'list';
    if (main.querySelector('.notice.fallback')) return 'fallback';
    if (main.querySelector('article time, article .meta')) return 'story';
    return 'page';
  });
}

function langOf(urlPath) {
  return urlPath.split('/')[1];
}

function rank(code, dir, languages) {
  const preferred = PREFERRED[dir].indexOf(code);
  if (preferred >= 0) return preferred;
  const configured = languages.indexOf(code);
  return PREFERRED[dir].length + (configured >= 0 ? configured : languages.length);
}

// pages: [{ path, kind, lang }] (lang from <html lang>). Returns the
// sample: [{ path, kind, dir }], one per kind and direction present.
export function sampleByKind(pages, languageCodes) {
  const sample = [];
  for (const kind of KINDS) {
    const ofKind = pages.filter((p) => p.kind === kind);
    if (ofKind.length === 0) continue;
    if (SINGLE.has(kind)) {
      sample.push({ path: ofKind[0].path, kind, dir: expectedDir(ofKind[0].lang ?? 'en') });
      continue;
    }
    for (const dir of ['ltr', 'rtl']) {
      const candidates = ofKind
        .map((p) => ({ ...p, code: langOf(p.path) }))
        .filter((p) => expectedDir(p.code) === dir)
        .sort((a, b) => rank(a.code, dir, languageCodes) - rank(b.code, dir, languageCodes));
      if (candidates.length > 0) sample.push({ path: candidates[0].path, kind, dir });
    }
  }
  return sample;
}
