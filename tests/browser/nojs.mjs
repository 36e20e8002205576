// Works without JavaScript: with scripts off (as on many old phones, or
// by the reader's choice), a page still shows its content, its main menu
// (when the site has one) and its language switcher, and the switcher
// really leads to the page in that language.
//
// On the language chooser (/) and the 404 page, which have neither menu
// nor switcher, the chooser's links (each with hreflang) and the 404's
// home links (one per language section) must be there and work instead.

import { load } from './browser.mjs';

// What the page offers, read from the DOM (page.evaluate runs even with
// the page's own scripts off).
function pageFactsInPage() {
  const main = document.querySelector('main');
  const links = (sel) =>
    [...document.querySelectorAll(sel)].map((a) => ({
      href: a.getAttribute('href'),
      hreflang: a.getAttribute('hreflang'),
      current: a.getAttribute('aria-current') === 'page',
      sectionLang: a.closest('[lang]')?.getAttribute('lang') ?? null,
    }));
  return {
    mainText: main ? main.innerText.trim().length : -1,
    menu: links('header nav:not(.switcher) a[href]'),
    switcher: links('nav.switcher a[href]'),
    chooser: links('main ul.chooser a[href]'),
    homeLinks: links('main .not-found a[href]'),
  };
}

// Clicks the index-th link matching selector and returns the <html lang>
// of the page it leads to, or throws when nothing loads.
async function followLink(page, selector, index) {
  const handles = await page.$$(selector);
  const link = handles[index];
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: 15_000 }),
    link.click(),
  ]);
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  return { lang, status: response?.status(), url: page.url() };
}

// Clicks a link and checks the <html lang> of the page it opens.
// expect: { lang, from } where from says where lang was read, e.g.
// 'hreflang' or 'its section lang'.
async function linkProblem(page, url, selector, links, index, expect, what) {
  await load(page, url);
  const to = await followLink(page, selector, index);
  const href = links[index].href;
  if (to.status !== 200) return `${what} ${href} answered ${to.status}`;
  if (to.lang !== expect.lang) {
    return `${what} ${href} (${expect.from} "${expect.lang}") opened a page with <html lang="${to.lang}">`;
  }
  return null;
}

// Problems of one page with JavaScript off, as strings. page must have
// JavaScript disabled already.
export async function noJsProblems(page, url, kind, site) {
  const response = await load(page, url);
  const facts = await page.evaluate(pageFactsInPage);
  const problems = [];
  const expectStatus = kind === '404' ? [200, 404] : [200];
  if (!expectStatus.includes(response?.status())) problems.push(`answered ${response?.status()}`);
  if (facts.mainText < 0) problems.push('has no <main>');
  else if (facts.mainText === 0) problems.push('<main> shows no text');

  if (kind === 'chooser') {
    if (facts.chooser.length === 0) problems.push('no language chooser links (main ul.chooser a)');
    else {
      const p = await linkProblem(page, url, 'main ul.chooser a[href]', facts.chooser, 0, { lang: facts.chooser[0].hreflang, from: 'hreflang' }, 'the first chooser link');
      if (p) problems.push(p);
    }
    return problems;
  }
  if (kind === '404') {
    if (facts.homeLinks.length === 0) problems.push('no home links (main .not-found a)');
    else {
      const p = await linkProblem(page, url, 'main .not-found a[href]', facts.homeLinks, 0, { lang: facts.homeLinks[0].sectionLang, from: 'in a section of lang' }, 'the first home link');
      if (p) problems.push(p);
    }
    return problems;
  }

  if (site.config.menu.length > 0 && facts.menu.length === 0) {
    problems.push(`no main navigation (header nav with links), though glimmer.toml sets menu = ${JSON.stringify(site.config.menu)}`);
  }
  if (facts.switcher.length === 0) {
    problems.push('no language switcher (nav.switcher with links)');
    return problems;
  }
  // The first switcher link, and when that is the page itself, also the
  // first link to another language: that is the one a reader clicks.
  const indexes = [0];
  const other = facts.switcher.findIndex((l) => !l.current);
  if (facts.switcher[0].current && other > 0) indexes.push(other);
  for (const i of indexes) {
    const link = facts.switcher[i];
    if (!link.hreflang) {
      problems.push(`switcher link ${link.href} has no hreflang`);
      continue;
    }
    const p = await linkProblem(page, url, 'nav.switcher a[href]', facts.switcher, i, { lang: link.hreflang, from: 'hreflang' }, `switcher link #${i + 1}`);
    if (p) problems.push(p);
  }
  return problems;
}
