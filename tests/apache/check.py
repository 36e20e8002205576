"""Real-HTTP checks of the .htaccess glimmer writes, run by scripts/apache-check.

    python3 tests/apache/check.py EXAMPLE_DIR CAMPAIGN_DIR \\
        --with-deflate URL ERROR_LOG --without-deflate URL ERROR_LOG

Each URL is a private Apache started by scripts/apache-check, one with
mod_deflate and one without, serving the built example site EXAMPLE_DIR at
/ and a site built with base_url https://example.org/campaign/
(CAMPAIGN_DIR) at /campaign/, both with `AllowOverride All`: the
.htaccess of each site is what decides. On each server:

- pre-compressed copies: HTML (by file and by directory URL), JavaScript,
  CSS, XML, JSON, SVG and text; every Accept-Encoding of ENCODINGS gets
  the .br copy, the .gz copy or the file itself as that header allows
  (q=0 refuses), always with the Content-Type of the file itself and
  `Vary: Accept-Encoding`;
- nothing compressed twice: the body is byte for byte the copy on disk
  (or the file, or gunzips to it), under one Content-Encoding. With
  mod_deflate, a text file without copies (deflate-control.txt, which
  scripts/apache-check adds to CAMPAIGN_DIR) proves it is at work;
- the security headers, once each, on every response (pages, scripts,
  pictures, feeds, 404 and 403 answers);
- Cache-Control by kind of file: 5 minutes for documents, a day for other
  files, a year and `immutable` for content-hashed names;
- file names that need escaping in a URL (space, Cyrillic, %, #, ?),
  which glimmer publishes from static/, are served like any other;
- a query string changes nothing; HEAD answers as GET, without a body;
- a missing page answers 404 with the 404 page of its own site, at / and
  under /campaign/;
- the error log holds no errors (an .htaccess Apache cannot read, a URL
  a rewrite made invalid).

Every failure prints the request (method, URL, headers), the check, and
what was expected against what came back. Exits 1 on any failure;
otherwise prints one summary line.
"""

import argparse
import gzip
import http.client
import re
import sys
import time
import urllib.parse
from pathlib import Path

# Accept-Encoding sent (None: no header at all) and the encoding that must
# come back (None: the file itself, not encoded).
ENCODINGS = [
    (None, None),
    ("br", "br"),
    ("gzip", "gzip"),
    ("gzip, deflate, br, zstd", "br"),  # what Chromium sends over HTTPS
    ("gzip, br;q=0", "gzip"),
    ("br;q=0.5", "br"),
    ("br;q=0, gzip;q=0", None),
    ("gzip;q=0", None),
    ("identity", None),
]

HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"
SHORT = "max-age=300"
MEDIUM = "max-age=86400"
LONG = "max-age=31536000, immutable"


class Response:
    def __init__(self, method, url, sent, status, headers, body):
        self.method, self.url, self.sent = method, url, sent
        self.status, self.headers, self.body = status, headers, body

    def all(self, name):
        return self.headers.get_all(name) or []


class Checker:
    """Requests to one server, and the tally of its checks."""

    def __init__(self, label, url):
        parts = urllib.parse.urlsplit(url)
        self.label, self.host, self.port = label, parts.hostname, parts.port
        self.origin = url.rstrip("/")
        self.requests = self.passed = self.failures = 0

    def request(self, path, accept_encoding=None, method="GET"):
        """One request on its own connection, with exactly the headers
        shown in failures (http.client would add Accept-Encoding:
        identity on its own)."""
        sent = {"Host": f"{self.host}:{self.port}"}
        if accept_encoding is not None:
            sent["Accept-Encoding"] = accept_encoding
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.endheaders()
            answer = conn.getresponse()
            body = answer.read()
        finally:
            conn.close()
        self.requests += 1
        return Response(method, self.origin + path, sent, answer.status, answer.msg, body)

    def check(self, r, what, ok, expected, got):
        if ok:
            self.passed += 1
            return True
        self.failures += 1
        lines = [f"FAIL [{self.label}] {r.method} {r.url}"]
        lines += [f"  request  {name}: {value}" for name, value in r.sent.items()]
        lines += [
            f"  status   {r.status}",
            f"  check    {what}",
            f"  expected {expected}",
            f"  got      {got}",
        ]
        print("\n".join(lines), file=sys.stderr)
        return False

    def equal(self, r, what, expected, got):
        return self.check(r, what, expected == got, expected, got)

    def fail(self, what, expected, got):
        """A failure that is not about a response (a file on disk, the log)."""
        self.failures += 1
        print(f"FAIL [{self.label}] {what}", file=sys.stderr)
        print(f"  expected {expected}\n  got      {got}", file=sys.stderr)


def describe(body):
    return f"{len(body)} bytes starting {body[:24]!r}"


def gunzip(body):
    try:
        return gzip.decompress(body)
    except (OSError, EOFError) as error:
        return f"not gzip ({error})"


def content_type(r):
    values = r.all("Content-Type")
    if len(values) != 1:
        return values
    return re.sub(r"\s*;\s*", "; ", values[0].lower())


def security_headers(c, r):
    """The headers every response carries, each exactly once."""
    csp = r.all("Content-Security-Policy")
    if c.equal(r, "Content-Security-Policy sent once", 1, len(csp)):
        for part in ("default-src 'self'", "frame-ancestors 'none'"):
            c.check(r, f"Content-Security-Policy has {part}", part in csp[0], part, csp[0])
    for name, value in [
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]:
        c.equal(r, name, [value], r.all(name))
    permissions = r.all("Permissions-Policy")
    c.check(
        r,
        "Permissions-Policy sent once, turning off the camera",
        len(permissions) == 1 and "camera=()" in permissions[0],
        "one header with camera=()",
        permissions,
    )


def vary(c, r):
    tokens = [t.strip().lower() for v in r.all("Vary") for t in v.split(",")]
    ok = "accept-encoding" in tokens
    c.check(r, "Vary names Accept-Encoding", ok, "Accept-Encoding", r.all("Vary"))


def served(c, r, folder, name, encoding, mime, cache, status=200, copy=True):
    """`r` carries the file `folder/name` as its `encoding` copy (None: as
    it is; with copy=False, gzip may also be compressed on the fly), sent
    as `mime`, with Cache-Control `cache` (None: unchecked), and the
    security headers."""
    plain = (folder / name).read_bytes()
    # After a wrong status or encoding the rest says little: one failure
    # is enough.
    if not c.check(r, "status", r.status == status, status, f"{r.status}, {describe(r.body)}"):
        return
    security_headers(c, r)
    c.equal(r, "Content-Type (that of the file itself)", mime, content_type(r))
    if cache is not None:
        c.equal(r, "Cache-Control", [cache], r.all("Cache-Control"))
    encodings = r.all("Content-Encoding")
    if encoding is None:
        if c.equal(r, "Content-Encoding (none: the file itself)", [], encodings):
            c.check(r, f"body is {name}", r.body == plain, describe(plain), describe(r.body))
        return
    if not c.equal(r, "Content-Encoding (one, once)", [encoding], encodings):
        return
    path = folder / (name + (".br" if encoding == "br" else ".gz"))
    if path.exists() and (copy or encoding == "br"):
        want = path.read_bytes()
        c.check(r, f"body is {path.name}", r.body == want, describe(want), describe(r.body))
    elif encoding == "br":
        c.fail(f"{path} on disk", "a Brotli copy", "no such file")
    if encoding == "gzip":
        got = gunzip(r.body)
        shown = got if isinstance(got, str) else describe(got)
        c.check(r, f"body gunzips to {name}", got == plain, describe(plain), shown)


def first(folder, pattern, what):
    found = sorted(folder.glob(pattern))
    if not found:
        raise SystemExit(f"apache-check: no {what} ({pattern}) in {folder}")
    return found[0].relative_to(folder).as_posix()


def check_server(c, example, campaign, deflate):
    # The files with compressed copies: URL path, folder, file,
    # Content-Type, Cache-Control. Directory URLs go through index.html.
    txt = first(campaign, "files/*.txt", "text file with a Cyrillic name")
    svg = first(campaign, "img/*.svg", "hashed SVG picture")
    targets = [
        ("/", example, "index.html", HTML, SHORT),
        ("/en/", example, "en/index.html", HTML, SHORT),
        ("/en/index.html", example, "en/index.html", HTML, SHORT),
        ("/quick-exit.js", example, "quick-exit.js", "text/javascript; charset=utf-8", MEDIUM),
        ("/sitemap.xml", example, "sitemap.xml", "application/xml; charset=utf-8", SHORT),
        ("/en/atom.xml", example, "en/atom.xml", "application/xml; charset=utf-8", SHORT),
        ("/en/services/services.json", example, "en/services/services.json", JSON, SHORT),
        ("/campaign/", campaign, "index.html", HTML, SHORT),
        ("/campaign/en/stories/march/", campaign, "en/stories/march/index.html", HTML, SHORT),
        ("/campaign/print.css", campaign, "print.css", "text/css; charset=utf-8", MEDIUM),
        ("/campaign/" + urllib.parse.quote(txt), campaign, txt, TEXT, SHORT),
        ("/campaign/files/NOTES.TXT", campaign, "files/NOTES.TXT", TEXT, SHORT),
        ("/campaign/" + svg, campaign, svg, "image/svg+xml", LONG),
    ]
    for path, folder, name, mime, cache in targets:
        for suffix in (".br", ".gz"):
            if not (folder / (name + suffix)).exists():
                c.fail(f"{folder / name}{suffix} on disk", "a compressed copy", "no such file")
        for accept, encoding in ENCODINGS:
            r = c.request(path, accept)
            served(c, r, folder, name, encoding, mime, cache)
            vary(c, r)

    # Names that need escaping in a URL, published from static/ with their
    # copies: every request gets the file, in an encoding it accepts (the
    # copy, or gzip on the fly).
    for name in ["odd/100% safe.txt", "odd/FAQ #2.txt", "odd/why?.txt"]:
        if not (campaign / name).exists():
            c.fail(f"{campaign / name} on disk", "the file", "no such file")
            continue
        path = "/campaign/" + urllib.parse.quote(name)
        for accept, allowed in [
            (None, [[]]),
            ("gzip", [[], ["gzip"]]),
            ("gzip, deflate, br, zstd", [[], ["gzip"], ["br"]]),
        ]:
            r = c.request(path, accept)
            encodings = r.all("Content-Encoding")
            if c.check(r, "Content-Encoding accepted", encodings in allowed, allowed, encodings):
                encoding = encodings[0] if encodings else None
                served(c, r, campaign, name, encoding, TEXT, SHORT, copy=False)

    # A query string changes nothing; HEAD answers as GET, without a body.
    r = c.request("/en/?utm_source=newsletter", "br")
    served(c, r, example, "en/index.html", "br", HTML, SHORT)
    r = c.request("/campaign/en/", "gzip", method="HEAD")
    if c.equal(r, "status", 200, r.status):
        security_headers(c, r)
        c.equal(r, "Content-Encoding", ["gzip"], r.all("Content-Encoding"))
        size = str((campaign / "en/index.html.gz").stat().st_size)
        c.equal(r, "Content-Length (that of en/index.html.gz)", [size], r.all("Content-Length"))
        c.equal(r, "body", b"", r.body)

    # Files without copies: pictures, hashed or not.
    webp = first(example, "img/*.webp", "hashed WebP picture")
    jpg = first(campaign, "img/*.jpg", "hashed JPEG picture")
    png = first(campaign, "images/*.png", "picture with a plain name")
    for path, folder, name, mime, cache in [
        ("/" + webp, example, webp, "image/webp", LONG),
        ("/campaign/" + jpg, campaign, jpg, "image/jpeg", LONG),
        ("/campaign/" + png, campaign, png, "image/png", MEDIUM),
    ]:
        for accept in (None, "gzip, deflate, br, zstd"):
            served(c, c.request(path, accept), folder, name, None, mime, cache)

    # A text file without copies: mod_deflate, where it is, compresses it
    # on the fly when gzip is accepted (so it is at work, and the checks
    # above show it leaves the copies alone); elsewhere it is sent as it is.
    control = "deflate-control.txt"
    for suffix in (".br", ".gz"):
        if (campaign / (control + suffix)).exists():
            c.fail(f"{campaign / control}{suffix}", "no such file", "a compressed copy")
    for accept, encoding in [
        ("gzip", "gzip"),
        ("br, gzip", "gzip"),
        ("br", None),
        ("gzip;q=0", None),
        (None, None),
    ]:
        r = c.request("/campaign/" + control, accept)
        served(c, r, campaign, control, encoding if deflate else None, TEXT, SHORT)
        vary(c, r)

    # A missing page: 404 with the 404 page of its own site, in the
    # encodings it has. A refused one (403) still has the security headers.
    if (example / "404.html").read_bytes() == (campaign / "404.html").read_bytes():
        c.fail("the two sites' 404.html", "different pages", "the same bytes")
    for path, folder in [
        ("/no-such-page/", example),
        ("/en/no-such-story/", example),
        ("/no-such-script.js", example),
        ("/campaign/no-such-page/", campaign),
        ("/campaign/en/no-such.html", campaign),
    ]:
        for accept, encoding in [(None, None), ("gzip", "gzip"), ("br", "br")]:
            served(c, c.request(path, accept), folder, "404.html", encoding, HTML, None, 404)
    r = c.request("/.htaccess")
    if c.equal(r, "status", 403, r.status):
        security_headers(c, r)


def error_log_check(c, path):
    """No error in the log: an .htaccess Apache cannot read, a URL that a
    rewrite made invalid. The refused /.htaccess is expected."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        text = ""
    errors = [
        line
        for line in text.splitlines()
        if re.search(r"\[[a-z_]*:(error|crit|alert|emerg)\]", line)
        and not re.search(r"AH01630: client denied by server configuration: \S*/\.htaccess$", line)
    ]
    if errors:
        c.fail(f"error log {path}", "no errors", "\n    ".join(errors[:10]))
    else:
        c.passed += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", type=Path)
    parser.add_argument("campaign", type=Path)
    parser.add_argument("--with-deflate", nargs=2, metavar=("URL", "ERROR_LOG"), required=True)
    parser.add_argument("--without-deflate", nargs=2, metavar=("URL", "ERROR_LOG"), required=True)
    args = parser.parse_args()
    start = time.monotonic()
    checkers = []
    for label, (url, log), deflate in [
        ("with mod_deflate", args.with_deflate, True),
        ("without mod_deflate", args.without_deflate, False),
    ]:
        c = Checker(label, url)
        check_server(c, args.example, args.campaign, deflate)
        error_log_check(c, log)
        checkers.append(c)
    requests = sum(c.requests for c in checkers)
    passed = sum(c.passed for c in checkers)
    failures = sum(c.failures for c in checkers)
    seconds = time.monotonic() - start
    if failures:
        counts = f"({requests} requests, {seconds:.1f} s)"
        print(f"apache-check: {failures} failed, {passed} passed {counts}", file=sys.stderr)
        return 1
    print(f"apache-check: {requests} requests, {passed} checks passed ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
