//! A link checker over a built output folder, without network.
//!
//! Every HTML file is scanned for the `href`, `src` and `srcset` of `<a>`,
//! `<area>`, `<link>`, `<img>`, `<script>`, `<source>` and `<iframe>`, and
//! every `id` (and `<a name>`) it defines. Minified pages drop quotes and
//! reorder attributes, so the scanner reads quoted and unquoted values,
//! decodes character references, and skips comments and the contents of
//! `<script>`, `<style>`, `<title>` and `<textarea>`.
//!
//! A reference is internal when it is relative, root-relative, or an
//! absolute `http(s)` URL on the host of the site's `base_url`. An internal
//! reference must resolve to a file of the output, the way a static host
//! serves it (`/en/x/` is `en/x/index.html`, percent-escapes decoded), and
//! its `#fragment`, if any, must name an element of the target page.
//! External references (other hosts, `mailto:`, `tel:`, `sms:`, …) are only
//! recorded. The XML outputs are checked too: every `<loc>` and
//! `<xhtml:link href>` of a sitemap, every `<link href>` of an Atom feed and
//! the `Sitemap:` lines of `robots.txt` must map to a file of the output.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// One reference that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The output file holding the reference, relative, with `/`.
    pub page: String,
    /// The reference as written (after character references are decoded).
    pub reference: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.page, self.reference, self.problem)
    }
}

/// What a check of an output folder found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every broken reference, sorted by page and reference.
    pub broken: Vec<Finding>,
    /// External references, not fetched.
    pub external: BTreeSet<String>,
    /// How many internal references were checked.
    pub internal: usize,
    /// How many files were scanned (HTML and XML).
    pub scanned: usize,
}

impl Report {
    /// Panics, listing every broken reference at once, unless there are
    /// none; also refuses a check that looked at nothing.
    pub fn assert_clean(&self, what: &str) {
        assert!(
            self.scanned > 0 && self.internal > 0,
            "the link check of {what} looked at nothing ({} files, {} references)",
            self.scanned,
            self.internal
        );
        assert!(
            self.broken.is_empty(),
            "{} broken reference(s) in {what}:\n{}",
            self.broken.len(),
            self.broken
                .iter()
                .map(|f| format!("  {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Checks every internal reference of the site built into `output`, whose
/// configured address is `base_url` (e.g. `https://example.org/campaign/`).
pub fn check(output: &Path, base_url: &str) -> Report {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.expect("walk the output folder");
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        files.insert(rel, std::fs::read(entry.path()).expect("read output file"));
    }
    check_files(files, base_url)
}

/// Like [`check`], for a site held in memory: its files by relative path.
pub fn check_files(files: BTreeMap<String, Vec<u8>>, base_url: &str) -> Report {
    let site = Site::new(files, base_url);
    let mut report = Report::default();
    let mut ids_cache: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    for (rel, bytes) in &site.files {
        let refs = if rel.ends_with(".html") || rel.ends_with(".htm") {
            html_refs(&String::from_utf8_lossy(bytes))
        } else if rel.ends_with(".xml") {
            xml_refs(&String::from_utf8_lossy(bytes))
        } else if rel == "robots.txt" {
            robots_refs(&String::from_utf8_lossy(bytes))
        } else {
            continue;
        };
        report.scanned += 1;
        // The address the file is served at: its path, with the characters
        // that mean something in a URL escaped.
        let page_url = format!(
            "{}{}",
            site.base_path,
            rel.replace('%', "%25")
                .replace('#', "%23")
                .replace('?', "%3F")
        );
        let base =
            refs.base
                .as_deref()
                .map_or(page_url.clone(), |b| match site.classify(b, &page_url) {
                    Target::Internal { path, .. } => path,
                    _ => page_url.clone(),
                });
        for r in refs.refs {
            match site.classify(&r.value, &base) {
                Target::External => {
                    report.external.insert(r.value.clone());
                }
                Target::Ignored => {}
                Target::Bad(problem) => report.broken.push(Finding {
                    page: rel.clone(),
                    reference: r.value.clone(),
                    problem,
                }),
                Target::Internal { path, fragment } => {
                    report.internal += 1;
                    let problem = site.resolve(&path).and_then(|target| {
                        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                            return Ok(());
                        };
                        if r.must_be_page {
                            return Err(format!("a {} names no fragment", r.kind));
                        }
                        let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                            (target.ends_with(".html") || target.ends_with(".htm"))
                                .then(|| html_ids(&String::from_utf8_lossy(&site.files[&target])))
                        });
                        match ids {
                            None => Err(format!("#{fragment} points into {target}, not a page")),
                            Some(ids) => {
                                let decoded = percent_decode(&fragment);
                                if ids.contains(&fragment)
                                    || ids.contains(&decoded)
                                    || decoded.eq_ignore_ascii_case("top")
                                {
                                    Ok(())
                                } else {
                                    Err(format!("no element with id `{decoded}` in {target}"))
                                }
                            }
                        }
                    });
                    if let Err(problem) = problem {
                        report.broken.push(Finding {
                            page: rel.clone(),
                            reference: r.value.clone(),
                            problem,
                        });
                    }
                }
            }
        }
    }
    report.broken.sort();
    report.broken.dedup();
    report
}

/// The output folder, in memory.
struct Site {
    /// Every file by relative path.
    files: BTreeMap<String, Vec<u8>>,
    /// Folders that exist (relative, no trailing `/`).
    dirs: BTreeSet<String>,
    /// `scheme://host[:port]` of the base URL, lowercase.
    origin_host: String,
    /// Path of the base URL, starting and ending with `/`.
    base_path: String,
}

/// Where a reference points.
enum Target {
    /// A path on this site (absolute, starting with `/`, not decoded), and
    /// the fragment, if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Another site or a non-web scheme: recorded, not checked.
    External,
    /// Nothing to check (`data:` URLs).
    Ignored,
    /// Cannot be right whatever the files are.
    Bad(String),
}

impl Site {
    fn new(files: BTreeMap<String, Vec<u8>>, base_url: &str) -> Site {
        // Every folder above a file.
        let mut dirs = BTreeSet::new();
        for rel in files.keys() {
            let mut dir = rel.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if !dirs.insert(parent.to_string()) {
                    break;
                }
                dir = parent;
            }
        }
        let (scheme, rest) = base_url
            .split_once("://")
            .unwrap_or_else(|| panic!("base_url {base_url} is not absolute"));
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let path = format!("/{}", path.trim_matches('/'));
        let base_path = if path == "/" { path } else { path + "/" };
        Site {
            files,
            dirs,
            origin_host: format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            ),
            base_path,
        }
    }

    /// Sorts a reference into internal (made absolute against `base`, the
    /// URL path of the referring file), external or impossible.
    fn classify(&self, reference: &str, base: &str) -> Target {
        // Browsers strip leading and trailing spaces and remove tabs and
        // newlines anywhere in a URL.
        let r: String = reference
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if let Some(scheme) = scheme_of(&r) {
            let scheme = scheme.to_ascii_lowercase();
            return match scheme.as_str() {
                "http" | "https" => {
                    let Some(after) = r[scheme.len()..].strip_prefix("://") else {
                        return Target::Bad("not a full web address".into());
                    };
                    let (host, rest) =
                        after.split_at(after.find(['/', '?', '#']).unwrap_or(after.len()));
                    let own = self
                        .origin_host
                        .split_once("://")
                        .is_some_and(|(_, h)| h.eq_ignore_ascii_case(host));
                    if !own {
                        return Target::External;
                    }
                    let rest = if rest.starts_with('/') {
                        rest.to_string()
                    } else {
                        format!("/{rest}")
                    };
                    self.internal(&rest, "/")
                }
                "javascript" | "vbscript" => Target::Bad("a link that runs a script".into()),
                "data" => Target::Ignored,
                _ => Target::External,
            };
        }
        if let Some(after) = r.strip_prefix("//") {
            let host = after.split(['/', '?', '#']).next().unwrap_or("");
            let own = self
                .origin_host
                .split_once("://")
                .is_some_and(|(_, h)| h.eq_ignore_ascii_case(host));
            return if own {
                self.internal(&after[host.len()..], "/")
            } else {
                Target::External
            };
        }
        self.internal(&r, base)
    }

    /// Resolves `r` (relative, root-relative or a path) against the URL
    /// path `base` per RFC 3986, removing dot segments.
    fn internal(&self, r: &str, base: &str) -> Target {
        let (before_fragment, fragment) = match r.split_once('#') {
            Some((a, f)) => (a, Some(f.to_string())),
            None => (r, None),
        };
        let path_part = before_fragment
            .split_once('?')
            .map_or(before_fragment, |(p, _)| p);
        let joined = if path_part.is_empty() {
            base.to_string()
        } else if path_part.starts_with('/') {
            path_part.to_string()
        } else {
            let dir = &base[..=base.rfind('/').unwrap_or(0)];
            format!("{dir}{path_part}")
        };
        match remove_dot_segments(&joined) {
            Some(path) => Target::Internal { path, fragment },
            None => Target::Bad("goes above the root of the site".into()),
        }
    }

    /// The output file a URL path (absolute, not decoded) is served from.
    fn resolve(&self, path: &str) -> Result<String, String> {
        let decoded = percent_decode(path);
        let base_bare = self.base_path.trim_end_matches('/');
        let rel = if let Some(rel) = decoded.strip_prefix(&self.base_path) {
            rel.to_string()
        } else if decoded == base_bare {
            String::new()
        } else {
            return Err(format!(
                "outside the site, which lives under {}",
                self.base_path
            ));
        };
        let candidate = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.clone()
        };
        if self.files.contains_key(&candidate) {
            return Ok(candidate);
        }
        // A static host redirects `/x` to `/x/` when `x` is a folder.
        let index = format!("{}/index.html", rel.trim_end_matches('/'));
        if self.dirs.contains(rel.trim_end_matches('/')) && self.files.contains_key(&index) {
            return Ok(index);
        }
        Err(format!("no file {candidate} in the output"))
    }
}

/// `https` for `https://…`, `mailto` for `mailto:…`; `None` for a path.
fn scheme_of(r: &str) -> Option<&str> {
    let colon = r.find(':')?;
    let scheme = &r[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// RFC 3986 `remove_dot_segments` on an absolute path; `None` when `..`
/// climbs above `/`.
fn remove_dot_segments(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop()?;
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    Some(format!("/{}", out.join("/")))
}

/// Decodes `%XX` escapes as UTF-8; malformed escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// One reference found in a file.
struct Ref {
    value: String,
    /// Element and attribute, for messages.
    kind: String,
    /// True where a fragment makes no sense (a sitemap entry).
    must_be_page: bool,
}

/// The references of one file, and its `<base href>` if any.
#[derive(Default)]
struct Refs {
    refs: Vec<Ref>,
    base: Option<String>,
}

/// Elements whose `href`, `src` and `srcset` are checked.
const LINKING: &[&str] = &["a", "area", "link", "img", "script", "source", "iframe"];

fn html_refs(html: &str) -> Refs {
    let mut out = Refs::default();
    for tag in scan_tags(html) {
        if tag.name == "base" && out.base.is_none() {
            out.base = tag.attr("href").map(str::to_string);
        }
        if !LINKING.contains(&tag.name.as_str()) {
            continue;
        }
        for attr in ["href", "src"] {
            if let Some(v) = tag.attr(attr) {
                out.refs.push(Ref {
                    value: v.to_string(),
                    kind: format!("<{} {attr}>", tag.name),
                    must_be_page: false,
                });
            }
        }
        if let Some(set) = tag.attr("srcset") {
            for url in srcset_urls(set) {
                out.refs.push(Ref {
                    value: url,
                    kind: format!("<{} srcset>", tag.name),
                    must_be_page: false,
                });
            }
        }
    }
    out
}

/// Every `id` (and `<a name>`) of a page.
fn html_ids(html: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for tag in scan_tags(html) {
        if let Some(id) = tag.attr("id") {
            ids.insert(id.to_string());
        }
        if tag.name == "a"
            && let Some(name) = tag.attr("name")
        {
            ids.insert(name.to_string());
        }
    }
    ids
}

/// The URLs of a `srcset`, per the HTML candidate-string grammar: a URL
/// up to whitespace (trailing commas removed), then descriptors up to a
/// comma outside parentheses.
fn srcset_urls(set: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let chars: Vec<char> = set.chars().collect();
    let mut i = 0;
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() {
            return urls;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let mut url: String = chars[start..i].iter().collect();
        let had_comma = url.ends_with(',');
        while url.ends_with(',') {
            url.pop();
        }
        if !url.is_empty() {
            urls.push(url);
        }
        if had_comma {
            continue;
        }
        let mut depth = 0usize;
        while i < chars.len() {
            match chars[i] {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
}

fn xml_refs(xml: &str) -> Refs {
    let mut out = Refs::default();
    let sitemap = xml.contains("<urlset") || xml.contains("<sitemapindex");
    let feed = xml.contains("<feed");
    if !sitemap && !feed {
        return out;
    }
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let Some(tag) = scan_one_tag(rest) else {
            rest = &rest[1..];
            continue;
        };
        let end = tag.len;
        if sitemap && tag.name == "loc" && !tag.closing {
            let text_end = rest[end..].find("</").map_or(rest.len(), |i| end + i);
            out.refs.push(Ref {
                value: decode_entities(rest[end..text_end].trim()),
                kind: "<loc>".into(),
                must_be_page: true,
            });
        }
        if !tag.closing
            && ((sitemap && tag.name == "xhtml:link") || (feed && tag.name == "link"))
            && let Some(href) = tag.attr("href")
        {
            out.refs.push(Ref {
                value: href.to_string(),
                kind: format!("<{} href>", tag.name),
                must_be_page: false,
            });
        }
        rest = &rest[end.max(1)..];
    }
    out
}

fn robots_refs(text: &str) -> Refs {
    let refs = text
        .lines()
        .filter_map(|l| {
            let (key, value) = l.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case("sitemap")
                .then(|| value.trim().to_string())
        })
        .map(|value| Ref {
            value,
            kind: "Sitemap: line".into(),
            must_be_page: true,
        })
        .collect();
    Refs { refs, base: None }
}

/// A start (or end) tag with its attributes, values decoded.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    closing: bool,
    self_closing: bool,
    /// Bytes from `<` to just after `>`.
    len: usize,
}

impl Tag {
    /// The first attribute of that name, as HTML parsers keep it.
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Elements whose contents are text, not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
];

/// Every start tag of an HTML document, skipping comments, doctype,
/// processing instructions and the contents of raw-text elements.
fn scan_tags(html: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            continue;
        }
        let Some(tag) = scan_one_tag(rest) else {
            rest = &rest[1..];
            continue;
        };
        rest = &rest[tag.len..];
        if tag.closing {
            continue;
        }
        if RAW_TEXT.contains(&tag.name.as_str()) && !tag.self_closing {
            let close = format!("</{}", tag.name);
            rest = find_ascii_ci(rest, &close).map_or("", |i| &rest[i..]);
        }
        tags.push(tag);
    }
    tags
}

/// Case-insensitive search for an ASCII needle.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Reads one tag at the start of `s` (which starts with `<`); `None` when
/// the `<` does not open a tag.
fn scan_one_tag(s: &str) -> Option<Tag> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !bytes.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = i;
    while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            None => break,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                self_closing = bytes.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        // An attribute name may start with `=`; it ends at space, `/`, `>`
        // or a later `=`.
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = s[start..i].to_ascii_lowercase();
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let mut value = String::new();
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let vstart = j + 1;
                    let vend = s[vstart..].find(q as char).map_or(s.len(), |k| vstart + k);
                    value = decode_entities(&s[vstart..vend]);
                    j = (vend + 1).min(s.len());
                }
                _ => {
                    let vstart = j;
                    while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities(&s[vstart..j]);
                }
            }
            i = j;
        }
        attrs.push((attr, value));
    }
    Some(Tag {
        name,
        attrs,
        closing,
        self_closing,
        len: i.min(s.len()),
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Decodes the character references a minifier or template writes:
/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric ones.
/// Anything else stays as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |i| i + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
