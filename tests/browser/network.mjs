// A benchmark, not a test: what a reader on a slow mobile network pays to
// open pages of a built site. Run through scripts/bench-network (which
// builds the site); documented in benches/README.md ("On a slow network").
//
//   node tests/browser/network.mjs [options] SITE_DIR
//
// Each page is loaded in headless Chromium, in a fresh browser context per
// load (nothing cached, no open connection), with the HTTP cache off
// (Network.setCacheDisabled) and the network throttled through the Chrome
// DevTools protocol (Network.emulateNetworkConditions). Per page and
// profile it records, as the median of --runs loads:
//   - bytes on the wire: the sum of Network.loadingFinished
//     encodedDataLength over the page's requests (compressed bodies and
//     response headers);
//   - the number of requests (data: URLs are not requests);
//   - first contentful paint (performance 'paint' entry), and the load
//     event (navigation timing loadEventStart), both from the start of
//     the navigation.
//
// Budget (for --check, and the last column of the table): at most
// [budgets] page_kb of glimmer.toml on the wire (14 KB = 14,000 bytes, one
// TCP round trip: research notes §4.1), and first contentful paint within
// 1.5 s on Regular 2G.
//
// The pages are served by a local static server that behaves like
// serve.mjs (its resolvePath is reused) and compresses like a host: with
// --encoding gzip (the default), a file's pre-compressed FILE.gz is sent
// when it exists, else the file is gzip-compressed on the fly (level 9);
// --encoding br does the same with FILE.br and Brotli (quality 11) when
// the browser accepts br, else gzip; --encoding identity sends files as
// they are.
//
// Options:
//   --runs N            loads per page and profile (default 3; median)
//   --profiles LIST     comma-separated: regular-2g,slow-3g (default both),
//                       also good-2g, regular-3g, fast-3g
//   --cpu [RATE]        CPU throttling (Emulation.setCPUThrottlingRate),
//                       4 when no rate is given; off by default
//   --encoding E        gzip (default), br or identity
//   --handshake-rtts N  delay each page's first response (the HTML) by N
//                       more round trips of the profile, standing in for
//                       DNS, TCP and TLS once per page, as over one HTTP/2
//                       connection (default 0: not simulated; 3 is DNS +
//                       TCP + TLS 1.3, 4 with TLS 1.2)
//   --pages LIST        comma-separated URL paths instead of the sample
//   --check             exit 1 when a page misses the budget
//   --save              write the report to benches/network.md
//   --json FILE         write every run's figures to FILE
// Exit status: 0 (1 with --check and a page over budget; 2 on errors).

import { createServer } from 'node:http';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { PredefinedNetworkConditions } from 'puppeteer-core';
import { launchBrowser } from './browser.mjs';
import { resolvePath } from './serve.mjs';
import { htmlPages, readSiteConfig } from './sites.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Throttling profiles. `latency` is what Network.emulateNetworkConditions
// adds to every request (from sending it to its response headers);
// throughputs are in bytes per second; `rtt` is the round trip the profile
// stands for, used by --handshake-rtts.
//
// Regular 2G, Good 2G, Regular 3G: Firefox DevTools' throttling profiles
// (mozilla/gecko-dev devtools/client/shared/components/throttling/
// profiles.js; documented in devtools/docs/user/network_monitor/throttling/
// index.rst), which were also Chrome DevTools' presets of the same names
// until Chrome replaced them with Slow/Fast 3G. There "Kbps" is 1024 bit/s:
// Regular 2G is 250 × 1024 / 8 = 32,000 B/s down, 50 × 1024 / 8 = 6,400 B/s
// up, 300 ms minimum latency.
//
// Slow 3G and Fast 3G: Chrome DevTools' presets as Puppeteer defines them
// "aligned with DevTools" (puppeteer/puppeteer packages/puppeteer-core/src/
// cdp/PredefinedNetworkConditions.ts, imported here as it ships in
// puppeteer-core): Slow 3G is ~500 kbit/s × 0.8 = 50,000 B/s both ways and
// a 400 ms RTT × 5 = 2,000 ms request latency. The factors (×0.8, ×5; for
// Fast 3G ×0.9 and ×3.75, as in Lighthouse docs/throttling.md) turn
// packet-level figures into request-level ones: DevTools throttles whole
// requests, so the latency is inflated to stand for the connection set-up
// and TCP slow start a real network would add.
const KBPS = 1024 / 8;
const PROFILES = {
  'regular-2g': {
    name: 'Regular 2G',
    download: 250 * KBPS,
    upload: 50 * KBPS,
    latency: 300,
    rtt: 300,
    source: 'Firefox DevTools (formerly also Chrome DevTools): 250 kbit/s down, 50 kbit/s up, 300 ms (kbit = 1024 bit)',
  },
  'good-2g': {
    name: 'Good 2G',
    download: 450 * KBPS,
    upload: 150 * KBPS,
    latency: 150,
    rtt: 150,
    source: 'Firefox DevTools: 450 kbit/s down, 150 kbit/s up, 150 ms',
  },
  'regular-3g': {
    name: 'Regular 3G',
    download: 750 * KBPS,
    upload: 250 * KBPS,
    latency: 100,
    rtt: 100,
    source: 'Firefox DevTools: 750 kbit/s down, 250 kbit/s up, 100 ms',
  },
  'slow-3g': {
    name: 'Slow 3G',
    ...pick(PredefinedNetworkConditions['Slow 3G']),
    rtt: 400,
    source: 'Chrome DevTools / Puppeteer: 500 kbit/s × 0.8 = 400 kbit/s both ways, 400 ms RTT × 5 = 2,000 ms latency',
  },
  'fast-3g': {
    name: 'Fast 3G',
    ...pick(PredefinedNetworkConditions['Fast 3G']),
    rtt: 150,
    source: 'Chrome DevTools / Puppeteer: 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up, 150 ms RTT × 3.75 = 562.5 ms latency',
  },
};

function pick({ download, upload, latency }) {
  return { download, upload, latency };
}

// The profile the first-paint budget is for, and the budget.
const BUDGET_PROFILE = 'regular-2g';
const FCP_BUDGET_MS = 1500;

// ---------------------------------------------------------------- options

function usage(message) {
  if (message) console.error(`network.mjs: ${message}`);
  console.error('usage: node tests/browser/network.mjs [--runs N] [--profiles LIST] [--cpu [RATE]] [--encoding gzip|br|identity] [--handshake-rtts N] [--pages LIST] [--check] [--save] [--json FILE] SITE_DIR');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    runs: 3,
    profiles: ['regular-2g', 'slow-3g'],
    cpu: 1,
    encoding: 'gzip',
    handshakeRtts: 0,
    pages: null,
    check: false,
    save: false,
    json: null,
    site: null,
  };
  const args = [...argv];
  const value = (flag) => {
    const v = args.shift();
    if (v === undefined) usage(`${flag} needs a value`);
    return v;
  };
  const count = (flag, v, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usage(`${flag}: expected an integer ≥ ${min}, got ${v}`);
    return n;
  };
  while (args.length > 0) {
    const arg = args.shift();
    if (arg === '--runs') opts.runs = count(arg, value(arg), 1);
    else if (arg === '--profiles') opts.profiles = value(arg).split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--cpu') {
      if (args.length > 0 && /^\d+(\.\d+)?$/.test(args[0])) opts.cpu = Number(args.shift());
      else opts.cpu = 4;
      if (!(opts.cpu >= 1)) usage('--cpu: the rate must be ≥ 1');
    } else if (arg === '--encoding') opts.encoding = value(arg);
    else if (arg === '--handshake-rtts') opts.handshakeRtts = count(arg, value(arg), 0);
    else if (arg === '--pages') opts.pages = value(arg).split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--check') opts.check = true;
    else if (arg === '--save') opts.save = true;
    else if (arg === '--json') opts.json = value(arg);
    else if (arg === '-h' || arg === '--help') usage();
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (opts.site === null) opts.site = arg;
    else usage(`unexpected argument ${arg}`);
  }
  if (opts.site === null) usage('no site folder given');
  for (const p of opts.profiles) if (!PROFILES[p]) usage(`unknown profile ${p} (known: ${Object.keys(PROFILES).join(', ')})`);
  if (!['gzip', 'br', 'identity'].includes(opts.encoding)) usage(`unknown encoding ${opts.encoding}`);
  return opts;
}

// ---------------------------------------------------------------- server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.json', '.xml', '.txt', '.svg', '.ico']);

function accepts(header, coding) {
  return String(header ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .some(([name, ...params]) => name.trim().toLowerCase() === coding && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)));
}

async function readIfFile(file) {
  try {
    if (!(await stat(file)).isFile()) return null;
    return await readFile(file);
  } catch {
    return null;
  }
}

// A static server like serve.mjs, compressing as options.encoding says,
// and delaying the first response after armHandshake() (the document of
// a page load) by options.firstResponseDelay() ms, for --handshake-rtts:
// one connection set-up per page, as with HTTP/2, where a host serves the
// page's other requests over the same connection. Counts how each
// response body was produced in `served`.
async function startCompressingServer(root, options) {
  const served = { precompressed: 0, onTheFly: 0, identity: 0, acceptEncoding: new Set() };
  const onTheFly = new Map(); // file + coding -> compressed body
  let handshakePending = false;

  async function body(file, acceptEncoding) {
    const raw = await readFile(file);
    const ext = path.extname(file).toLowerCase();
    if (options.encoding === 'identity' || !COMPRESSIBLE.has(ext)) return { data: raw, coding: null, how: 'identity' };
    const codings = [];
    if (options.encoding === 'br' && accepts(acceptEncoding, 'br')) codings.push('br');
    if (accepts(acceptEncoding, 'gzip')) codings.push('gzip');
    const coding = codings[0];
    if (!coding) return { data: raw, coding: null, how: 'identity' };
    const suffix = coding === 'br' ? '.br' : '.gz';
    const pre = await readIfFile(file + suffix);
    if (pre) return { data: pre, coding, how: 'precompressed' };
    const key = `${file}\0${coding}`;
    if (!onTheFly.has(key)) {
      onTheFly.set(
        key,
        coding === 'br'
          ? zlib.brotliCompressSync(raw, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              },
            })
          : zlib.gzipSync(raw, { level: 9 }),
      );
    }
    return { data: onTheFly.get(key), coding, how: 'onTheFly' };
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    served.acceptEncoding.add(String(req.headers['accept-encoding'] ?? ''));
    if (handshakePending) {
      handshakePending = false;
      const delay = options.firstResponseDelay();
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    }
    const urlPath = new URL(req.url, 'http://x').pathname;
    const found = await resolvePath(root, urlPath);
    if (found.redirect) {
      res.writeHead(301, { Location: found.redirect }).end();
      return;
    }
    const { data, coding, how } = await body(found.file, req.headers['accept-encoding']);
    served[how] += 1;
    const info = await stat(found.file);
    // Headers like a plain static host's (nginx's defaults, roughly);
    // Node adds Date, Connection and Keep-Alive.
    const headers = {
      Server: 'nginx',
      'Content-Type': TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': data.length,
      'Last-Modified': info.mtime.toUTCString(),
      ETag: `"${Math.floor(info.mtimeMs / 1000).toString(16)}-${info.size.toString(16)}"`,
      'Cache-Control': 'no-store',
    };
    if (COMPRESSIBLE.has(path.extname(found.file).toLowerCase()) && options.encoding !== 'identity') headers.Vary = 'Accept-Encoding';
    if (coding) headers['Content-Encoding'] = coding;
    res.writeHead(found.status, headers);
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    served,
    // The next request is the first of a page load: it pays the delay.
    armHandshake() {
      handshakePending = true;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------- pages

function rtl(code) {
  return ['ar', 'fa', 'ps', 'ur', 'he', 'yi', 'dv', 'ckb', 'sd', 'ug'].includes(code.toLowerCase().split('-')[0]);
}

// Whether some element of html has every one of the class names, e.g.
// hasClasses(html, 'notice', 'fallback') for p.notice.fallback.
function hasClasses(html, ...names) {
  for (const m of html.matchAll(/\sclass=("([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    const list = (m[2] ?? m[3] ?? m[4]).split(/\s+/);
    if (names.every((n) => list.includes(n))) return true;
  }
  return false;
}

// The language the main text of a fallback page is shown in: the first
// lang attribute after the notice that differs from the page's.
function shownLanguage(html, pageLang) {
  const at = html.search(/\bnotice\b[^>]*\bfallback\b|\bfallback\b[^>]*\bnotice\b/);
  if (at < 0) return null;
  for (const m of html.slice(at).matchAll(/\slang=("([^"]*)"|([^\s>]+))/g)) {
    const lang = m[2] ?? m[3];
    if (lang !== pageLang) return lang;
  }
  return null;
}

async function pageInfo(siteDir, urlPath) {
  const file = path.join(siteDir, urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath);
  const html = await readFile(file, 'utf8');
  const lang = /<html[^>]*\slang=("([^"]*)"|([^\s>]+))/.exec(html);
  const pageLang = lang ? (lang[2] ?? lang[3]) : null;
  const fallback = hasClasses(html, 'notice', 'fallback');
  return {
    path: urlPath,
    lang: pageLang,
    fallback,
    shownIn: fallback ? shownLanguage(html, pageLang) : null,
    service: /<article[^>]*\bclass=("[^"]*\bservice\b[^"]*"|service[\s>])/.test(html),
  };
}

// The sample, chosen from the built files alone, so the same site always
// gives the same pages: the chooser `/`, then for one left-to-right
// language (en, else the first configured) and one right-to-left language
// (fa-AF, else ps, else the first configured):
//   home       /{lang}/
//   story      the first story (/{lang}/stories/{slug}/, by path) written
//              in the language; the first story when none is
//   directory  /{lang}/{services section}/
//   service    the first service page (article.service) written in the
//              language
//   fallback   the first page with a fallback notice (.notice.fallback) in
//              the language, else in the next language of the same
//              direction (ky, then ps, as kinds.mjs prefers, then
//              configured order); stories (not their lists) first, then
//              any page; a page already chosen is skipped
async function samplePages(siteDir, config) {
  const all = await htmlPages(siteDir);
  const codes = config.languages.map((l) => l.code).filter((c) => all.includes(`/${c}/`));
  const preferred = { ltr: ['en', 'ky'], rtl: ['fa-AF', 'ps'] };
  const section = config.servicesSection || 'services';
  const sample = [{ kind: 'chooser', path: '/', lang: null }];
  const chosen = new Set(['/']);
  const info = new Map();
  const get = async (p) => {
    if (!info.has(p)) info.set(p, await pageInfo(siteDir, p));
    return info.get(p);
  };
  const add = (kind, p, group) => {
    if (!p) return;
    chosen.add(p.path);
    sample.push({ kind, path: p.path, lang: p.lang ?? group, shownIn: p.shownIn });
  };

  for (const dir of ['ltr', 'rtl']) {
    const ofDir = codes.filter((c) => rtl(c) === (dir === 'rtl'));
    if (ofDir.length === 0) continue;
    const order = [...preferred[dir].filter((c) => ofDir.includes(c)), ...ofDir.filter((c) => !preferred[dir].includes(c))];
    const lang = order[0];
    const under = (prefix) => all.filter((p) => p.startsWith(prefix) && p !== prefix);

    add('home', await get(`/${lang}/`), lang);

    const stories = under(`/${lang}/stories/`).filter((p) => /^\/[^/]+\/stories\/[^/]+\/$/.test(p) && !/\/page\/\d+\/$/.test(p));
    let story = null;
    for (const p of stories) if (!(await get(p)).fallback) { story = await get(p); break; }
    if (!story && stories.length > 0) story = await get(stories[0]);
    add('story', story, lang);

    if (all.includes(`/${lang}/${section}/`)) add('directory', await get(`/${lang}/${section}/`), lang);

    let service = null;
    for (const p of under(`/${lang}/${section}/`).filter((q) => /^\/[^/]+\/[^/]+\/[^/]+\/$/.test(q))) {
      const i = await get(p);
      if (i.service && !i.fallback) { service = i; break; }
    }
    add('service', service, lang);

    let fallback = null;
    for (const code of order) {
      const pages = under(`/${code}/`).filter((p) => !chosen.has(p));
      const isStory = (p) => /^\/[^/]+\/stories\/[^/]+\/$/.test(p) && !/\/page\/\d+\/$/.test(p);
      const storiesFirst = [...pages.filter(isStory), ...pages.filter((p) => !isStory(p))];
      for (const p of storiesFirst) {
        const i = await get(p);
        if (i.fallback) { fallback = i; break; }
      }
      if (fallback) break;
    }
    add('fallback', fallback, lang);
  }
  return sample;
}

// ---------------------------------------------------------------- loading

const median = (xs) => {
  const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// One cold load of url under profile: a new browser context (no cache, no
// cookies, no open connection), cache off, throttled. Returns the figures.
async function measure(browser, url, profile, opts) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    page.on('dialog', (d) => d.dismiss().catch(() => {}));
    const cdp = await page.createCDPSession();
    const requests = new Map(); // requestId -> { url, type, bytes }
    let bytes = 0;
    let failed = 0;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!e.request.url.startsWith('data:')) requests.set(e.requestId, { url: e.request.url, type: e.type ?? null, bytes: null });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      r.bytes = e.encodedDataLength;
      bytes += e.encodedDataLength;
    });
    cdp.on('Network.loadingFailed', (e) => {
      if (requests.has(e.requestId)) failed += 1;
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.download,
      uploadThroughput: profile.upload,
    });
    if (opts.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: opts.cpu });

    const response = await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    if (!response || response.status() !== 200) throw new Error(`${url} answered HTTP ${response?.status()}`);
    const timing = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const nav = performance.getEntriesByType('navigation')[0];
          const done = (fcp) =>
            resolve({
              fcp,
              load: nav.loadEventStart,
              firstByte: nav.responseStart,
              dcl: nav.domContentLoadedEventStart,
            });
          const now = performance.getEntriesByName('first-contentful-paint')[0];
          if (now) return done(now.startTime);
          const observer = new PerformanceObserver((list) => {
            const e = list.getEntriesByName('first-contentful-paint')[0];
            if (e) {
              observer.disconnect();
              done(e.startTime);
            }
          });
          observer.observe({ type: 'paint', buffered: true });
          setTimeout(() => done(null), 10_000);
        }),
    );
    // Requests still under way at the load event (none on glimmer pages)
    // are given a moment to finish, so their bytes count.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await cdp.detach().catch(() => {});
    const list = [...requests.values()].map((r) => ({ ...r, url: new URL(r.url).pathname }));
    return { bytes, requests: requests.size, failed, ...timing, list };
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- report

const int = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);

function budgetProblems(row, budgetBytes) {
  const problems = [];
  const bytes = Math.max(...Object.values(row.byProfile).map((r) => r.bytes ?? 0));
  if (bytes > budgetBytes) problems.push(`${int(bytes)} B > ${int(budgetBytes)} B`);
  const slow = row.byProfile[BUDGET_PROFILE];
  if (slow) {
    if (slow.fcp === null) problems.push(`no first paint on ${PROFILES[BUDGET_PROFILE].name}`);
    else if (slow.fcp > FCP_BUDGET_MS) problems.push(`first paint ${secs(slow.fcp)} > ${secs(FCP_BUDGET_MS)} on ${PROFILES[BUDGET_PROFILE].name}`);
  }
  return problems;
}

function pageLabel(row) {
  const where = row.lang ? ` (${row.lang}${row.shownIn ? `, shown in ${row.shownIn}` : ''})` : '';
  return `${row.kind}${where}`;
}

function table(rows, opts, budgetBytes) {
  const head = ['page', 'path', 'on the wire', 'requests'];
  for (const p of opts.profiles) head.push(`${PROFILES[p].name}: first paint`, `${PROFILES[p].name}: load`);
  head.push('budget');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i >= 2 && i < head.length - 1 ? '---:' : '---')).join('|')}|`];
  for (const row of rows) {
    const bytes = [...new Set(opts.profiles.map((p) => row.byProfile[p].bytes))];
    const reqs = [...new Set(opts.profiles.map((p) => row.byProfile[p].requests))];
    const cells = [pageLabel(row), `\`${row.path}\``, bytes.map((b) => `${int(b)} B`).join(' / '), reqs.join(' / ')];
    for (const p of opts.profiles) cells.push(secs(row.byProfile[p].fcp), secs(row.byProfile[p].load));
    const problems = budgetProblems(row, budgetBytes);
    cells.push(problems.length === 0 ? 'ok' : `**over**: ${problems.join('; ')}`);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function servedLine(served, opts) {
  if (opts.encoding === 'identity') return 'Served uncompressed (`--encoding identity`).';
  const parts = [];
  if (served.precompressed) parts.push(`${served.precompressed} from pre-compressed files`);
  if (served.onTheFly) parts.push(`${served.onTheFly} compressed on the fly`);
  if (served.identity) parts.push(`${served.identity} uncompressed`);
  const enc = opts.encoding === 'br' ? 'Brotli (`.br`, else quality 11) when accepted, else gzip' : 'gzip (`.gz` beside the file, else level 9 on the fly)';
  return `Served with ${enc}; responses: ${parts.join(', ')}. Chromium sent \`Accept-Encoding: ${[...served.acceptEncoding].join('` / `')}\`.`;
}

// What the pages load besides themselves: each other URL, its type, the
// median bytes on the wire, and on how many pages of the sample.
function subresourcesLine(runs, sample) {
  const seen = new Map(); // url -> { type, bytes: [], pages: Set }
  for (const r of runs) {
    for (const req of r.list) {
      if (req.url === r.path) continue;
      if (!seen.has(req.url)) seen.set(req.url, { type: req.type, bytes: [], pages: new Set() });
      const s = seen.get(req.url);
      if (req.bytes !== null) s.bytes.push(req.bytes);
      s.pages.add(r.path);
    }
  }
  if (seen.size === 0) return 'Every page is one request: the HTML, with its style sheet inline.';
  const items = [...seen.entries()]
    .sort((a, b) => b[1].pages.size - a[1].pages.size || a[0].localeCompare(b[0]))
    .map(([url, s]) => `\`${url}\` (${s.type ?? 'request'}, ${int(median(s.bytes) ?? 0)} B on the wire) on ${s.pages.size} of ${sample.length} pages`);
  return `Besides the page itself: ${items.join('; ')}.`;
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const siteDir = path.resolve(opts.site);
  const config = await readSiteConfig(path.join(REPO, 'glimmer.toml'));
  const budgetBytes = config.pageKb * 1000;

  let sample;
  if (opts.pages) {
    sample = [];
    for (const p of opts.pages) {
      const i = await pageInfo(siteDir, p).catch(() => {
        throw new Error(`${p}: no such page in ${siteDir}`);
      });
      sample.push({ kind: 'page', path: p, lang: i.lang, shownIn: i.shownIn });
    }
  } else {
    sample = await samplePages(siteDir, config);
  }

  // Chromium holds a response's headers until at least `latency` after the
  // request was sent (a minimum, not an addition), so a server that waits
  // latency + N × RTT before answering makes the HTML arrive N round trips
  // later than the profile alone would.
  let currentProfile = null;
  const server = await startCompressingServer(siteDir, {
    encoding: opts.encoding,
    firstResponseDelay: () => (currentProfile ? currentProfile.latency + opts.handshakeRtts * currentProfile.rtt : 0),
  });
  const { browser, close } = await launchBrowser();
  const started = new Date();
  const runs = [];
  try {
    const version = await browser.version();
    console.error(`==> ${sample.length} pages × ${opts.profiles.length} profiles × ${opts.runs} runs, ${version}, server ${server.origin}`);
    // Warm-up: the first load after launch pays for starting the renderer.
    currentProfile = null;
    await measure(browser, `${server.origin}/`, { latency: 0, download: -1, upload: -1 }, { ...opts, cpu: 1 });
    Object.assign(server.served, { precompressed: 0, onTheFly: 0, identity: 0 });
    for (let run = 1; run <= opts.runs; run += 1) {
      for (const key of opts.profiles) {
        const profile = PROFILES[key];
        currentProfile = opts.handshakeRtts > 0 ? profile : null;
        for (const s of sample) {
          server.armHandshake();
          const r = await measure(browser, server.origin + s.path, profile, opts);
          if (r.failed > 0) throw new Error(`${s.path}: ${r.failed} request(s) failed`);
          runs.push({ run, profile: key, path: s.path, ...r });
          process.stderr.write('.');
        }
      }
    }
    process.stderr.write('\n');

    const rows = sample.map((s) => {
      const byProfile = {};
      for (const key of opts.profiles) {
        const mine = runs.filter((r) => r.profile === key && r.path === s.path);
        byProfile[key] = {
          bytes: median(mine.map((r) => r.bytes)),
          requests: median(mine.map((r) => r.requests)),
          fcp: median(mine.map((r) => r.fcp)),
          load: median(mine.map((r) => r.load)),
          firstByte: median(mine.map((r) => r.firstByte)),
        };
      }
      return { ...s, byProfile };
    });
    const over = rows.filter((row) => budgetProblems(row, budgetBytes).length > 0);

    const settings = [
      ...opts.profiles.map((k) => {
        const p = PROFILES[k];
        return `- **${p.name}**: ${int(p.download)} B/s down, ${int(p.upload)} B/s up, ${int(p.latency)} ms latency per request (${p.source}).`;
      }),
      `- ${opts.runs} cold load(s) per page and profile (median), a fresh browser context each, HTTP cache off; viewport 360×640; CPU throttling ${opts.cpu > 1 ? `×${opts.cpu}` : 'off'}; ${opts.handshakeRtts > 0 ? `${opts.handshakeRtts} extra round trip(s) of ${opts.profiles.map((k) => `${PROFILES[k].rtt} ms`).join(' / ')} before each page's HTML (DNS, TCP, TLS stand-in; the page's other requests reuse the connection)` : 'no DNS, TCP or TLS handshake simulated'}.`,
      `- ${servedLine(server.served, opts)}`,
      `- Budget: at most ${int(budgetBytes)} B on the wire ([budgets] page_kb = ${config.pageKb}), first contentful paint within ${secs(FCP_BUDGET_MS)} on ${PROFILES[BUDGET_PROFILE].name}.`,
    ];
    const out = table(rows, opts, budgetBytes);
    settings.splice(settings.length - 1, 0, `- ${subresourcesLine(runs, sample)}`);
    const verdict = over.length === 0 ? `Every page is within the budget.` : `Over budget: ${over.map((r) => `\`${r.path}\` (${budgetProblems(r, budgetBytes).join('; ')})`).join(', ')}.`;

    console.log(out);
    console.log('');
    console.log(settings.join('\n'));
    console.log('');
    console.log(verdict);

    if (opts.json) {
      await mkdir(path.dirname(path.resolve(opts.json)), { recursive: true });
      await writeFile(opts.json, `${JSON.stringify({ started: started.toISOString(), browser: version, options: { ...opts, site: siteDir }, profiles: Object.fromEntries(opts.profiles.map((k) => [k, PROFILES[k]])), served: { ...server.served, acceptEncoding: [...server.served.acceptEncoding] }, rows, runs }, null, 2)}\n`);
    }
    if (opts.save) {
      const cpu = os.cpus();
      const when = `${started.toISOString().slice(0, 10)} ${started.toISOString().slice(11, 16)} UTC`;
      const args = process.argv.slice(2).filter((a) => a !== opts.site);
      const md = [
        '# On a slow network: latest figures',
        '',
        'Written by `scripts/bench-network --save`; what it measures and its',
        'caveats: benches/README.md, "On a slow network".',
        '',
        `Measured on ${when} on ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${version}, Node ${process.version}, the example site built from the working tree (\`${['scripts/bench-network', ...args].join(' ')}\`).`,
        '',
        out,
        '',
        ...settings,
        '',
        verdict,
        '',
      ].join('\n');
      await writeFile(path.join(REPO, 'benches', 'network.md'), md);
      console.error('==> wrote benches/network.md');
    }
    return opts.check && over.length > 0 ? 1 : 0;
  } finally {
    await close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`network.mjs: ${process.env.DEBUG ? (err.stack ?? err) : (err.message ?? err)}`);
    process.exit(2);
  },
);
