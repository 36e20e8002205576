// Page weight: what a first visit to a page transfers — the HTML and every
// same-origin resource it loads (CSS, scripts, fonts) — raw and
// gzip-compressed (level 9, done here, whatever the server does), against
// the site's [budgets] page_kb (KB = 1000 bytes, compressed). Images are
// weighed apart, as the budget says (the build checks each against
// image_kb; pictures.mjs checks the browser takes the right width): they
// load lazily, often after the load event, and would otherwise be counted
// against whichever page loads next.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

// Records the same-origin responses of page. Returns { take() } giving
// (and clearing) { raw, gzip, resources, failures } for the last load.
export function watchResponses(page, origin) {
  let pending = [];
  page.on('response', (response) => {
    const url = response.url();
    if (!url.startsWith(`${origin}/`)) return;
    const status = response.status();
    if (status >= 300 && status < 400) return; // a redirect has no body
    // Browsers fetch /favicon.ico on their own, whenever they like, not
    // because the page asks for it; it would land on whichever page is
    // loading at that moment, so it is left out.
    const request = response.request();
    if (request.resourceType() === 'other' && new URL(url).pathname === '/favicon.ico') return;
    if (request.resourceType() === 'image') return;
    const isDocument = request.isNavigationRequest();
    pending.push(
      response.buffer().then(
        (body) => ({ url, isDocument, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }),
        (err) => ({ url, isDocument, error: err.message }),
      ),
    );
  });
  return {
    async take() {
      const done = await Promise.all(pending);
      pending = [];
      const ok = done.filter((r) => !r.error);
      return {
        raw: ok.reduce((n, r) => n + r.raw, 0),
        gzip: ok.reduce((n, r) => n + r.gzip, 0),
        resources: ok.filter((r) => !r.isDocument).length,
        failures: done.filter((r) => r.error).map((r) => `could not read ${r.url}: ${r.error}`),
      };
    },
  };
}

// A problem string when the page is over budget, else null.
export function overBudget(weight, pageKb) {
  const limit = pageKb * 1000;
  if (weight.gzip <= limit) return null;
  return (
    `${weight.gzip} bytes gzip-compressed (${weight.raw} raw, ${weight.resources} resource(s)) ` +
    `is over the budget of ${pageKb} KB (${limit} bytes, [budgets] page_kb)`
  );
}

// rows: [{ url, raw, gzip, resources }]. Writes the TSV report.
export async function writeWeightReport(file, rows) {
  await mkdir(path.dirname(file), { recursive: true });
  const lines = ['url\traw_bytes\tgzip_bytes\tresources'];
  for (const r of rows) lines.push(`${r.url}\t${r.raw}\t${r.gzip}\t${r.resources}`);
  await writeFile(file, `${lines.join('\n')}\n`);
}

export function heaviest(rows, n = 5) {
  return [...rows].sort((a, b) => b.gzip - a.gzip || a.url.localeCompare(b.url)).slice(0, n);
}
