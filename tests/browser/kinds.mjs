// Kinds of page, so that the slower checks (axe, no-JavaScript) run on one
// page of each kind instead of on every page: the language chooser, a home
// page, a section list, a later list page, a story, a plain page, a page
// shown from another language (fallback) and the 404 page; and in the
// service directory (/{lang}/services/, the folder set by [services]
// section) its home, a service, a country, a category and a printable
// country list. Each kind is sampled once in a left-to-right language (en,
// then ky, …) and once in a right-to-left one (fa-AF, then ps, …), where
// the site has them.

import { expectedDir } from './a11y.mjs';

export const DIRECTORY_KINDS = ['directory', 'service', 'country', 'category', 'print'];
export const KINDS = ['chooser', 'home', 'list', 'list-page-2+', 'story', 'page', 'fallback', '404', ...DIRECTORY_KINDS];

// Language-neutral pages: one per site, whatever the direction.
const SINGLE = new Set(['chooser', '404']);

const PREFERRED = { ltr: ['en', 'ky'], rtl: ['fa-AF', 'ps'] };

// Where urlPath lies in the service directory, from the URL alone:
// 'directory' (/{lang}/{section}/), 'print' (…/country/{cc}/print/),
// 'country' (…/country/{cc}/), 'category' (…/category/{code}/), 'service'
// (…/{slug}/), or null when it is not under a directory.
export function directoryPlace(urlPath, section = 'services') {
  const m = /^\/([^/]+)\/(.*)$/.exec(urlPath);
  if (!m || !m[2].startsWith(`${section}/`)) return null;
  const rest = m[2].slice(section.length + 1);
  if (rest === '') return 'directory';
  if (/^country\/[^/]+\/print\/$/.test(rest)) return 'print';
  if (/^country\/[^/]+\/$/.test(rest)) return 'country';
  if (/^category\/[^/]+\/$/.test(rest)) return 'category';
  if (/^[^/]+\/$/.test(rest)) return 'service';
  return null;
}

// The kind of a directory page from its URL place and its DOM: a service
// is an article.service, a printable list has .print (whatever its slug
// looks like); the directory home has the emergency numbers, service
// cards or its lists of countries and categories; country and category
// pages list cards. null when the markers do not match the URL.
function directoryKindInPage(place) {
  const main = document.querySelector('main');
  if (!main) return null;
  if (main.querySelector('article.service')) return 'service';
  if (main.querySelector('.print')) return 'print';
  const cards = main.querySelector('.items .card') !== null;
  if (place === 'directory') return main.querySelector('.emergency, .card, ul.links') ? 'directory' : null;
  if (place === 'country' || place === 'category') return cards || main.querySelector('.emergency, .count') ? place : null;
  return null;
}

// The kind of the loaded page at urlPath. Runs checks in the page.
// section: the directory's folder ([services] section).
export async function classify(page, urlPath, section = 'services') {
  if (urlPath === '/') return 'chooser';
  if (urlPath === '/404.html') return '404';
  const place = directoryPlace(urlPath, section);
  if (place) {
    const kind = await page.evaluate(directoryKindInPage, place);
    if (kind) return kind;
  }
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
