// Pictures as a reader gets them (check 'pictures'), on every page with a
// <picture> (found during the visit of every page), each rule in a fresh
// tab with the cache off:
//   loaded   – at 360×640 with 2 device pixels per CSS pixel, every
//              picture's <img>, scrolled into view, has loaded: complete
//              and naturalWidth > 0;
//   webp     – its currentSrc is a .webp file (Chromium supports WebP);
//   width    – it is the candidate a reader needs: the smallest width (w
//              descriptor) of its srcset at least the <img>'s layout width
//              × devicePixelRatio, else the widest; not a larger file, not
//              a blurry smaller one;
//   lazy     – a picture whose top is more than 3 viewport heights below
//              the fold is not requested (page.on('request')) before the
//              reader scrolls (files it shares with nearer pictures
//              aside); on the images fixture there must be one;
//   layout   – with every image request held, so that no picture has
//              loaded: each <picture>'s <img> has width and height, and
//              every <img> with both has a box of that ratio (±1 px);
//   fallback – the <img>'s src and srcset name JPEG or PNG files only;
//   files    – every file of every <picture> (the <img>'s and each
//              <source>'s) answers 200 with the Content-Type of its format
//              (the <source>'s type; .jpg, .png for the <img>), decodes as
//              an <img> in a blank page of the same origin at the width of
//              its w descriptor, and has the ratio of width and height
//              (±1 px: nothing moves when it arrives).
// picturesLoad() is the loaded rule alone, for the copy opened from
// file:// (portable.mjs).

const PHONE = { width: 360, height: 640, deviceScaleFactor: 2 };
const FAR_SCREENS = 3;
const LOAD_TIMEOUT_MS = 10_000;
// The site built to test lazy loading: it must have a picture far down.
const LAZY_FIXTURE = 'images';
const BLANK = '/__pictures_blank__.html';
const FALLBACK_TYPES = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };
const EXTENSIONS = { 'image/webp': ['.webp'], 'image/avif': ['.avif'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'] };

// Run during the visit of every page: notes the pages with a <picture>.
export function pictureFinder() {
  const pages = [];
  return {
    pages,
    async visit(page, urlPath) {
      if (await page.evaluate(() => document.querySelector('picture') !== null)) pages.push(urlPath);
    },
  };
}

// Each <picture>'s <img>: where it is, what it offers, what it loaded.
function picturesInPage() {
  const abs = (u) => new URL(u, document.baseURI).href;
  const candidates = (srcset) =>
    (srcset ?? '')
      .split(',')
      .map((c) => c.trim().split(/\s+/))
      .filter(([url]) => url)
      .map(([url, d]) => ({ url: abs(url), w: /^\d+w$/.test(d ?? '') ? parseInt(d, 10) : null }));
  return [...document.querySelectorAll('picture')].map((picture, i) => {
    const img = picture.querySelector('img');
    const r = img?.getBoundingClientRect();
    const alt = img?.getAttribute('alt');
    return {
      element: `picture ${i + 1} <img${alt === null || alt === undefined ? '' : ` alt="${alt.slice(0, 40)}"`} src="${img?.getAttribute('src') ?? ''}">`,
      hasImg: img !== null,
      top: r ? r.top + window.scrollY : 0,
      width: r?.width ?? 0,
      attrs: img ? { width: img.getAttribute('width'), height: img.getAttribute('height') } : {},
      sources: [...picture.querySelectorAll('source')].map((s) => ({ type: s.getAttribute('type'), candidates: candidates(s.getAttribute('srcset')) })),
      src: img?.getAttribute('src') ? abs(img.getAttribute('src')) : null,
      fallbacks: candidates(img?.getAttribute('srcset')),
      currentSrc: img?.currentSrc ?? '',
      complete: img?.complete ?? false,
      naturalWidth: img?.naturalWidth ?? 0,
      dpr: window.devicePixelRatio,
    };
  });
}

// Scrolls each <picture>'s <img> into view and waits until it is complete
// (loaded or broken). Returns the facts of picturesInPage afterwards.
async function scrollEachIntoView(page) {
  const n = await page.evaluate(() => document.querySelectorAll('picture').length);
  for (let i = 0; i < n; i += 1) {
    await page.evaluate((k) => document.querySelectorAll('picture')[k].querySelector('img')?.scrollIntoView({ block: 'center' }), i);
    await page
      .waitForFunction((k) => document.querySelectorAll('picture')[k].querySelector('img')?.complete !== false, { timeout: LOAD_TIMEOUT_MS }, i)
      .catch(() => {});
  }
  return page.evaluate(picturesInPage);
}

const loadProblem = (p) =>
  p.complete && p.naturalWidth > 0 ? null : `did not load once scrolled into view (complete ${p.complete}, naturalWidth ${p.naturalWidth}, currentSrc ${p.currentSrc || 'none'})`;

// The loaded rule alone, on the page as it is (file:// too). Returns
// { pictures, problems: [string] }.
export async function picturesLoad(page) {
  const facts = await scrollEachIntoView(page);
  const problems = [];
  for (const p of facts) {
    const why = loadProblem(p);
    if (why) problems.push(`${p.element} ${why}`);
  }
  return { pictures: facts.length, problems };
}

// The candidate a reader needs: the smallest width at least `need`
// pixels, else the widest.
function neededCandidate(list, need) {
  const sorted = [...list].sort((a, b) => a.w - b.w);
  return sorted.find((c) => c.w >= need) ?? sorted[sorted.length - 1];
}

// loaded, webp, width and lazy, in one tab at PHONE.
async function phoneRules(context, url, out) {
  const page = await context.newPage();
  try {
    await page.setViewport(PHONE);
    await page.setCacheEnabled(false);
    const requested = new Set();
    page.on('request', (r) => requested.add(r.url()));
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    // Let the lazy-loading observer start what it means to start.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 300))));
    const before = await page.evaluate(picturesInPage);
    const early = new Set(requested);
    out.counts.requestsBeforeScroll += early.size;
    const fold = PHONE.height;
    const far = (p) => p.top - fold > FAR_SCREENS * fold;
    const near = new Set(before.filter((p) => !far(p)).flatMap(filesOf));
    for (const p of before.filter(far)) {
      const own = filesOf(p).filter((f) => !near.has(f));
      if (own.length === 0) continue;
      out.counts.far += 1;
      const fetched = own.filter((f) => early.has(f));
      if (fetched.length > 0) {
        out.fail('lazy', p.element, `its top is ${Math.round(p.top)} px down (the fold is at ${fold} px), yet ${fetched.map(short).join(', ')} was requested before scrolling: it is not lazily loaded`);
      }
    }
    const after = await scrollEachIntoView(page);
    for (const p of after) {
      out.counts.pictures += 1;
      if (!p.hasImg) {
        out.fail('loaded', p.element, 'the <picture> has no <img>');
        continue;
      }
      const why = loadProblem(p);
      if (why) {
        out.fail('loaded', p.element, why);
        continue;
      }
      if (!/\.webp$/i.test(new URL(p.currentSrc).pathname)) {
        out.fail('webp', p.element, `loaded ${short(p.currentSrc)}, not a .webp file, in a browser that supports WebP`);
      }
      const list = [...p.sources.map((s) => s.candidates), p.fallbacks].find((l) => l.some((c) => c.url === p.currentSrc));
      if (!list) {
        out.fail('width', p.element, `loaded ${short(p.currentSrc)}, which no srcset of the picture offers`);
        continue;
      }
      if (list.some((c) => c.w === null)) {
        out.fail('width', p.element, 'its srcset does not give every candidate a width (w descriptor)');
        continue;
      }
      const need = p.width * p.dpr;
      const chosen = list.find((c) => c.url === p.currentSrc);
      const right = neededCandidate(list, need);
      if (chosen.w !== right.w) {
        const what = chosen.w > right.w ? 'more than needed' : 'too small: blurry';
        out.fail(
          'width',
          p.element,
          `shown ${p.width.toFixed(1)} CSS px wide × ${p.dpr} = ${Math.round(need)} px, it loaded ${chosen.w}w (${what}); ${right.w}w is the candidate for that (srcset widths ${list.map((c) => c.w).join(', ')})`,
        );
      }
      out.counts.chosen.push(`${chosen.w}w`);
    }
    return after;
  } finally {
    await page.close().catch(() => {});
  }
}

// The layout rule: every image request held, the page laid out.
async function layoutRule(context, url, out) {
  const page = await context.newPage();
  const held = [];
  try {
    await page.setViewport(PHONE);
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.isInterceptResolutionHandled()) return;
      if (r.resourceType() === 'image') held.push(r);
      else r.continue().catch(() => {});
    });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
    const imgs = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return [...document.querySelectorAll('img')].map((img, i) => {
        const r = img.getBoundingClientRect();
        const picture = img.closest('picture');
        const index = picture ? [...document.querySelectorAll('picture')].indexOf(picture) + 1 : 0;
        return {
          element: `${picture ? `picture ${index} ` : `img ${i + 1} `}<img alt="${(img.getAttribute('alt') ?? '').slice(0, 40)}" src="${img.getAttribute('src') ?? ''}">`,
          inPicture: picture !== null,
          w: img.getAttribute('width'),
          h: img.getAttribute('height'),
          box: { width: r.width, height: r.height },
          loaded: img.naturalWidth > 0 && !img.currentSrc.startsWith('data:'),
        };
      });
    });
    if (imgs.some((i) => i.loaded)) throw new Error('an image loaded although every image request was held');
    for (const img of imgs) {
      const w = Number(img.w);
      const h = Number(img.h);
      const sized = img.w !== null && img.h !== null && w > 0 && h > 0;
      if (!sized) {
        if (img.inPicture) out.fail('layout', img.element, 'has no width and height: the page moves when the picture arrives');
        continue;
      }
      out.counts.boxes += 1;
      const expected = (img.box.width * h) / w;
      if (img.box.width === 0 || Math.abs(img.box.height - expected) > 1) {
        out.fail(
          'layout',
          img.element,
          `before it loaded its box was ${img.box.width.toFixed(1)}×${img.box.height.toFixed(1)} px, not the ${w}:${h} of its width and height (${expected.toFixed(1)} px tall): the page moves when it arrives`,
        );
      }
    }
  } finally {
    for (const r of held) await r.abort().catch(() => {});
    await page.close().catch(() => {});
  }
}

// The fallback and files rules, in a blank page of the same origin.
async function filesRules(context, origin, pictures, out) {
  const files = new Map(); // url -> { w, types (null: any image), element, ratio }
  const add = (url, w, types, p) => {
    if (!files.has(url)) files.set(url, { url, w, types, element: p.element, ratio: ratioOf(p) });
  };
  for (const p of pictures) {
    for (const s of p.sources) for (const c of s.candidates) add(c.url, c.w, s.type ? [s.type] : null, p);
    for (const c of [...(p.src ? [{ url: p.src, w: null }] : []), ...p.fallbacks]) {
      const type = FALLBACK_TYPES[extension(c.url)];
      if (!type) out.fail('fallback', p.element, `its <img> names ${short(c.url)}, not a JPEG or PNG file, which every browser without WebP can show`);
      add(c.url, c.w, type ? [type] : ['image/jpeg', 'image/png'], p);
    }
  }
  const page = await context.newPage();
  try {
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.isInterceptResolutionHandled()) return;
      if (r.url() === origin + BLANK) r.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>blank</title>' });
      else r.continue().catch(() => {});
    });
    await page.goto(origin + BLANK, { waitUntil: 'load' });
    const seen = await page.evaluate(
      (urls) =>
        Promise.all(
          urls.map(async (url) => {
            const res = await fetch(url, { cache: 'no-store' }).catch(() => null);
            const img = new Image();
            img.src = url;
            const decoded = await img.decode().then(
              () => true,
              () => false,
            );
            return { url, status: res?.status ?? 0, type: res?.headers.get('content-type') ?? '', decoded, width: img.naturalWidth, height: img.naturalHeight };
          }),
        ),
      [...files.keys()],
    );
    for (const s of seen) {
      const f = files.get(s.url);
      out.counts.files += 1;
      const fail = (why) => out.fail('files', f.element, `${short(s.url)} ${why}`);
      if (s.status !== 200) fail(`answers HTTP ${s.status}`);
      const type = s.type.split(';')[0].trim().toLowerCase();
      if (s.status === 200 && !(f.types ? f.types.includes(type) : type.startsWith('image/'))) {
        fail(`is served as ${type || 'no type'}, not ${f.types ? f.types.join(' or ') : 'an image'}`);
      }
      const named = f.types?.flatMap((t) => EXTENSIONS[t] ?? []) ?? [];
      if (named.length > 0 && !named.includes(extension(s.url))) fail(`is offered as ${f.types.join(' or ')} but named ${extension(s.url) || 'without an extension'}`);
      if (!s.decoded) {
        if (s.status === 200) fail('does not decode as an image');
        continue;
      }
      if (f.w !== null && s.width !== f.w) fail(`is ${s.width} px wide, but its srcset says ${f.w}w`);
      if (f.ratio && Math.abs(s.height - s.width * f.ratio) > 1) {
        fail(`is ${s.width}×${s.height} px, not the ratio of the <img>'s width and height (${(s.width * f.ratio).toFixed(1)} px tall): the page moves when it arrives`);
      }
    }
  } finally {
    await page.close().catch(() => {});
  }
}

const ratioOf = (p) => (Number(p.attrs.width) > 0 && Number(p.attrs.height) > 0 ? Number(p.attrs.height) / Number(p.attrs.width) : null);
const filesOf = (p) => [...p.sources.flatMap((s) => s.candidates.map((c) => c.url)), ...(p.src ? [p.src] : []), ...p.fallbacks.map((c) => c.url)];
const extension = (url) => /\.[a-z0-9]+$/i.exec(new URL(url).pathname)?.[0].toLowerCase() ?? '';
const short = (url) => new URL(url).pathname;

// Every rule on one page: { problems: [{ rule, element, why }], counts }.
export async function picturePageProblems(context, origin, urlPath) {
  const out = {
    problems: [],
    counts: { pictures: 0, far: 0, requestsBeforeScroll: 0, boxes: 0, files: 0, chosen: [] },
    fail(rule, element, why) {
      this.problems.push({ rule, element, why });
    },
  };
  const guarded = async (rule, fn) => {
    try {
      return await fn();
    } catch (err) {
      out.fail(rule, 'the page', `could not be checked: ${err.message}`);
      return [];
    }
  };
  const pictures = await guarded('loaded', () => phoneRules(context, origin + urlPath, out));
  await guarded('layout', () => layoutRule(context, origin + urlPath, out));
  await guarded('files', () => filesRules(context, origin, pictures, out));
  return out;
}

// The check on the pages of a site found by pictureFinder. Returns a line
// for the log.
export async function checkPictures(context, origin, site, pages, report) {
  const started = Date.now();
  if (pages.length === 0 && site.name !== LAZY_FIXTURE) return 'no page with a <picture>';
  const total = { pictures: 0, far: 0, requestsBeforeScroll: 0, boxes: 0, files: 0, chosen: new Map() };
  for (const urlPath of pages) {
    const where = `${site.name} ${urlPath}`;
    report.checked('pictures');
    const r = await picturePageProblems(context, origin, urlPath);
    for (const p of r.problems) {
      const at = ['fallback', 'files'].includes(p.rule) ? '' : ', 360×640 @2x';
      report.fail('pictures', `${where} [${p.rule}${at}]`, `${p.element}: ${p.why}`);
    }
    for (const k of ['pictures', 'far', 'requestsBeforeScroll', 'boxes', 'files']) total[k] += r.counts[k];
    for (const c of r.counts.chosen) total.chosen.set(c, (total.chosen.get(c) ?? 0) + 1);
  }
  report.tally('pictures', 'pictures', total.pictures);
  report.tally('pictures', 'far below the fold', total.far);
  report.tally('pictures', 'boxes before loading', total.boxes);
  report.tally('pictures', 'files fetched', total.files);
  if (site.name === LAZY_FIXTURE && total.far === 0) {
    report.fail('pictures', `${site.name} [lazy]`, `no picture with files of its own lies more than ${FAR_SCREENS} screens below the fold at 360×640: the fixture no longer tests lazy loading`);
  }
  const chosen = [...total.chosen].map(([w, n]) => `${n}×${w}`).join(', ') || 'none';
  return `${total.pictures} pictures on ${pages.length} pages (loaded ${chosen}); ${total.far} far below the fold, ${total.requestsBeforeScroll} requests before scrolling; ${total.boxes} boxes before loading; ${total.files} files fetched (${((Date.now() - started) / 1000).toFixed(1)} s)`;
}
