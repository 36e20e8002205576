// Numbers and addresses read and dial correctly in every direction.
//
// Phone numbers are shown in the reader's digits (+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱ in
// Dari) inside <bdi class="num" dir="ltr">, and dialled from an ASCII
// href (tel:+996000000001). On a right-to-left page a number that is not
// isolated as left-to-right is laid out wrongly: "+996 000 000 001" shows
// as "001 000 000 996+". Run on every page (the directory pages are where
// these elements live), this checks:
//
//   href    – every a[href^="tel:"] and a[href^="sms:"] dials "+" and ASCII
//             digits only (tel:112, tel:+996000000001);
//   digits  – the number shown in the link's .num (else the link's text,
//             when it has digits), with any Unicode decimal digits
//             (Persian ۰-۹, Arabic-Indic ٠-٩, …) read as 0-9 and spaces
//             and punctuation dropped, is the number dialled, "+" included;
//             the same for channels that show a phone number
//             (https://wa.me/996…, https://signal.me/#p/+996…);
//   isolate – every .num and every bdi[dir=ltr] has computed direction ltr
//             and unicode-bidi isolate, isolate-override or plaintext;
//   order   – the real proof: the characters of every .num and
//             bdi[dir=ltr] are laid out left to right. Each character's box
//             comes from Range.getClientRects (whitespace, marks and
//             invisible format characters are skipped); on one line each
//             next character must lie to the right of the one before (half
//             a pixel of slack, for ligatures), and a wrapped element must
//             go on below. "+" is leftmost, the last digit rightmost;
//   bare    – in right-to-left text (the nearest isolating ancestor is rtl)
//             every web address, e-mail address and number that sits in
//             no left-to-right isolate (https://…, name@host.org, "+" and
//             6 digits or more, 3 or more space-separated digit groups:
//             0312 000 000, 12 000 000) must still be laid out left to
//             right, by the same measure. Where the bidi algorithm moves a
//             trailing "/" or reverses digit groups, this fails.
//
// selfTestBidi() proves on a page made for it that these checks fail when
// they should (and pass when they should); check.mjs runs it first.

// In the browser: the facts the checks need. Returns
// { dir, links: [...], isolates: [...], bare: [...] }.
export function bidiFactsInPage() {
  const ISOLATING = new Set(['isolate', 'isolate-override', 'plaintext']);
  const SKIP_CHAR = /[\s\p{M}\p{Cf}]/u;

  const describe = (el) => {
    const parts = [];
    for (let n = el; n && n !== document.body && parts.length < 4; n = n.parentElement) {
      let s = n.localName;
      if (n.id) s += `#${n.id}`;
      for (const c of n.classList) s += `.${c}`;
      if (n.getAttribute('dir')) s += `[dir=${n.getAttribute('dir')}]`;
      parts.unshift(s);
    }
    return parts.join(' > ');
  };

  // The boxes of the characters of text node `node` from `start` to `end`
  // (UTF-16 offsets), in logical order: [{ ch, left, right, top, bottom }].
  const charBoxes = (node, start, end, out) => {
    const range = document.createRange();
    let i = start;
    while (i < end) {
      const cp = node.data.codePointAt(i);
      const len = cp > 0xffff ? 2 : 1;
      const ch = String.fromCodePoint(cp);
      if (!SKIP_CHAR.test(ch)) {
        range.setStart(node, i);
        range.setEnd(node, i + len);
        const rect = [...range.getClientRects()].find((r) => r.width > 0 && r.height > 0);
        if (rect) out.push({ ch, left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom });
      }
      i += len;
    }
    return out;
  };

  const boxesOfElement = (el) => {
    const out = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) charBoxes(t, 0, t.data.length, out);
    return out;
  };

  // Checks that boxes (logical order) run left to right, line by line.
  // Returns null when they do, else { observed, at }: the characters in
  // the order they appear on screen, and the first pair out of order.
  const orderProblem = (boxes) => {
    const sameLine = (a, b) => {
      const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      return overlap > 0.5 * Math.min(a.bottom - a.top, b.bottom - b.top);
    };
    let bad = null;
    for (let k = 1; k < boxes.length && !bad; k++) {
      const a = boxes[k - 1];
      const b = boxes[k];
      if (sameLine(a, b)) {
        if ((b.left + b.right) / 2 < (a.left + a.right) / 2 - 0.5) bad = k;
      } else if (b.top < a.top) {
        bad = k; // the next character went up a line
      }
    }
    if (bad === null) return null;
    const onScreen = [...boxes].sort((a, b) => (sameLine(a, b) ? a.left - b.left : a.top - b.top));
    return {
      observed: onScreen.map((b) => b.ch).join(''),
      at: `"${boxes[bad - 1].ch}" (character ${bad}) is drawn at x=${Math.round((boxes[bad - 1].left + boxes[bad - 1].right) / 2)}, ` +
        `"${boxes[bad].ch}" after it at x=${Math.round((boxes[bad].left + boxes[bad].right) / 2)}`,
    };
  };

  const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();

  // Phone and SMS links, and channels that show a phone number.
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    const scheme = /^\s*(tel|sms):/i.exec(href)?.[1]?.toLowerCase();
    const num = a.querySelector('.num');
    if (scheme) {
      links.push({ kind: scheme, href, shown: num ? text(num) : text(a), fromNum: !!num, where: describe(a) });
    } else if (num) {
      links.push({ kind: 'channel', href, shown: text(num), fromNum: true, where: describe(a) });
    }
  }

  // Left-to-right isolates: style and visual order.
  const isolates = [];
  for (const el of document.querySelectorAll('.num, bdi[dir="ltr" i]')) {
    const style = getComputedStyle(el);
    const boxes = boxesOfElement(el);
    isolates.push({
      text: text(el),
      where: describe(el),
      direction: style.direction,
      unicodeBidi: style.unicodeBidi,
      isolated: style.direction === 'ltr' && ISOLATING.has(style.unicodeBidi),
      drawn: boxes.length,
      order: orderProblem(boxes),
    });
  }

  // Addresses and numbers in right-to-left text, outside any ltr isolate.
  const contextDir = (node) => {
    for (let el = node.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (ISOLATING.has(style.unicodeBidi) || el === document.documentElement) return style.direction;
    }
    return 'ltr';
  };
  const PATTERNS = [
    ['web address', /\b(?:https?:\/\/|www\.)[^\s<>"«»]*[^\s<>"«».,;:!?()\[\]،؛؟]/giu],
    ['e-mail address', /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu],
    // "+" and 6 digits or more (+996 000 000 001; not an age like +18),
    // or three or more groups of digits split by spaces (0312 000 000,
    // 12 000 000). Not dates: 2026-11-25 may read right to left.
    ['number', /\+\p{Nd}(?:[ \u00a0().-]*\p{Nd}){5,}|\p{Nd}+(?:[ \u00a0]\p{Nd}+){2,}/gu],
  ];
  const bare = [];
  // (No filter callback: with JavaScript off a page cannot call back.)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!/[@:/\p{Nd}]/u.test(t.data)) continue;
    if (t.parentElement.closest('script, style, template, noscript, .num, bdi[dir="ltr" i]')) continue;
    if (contextDir(t) !== 'rtl') continue;
    const seen = new Set();
    for (const [what, re] of PATTERNS) {
      for (const m of t.data.matchAll(re)) {
        if ([...seen].some(([s, e]) => m.index >= s && m.index < e)) continue; // inside an address
        seen.add([m.index, m.index + m[0].length]);
        const boxes = charBoxes(t, m.index, m.index + m[0].length, []);
        bare.push({ what, text: m[0], where: describe(t.parentElement), drawn: boxes.length, order: orderProblem(boxes) });
      }
    }
  }

  return { dir: document.documentElement.getAttribute('dir'), links, isolates, bare };
}

// Any Unicode decimal digit as 0-9. Decimal digits (\p{Nd}) come in runs
// of 0-9 in code point order, so a digit's value is its distance from the
// start of its run, modulo 10.
export function asciiDigits(text) {
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') {
      out += ch;
      continue;
    }
    if (!/\p{Nd}/u.test(ch)) {
      out += ch;
      continue;
    }
    let start = ch.codePointAt(0);
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
    out += String((ch.codePointAt(0) - start) % 10);
  }
  return out;
}

// "+" (when first) and the digits of a shown number, as ASCII.
export function dialledForm(shown) {
  const ascii = asciiDigits(shown).trim();
  return (ascii.startsWith('+') ? '+' : '') + ascii.replace(/[^0-9]/g, '');
}

// Problems with the links of a page, as strings.
function linkProblems(links) {
  const problems = [];
  for (const l of links) {
    if (l.kind === 'tel' || l.kind === 'sms') {
      const dial = l.href.replace(/^\s*(tel|sms):/i, '');
      if (!/^\+?[0-9]+$/.test(dial)) {
        problems.push(`${l.kind} link ${JSON.stringify(l.href)} at ${l.where}: the href must be ${l.kind}: then "+" and ASCII digits only`);
        continue;
      }
      const shown = dialledForm(l.shown);
      const hasDigits = /[0-9]/.test(shown);
      if (!hasDigits && !l.fromNum) continue; // "Call us": a label, not a number
      if (shown !== dial) {
        problems.push(
          `${l.kind} link ${JSON.stringify(l.href)} at ${l.where} shows ${JSON.stringify(l.shown)}, ` +
            `which reads ${JSON.stringify(shown)}: not the number it dials (${dial})`,
        );
      }
    } else {
      const shown = dialledForm(l.shown);
      if (!/^\+?[0-9][0-9\s().-]*$/.test(asciiDigits(l.shown).trim())) continue; // not a number
      const hrefDigits = l.href.split('?')[0].replace(/[^0-9]/g, '');
      if (shown.replace('+', '') !== hrefDigits) {
        problems.push(
          `channel ${JSON.stringify(l.href)} at ${l.where} shows ${JSON.stringify(l.shown)} (${shown}), ` +
            `but its address has the digits ${hrefDigits || '(none)'}`,
        );
      }
    }
  }
  return problems;
}

function orderText(item) {
  return `${item.order.at}; on screen, left to right: ${JSON.stringify(item.order.observed)}`;
}

// All bidi problems of the loaded page. Returns { problems, counts }.
// counts: { telSms, channels, isolates, chars, bare } (what was checked).
export async function bidiProblems(page) {
  const facts = await page.evaluate(bidiFactsInPage);
  const problems = linkProblems(facts.links);
  for (const i of facts.isolates) {
    if (!i.isolated) {
      problems.push(
        `${i.where} ${JSON.stringify(i.text)} is not isolated left to right: computed direction ` +
          `${i.direction}, unicode-bidi ${i.unicodeBidi} (expected ltr and isolate)`,
      );
    }
    if (i.order) problems.push(`${i.where} ${JSON.stringify(i.text)} is not laid out left to right: ${orderText(i)}`);
  }
  for (const b of facts.bare) {
    if (b.order) {
      problems.push(
        `${b.what} ${JSON.stringify(b.text)} in right-to-left text at ${b.where}, outside any ` +
          `left-to-right isolate, is reordered: ${orderText(b)}`,
      );
    }
  }
  return {
    dir: facts.dir,
    problems,
    counts: {
      telSms: facts.links.filter((l) => l.kind !== 'channel').length,
      channels: facts.links.filter((l) => l.kind === 'channel').length,
      isolates: facts.isolates.length,
      chars: facts.isolates.reduce((n, i) => n + i.drawn, 0),
      bare: facts.bare.length,
    },
  };
}

// A right-to-left page whose numbers are right and wrong in known ways.
// Each case: [id, html, expect] where expect is a fragment of the problem
// that must be reported for the element, or null when nothing may be.
const SELF_TEST_CASES = [
  ['plain-ascii', '<p id="c">شماره: <span>+996 000 000 001</span> زنگ بزنید</p>', 'number "+996 000 000 001" in right-to-left text'],
  ['plain-persian', '<p id="c">شماره: <span>+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱</span> زنگ بزنید</p>', 'number "+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱" in right-to-left text'],
  ['url-slash', '<p id="c">منبع: https://example.org/. معلومات</p>', 'web address "https://example.org/" in right-to-left text'],
  ['num-not-isolated', '<p id="c">شماره: <span class="num">+996 000 000 001</span> زنگ</p>', 'span.num "+996 000 000 001" is not isolated'],
  ['num-rtl-isolate', '<p id="c">شماره: <span class="num" style="direction:rtl;unicode-bidi:isolate">+996 000 000 001</span> زنگ</p>', 'is not laid out left to right'],
  // Arabic-Indic digits are "Arabic numbers" to the bidi algorithm: even
  // isolated as ltr, space-separated groups come out in reverse order.
  ['arabic-indic-groups', '<p id="c">شماره: <bdi dir="ltr">+٩٩٦ ٠٠٠ ٠٠٠ ٠٠١</bdi> زنگ</p>', 'is not laid out left to right'],
  ['wrong-digits', '<p id="c"><a class="call" href="tel:+996000000001"><bdi class="num" dir="ltr">+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۲</bdi></a></p>', 'not the number it dials'],
  ['href-not-ascii', '<p id="c"><a class="call" href="tel:+۹۹۶۰۰۰۰۰۰۰۰۱"><bdi class="num" dir="ltr">+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱</bdi></a></p>', 'the href must be tel: then "+" and ASCII digits only'],
  ['whatsapp-wrong', '<p id="c"><a class="channel" href="https://wa.me/996000000004"><bdi class="num" dir="ltr">+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۳</bdi></a></p>', 'but its address has the digits 996000000004'],
  // Right: these must pass.
  ['isolated-persian', '<p id="c"><a class="call" href="tel:+996000000001"><span>خط کمک</span> <bdi class="num" dir="ltr">+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱</bdi></a></p>', null],
  ['isolated-short', '<p id="c"><a class="call" href="tel:112"><span>عاجل</span> <bdi class="num" dir="ltr">۱۱۲</bdi></a></p>', null],
  ['isolated-ascii-sms', '<p id="c"><a class="channel" href="sms:+996000000009"><span>پیام</span> <bdi class="num" dir="ltr">+996 000-000 009</bdi></a></p>', null],
  ['isolated-url', '<p id="c">منبع: <bdi dir="ltr">https://example.org/</bdi>. معلومات</p>', null],
  ['rtl-date-and-age', '<p id="c">از ۲۰۲۶-۱۱-۲۵، برای سن +۱۸ و ۳ خدمت</p>', null],
  ['isolated-email', '<p id="c"><a class="channel" href="mailto:help@example.org"><span>ایمیل</span> <bdi class="num" dir="ltr">help@example.org</bdi></a></p>', null],
];

// Runs the checks of this module on pages made to fail and to pass.
// Returns problems (strings): empty when the checks work.
export async function selfTestBidi(context) {
  const page = await context.newPage();
  const out = [];
  try {
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 360, height: 640 });
    for (const [id, html, expect] of SELF_TEST_CASES) {
      await page.setContent(
        `<!doctype html><html lang="fa-AF" dir="rtl"><head><meta charset="utf-8"><title>t</title>` +
          `<style>body{font:16px/1.8 Tahoma,"Noto Naskh Arabic","Noto Sans Arabic",sans-serif}</style></head>` +
          `<body><main>${html}</main></body></html>`,
        { waitUntil: 'load' },
      );
      const { problems } = await bidiProblems(page);
      if (expect === null && problems.length > 0) {
        out.push(`bidi self-test ${id}: a correct page was reported:\n${problems.join('\n')}`);
      } else if (expect !== null && !problems.some((p) => p.includes(expect))) {
        out.push(
          `bidi self-test ${id}: the check did not report ${JSON.stringify(expect)} for ${html}` +
            (problems.length ? `\nit reported:\n${problems.join('\n')}` : ' (it reported nothing): the check is broken'),
        );
      }
    }
    const digits = dialledForm('+۹۹۶ ٠٠٠ 000-۰۰۱ (١١٢)');
    if (digits !== '+996000000001112') out.push(`bidi self-test: dialledForm read "+۹۹۶ ٠٠٠ 000-۰۰۱ (١١٢)" as ${digits}`);
  } finally {
    await page.close().catch(() => {});
  }
  return out;
}
