// Injected script never runs. Writes a small hostile site (English and
// Pashto) whose titles, summaries, tags, Markdown bodies and even site
// titles carry script payloads, builds it with target/release/glimmer, and
// hands its pages to the browser, where nothing may run: no
// window.__pwned, no dialog, no on* attribute, no <script> (but the
// theme's own quick-exit script, see scriptsInPage), no javascript: URL.
//
// Links that run scripts are a build error in glimmer, so each such link
// sits in a file of its own: the first build must fail naming every one of
// them with "may not run a script"; they are then removed and the site
// must build.

import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  "'><img src=x onerror=alert(1)>",
];
const [SCRIPT, IMG, SVG, ALERT] = PAYLOADS;
// Scripts of every type: on the hostile site even JSON-LD counts.
export const TYPED_SCRIPTS = [
  '<script type="module">window.__pwned=1</script>',
  '<script type="text/javascript">window.__pwned=1</script>',
  '<script type="application/ld+json">{"@type":"Thing"}</script>',
];

// A TOML basic string holding any text.
const tomlString = (s) => JSON.stringify(s);

// A TOML value: strings quoted, lists of strings, and numbers and dates
// (given as { raw }) written as they are.
const tomlValue = (v) => {
  if (Array.isArray(v)) return `[${v.map(tomlString).join(', ')}]`;
  if (typeof v === 'string') return tomlString(v);
  return String(v.raw ?? v);
};

function frontMatter(fields) {
  const lines = Object.entries(fields).map(([k, v]) => `${k} = ${tomlValue(v)}`);
  return `+++\n${lines.join('\n')}\n+++\n`;
}

const BODY = `
${SCRIPT}

A sentence with ${IMG} inside, and ${SVG} too, and ${ALERT}.

${TYPED_SCRIPTS.join('\n\n')}

## ${SVG} {#heading}

## Anchor {#x"><svg/onload=window.__pwned=1>}

- ${SCRIPT}
- *${IMG}*

| ${SVG} | ${SCRIPT} |
|---|---|
| ${IMG} | \`${SCRIPT}\` |

A [link](https://example.org/ '${SVG}') and a [page](@/about.md) and a note[^n].

> ${IMG}

    ${SCRIPT}

[^n]: ${SVG}
`;

const CONFIG = `base_url = "https://example.org/"
menu = ["@/stories/_index.md", "@/about.md"]

[[languages]]
code = "en"
name = "English"
title = ${tomlString(`Hostile ${SCRIPT}`)}
description = ${tomlString(`Site ${IMG}`)}

[[languages]]
code = "ps"
name = "پښتو"
title = ${tomlString(`ازموینه ${SVG}`)}
description = ${tomlString(`توضیح ${ALERT}`)}
`;

// Each file holds one link that would run a script.
const SCRIPT_LINKS = {
  'content/stories/link-inline.md': '[x](javascript:window.__pwned=1)',
  'content/stories/link-autolink.md': '<javascript:window.__pwned=1>',
  'content/stories/link-reference.md': '[x][r]\n\n[r]: javascript:window.__pwned=1',
  'content/stories/link-upper.md': '[x]( JAVASCRIPT:window.__pwned=1)',
};

function siteFiles() {
  const story = (lang) =>
    frontMatter({
      title: `${lang} ${SCRIPT}`,
      date: { raw: '2026-11-25' },
      summary: `${IMG} ${SVG}`,
      tags: [SCRIPT, SVG, 'hotline'],
      day: 1,
    }) + BODY;
  const files = {
    'glimmer.toml': CONFIG,
    'content/_index.md': frontMatter({ title: `Home ${SVG}` }) + BODY,
    'content/_index.ps.md': frontMatter({ title: `کور ${SCRIPT}` }) + BODY,
    'content/about.md': frontMatter({ title: `About ${IMG}`, summary: SVG }) + BODY,
    'content/stories/_index.md': frontMatter({ title: `Stories ${SCRIPT}`, paginate_by: 1 }) + BODY,
    'content/stories/evil.md': story('en'),
    'content/stories/evil.ps.md': story('ps'),
    'content/stories/second.md': story('second'),
  };
  for (const [file, line] of Object.entries(SCRIPT_LINKS)) {
    files[file] = `${frontMatter({ title: 'Link' })}\n${line}\n`;
  }
  return files;
}

// The error blocks of a build output (its warnings left out), for reports.
function errorsOf(output) {
  return output
    .split(/\n\s*\n/)
    .filter((block) => /^(error|Build failed)/m.test(block.trimStart()))
    .join('\n\n')
    .trim();
}

async function build(glimmer, root) {
  try {
    const { stdout, stderr } = await run(glimmer, ['build', '--root', root, '--output', path.join(root, 'public')]);
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error(`${glimmer} not found: build it with cargo build --release`);
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

// Files named in "a link may not run a script" errors of a build output.
function refusedFiles(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const files = new Set();
  const re = /may not run a script\s*\n\s*-->\s*([^\s:]+)/g;
  for (const m of plain.matchAll(re)) files.add(m[1]);
  return files;
}

// Writes and builds the hostile site under dir. Records build findings in
// report; returns the folder of the built site, or null when it did not
// build.
export async function buildHostileSite(glimmer, dir, report) {
  await rm(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(siteFiles())) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const where = `hostile build (${dir})`;

  report.checked('hostile');
  const first = await build(glimmer, dir);
  const refused = refusedFiles(first.output);
  if (first.ok) {
    report.fail('hostile', where, 'the build with javascript: links succeeded; it must fail with "a link may not run a script"');
  }
  for (const file of Object.keys(SCRIPT_LINKS)) {
    if (!refused.has(file)) {
      report.fail('hostile', where, `${file} (${SCRIPT_LINKS[file].split('\n')[0]}) was not refused with "may not run a script"\n${errorsOf(first.output)}`);
    }
  }

  for (const file of Object.keys(SCRIPT_LINKS)) await rm(path.join(dir, file));
  const second = await build(glimmer, dir);
  if (!second.ok) {
    report.fail('hostile', where, `the hostile site (without javascript: links) did not build:\n${errorsOf(second.output)}`);
    return null;
  }
  return path.join(dir, 'public');
}

// In the page: signs that injected code ran or could run. Runs in the
// browser; also used on every page of the real sites, where
// { allowJsonLd: true } lets through structured data and nothing else: a
// <script> whose only attribute is type, exactly "application/ld+json",
// and whose text parses as JSON (a browser never runs it).
// { quickExitPath: '/quick-exit.js' } (the site's base path +
// quick-exit.js; on the real sites and the hostile one) lets through the
// theme's quick-exit script, once per page: an HTML <script> whose only
// attributes are src and defer, with no text, whose src resolves to this
// page's origin and exactly that path (no query, no fragment). Any other
// <script> is reported: no type, type="module", "text/javascript", a src
// elsewhere (another origin, another path), a second quick-exit script,
// one without defer or with text, a type in other letters, or JSON-LD
// that is not JSON.
export function scriptsInPage({ allowJsonLd = false, quickExitPath = null } = {}) {
  const found = [];
  const isQuickExit = (s) => {
    if (!quickExitPath || s.namespaceURI !== 'http://www.w3.org/1999/xhtml') return false;
    const names = [...s.attributes].map((a) => a.name).sort().join(' ');
    if (names !== 'defer src' || s.textContent !== '') return false;
    let url;
    try {
      url = new URL(s.getAttribute('src'), document.baseURI);
    } catch {
      return false;
    }
    return url.origin === location.origin && url.pathname === quickExitPath && url.search === '' && url.hash === '';
  };
  let quickExitScripts = 0;
  const isJsonLd = (s) => {
    if (s.attributes.length !== 1 || s.getAttribute('type') !== 'application/ld+json') return false;
    try {
      JSON.parse(s.textContent);
      return true;
    } catch {
      return false;
    }
  };
  for (const s of document.querySelectorAll('script')) {
    if (allowJsonLd && isJsonLd(s)) continue;
    if (isQuickExit(s) && ++quickExitScripts === 1) continue;
    const why = quickExitScripts > 1 && isQuickExit(s) ? ' (a second quick-exit script)' : '';
    found.push(`<script> element${why}: ${s.outerHTML.slice(0, 120)}`);
  }
  const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) found.push(`${a.name} attribute on <${el.localName}>: ${el.outerHTML.slice(0, 120)}`);
      if (URL_ATTRS.includes(a.name.toLowerCase()) && /^\s*(javascript|vbscript):/i.test(a.value.replace(/[\t\n\r]/g, ''))) {
        found.push(`${a.name}="${a.value.slice(0, 60)}" on <${el.localName}>`);
      }
    }
  }
  return found;
}
