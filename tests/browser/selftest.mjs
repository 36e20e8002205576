// Checks of the checks: before any site is loaded, each check that could
// pass for the wrong reason is run on small pages made to fail it (and to
// pass it). When a check misses a problem put there on purpose, the check
// is broken, and that is a failure (check 'selftest').
//
//   bidi    – see bidi.mjs: an unisolated "+996 000 000 001" in right-to-
//             left text, a URL whose "/" moves, a .num that is not
//             isolated, Arabic-Indic digit groups reversed inside an ltr
//             isolate, a shown number that is not the one dialled, a
//             non-ASCII tel: href; and correct numbers that must pass;
//   scripts – scriptsInPage reports <script> with no type, type="module",
//             "text/javascript", JSON-LD that is not JSON, JSON-LD with a
//             src or in other letters; lets valid JSON-LD through on the
//             real sites only, never on the hostile one; lets the theme's
//             <script src="{base path}quick-exit.js" defer> through once,
//             but not an inline script beside it, the same file from
//             another origin (https://evil.example/quick-exit.js) or
//             another path, without defer, with async, type or text, or
//             twice (pages served from a made-up origin);
//   quick exit – see quickexit.mjs: made-up pages whose quick-exit.js is
//             missing, leaves with location.assign, does not hide the
//             page, leaves on two Shift presses or on Shift+Tab, or has
//             no 2 s window, and pages whose exit link is out of tab
//             order, not sticky, too small, without a visible focus, with
//             the wrong href or rel, a hint shown without JavaScript, a
//             broken safety link, or links that Shift+Tab hides under the
//             bar; and correct pages that must pass;
//   help    – a help link that moves, that leads elsewhere (also on the
//             chooser) or that comes after another link is reported;
//   print   – a footer shown in print, cards in two columns and a small
//             phone number are reported;
//   pictures – see pictures.mjs: on a made-up site served over HTTP (its
//             WebP and JPEG files drawn on a canvas), a srcset naming a
//             missing file, an <img> without width and height, a far
//             picture without loading="lazy", sizes that make the browser
//             load a larger file, width and height of another ratio than
//             the file, a WebP <source> of JPEG files and an <img> of WebP
//             files are reported, and a correct page is not.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { selfTestBidi } from './bidi.mjs';
import { helpCheck } from './help.mjs';
import { scriptsInPage } from './hostile.mjs';
import { picturePageProblems } from './pictures.mjs';
import { printProblems } from './print.mjs';
import { selfTestQuickExit } from './quickexit.mjs';
import { Report } from './report.mjs';
import { startServer } from './serve.mjs';

const SCRIPT_CASES = [
  // [html, reported on the real sites?]
  ['<script>void 0</script>', true],
  ['<script type="module">void 0</script>', true],
  ['<script type="text/javascript">void 0</script>', true],
  ['<script type="application/ld+json">{"@type": </script>', true],
  ['<script type="application/ld+json" src="/x.js">{}</script>', true],
  ['<script type="APPLICATION/LD+JSON">{}</script>', true],
  ['<script type="application/ld+json ">{}</script>', true],
  ['<svg><script>void 0</script></svg>', true],
  ['<script type="application/ld+json">{"@context":"https://schema.org","@type":"Service"}</script>', false],
];

// The pages of the scripts self-test come from a made-up origin (the
// quick-exit script is allowed from the page's own origin only).
const SCRIPTS_PAGE = 'http://scripts.test/en/';
const QUICK_EXIT = '<script src="/quick-exit.js" defer></script>';
const QUICK_EXIT_CASES = [
  // [html, base path, reported?] – the same on the real sites and the hostile one
  [QUICK_EXIT, '/', false],
  ['<script defer src="/quick-exit.js"></script>', '/', false],
  ['<script src="/campaign/quick-exit.js" defer></script>', '/campaign/', false],
  ['<script src="http://scripts.test/quick-exit.js" defer></script>', '/', false],
  [`${QUICK_EXIT}<script>void 0</script>`, '/', true],
  ['<script src="https://evil.example/quick-exit.js" defer></script>', '/', true],
  [`${QUICK_EXIT}<script src="https://evil.example/quick-exit.js" defer></script>`, '/', true],
  ['<script src="//evil.example/quick-exit.js" defer></script>', '/', true],
  ['<script src="/quick-exit.js"></script>', '/', true],
  ['<script src="/quick-exit.js" async></script>', '/', true],
  ['<script src="/quick-exit.js" defer async></script>', '/', true],
  ['<script type="module" src="/quick-exit.js" defer></script>', '/', true],
  ['<script type="text/javascript" src="/quick-exit.js" defer></script>', '/', true],
  ['<script src="/quick-exit.js" defer>void 0</script>', '/', true],
  ['<script src="/other.js" defer></script>', '/', true],
  ['<script src="quick-exit.js" defer></script>', '/', true],
  ['<script src="/quick-exit.js?v=2" defer></script>', '/', true],
  ['<script src="/quick-exit.js" defer></script>', '/campaign/', true],
  [`${QUICK_EXIT}${QUICK_EXIT}`, '/', true],
  ['<svg><script href="/quick-exit.js"></script></svg>', '/', true],
];

// Shows html (in <head>) at SCRIPTS_PAGE; nothing else is fetched.
async function showScripts(page, html) {
  const body = `<!doctype html><html lang="en" dir="ltr"><head><title>t</title>${html}</head><body><main><p>x</p></main></body></html>`;
  if (!page.__scriptsRoute) {
    page.__scriptsRoute = { body: '' };
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.url() === SCRIPTS_PAGE) request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: page.__scriptsRoute.body });
      else request.abort('blockedbyclient');
    });
  }
  page.__scriptsRoute.body = body;
  await page.goto(SCRIPTS_PAGE, { waitUntil: 'load' });
}

async function scriptsSelfTest(page) {
  const out = [];
  for (const [html, basePath, reported] of QUICK_EXIT_CASES) {
    await showScripts(page, html);
    const quickExitPath = `${basePath}quick-exit.js`;
    for (const [where, allowJsonLd] of [['a real site', true], ['the hostile site', false]]) {
      const found = await page.evaluate(scriptsInPage, { allowJsonLd, quickExitPath });
      if (reported && found.length === 0) out.push(`scripts self-test: ${html} (base path ${basePath}) was not reported on ${where}: the check is broken`);
      if (!reported && found.length > 0) out.push(`scripts self-test: the quick-exit script ${html} (base path ${basePath}) was reported on ${where}: ${found.join('; ')}`);
    }
  }
  for (const [html, reported] of SCRIPT_CASES) {
    await showScripts(page, html);
    const real = await page.evaluate(scriptsInPage, { allowJsonLd: true, quickExitPath: '/quick-exit.js' });
    const hostile = await page.evaluate(scriptsInPage, { allowJsonLd: false, quickExitPath: '/quick-exit.js' });
    if (reported && real.length === 0) out.push(`scripts self-test: ${html} was not reported on a real site: the check is broken`);
    if (!reported && real.length > 0) out.push(`scripts self-test: valid JSON-LD ${html} was reported: ${real.join('; ')}`);
    if (hostile.length === 0) out.push(`scripts self-test: ${html} was not reported on the hostile site: the check is broken`);
  }
  return out;
}

async function helpSelfTest(page) {
  const out = [];
  const site = {
    pages: ['/en/', '/en/a/', '/en/b/', '/en/c/', '/en/services/'],
    config: { basePath: '/', servicesSection: 'services' },
  };
  const header = (help, extra = '') =>
    `<!doctype html><html lang="en" dir="ltr"><head><title>t</title></head><body>` +
    `<header class="site">${extra}<p class="brand"><a href="/en/">Site</a></p>${help}</header><main><p>x</p></main></body></html>`;
  const good = '<p class="help"><a href="/en/services/">Get help now</a></p>';
  const cases = [
    ['/en/', header(good)],
    ['/en/a/', header(good)],
    ['/en/b/', header(good, '<p style="margin:0;height:60px">A banner</p>')], // moved down
    ['/en/c/', header('<p class="help"><a href="/ru/services/">Get help now</a></p>')],
    ['/en/services/', header(good).replace('<p class="brand">', '<p><a href="/en/x/">Other</a></p><p class="brand">')],
    ['/', header('<p class="help"><a lang="en" href="/ru/services/">Get help now</a></p>').replace(/<p class="brand">.*?<\/p>/, '')],
  ];
  const report = new Report();
  const check = helpCheck(site, report);
  for (const [urlPath, html] of cases) {
    await page.setContent(html);
    await check.visit(page, urlPath, urlPath);
  }
  check.finish();
  const said = (where, fragment) => report.failures.some((f) => f.where === where && f.why.includes(fragment));
  if (!said('/en/b/', "the help link's top")) out.push('help self-test: a help link 60 px lower than on the other pages was not reported: the check is broken');
  if (!said('/en/c/', 'not to the directory of this language')) out.push('help self-test: a help link to another language was not reported: the check is broken');
  if (!said('/en/services/', 'not the first link after the brand')) out.push('help self-test: a link before the brand was not reported: the check is broken');
  if (!said('/', 'does not lead to the directory of its language')) out.push('help self-test: on the chooser, a help link with lang="en" to /ru/services/ was not reported: the check is broken');
  if (report.failures.some((f) => f.where === '/en/' || f.where === '/en/a/')) {
    out.push(`help self-test: a correct page was reported: ${report.failures.map((f) => `${f.where}: ${f.why}`).join('; ')}`);
  }
  return out;
}

async function printSelfTest(page, outDir) {
  const html =
    '<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>t</title>' +
    '<style>.items{columns:2;list-style:none;padding:0}.num{font-size:12px}</style></head><body>' +
    '<header class="site"><p class="brand"><a href="/en/">Site</a></p><nav class="switcher"><a href="/ru/">Русский</a></nav></header>' +
    '<main><div class="print"><ul class="items">' +
    [1, 2, 3, 4].map((i) => `<li class="card"><h2>Service ${i}</h2><a class="call" href="tel:+99600000000${i}"><bdi class="num" dir="ltr">+996 000 000 00${i}</bdi></a></li>`).join('') +
    '</ul></div></main><footer class="site"><p>Footer</p></footer></body></html>';
  const url = `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
  const { problems } = await printProblems(page, url, path.join(outDir, 'selftest.pdf'));
  const out = [];
  const expect = [
    ['footer.site (footer.site) is displayed in print', 'a footer shown in print'],
    ['nav.switcher (header.site nav) is displayed in print', 'a switcher shown in print'],
    ['the list is not one column in print', 'cards in two columns'],
    ['must be at least 20 px', 'a 12 px phone number'],
  ];
  for (const [fragment, what] of expect) {
    if (!problems.some((p) => p.includes(fragment))) out.push(`print self-test: ${what} was not reported: the check is broken (it reported: ${problems.join('; ') || 'nothing'})`);
  }
  return out;
}

const WIDTHS = [360, 720, 1080];
const SIZES = '(max-width: 42rem) calc(100vw - 2rem), 40rem';

// A <picture> of the made-up site's files img/{name}-{w}.{webp,jpg}.
function selfTestPicture(name, o = {}) {
  const set = (ext) => WIDTHS.map((w) => `/img/${name}-${w}.${ext} ${w}w`).join(', ');
  const sizes = o.sizes ?? SIZES;
  return (
    `<picture><source type="image/webp" srcset="${o.webp ?? set('webp')}" sizes="${sizes}">` +
    `<img src="/img/${name}-360.jpg" srcset="${o.jpg ?? set('jpg')}" sizes="${sizes}" ${o.size ?? 'width="1080" height="720"'} ` +
    `alt="${name}" ${o.loading ?? 'loading="lazy"'} decoding="async"></picture>`
  );
}

// [page, near picture, far picture (4000 px down), rule, what the report says]
const PICTURE_CASES = [
  ['good', selfTestPicture('p'), selfTestPicture('f'), null, null],
  ['missing', selfTestPicture('p', { jpg: '/img/p-360.jpg 360w, /img/p-720.missing.jpg 720w' }), '', 'files', 'answers HTTP 404'],
  ['no-size', selfTestPicture('p', { size: '' }), '', 'layout', 'has no width and height'],
  ['eager', selfTestPicture('p'), selfTestPicture('f', { loading: '' }), 'lazy', 'requested before scrolling'],
  ['oversize', selfTestPicture('p', { sizes: '1000px' }), '', 'width', 'loaded 1080w (more than needed)'],
  ['square', selfTestPicture('p', { size: 'width="1080" height="1080"' }), '', 'files', 'not the ratio'],
  ['jpeg-as-webp', selfTestPicture('p', { webp: '/img/p-360.jpg 360w, /img/p-720.jpg 720w' }), '', 'webp', 'not a .webp file'],
  ['webp-fallback', selfTestPicture('p', { jpg: '/img/p-360.webp 360w, /img/p-720.webp 720w' }), '', 'fallback', 'not a JPEG or PNG'],
];

// Writes the made-up site of PICTURE_CASES into dir: its files drawn on a
// canvas by the browser (WebP and JPEG, 3:2, at each of WIDTHS).
async function writePictureSite(context, dir) {
  const page = await context.newPage();
  let files;
  try {
    files = await page.evaluate((widths) => {
      const out = {};
      for (const name of ['p', 'f']) {
        for (const w of widths) {
          const canvas = document.createElement('canvas');
          canvas.width = w;
          canvas.height = (w * 2) / 3;
          const g = canvas.getContext('2d');
          const grad = g.createLinearGradient(0, 0, w, canvas.height);
          grad.addColorStop(0, name === 'p' ? '#b34700' : '#0b1a3a');
          grad.addColorStop(1, '#fff4ec');
          g.fillStyle = grad;
          g.fillRect(0, 0, w, canvas.height);
          out[`${name}-${w}.webp`] = canvas.toDataURL('image/webp', 0.8);
          out[`${name}-${w}.jpg`] = canvas.toDataURL('image/jpeg', 0.8);
        }
      }
      return out;
    }, WIDTHS);
  } finally {
    await page.close().catch(() => {});
  }
  await mkdir(path.join(dir, 'img'), { recursive: true });
  for (const [name, url] of Object.entries(files)) {
    const [head, data] = url.split(',');
    const type = name.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
    if (!head.startsWith(`data:${type}`)) throw new Error(`the browser drew ${name} as ${head}, not ${type}`);
    await writeFile(path.join(dir, 'img', name), Buffer.from(data, 'base64'));
  }
  for (const [name, near, far] of PICTURE_CASES) {
    const html =
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
      '<title>t</title><style>body{margin:0}main{padding:0 1rem}img{max-inline-size:100%;block-size:auto}</style></head>' +
      `<body><main><p>Pictures.</p>${near}<div style="height:4000px"></div>${far}</main></body></html>`;
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, 'index.html'), html);
  }
}

async function picturesSelfTest(context) {
  const out = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimmer-pictures-'));
  const server = await startServer();
  try {
    await writePictureSite(context, dir);
    server.serve(dir);
    for (const [name, , , rule, fragment] of PICTURE_CASES) {
      const { problems } = await picturePageProblems(context, server.origin, `/${name}/`);
      const said = problems.map((p) => `[${p.rule}] ${p.element}: ${p.why}`).join('; ') || 'nothing';
      if (rule === null && problems.length > 0) out.push(`pictures self-test: the correct page /${name}/ was reported: ${said}`);
      if (rule !== null && !problems.some((p) => p.rule === rule && p.why.includes(fragment))) {
        out.push(`pictures self-test: /${name}/ was not reported under ${rule} ("${fragment}"): the check is broken (it reported: ${said})`);
      }
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

// Runs every self-test in a tab of context. Records into report under
// 'selftest'; returns the number of self-tests run. outDir: where the
// print self-test may write its PDF.
export async function runSelfTests(context, report, outDir) {
  const tests = [
    ['bidi', () => selfTestBidi(context)],
    ['scripts', () => withTab(context, scriptsSelfTest)],
    ['help', () => withTab(context, helpSelfTest)],
    ['quick exit', () => selfTestQuickExit(context)],
    ['print', () => withTab(context, (page) => printSelfTest(page, outDir))],
    ['pictures', () => picturesSelfTest(context)],
  ];
  for (const [name, run] of tests) {
    report.checked('selftest');
    try {
      for (const p of await run()) report.fail('selftest', `self-test ${name}`, p);
    } catch (err) {
      report.fail('selftest', `self-test ${name}`, `could not run: ${err.stack ?? err.message}`);
    }
  }
  return tests.length;
}

async function withTab(context, fn) {
  const page = await context.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 360, height: 640 });
    return await fn(page);
  } finally {
    await page.close().catch(() => {});
  }
}
