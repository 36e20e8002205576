// Consistent help (WCAG 2.2 SC 3.2.6, level A): on a site with a service
// directory, every page offers the same way to get help in the same place:
// the "Get help now" link in the header,
//
//   <header class="site"><p class="brand"><a …>…</a></p>
//   <p class="help"><a href="/{lang}/services/">…</a></p> …
//
// checked on every page, at the viewport of the every-page visit (360×640):
//   - the page has header.site with exactly one visible help link
//     (header.site .help a[href]);
//   - it is the first link after the brand: in document order the
//     header's links are the brand link(s) (.brand), then the help link;
//   - its href is the root-relative path of the directory in the page's
//     language: base path + {lang}/{section}/ (section from [services]
//     section, "services" when unset), and that page was built;
//   - the top of its box is the same (±2 px) on every page of a language.
// The language chooser / and the 404 page speak every language: their
// header has no brand and one help link per language with a directory,
// each with lang="{lang}" and leading to that language's directory; the
// first link of the header is a help link, and its top is the same on
// both pages.
// A site without a directory (no /{lang}/{section}/ page) must have no
// help link on any page.

const TOLERANCE_PX = 2;
const NEUTRAL = new Set(['/', '/404.html']);

function helpFactsInPage() {
  const describe = (a) => {
    const r = a.getBoundingClientRect();
    return {
      html: a.outerHTML.slice(0, 160),
      href: a.getAttribute('href'),
      lang: a.closest('[lang]')?.getAttribute('lang') ?? null,
      brand: a.closest('.brand') !== null,
      help: a.closest('.help') !== null,
      visible: a.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && r.width > 0 && r.height > 0,
      top: r.top + window.scrollY,
      text: a.textContent.trim(),
    };
  };
  const header = document.querySelector('header.site');
  return {
    header: header !== null,
    anywhere: [...document.querySelectorAll('.help a[href], a[href].help')].map(describe),
    links: header ? [...header.querySelectorAll('a[href]')].map(describe) : [],
  };
}

// One instance per site: visit(page, urlPath, where) on every page, then
// finish() once. Findings go to report under 'help'.
export function helpCheck(site, report) {
  const { basePath, servicesSection: section } = site.config;
  const directoryRe = new RegExp(`^/([^/]+)/${escapeRe(section)}/$`);
  const directories = new Set(site.pages.map((p) => directoryRe.exec(p)?.[1]).filter(Boolean));
  const hasDirectory = directories.size > 0;
  const directoryOf = (lang) => `${basePath}${lang}/${section}/`;
  const tops = new Map(); // lang (or '/ and /404.html') -> [{ where, top }]
  let pages = 0;
  let links = 0;
  const fail = (where, why) => report.fail('help', where, why);

  // The header's links must be: brand link(s), then the help link(s).
  const orderProblem = (facts) => {
    const firstOther = facts.links.find((l) => !l.brand);
    if (!firstOther?.help) {
      return `the help link is not the first link after the brand: the header's links begin ${facts.links
        .slice(0, 3)
        .map((l) => l.html)
        .join(' then ')}`;
    }
    return null;
  };

  const neutralPage = (facts, where) => {
    const helps = facts.links.filter((l) => l.help);
    for (const l of helps) {
      if (!l.lang || l.href !== directoryOf(l.lang)) {
        fail(where, `the help link ${l.html} does not lead to the directory of its language (lang="${l.lang}": ${l.lang ? directoryOf(l.lang) : '?'})`);
      } else if (!directories.has(l.lang)) {
        fail(where, `the help link ${l.html} leads to ${l.href}, but no such page was built`);
      }
      if (!l.visible) fail(where, `the help link ${l.html} is not visible`);
    }
    const offered = new Set(helps.map((l) => l.lang));
    const missing = [...directories].filter((l) => !offered.has(l));
    if (missing.length > 0) fail(where, `no help link for ${missing.join(', ')}, though ${missing.length === 1 ? 'that language has' : 'those languages have'} a directory`);
    if (helps[0]?.visible) record('/ and /404.html', where, helps[0].top);
    links += helps.length;
    report.tally('help', 'help links', helps.length);
  };

  const record = (group, where, top) => {
    if (!tops.has(group)) tops.set(group, []);
    tops.get(group).push({ where, top });
  };

  return {
    hasDirectory,
    async visit(page, urlPath, where) {
      const facts = await page.evaluate(helpFactsInPage);
      report.checked('help');
      pages += 1;
      if (!hasDirectory) {
        report.tally('help', 'pages of sites without a directory');
        for (const { html } of facts.anywhere) {
          fail(where, `the site has no service directory (no /{lang}/${section}/ page), but the page has a help link: ${html}`);
        }
        return;
      }
      report.tally('help', 'pages of sites with a directory');
      if (!facts.header) {
        fail(where, 'the page has no <header class="site">, so no help link in it');
        return;
      }
      const helps = facts.links.filter((l) => l.help);
      if (helps.length === 0) {
        fail(where, 'no help link (header.site .help a[href]) in the header');
        return;
      }
      const order = orderProblem(facts);
      if (order) fail(where, order);
      if (NEUTRAL.has(urlPath)) {
        neutralPage(facts, where);
        return;
      }
      if (helps.length > 1) fail(where, `${helps.length} help links in the header; expected one`);
      const help = helps[0];
      links += 1;
      report.tally('help', 'help links');
      const lang = urlPath.split('/')[1];
      if (help.href !== directoryOf(lang)) {
        fail(where, `the help link leads to ${help.href}, not to the directory of this language (${directoryOf(lang)})`);
      } else if (!directories.has(lang)) {
        fail(where, `the help link leads to ${help.href}, but no such page was built`);
      }
      if (!help.visible) {
        fail(where, `the help link "${help.text}" is not visible`);
        return;
      }
      record(lang, where, help.top);
    },
    // Compares the help link's position across the pages of each language.
    // Returns { pages, links, languages, hasDirectory } for the summary.
    finish() {
      for (const [group, list] of tops) {
        // The position most pages share is the reference.
        const counts = new Map();
        for (const { top } of list) counts.set(Math.round(top), (counts.get(Math.round(top)) ?? 0) + 1);
        const reference = [...counts].sort((a, b) => b[1] - a[1])[0][0];
        const first = list.find((l) => Math.round(l.top) === reference);
        for (const { where, top } of list) {
          if (Math.abs(top - reference) > TOLERANCE_PX) {
            fail(
              where,
              `the help link's top is at ${top.toFixed(1)} px, but at ${reference} px on ${counts.get(reference)} of the ` +
                `${list.length} "${group}" pages (e.g. ${first.where}); it must stay in the same place (±${TOLERANCE_PX} px at 360×640)`,
            );
          }
        }
      }
      return { pages, links, languages: [...tops.keys()].filter((g) => !g.startsWith('/')).length, hasDirectory };
    },
  };
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
