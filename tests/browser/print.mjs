// The printable list of a country's services (/{lang}/services/country/
// {cc}/print/) is for paper: a shelter prints it and pins it up. With
// print media emulated (page.emulateMediaType('print')) at the width of an
// A4 page (794×1123 CSS px), on every print page:
//   - the header's navigation (main menu, language switcher) and the
//     footer are not displayed (checkVisibility is false);
//   - the service cards (main .items > .card) form one column: every card
//     has the same left edge (±1 px) and each starts below the one before;
//   - every phone number (a[href^="tel:"] .num) is at least 20 px;
//   - page.pdf({ format: 'A4' }) gives a PDF: it starts with %PDF and has
//     at least one /Type /Page. It is written to target/browser/print/.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from './browser.mjs';

const A4 = { width: 794, height: 1123 };
const MIN_NUM_PX = 20;

function printFactsInPage() {
  const shown = (el) => el.checkVisibility();
  const describe = (el) => {
    let s = el.localName;
    for (const c of el.classList) s += `.${c}`;
    return s;
  };
  const hidden = [];
  const seen = new Set();
  for (const sel of ['header.site nav', 'nav.switcher', 'footer.site']) {
    for (const el of document.querySelectorAll(sel)) {
      if (seen.has(el)) continue;
      seen.add(el);
      hidden.push({ sel, what: describe(el), shown: shown(el) });
    }
  }
  const cards = [...document.querySelectorAll('main .items > .card')].filter(shown).map((el) => {
    const r = el.getBoundingClientRect();
    return {
      name: (el.querySelector('h2, h3, h4') ?? el).textContent.trim().replace(/\s+/g, ' ').slice(0, 60),
      left: r.left,
      top: r.top + window.scrollY,
      bottom: r.bottom + window.scrollY,
    };
  });
  const nums = [...document.querySelectorAll('main a[href^="tel:"] .num')].map((el) => ({
    text: el.textContent.trim(),
    px: parseFloat(getComputedStyle(el).fontSize),
    shown: shown(el),
  }));
  return { hidden, cards, nums };
}

// Problems of one print page, as strings, and what was measured.
// pdfFile: where to write the PDF.
export async function printProblems(page, url, pdfFile) {
  const problems = [];
  await page.setViewport(A4);
  await page.emulateMediaType('print');
  try {
    await load(page, url);
    const facts = await page.evaluate(printFactsInPage);
    for (const h of facts.hidden) {
      if (h.shown) problems.push(`${h.what} (${h.sel}) is displayed in print; it must not be`);
    }
    if (facts.cards.length === 0) problems.push('no service cards (main .items > .card) are displayed in print');
    const first = facts.cards[0];
    for (const [i, c] of facts.cards.entries()) {
      if (Math.abs(c.left - first.left) > 1) {
        problems.push(`card "${c.name}" starts at x=${c.left.toFixed(1)}, card "${first.name}" at x=${first.left.toFixed(1)}: the list is not one column in print`);
      }
      const before = facts.cards[i - 1];
      if (before && c.top < before.bottom - 1) {
        problems.push(`card "${c.name}" (top ${c.top.toFixed(1)}) is not below card "${before.name}" (bottom ${before.bottom.toFixed(1)}) in print`);
      }
    }
    const nums = facts.nums.filter((n) => n.shown);
    if (facts.nums.length > 0 && nums.length === 0) problems.push('no phone number (a[href^="tel:"] .num) is displayed in print');
    for (const n of nums) {
      if (n.px < MIN_NUM_PX) problems.push(`phone number "${n.text}" is ${n.px} px in print; it must be at least ${MIN_NUM_PX} px`);
    }

    const pdf = Buffer.from(await page.pdf({ format: 'A4' }));
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
    if (pdf.length === 0 || pdf.subarray(0, 4).toString('latin1') !== '%PDF') {
      problems.push(`page.pdf({ format: 'A4' }) did not produce a PDF (${pdf.length} bytes, starting ${JSON.stringify(pdf.subarray(0, 8).toString('latin1'))})`);
    } else if (pages < 1) {
      problems.push(`the PDF (${pdf.length} bytes) has no page`);
    }
    await mkdir(path.dirname(pdfFile), { recursive: true });
    await writeFile(pdfFile, pdf);
    return { problems, cards: facts.cards.length, nums: nums.length, pdfBytes: pdf.length, pdfPages: pages };
  } finally {
    await page.emulateMediaType(null);
  }
}
