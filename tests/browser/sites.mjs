// The built sites under target/validate/ (one folder per site, as
// scripts/validate-html leaves them), their HTML pages as URL paths, and
// the few settings of each site's glimmer.toml that the checks need.

import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

const DEFAULT_PAGE_KB = 14;
// Where "Exit this page" leads when glimmer.toml does not say (src/config.rs).
export const DEFAULT_QUICK_EXIT = 'https://www.google.com/';

// Where the glimmer.toml of a built folder lives: the example site is the
// repository itself, every other folder is named after its fixture.
export function configPathFor(repo, name) {
  return name === 'example'
    ? path.join(repo, 'glimmer.toml')
    : path.join(repo, 'tests', 'fixtures', name, 'glimmer.toml');
}

// { pageKb, menu, languages: [{ code }], basePath, servicesSection } from
// a glimmer.toml; defaults when the file or a key is absent. basePath is
// the path of base_url ('/' or '/campaign/'), which glimmer puts in front
// of every root-relative link; servicesSection is the folder of the
// service directory ([services] section, 'services' when unset). Each
// language's quickExit is its quick_exit, else the site's, else
// DEFAULT_QUICK_EXIT.
export async function readSiteConfig(file) {
  let raw = {};
  try {
    raw = parseToml(await readFile(file, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw new Error(`${file}: ${err.message}`);
  }
  const pageKb = raw.budgets?.page_kb ?? DEFAULT_PAGE_KB;
  return {
    configFile: file,
    pageKb: Number(pageKb),
    menu: Array.isArray(raw.menu) ? raw.menu : [],
    languages: (raw.languages ?? []).map((l) => ({
      code: l.code,
      quickExit: String(l.quick_exit ?? raw.quick_exit ?? DEFAULT_QUICK_EXIT),
    })),
    basePath: basePathOf(raw.base_url),
    servicesSection: String(raw.services?.section ?? 'services').replace(/^\/+|\/+$/g, ''),
  };
}

function basePathOf(baseUrl) {
  try {
    const p = new URL(String(baseUrl)).pathname;
    return p.endsWith('/') ? p : `${p}/`;
  } catch {
    return '/';
  }
}

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

// URL path of an HTML file: a/b/index.html -> /a/b/, 404.html -> /404.html.
export function urlPathOf(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return `/${rel.slice(0, -'index.html'.length)}`;
  return `/${rel}`;
}

// Every HTML page of a built folder, as sorted URL paths.
export async function htmlPages(root) {
  const files = (await walk(root)).filter((f) => f.endsWith('.html'));
  return files.map((f) => urlPathOf(root, f)).sort();
}

// The built sites: every folder of `base` holding an index.html, the
// example first. Each: { name, dir, pages, config }.
export async function findSites(base, repo) {
  const names = [];
  for (const entry of await readdir(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      await stat(path.join(base, entry.name, 'index.html'));
      names.push(entry.name);
    } catch {
      // not a built site (a log, a staging folder)
    }
  }
  names.sort((a, b) => (a === 'example' ? -1 : b === 'example' ? 1 : a.localeCompare(b)));
  const sites = [];
  for (const name of names) {
    const dir = path.join(base, name);
    sites.push({
      name,
      dir,
      pages: await htmlPages(dir),
      config: await readSiteConfig(configPathFor(repo, name)),
    });
  }
  return sites;
}
