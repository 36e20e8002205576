// Privacy: a page may load nothing from any origin but its own (no fonts,
// scripts, images, frames, prefetches, …), and may not store anything in
// the reader's browser (cookies, localStorage, sessionStorage) — on a
// shared phone, both would tell someone else that this site was visited.

const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

// Turns on request interception for page: every request to another origin
// is aborted and recorded. Returns { take() } giving (and clearing) the
// list of blocked requests as { url, type }.
export async function guardRequests(page, origin) {
  let blocked = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    let own;
    try {
      const u = new URL(url);
      own = u.origin === origin || LOCAL_SCHEMES.has(u.protocol);
    } catch {
      own = false;
    }
    if (own) {
      request.continue();
    } else {
      blocked.push({ url, type: request.resourceType() });
      request.abort('blockedbyclient');
    }
  });
  return {
    take() {
      const out = blocked;
      blocked = [];
      return out;
    },
  };
}

// In the page: elements that would fetch from another origin but that a
// first load may not show as a request (lazy images, preconnect and
// dns-prefetch hints, CSS url() and @import). Runs in the browser.
function foreignReferencesInPage() {
  const own = location.origin;
  const out = [];
  const foreign = (value) => {
    if (!value) return false;
    try {
      const u = new URL(value, document.baseURI);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== own;
    } catch {
      return false;
    }
  };
  const describe = (el) => el.outerHTML.slice(0, 160);
  const LOADING_RELS = /\b(stylesheet|preload|prefetch|modulepreload|preconnect|dns-prefetch|prerender|icon|apple-touch-icon|manifest|import)\b/i;
  for (const el of document.querySelectorAll('link[href]')) {
    if (LOADING_RELS.test(el.rel) && foreign(el.getAttribute('href'))) out.push(describe(el));
  }
  const ATTRS = ['src', 'poster', 'data', 'background'];
  for (const el of document.querySelectorAll('*')) {
    if (el.localName === 'a' || el.localName === 'link' || el.localName === 'area') continue;
    for (const a of ATTRS) {
      if (el.hasAttribute(a) && foreign(el.getAttribute(a))) out.push(describe(el));
    }
    const srcset = el.getAttribute('srcset') ?? el.getAttribute('imagesrcset');
    if (srcset && srcset.split(',').some((c) => foreign(c.trim().split(/\s+/)[0]))) {
      out.push(describe(el));
    }
    if (el.localName === 'use' && foreign(el.getAttribute('href') ?? el.getAttribute('xlink:href'))) {
      out.push(describe(el));
    }
  }
  const cssUrls = /url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)/g;
  const css = [...document.querySelectorAll('style')].map((s) => s.textContent);
  for (const el of document.querySelectorAll('[style]')) css.push(el.getAttribute('style'));
  for (const text of css) {
    for (const m of text.matchAll(cssUrls)) {
      if (foreign(m[1] ?? m[2])) out.push(`CSS reference ${m[0]}`);
    }
  }
  const refresh = document.querySelector('meta[http-equiv="refresh" i]');
  if (refresh && /url\s*=/i.test(refresh.content)) {
    const target = refresh.content.split(/url\s*=/i)[1].trim().replace(/^['"]|['"]$/g, '');
    if (foreign(target)) out.push(describe(refresh));
  }
  return [...new Set(out)];
}

// In the page: what it stored. Runs in the browser.
function storageInPage() {
  const keys = (s) => {
    try {
      return Array.from({ length: s.length }, (_, i) => s.key(i));
    } catch {
      return [];
    }
  };
  return {
    documentCookie: document.cookie,
    localStorage: keys(window.localStorage),
    sessionStorage: keys(window.sessionStorage),
  };
}

// Problems with what a loaded page fetched or stored, as strings. Clears
// what it finds so that the next page starts clean.
export async function privacyProblems(page, context, blockedRequests) {
  const problems = blockedRequests.map((r) => `request to another origin (${r.type}): ${r.url}`);
  for (const ref of await page.evaluate(foreignReferencesInPage)) {
    problems.push(`refers to another origin: ${ref}`);
  }
  const stored = await page.evaluate(storageInPage);
  const cookies = await context.cookies();
  if (cookies.length > 0 || stored.documentCookie) {
    const names = cookies.map((c) => `${c.name} (${c.domain})`).join(', ') || stored.documentCookie;
    problems.push(`sets a cookie: ${names}`);
    await context.deleteCookie(...cookies);
  }
  if (stored.localStorage.length > 0) {
    problems.push(`writes localStorage: ${stored.localStorage.join(', ')}`);
  }
  if (stored.sessionStorage.length > 0) {
    problems.push(`writes sessionStorage: ${stored.sessionStorage.join(', ')}`);
  }
  if (stored.localStorage.length + stored.sessionStorage.length > 0) {
    await page.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
  }
  return problems;
}
