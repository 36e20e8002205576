//! Hostile and broken input: property tests that write small sites into a
//! temporary folder and build them through the real code paths: the config
//! by `glimmer::config::load` and the site by `glimmer::render_site`, which
//! runs every step of a build but keeps the files in memory (writing them
//! is most of the time of a small build in a debug binary), or by
//! `glimmer::build` where the output folder itself is under test (slugs,
//! and the fixed tests at the end).
//!
//! What every build must do, whatever the input:
//! - never panic (a panic fails the property, and proptest shrinks the input
//!   to a minimal one);
//! - when it fails, report at least one error;
//! - give every diagnostic, error or warning, a `file`, and show that file
//!   in the rendered text (`--> FILE`). The only diagnostics that may name
//!   no file are those about the site as a whole, where there is no file to
//!   point at: a `glimmer.toml` that does not exist, a site without a
//!   `content/` folder, and a refused output folder (never produced here);
//! - where a property changes a single file of an otherwise valid site,
//!   name that file in every error, since nothing else can be at fault.
//!
//! A last property builds random *valid* sites and runs the link checker
//! (`linkcheck.rs`) over the output.
//!
//! The base site does not minify (minify-html is slow in a debug binary);
//! one valid site in sixteen is minified, and `output_links.rs` checks the
//! minified example site and `rtl` fixture.
//!
//! Each property runs 64 cases; `GLIMMER_PROPTEST_CASES=N` runs N. Proptest's
//! own variables work too (`PROPTEST_RNG_SEED` to replay a run).
//! `scripts/fuzz SECONDS` loops over the properties with fresh seeds.
//! Properties marked `#[ignore = "bug: …"]` fail on a known bug; the fixed
//! tests at the end hold the minimal inputs of the problems found, and
//! inputs worth keeping as regression tests.

use crate::linkcheck;
use crate::support::render;
use glimmer::config::BuildOptions;
use glimmer::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::sample::select;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// 64 cases per property by default; `GLIMMER_PROPTEST_CASES` sets another
/// number. Failures are not written to disk: the failing input is printed.
fn config() -> ProptestConfig {
    let cases = std::env::var("GLIMMER_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------
// Sites in a temporary folder

/// The config of the base site: four languages, one of them right-to-left,
/// one with a fallback chain.
const CONFIG: &str = r#"base_url = "https://example.org/"
minify = false
menu = ["@/stories/_index.md", "@/about.md"]

[[languages]]
code = "en"
name = "English"
title = "Robustness"

[[languages]]
code = "ru"
name = "Русский"
title = "Устойчивость"

[[languages]]
code = "ky"
name = "Кыргызча"
title = "Туруктуулук"
fallback = ["ru"]

[[languages]]
code = "fa-AF"
name = "دری"
title = "پایداری"
"#;

/// The content of the base site: a home page, a paginated section with
/// dated stories on campaign days, an about page, translations.
const CONTENT: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\n\nWelcome. Read the [stories](@/stories/_index.md).\n",
    ),
    (
        "content/stories/_index.md",
        "+++\ntitle = \"Stories\"\npaginate_by = 2\n+++\n\nAll stories.\n",
    ),
    (
        "content/stories/a.md",
        "+++\ntitle = \"A\"\ndate = 2026-11-25\nday = 1\ntags = [\"help\"]\n+++\n\nStory A, see [B](@/stories/b.md).\n\n## Help {#help}\n\nCall.\n",
    ),
    (
        "content/stories/a.ru.md",
        "+++\ntitle = \"А\"\ndate = 2026-11-25\nday = 1\n+++\n\nИстория А.\n\n## Помощь {#help}\n\nЗвоните.\n",
    ),
    (
        "content/stories/b.md",
        "+++\ntitle = \"B\"\ndate = 2026-11-26T10:30:00+05:00\nday = 2\n+++\n\nStory B, see [help](@/stories/a.md#help).\n",
    ),
    (
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\nAbout us.\n",
    ),
    (
        "content/about.fa-AF.md",
        "+++\ntitle = \"درباره\"\n+++\n\nدربارهٔ ما.\n",
    ),
];

/// A site in a temporary folder: `TMP/site`, built into `TMP/public`.
struct Scratch {
    tmp: TempDir,
}

/// What a build gave: its warnings and output files by path, or its
/// diagnostics.
type Outcome = Result<(Vec<Diagnostic>, BTreeMap<String, Vec<u8>>), Vec<Diagnostic>>;

impl Scratch {
    fn empty() -> Scratch {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(tmp.path().join("site")).unwrap();
        Scratch { tmp }
    }

    /// The base site: [`CONFIG`] and [`CONTENT`].
    fn base() -> Scratch {
        let s = Scratch::empty();
        s.put("glimmer.toml", CONFIG);
        for (rel, text) in CONTENT {
            s.put(rel, text);
        }
        s
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    fn output(&self) -> PathBuf {
        self.tmp.path().join("public")
    }

    /// Writes a file of the site (any bytes).
    fn put(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        self.put_path(Path::new(rel), bytes);
    }

    fn put_path(&self, rel: &Path, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            output: Some(self.output()),
            drafts: false,
            ..Default::default()
        }
    }

    /// Builds into the output folder, as `glimmer build` does.
    fn build(&self) -> Outcome {
        glimmer::build(&self.options()).map(|report| {
            let files = crate::support::snapshot(&self.output());
            (report.summary.warnings, files)
        })
    }

    /// Builds in memory, as previews do: the same checks and rendering
    /// without the disk writes, which are most of the time of a small
    /// build in a debug binary.
    fn render(&self) -> Outcome {
        let settings = glimmer::config::load(&self.options())
            .map_err(glimmer::diagnostics::Diagnostics::sorted)?;
        glimmer::render_site(&settings).map(|site| {
            let files = site.files.into_iter().map(|f| (f.path, f.bytes)).collect();
            (site.summary.warnings, files)
        })
    }
}

/// Diagnostics about the site as a whole, which have no file to name.
fn about_the_whole_site(d: &Diagnostic, root: &Path) -> bool {
    let config_missing =
        !root.join("glimmer.toml").exists() && d.message.starts_with("there is no glimmer.toml");
    config_missing
        || d.message == "there is no content/ folder: the site has no pages"
        || d.message.starts_with("refusing to write the site into")
}

/// Checks the outcome of a build against the rules in the module comment.
/// `blamed`: the one file the case changed, which every error must name.
fn check(scratch: &Scratch, outcome: &Outcome, blamed: Option<&str>) -> Result<(), TestCaseError> {
    let (diags, failed) = match outcome {
        Ok((warnings, files)) => {
            prop_assert!(
                files.contains_key("index.html"),
                "a successful build made no index.html"
            );
            (warnings, false)
        }
        Err(diags) => (diags, true),
    };
    let all = || render(diags);
    if failed {
        prop_assert!(
            diags.iter().any(Diagnostic::is_error),
            "a failed build reported no error:\n{}",
            all()
        );
    }
    for d in diags {
        let text = d.to_string();
        match &d.file {
            None => prop_assert!(
                about_the_whole_site(d, &scratch.root()),
                "this diagnostic names no file:\n{text}\nall diagnostics:\n{}",
                all()
            ),
            Some(file) => {
                let shown = file.display().to_string();
                prop_assert!(
                    text.contains(&format!("--> {shown}")),
                    "the text does not show the file {shown}:\n{text}"
                );
            }
        }
        if let Some(blamed) = blamed
            && d.is_error()
        {
            prop_assert!(
                text.contains(blamed),
                "this error does not name {blamed}, the only file the case changed:\n{text}\nall diagnostics:\n{}",
                all()
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Text

/// Pieces of text that tend to break things: scripts of every direction,
/// bidi controls, control characters, BOMs, combining marks, characters
/// special to TOML, Markdown, HTML, Tera and URLs.
const TRICKY: &[&str] = &[
    "Кыргызча",
    "Қазақша",
    "Тоҷикӣ",
    "Oʻzbekcha",
    "دری",
    "پښتو",
    "עברית",
    "\u{200f}",
    "\u{200e}",
    "\u{202e}abc\u{202c}",
    "\u{2067}",
    "\u{feff}",
    "\u{0}",
    "\u{1}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{a0}",
    "\u{200b}",
    "e\u{301}\u{301}\u{301}",
    "👩\u{200d}👩\u{200d}👧",
    "𝔘𝔫𝔦",
    "\u{10ffff}",
    "\u{e000}",
    "\u{fffd}",
    "\u{fdd0}",
    "ǅ",
    "İ",
    "ß",
    "ﷺ",
    "۱۲۳",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\\",
    "\"",
    "'",
    "`",
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "{{ lang }}",
    "{% if %}",
    "{#",
    "{n}",
    "%",
    "%20",
    "#",
    "?",
    "/",
    ".",
    "..",
    "@/",
    "+++",
    "---",
    " -- ",
    "\"quoted\"",
    "'single'",
    "",
    " ",
    "a",
];

/// Any text: arbitrary characters, or a mix of the tricky pieces.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => any::<String>(),
        3 => prop::collection::vec(select(TRICKY), 0..6).prop_map(|v| v.concat()),
        1 => "[a-zA-Z ]{0,12}",
    ]
    .boxed()
}

/// `s` as a one-line TOML basic string. (A multi-line string could hold a
/// line `+++`, which ends the front matter by definition.)
fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------
// Front matter

/// Keys glimmer knows are taken from glimmer itself; these are the near
/// misses and odd spellings tried beside them.
const ODD_KEYS: &[&str] = &[
    "titel",
    "Title",
    "\"title\"",
    "'title'",
    "days",
    "tag",
    "weigth",
    "paginate",
    "extra.sub",
    "title.x",
    "",
    "\"\"",
];

/// Every front matter key glimmer accepts, then the odd ones.
fn front_matter_keys() -> Vec<&'static str> {
    glimmer::content::front_matter::KEYS
        .iter()
        .chain(ODD_KEYS)
        .copied()
        .collect()
}

/// Literal TOML values of every kind, valid and not.
const TOML_VALUES: &[&str] = &[
    "99999999999999999999",
    "-9223372036854775808",
    "9223372036854775807",
    "-0",
    "+5",
    "0x10",
    "0o7",
    "0b1",
    "1_000",
    "1__0",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "16",
    "17",
    "0",
    "-1",
    "1.5",
    "true",
    "false",
    "True",
    "\"\"",
    "''",
    "[]",
    "{}",
    "[1, \"a\"]",
    "[[]]",
    "{ a = 1 }",
    "{ a = 1, a = 2 }",
    "2026-11-25",
    "2026-02-29",
    "2024-02-29",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "9999-12-31",
    "2026-11-25T10:30:00+05:00",
    "2026-11-25T10:30:00",
    "2026-11-25 10:30:00Z",
    "2026-11-25T24:00:00Z",
    "2026-11-25T10:30:00+25:00",
    "10:30:00",
    "1979-05-27T00:32:00.999999-07:00",
    "'literal'",
    "'''multi\nline'''",
    "\"\"\"multi\nline\"\"\"",
    "\"unclosed",
    "'unclosed",
    "\"\\q\"",
    "\"\\u0000\"",
    "\"\\uD800\"",
    "\"\\U0010FFFF\"",
    "",
];

/// One line of front matter, often broken.
fn front_matter_line() -> BoxedStrategy<String> {
    let value = prop_oneof![
        3 => text().prop_map(|t| toml_str(&t)),
        2 => select(TOML_VALUES).prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => prop::collection::vec(text(), 0..3).prop_map(|v| {
            format!("[{}]", v.iter().map(|t| toml_str(t)).collect::<Vec<_>>().join(", "))
        }),
    ];
    prop_oneof![
        6 => (select(front_matter_keys()), value).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => select(&[
            "[extra]",
            "[extra.deep]",
            "[[extra]]",
            "[title]",
            "[extra",
            "[]",
            "+++",
            " +++",
            "+++ +++",
            "++++",
            "=",
            "= 1",
            "title =",
            "\"",
            "# comment",
            "title = \"a\" # comment",
            "\u{feff}title = \"x\"",
            "tags = [",
            "tags = [\"a\",",
            "---",
            "title: yaml",
        ][..])
        .prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

/// A whole Markdown file whose front matter is anything: BOMs, broken
/// fences, `+++` in odd places, mixed line endings.
fn front_matter_file() -> impl Strategy<Value = String> {
    (
        select(&["", "\u{feff}", "\u{feff}\u{feff}", "\n", " ", "\r\n"][..]),
        select(
            &[
                "+++",
                "+++ ",
                "+++\t",
                "++",
                "++++",
                "+++ title = \"x\"",
                "",
                "---",
            ][..],
        ),
        prop::collection::vec(front_matter_line(), 0..8),
        prop::option::weighted(0.8, Just("title = \"T\"".to_string())),
        select(&["\n", "\r\n", "\r", "\n\r"][..]),
        select(&["+++", "+++  ", "+++\r", "", " +++", "+++x", "+++\n+++"][..]),
        text(),
    )
        .prop_map(|(bom, open, mut lines, title, eol, close, body)| {
            if let Some(title) = title {
                lines.insert(0, title);
            }
            let mut s = format!("{bom}{open}{eol}");
            for line in lines {
                s.push_str(&line);
                s.push_str(eol);
            }
            s.push_str(close);
            s.push_str(eol);
            s.push_str(&body);
            s
        })
}

/// Where a changed Markdown file goes: a new page, a page that exists only
/// in Russian, a right-to-left page, a language version of a section.
const TARGETS: &[&str] = &[
    "content/stories/x.md",
    "content/stories/x.ru.md",
    "content/x.fa-AF.md",
    "content/stories/_index.ky.md",
];

/// Front matter from well-formed TOML with values of the right type but
/// any size: days, weights and page sizes from the whole `i64` range,
/// dates of any year, strings of any text.
#[derive(Debug, Clone)]
struct Fields {
    title: Option<String>,
    summary: Option<String>,
    tags: Vec<String>,
    day: Option<i64>,
    weight: Option<i64>,
    paginate_by: Option<i64>,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    sort_by: Option<String>,
    extra: Vec<(String, String)>,
}

fn date() -> impl Strategy<Value = String> {
    (
        0u16..=9999,
        1u8..=12,
        1u8..=31,
        prop::option::of((0u8..24, 0u8..60, 0u8..60)),
        prop::option::of(-1439i32..=1439),
    )
        .prop_filter_map("a real calendar date", |(y, m, d, time, offset)| {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let days = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            (d <= days[m as usize - 1]).then(|| {
                let mut s = format!("{y:04}-{m:02}-{d:02}");
                if let Some((h, mi, se)) = time {
                    s.push_str(&format!("T{h:02}:{mi:02}:{se:02}"));
                    if let Some(o) = offset {
                        let sign = if o < 0 { '-' } else { '+' };
                        s.push_str(&format!("{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60));
                    }
                }
                s
            })
        })
}

fn number() -> BoxedStrategy<i64> {
    prop_oneof![
        2 => any::<i64>(),
        2 => -3i64..20,
        1 => select(&[i64::MIN, i64::MAX, i64::MAX - 1, 0, 1, 16, 17, u32::MAX as i64 + 1][..]),
    ]
    .boxed()
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        (
            prop::option::weighted(0.9, text()),
            prop::option::of(text()),
            prop::collection::vec(text(), 0..4),
            prop::option::of(number()),
            prop::option::of(number()),
            prop::option::of(number()),
        ),
        (
            prop::option::of(date()),
            prop::option::of(date()),
            prop::bool::weighted(0.1),
            prop::option::of(prop_oneof![
                select(&["date", "weight", "title", "", "Date", "random"][..])
                    .prop_map(str::to_string),
                text(),
            ]),
            prop::collection::vec((text(), text()), 0..3),
        ),
    )
        .prop_map(
            |(
                (title, summary, tags, day, weight, paginate_by),
                (date, updated, draft, sort_by, extra),
            )| {
                Fields {
                    title,
                    summary,
                    tags,
                    day,
                    weight,
                    paginate_by,
                    date,
                    updated,
                    draft,
                    sort_by,
                    extra,
                }
            },
        )
}

impl Fields {
    fn to_file(&self, more: &[String], body: &str) -> String {
        let mut s = String::from("+++\n");
        let mut line = |k: &str, v: String| s.push_str(&format!("{k} = {v}\n"));
        if let Some(t) = &self.title {
            line("title", toml_str(t));
        }
        if let Some(t) = &self.summary {
            line("summary", toml_str(t));
        }
        let tags: Vec<String> = self.tags.iter().map(|t| toml_str(t)).collect();
        line("tags", format!("[{}]", tags.join(", ")));
        for (k, v) in [
            ("day", self.day),
            ("weight", self.weight),
            ("paginate_by", self.paginate_by),
        ] {
            if let Some(v) = v {
                line(k, v.to_string());
            }
        }
        if let Some(d) = &self.date {
            line("date", d.clone());
        }
        if let Some(d) = &self.updated {
            line("updated", d.clone());
        }
        line("draft", self.draft.to_string());
        if let Some(t) = &self.sort_by {
            line("sort_by", toml_str(t));
        }
        for m in more {
            s.push_str(m);
            s.push('\n');
        }
        if !self.extra.is_empty() {
            s.push_str("[extra]\n");
            for (i, (k, v)) in self.extra.iter().enumerate() {
                // Quoted keys: any text is a key; a number makes them unique.
                s.push_str(&format!(
                    "{} = {}\n",
                    toml_str(&format!("{i}{k}")),
                    toml_str(v)
                ));
            }
        }
        s.push_str("+++\n");
        s.push_str(body);
        s
    }
}

/// Slugs: any text, and names that are files or folders of the output
/// already, too long for a file system, or need escaping in a URL.
fn slug() -> BoxedStrategy<String> {
    prop_oneof![
        2 => text(),
        2 => select(&[
            "atom.xml",
            "index.html",
            "sitemap.xml",
            "404.html",
            "page",
            "a%20b",
            "100%",
            "a b",
            "   ",
            "ä",
            "кириллица",
            "دری",
            "about",
            "a",
            "b",
            "x",
            "CON",
            "a\u{0}b",
            "a\nb",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "a?b",
            "a#b",
            "",
        ][..])
        .prop_map(str::to_string),
        1 => (1usize..400).prop_map(|n| "a".repeat(n)),
        1 => (1usize..120).prop_map(|n| "ж".repeat(n)),
    ]
    .boxed()
}

/// Template names: the theme's own, missing ones, paths.
fn template_name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(&[
            "page.html",
            "section.html",
            "index.html",
            "base.html",
            "404.html",
            "languages.html",
            "partials/item.html",
            "partials/switcher.html",
            "partials/style.css",
            "nope.html",
            "",
            "../page.html",
            "/page.html",
            "templates/page.html",
            "PAGE.HTML",
        ][..])
        .prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------
// Markdown

/// Link destinations: `@/` links to files that exist, exist in one
/// language only, or do not exist, with and without anchors; script URLs
/// in disguise; anything else.
fn link_destination() -> BoxedStrategy<String> {
    let keys = select(
        &[
            "stories/a.md",
            "stories/b.md",
            "about.md",
            "_index.md",
            "stories/_index.md",
            "missing.md",
            "stories/a.ru.md",
            "stories/",
            "stories",
            "",
            "../glimmer.toml",
            "stories/a.md/",
            "STORIES/A.MD",
            "stories//a.md",
            "./stories/a.md",
            "stories/x.md",
        ][..],
    );
    let anchors = prop::option::of(select(
        &[
            "help", "nowhere", "", "a b", "%20", "#", "ä", "Help", "fn-1",
        ][..],
    ));
    prop_oneof![
        3 => (keys, anchors).prop_map(|(k, a)| match a {
            Some(a) => format!("@/{k}#{a}"),
            None => format!("@/{k}"),
        }),
        2 => select(&[
            "https://example.com/x",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "vbscript:x",
            "javascript&#58;alert(1)",
            "&#106;avascript:alert(1)",
            "<java\tscript:alert(1)>",
            "<javascript:alert(1)>",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "mailto:help@example.org",
            "tel:+996312000000",
            "#help",
            "#",
            "",
            "/en/",
            "../x",
            "<@/stories/a.md>",
            "@/stories/a.md \"title\"",
            "<@/stories/a b.md>",
        ][..])
        .prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

fn footnote_name() -> impl Strategy<Value = &'static str> {
    select(&["1", "2", "a", "note", "Ä", "x y", "", "^", "1 "][..])
}

fn inline() -> BoxedStrategy<String> {
    prop_oneof![
        4 => text(),
        1 => text().prop_map(|t| format!("*{t}*")),
        1 => text().prop_map(|t| format!("**{t}**")),
        1 => text().prop_map(|t| format!("~~{t}~~")),
        1 => text().prop_map(|t| format!("`{t}`")),
        3 => (text(), link_destination()).prop_map(|(t, d)| format!("[{t}]({d})")),
        1 => (text(), link_destination()).prop_map(|(t, d)| format!("![{t}]({d})")),
        1 => link_destination().prop_map(|d| format!("<{d}>")),
        1 => (text(), select(&["r", "R", "ref", ""][..])).prop_map(|(t, r)| format!("[{t}][{r}]")),
        2 => footnote_name().prop_map(|n| format!("[^{n}]")),
        1 => select(&[
            "<b onclick=\"alert(1)\">b</b>",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<!-- x -->",
            "<!--",
            "</p>",
            "&nbsp;",
            "&#xD800;",
            "&#x110000;",
            "&bogus;",
            "\\",
            "  \n",
            "\"quotes\" -- 'inner' --- ...",
            "«» „“",
            "~~~",
        ][..])
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn inlines() -> impl Strategy<Value = String> {
    prop::collection::vec(inline(), 0..5).prop_map(|v| v.join(" "))
}

fn heading_id() -> impl Strategy<Value = String> {
    prop_oneof![
        select(
            &[
                "help", "main", "latest", "fn-1", "fnref-1", "a b", "", "кто", "#", "}", "a\"b",
                "x<y", "section", "help-1",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z0-9-]{0,6}",
    ]
}

fn block() -> BoxedStrategy<String> {
    prop_oneof![
        3 => inlines(),
        2 => (1usize..=7, inlines(), prop::option::of(heading_id()))
            .prop_map(|(n, t, id)| match id {
                Some(id) => format!("{} {t} {{#{id}}}", "#".repeat(n)),
                None => format!("{} {t}", "#".repeat(n)),
            }),
        1 => (inlines(), select(&["===", "---"][..])).prop_map(|(t, u)| format!("{t}\n{u}")),
        1 => (prop::collection::vec(inlines(), 1..4), select(&["- ", "1. ", "* [ ] ", "+ ", "2) "][..]))
            .prop_map(|(items, m)| items.iter().map(|i| format!("{m}{i}")).collect::<Vec<_>>().join("\n")),
        1 => inlines().prop_map(|t| format!("> {t}\n> > {t}")),
        1 => (select(&["", "rust", "html", "{#x}"][..]), text(), any::<bool>())
            .prop_map(|(lang, t, closed)| {
                format!("```{lang}\n{t}\n{}", if closed { "```" } else { "" })
            }),
        1 => text().prop_map(|t| format!("    {t}")),
        2 => (1usize..5, prop::collection::vec(prop::collection::vec(inline(), 1..5), 0..4), 0usize..6)
            .prop_map(|(cols, rows, sep)| {
                let mut s = format!("|{}|\n", vec![" h "; cols].join("|"));
                s.push_str(&format!("|{}|\n", vec!["---"; sep.max(1)].join("|")));
                for row in rows {
                    s.push_str(&format!("| {} |\n", row.join(" | ")));
                }
                s
            }),
        2 => (footnote_name(), inlines()).prop_map(|(n, t)| format!("[^{n}]: {t}")),
        1 => (select(&["r", "R", "ref"][..]), link_destination())
            .prop_map(|(r, d)| format!("[{r}]: {d}")),
        1 => select(&[
            "<div>x</div>",
            "<script>alert(1)</script>",
            "<!-- comment",
            "<img src=x onerror=alert(1)>",
            "</div>",
            "<?php echo 1; ?>",
            "<![CDATA[x]]>",
            "<a href=\"/en/\" id=\"main\">x</a>",
            "<style>*{display:none}</style>",
            "<textarea>",
            "<!DOCTYPE html>",
            "---",
            "***",
            "+++",
            "\u{feff}+++",
        ][..])
        .prop_map(str::to_string),
    ]
    .boxed()
}

/// A Markdown body: blocks with any line endings.
fn markdown() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(block(), 0..8),
        select(&["\n\n", "\n", "\r\n\r\n", "\r\n", "\r\r"][..]),
    )
        .prop_map(|(blocks, sep)| blocks.join(sep))
}

// ---------------------------------------------------------------------------
// Config and locale files

/// Valid BCP 47 language codes, with and without Unicode extensions for
/// other calendars and digits, and codes that are valid but odd as URL
/// prefixes or file suffixes.
const VALID_CODES: &[&str] = &[
    "en",
    "ru",
    "ky",
    "kk",
    "tg",
    "uz",
    "fa-AF",
    "ps",
    "ar",
    "he",
    "zh-Hant-TW",
    "sr-Latn-RS",
    "uz-Cyrl",
    "ku-Arab",
    "en-u-ca-gregory",
    "th-u-nu-thai",
    "ar-u-nu-arab",
    "ja-u-ca-japanese",
    "zh-u-ca-chinese",
    "he-u-ca-hebrew",
    "en-u-ca-islamic-civil",
    "ar-SA-u-ca-islamic-umalqura",
    "fa-AF-u-ca-persian",
    "am-u-ca-ethiopic",
    "ko-u-ca-dangi",
    "hi-u-ca-indian",
    "en-u-ca-buddhist",
    "en-u-ca-xxxx",
    "en-u-nu-xxxx",
    "ps-u-nu-latn",
    "und",
    "EN",
    "En-gb",
    "tlh",
    "qaa",
    "de-CH-1996",
    "en-US-x-twain",
    "stories",
    "content",
];

/// Codes that are not BCP 47, or not as glimmer reads them.
const INVALID_CODES: &[&str] = &[
    "i-klingon",
    "x-private",
    "",
    "e",
    "english-language",
    "en_US",
    "123",
    "en--x",
    "../x",
    "a/b",
    ".",
    "..",
    "en US",
    "рус",
    "fa-AF-",
    "-en",
    "en\n",
    "a\u{0}",
];

fn language_code() -> BoxedStrategy<&'static str> {
    prop_oneof![3 => select(VALID_CODES), 1 => select(INVALID_CODES)].boxed()
}

const BASE_URLS: &[&str] = &[
    "https://example.org/",
    "https://example.org",
    "https://ngo.github.io/campaign",
    "http://localhost:8000/a/b/",
    "https://example.org/a b/",
    "https://пример.рф/",
    "https://example.org/?x=1",
    "https://example.org/#x",
    "https://",
    "https:///x",
    "example.org",
    "ftp://example.org/",
    "",
    "/",
];

fn language_table() -> impl Strategy<Value = String> {
    (
        language_code(),
        text(),
        text(),
        prop::option::of(text()),
        prop::collection::vec(language_code(), 0..3),
        prop::option::of(select(
            &["gregorian", "locale", "hijri", "", " Gregorian", "persian"][..],
        )),
        prop::option::weighted(
            0.1,
            select(
                &[
                    "fallbacks = []",
                    "dir = \"rtl\"",
                    "titel = \"x\"",
                    "code = \"en\"",
                ][..],
            ),
        ),
    )
        .prop_map(
            |(code, name, title, description, fallback, calendar, unknown)| {
                let mut s = format!(
                    "[[languages]]\ncode = {}\nname = {}\ntitle = {}\n",
                    toml_str(code),
                    toml_str(&name),
                    toml_str(&title)
                );
                if let Some(d) = description {
                    s.push_str(&format!("description = {}\n", toml_str(&d)));
                }
                let fallback: Vec<String> = fallback.iter().map(|c| toml_str(c)).collect();
                s.push_str(&format!("fallback = [{}]\n", fallback.join(", ")));
                if let Some(c) = calendar {
                    s.push_str(&format!("calendar = {}\n", toml_str(c)));
                }
                if let Some(u) = unknown {
                    s.push_str(u);
                    s.push('\n');
                }
                s
            },
        )
}

/// A `glimmer.toml`: any base URL, top-level keys with odd values, unknown
/// keys, zero to five languages with any codes and fallback chains
/// (cycles included).
fn config_file() -> impl Strategy<Value = String> {
    let top = prop_oneof![
        select(
            &[
                "theme = \"default\"",
                "theme = \"\"",
                "theme = \"nope\"",
                "theme = \"../..\"",
                "example_notice = true",
                "example_notice = \"yes\"",
                "minify = false",
                "minify = true",
                "paginate_by = 0",
                "paginate_by = 1",
                "paginate_by = -1",
                "paginate_by = 18446744073709551615",
                "feed_limit = 0",
                "feed_limit = 9223372036854775807",
                "menu = []",
                "menu = [\"@/stories/_index.md\", \"@/about.md\"]",
                "menu = [\"@/missing.md\", \"about.md\", \"@/\", \"\"]",
                "menu = [\"@/stories/a.ru.md\"]",
                "menu = \"@/about.md\"",
                "colour = 1",
                "base-url = \"x\"",
                "languages = []",
                "[budgets]\npage_kb = -1",
                "[budgets]\npage_kb = nan",
                "[budgets]\nkb = 1",
                "[extra]",
            ][..]
        )
        .prop_map(str::to_string),
        any::<i64>().prop_map(|n| format!("paginate_by = {n}")),
    ];
    (
        prop::option::weighted(0.95, select(BASE_URLS)),
        prop::collection::vec(top, 0..4),
        prop::collection::vec(language_table(), 0..5),
    )
        .prop_map(|(base, top, languages)| {
            let mut s = String::new();
            if let Some(b) = base {
                s.push_str(&format!("base_url = {}\n", toml_str(b)));
            }
            // Top-level keys before the first table.
            let (plain, tables): (Vec<String>, Vec<String>) =
                top.into_iter().partition(|t| !t.starts_with('['));
            for t in plain {
                s.push_str(&t);
                s.push('\n');
            }
            for l in languages {
                s.push_str(&l);
            }
            for t in tables {
                s.push_str(&t);
                s.push('\n');
            }
            s
        })
}

/// A `glimmer.toml` that resolves: a valid base URL and one to five
/// distinct valid language codes whose fallbacks name configured languages
/// (cycles and self-references included), so that the build goes on to
/// load locales and render in exotic locales.
fn plausible_config_file() -> impl Strategy<Value = String> {
    (
        select(&BASE_URLS[..4]),
        any::<bool>(),
        prop::collection::vec(
            (
                select(VALID_CODES),
                text(),
                text(),
                prop::collection::vec(any::<prop::sample::Index>(), 0..3),
                prop::option::of(select(&["gregorian", "locale"][..])),
            ),
            1..5,
        ),
    )
        .prop_map(|(base, english_first, languages)| {
            let mut languages: Vec<_> = languages;
            if english_first {
                languages.insert(0, ("en", "English".into(), "T".into(), Vec::new(), None));
            }
            let mut seen = std::collections::HashSet::new();
            languages.retain(|l| seen.insert(l.0));
            let codes: Vec<&str> = languages.iter().map(|l| l.0).collect();
            let mut s = format!("base_url = {}\nminify = false\n", toml_str(base));
            for (code, name, title, fallback, calendar) in &languages {
                let fallback: Vec<String> = fallback
                    .iter()
                    .map(|i| toml_str(codes[i.index(codes.len())]))
                    .collect();
                s.push_str(&format!(
                    "[[languages]]\ncode = {}\nname = {}\ntitle = {}\nfallback = [{}]\n",
                    toml_str(code),
                    toml_str(name),
                    toml_str(title),
                    fallback.join(", ")
                ));
                if let Some(c) = calendar {
                    s.push_str(&format!("calendar = \"{c}\"\n"));
                }
            }
            s
        })
}

/// Keys of the built-in UI strings, plus ones no template uses.
const UI_KEYS: &[&str] = &[
    "skip_to_content",
    "main_navigation",
    "language_switcher",
    "choose_language",
    "home",
    "fallback_notice",
    "example_notice",
    "published",
    "updated",
    "campaign_day",
    "tags",
    "read_more",
    "latest_stories",
    "pagination",
    "previous_page",
    "next_page",
    "page_n_of_total",
    "stories_count",
    "not_found_title",
    "not_found_text",
    "go_home",
    "feed",
    "privacy_note",
    "languages",
    "unknown_key",
    "\"\"",
    "\"quoted key\"",
    "a.b",
];

const PLURAL_CATEGORIES: &[&str] = &[
    "zero", "one", "two", "few", "many", "other", "Other", "\"\"", "1", "=1",
];

fn ui_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            select(
                &[
                    "{n}",
                    "{total}",
                    "{language}",
                    "{",
                    "}",
                    "{{n}}",
                    "%s",
                    "{0}",
                    "{n}{n}"
                ][..]
            )
            .prop_map(str::to_string),
            text(),
        ],
        0..4,
    )
    .prop_map(|v| toml_str(&v.concat()))
}

fn locale_line() -> BoxedStrategy<String> {
    let plural = prop::collection::vec(
        (
            select(PLURAL_CATEGORIES),
            prop_oneof![
                4 => ui_text(),
                1 => select(&["1", "true", "[]", "{ one = \"x\" }"][..]).prop_map(str::to_string),
            ],
        ),
        0..6,
    )
    .prop_map(|forms| {
        let mut seen = std::collections::HashSet::new();
        let forms: Vec<String> = forms
            .into_iter()
            .filter(|(c, _)| seen.insert(*c))
            .map(|(c, v)| format!("{c} = {v}"))
            .collect();
        format!("{{ {} }}", forms.join(", "))
    });
    prop_oneof![
        4 => (select(UI_KEYS), ui_text()).prop_map(|(k, v)| format!("{k} = {v}")),
        4 => (select(UI_KEYS), plural).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => (select(UI_KEYS), select(TOML_VALUES)).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => (language_code(), text())
            .prop_map(|(c, n)| format!("languages.{} = {}", toml_str(c), toml_str(&n))),
        1 => select(&["[languages]", "[stories_count]", "en = 5", "[[x]]", "= \"x\"", "# comment"][..])
            .prop_map(str::to_string),
        1 => text(),
    ]
    .boxed()
}

fn locale_file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(locale_line(), 0..10),
        select(&["\n", "\r\n"][..]),
    )
        .prop_map(|(lines, eol)| lines.join(eol))
}

// ---------------------------------------------------------------------------
// Bytes

/// File contents that may not be UTF-8: random bytes, or a valid file with
/// invalid sequences (a lone continuation byte, an overlong encoding, an
/// encoded surrogate, a code point past U+10FFFF, a cut-off sequence)
/// spliced in.
fn bytes_like(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let bad: &[&[u8]] = &[
        b"\xff",
        b"\x80",
        b"\xc3",
        b"\xc0\x80",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xe2\x82",
        b"\xfe\xff",
        b"\x00",
    ];
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        (
            prop::collection::vec((any::<prop::sample::Index>(), select(bad)), 1..4),
            Just(valid)
        )
            .prop_map(|(cuts, valid)| {
                let mut bytes = valid.as_bytes().to_vec();
                for (at, bad) in cuts {
                    let i = at.index(bytes.len() + 1);
                    bytes.splice(i..i, bad.iter().copied());
                }
                bytes
            }),
    ]
}

// ---------------------------------------------------------------------------
// Valid sites, for the link check

/// Abstract text pieces of a valid page; links name pages by number, so
/// that every link points at a page that exists.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Strong(String),
    Code(String),
    /// A link to page `n % pages`, and to heading id `m % ids` on it.
    Page(String, usize, Option<usize>),
    Home(String),
    Section(String),
    About(String),
    /// A link to a heading of this page.
    Here(String, usize),
    External(String),
    Mail,
    Footnote(usize),
}

#[derive(Debug, Clone)]
struct ValidVersion {
    title: String,
    summary: Option<String>,
    tags: Vec<String>,
    slug: Option<String>,
    date: Option<String>,
    day: Option<i64>,
    weight: Option<i64>,
    draft: bool,
    pieces: Vec<Vec<Piece>>,
}

#[derive(Debug, Clone)]
struct ValidPage {
    /// In `stories/sub/` rather than `stories/`.
    nested: bool,
    /// Heading ids written `{#id}` in every version (at least one).
    ids: Vec<String>,
    /// Versions in en (always), ru, ky, fa-AF.
    versions: [Option<ValidVersion>; 4],
}

#[derive(Debug, Clone)]
struct ValidSite {
    base_url: &'static str,
    minify: bool,
    paginate_by: usize,
    feed_limit: usize,
    example_notice: bool,
    menu_about: bool,
    sort_by: &'static str,
    section_paginate_by: Option<usize>,
    section_translated: [bool; 4],
    pages: Vec<ValidPage>,
}

const VALID_LANGS: [&str; 4] = ["en", "ru", "ky", "fa-AF"];

/// Text without Markdown or HTML syntax: ASCII punctuation is escaped.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '"' | '\'' | '-' | ',' | '.' | '?') {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

fn piece() -> BoxedStrategy<Piece> {
    prop_oneof![
        4 => text().prop_map(Piece::Text),
        1 => text().prop_map(Piece::Strong),
        1 => "[a-z][a-z ]{0,7}".prop_map(Piece::Code),
        3 => (text(), any::<usize>(), prop::option::of(any::<usize>()))
            .prop_map(|(t, p, a)| Piece::Page(t, p, a)),
        1 => text().prop_map(Piece::Home),
        1 => text().prop_map(Piece::Section),
        1 => text().prop_map(Piece::About),
        1 => (text(), any::<usize>()).prop_map(|(t, i)| Piece::Here(t, i)),
        1 => text().prop_map(Piece::External),
        1 => Just(Piece::Mail),
        1 => (0usize..3).prop_map(Piece::Footnote),
    ]
    .boxed()
}

fn valid_slug() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z0-9][a-z0-9_-]{0,8}", "[а-яё]{1,6}", "[ا-ي]{1,5}",]
}

fn valid_version() -> impl Strategy<Value = ValidVersion> {
    (
        (
            text(),
            prop::option::of(text()),
            prop::collection::vec(text(), 0..3),
            prop::option::of(valid_slug()),
            prop::option::of(date()),
        ),
        (
            prop::option::of(1i64..=16),
            prop::option::of(any::<i64>()),
            prop::bool::weighted(0.1),
            prop::collection::vec(prop::collection::vec(piece(), 0..6), 0..4),
        ),
    )
        .prop_map(
            |((title, summary, tags, slug, date), (day, weight, draft, pieces))| ValidVersion {
                title,
                summary,
                tags,
                slug,
                date,
                day,
                weight,
                draft,
                pieces,
            },
        )
}

fn valid_page() -> impl Strategy<Value = ValidPage> {
    (
        prop::bool::weighted(0.3),
        prop::collection::btree_set("[a-z][a-z0-9-]{0,6}", 1..4),
        valid_version(),
        prop::collection::vec(prop::option::of(valid_version()), 3),
    )
        .prop_map(|(nested, ids, en, mut others)| ValidPage {
            nested,
            ids: ids.into_iter().collect(),
            versions: [
                Some(ValidVersion { draft: false, ..en }),
                others.remove(0),
                others.remove(0),
                others.remove(0),
            ],
        })
}

fn valid_site() -> impl Strategy<Value = ValidSite> {
    (
        (
            select(
                &[
                    "https://example.org/",
                    "https://ngo.github.io/campaign/",
                    "http://localhost:8000/a/b/",
                ][..],
            ),
            // Minifying is slow in a debug build: one site in sixteen.
            prop::bool::weighted(0.0625),
            1usize..4,
            0usize..4,
            any::<bool>(),
            any::<bool>(),
        ),
        (
            select(&["date", "weight", "title"][..]),
            prop::option::of(1usize..4),
            prop::array::uniform4(any::<bool>()),
            prop::collection::vec(valid_page(), 1..5),
        ),
    )
        .prop_map(
            |(
                (base_url, minify, paginate_by, feed_limit, example_notice, menu_about),
                (sort_by, section_paginate_by, section_translated, pages),
            )| ValidSite {
                base_url,
                minify,
                paginate_by,
                feed_limit,
                example_notice,
                menu_about,
                sort_by,
                section_paginate_by,
                section_translated,
                pages,
            },
        )
}

impl ValidSite {
    fn key(&self, i: usize) -> String {
        if self.pages[i].nested {
            format!("stories/sub/p{i}.md")
        } else {
            format!("stories/p{i}.md")
        }
    }

    fn config(&self) -> String {
        let mut s = format!(
            "base_url = {}\nminify = {}\npaginate_by = {}\nfeed_limit = {}\nexample_notice = {}\n",
            toml_str(self.base_url),
            self.minify,
            self.paginate_by,
            self.feed_limit,
            self.example_notice
        );
        s.push_str(if self.menu_about {
            "menu = [\"@/stories/_index.md\", \"@/about.md\"]\n"
        } else {
            "menu = [\"@/stories/_index.md\"]\n"
        });
        s.push_str(&CONFIG[CONFIG.find("[[languages]]").unwrap()..]);
        s
    }

    /// The Markdown of one version of page `i`.
    fn body(&self, i: usize, v: &ValidVersion) -> String {
        let page = &self.pages[i];
        let mut out = String::new();
        let mut notes = std::collections::BTreeSet::new();
        for (n, paragraph) in v.pieces.iter().enumerate() {
            for p in paragraph {
                let s = match p {
                    Piece::Text(t) => plain(t),
                    Piece::Strong(t) => format!("**{}**", plain(t)),
                    Piece::Code(t) => format!("`{t}`"),
                    Piece::Page(t, to, anchor) => {
                        let to = to % self.pages.len();
                        let key = self.key(to);
                        match anchor {
                            Some(a) => {
                                let ids = &self.pages[to].ids;
                                format!("[{}](@/{key}#{})", plain(t), ids[a % ids.len()])
                            }
                            None => format!("[{}](@/{key})", plain(t)),
                        }
                    }
                    Piece::Home(t) => format!("[{}](@/_index.md)", plain(t)),
                    Piece::Section(t) => format!("[{}](@/stories/_index.md)", plain(t)),
                    Piece::About(t) => format!("[{}](@/about.md)", plain(t)),
                    Piece::Here(t, a) => {
                        format!("[{}](#{})", plain(t), page.ids[a % page.ids.len()])
                    }
                    Piece::External(t) => format!("[{}](https://example.com/{n})", plain(t)),
                    Piece::Mail => "<mailto:help@example.org>".to_string(),
                    Piece::Footnote(k) => {
                        notes.insert(*k);
                        format!("[^n{k}]")
                    }
                };
                out.push_str(&s);
                out.push(' ');
            }
            // Indented text would be code, hiding the links in it.
            let start = out.rfind("\n\n").map_or(0, |i| i + 2);
            let paragraph = out[start..].trim_start().to_string();
            out.truncate(start);
            out.push_str(&paragraph);
            out.push_str("\n\n");
            if let Some(id) = page.ids.get(n) {
                out.push_str(&format!("## {} {{#{id}}}\n\n", plain(&v.title)));
            }
        }
        for id in page.ids.iter().skip(v.pieces.len()) {
            out.push_str(&format!("### {id} {{#{id}}}\n\n"));
        }
        for k in notes {
            out.push_str(&format!("[^n{k}]: Note {k}.\n\n"));
        }
        out
    }

    fn files(&self) -> Vec<(String, String)> {
        let mut files = vec![
            ("glimmer.toml".to_string(), self.config()),
            (
                "content/_index.md".to_string(),
                "+++\ntitle = \"Home\"\n+++\n\nWelcome.\n".to_string(),
            ),
            (
                "content/about.md".to_string(),
                "+++\ntitle = \"About\"\n+++\n\n## Who we are {#who}\n\nUs.\n".to_string(),
            ),
        ];
        for (l, translated) in self.section_translated.iter().enumerate() {
            if *translated || l == 0 {
                let mut fm = format!("title = \"Stories {l}\"\nsort_by = \"{}\"\n", self.sort_by);
                if let Some(n) = self.section_paginate_by {
                    fm.push_str(&format!("paginate_by = {n}\n"));
                }
                files.push((
                    file_name("stories/_index.md", l),
                    format!("+++\n{fm}+++\n\nAll [about us](@/about.md#who).\n"),
                ));
            }
        }
        if self.pages.iter().any(|p| p.nested) {
            files.push((
                "content/stories/sub/_index.md".to_string(),
                "+++\ntitle = \"More\"\n+++\n".to_string(),
            ));
        }
        for (i, page) in self.pages.iter().enumerate() {
            for (l, v) in page.versions.iter().enumerate() {
                let Some(v) = v else { continue };
                let fields = Fields {
                    title: Some(v.title.clone()),
                    summary: v.summary.clone(),
                    tags: v.tags.clone(),
                    day: v.day,
                    weight: v.weight,
                    paginate_by: None,
                    date: v.date.clone(),
                    updated: None,
                    draft: v.draft,
                    sort_by: None,
                    extra: Vec::new(),
                };
                // Slugs end in the page number, so they never collide.
                let slug: Vec<String> = v
                    .slug
                    .iter()
                    .map(|s| format!("slug = {}", toml_str(&format!("{s}-{i}"))))
                    .collect();
                files.push((
                    file_name(&self.key(i), l),
                    fields.to_file(&slug, &self.body(i, v)),
                ));
            }
        }
        files
    }
}

/// `content/KEY` for the default language, `content/NAME.LANG.md` for
/// another.
fn file_name(key: &str, lang: usize) -> String {
    match lang {
        0 => format!("content/{key}"),
        l => format!(
            "content/{}.{}.md",
            key.trim_end_matches(".md"),
            VALID_LANGS[l]
        ),
    }
}

// ---------------------------------------------------------------------------
// The properties

/// The properties; `scripts/fuzz` runs `robustness::property::`.
mod property {
    use super::*;

    proptest! {
        #![proptest_config(config())]

        /// Front matter as text: broken TOML, fences in odd places, BOMs,
        /// CRLF and lone CR line endings.
        #[test]
        fn front_matter_text_never_panics_and_errors_name_the_file(
            file in front_matter_file(),
            target in select(TARGETS),
        ) {
            let site = Scratch::base();
            site.put(target, &file);
            check(&site, &site.render(), Some(target))?;
        }

        /// Well-formed front matter with values of any size: campaign days,
        /// weights and page sizes over the whole `i64` range, dates from year 0
        /// to 9999, any text in titles, summaries, tags, sort orders and
        /// `[extra]`.
        #[test]
        fn front_matter_values_never_panic_and_errors_name_the_file(
            fields in fields(),
            body in text(),
            target in select(TARGETS),
        ) {
            let site = Scratch::base();
            site.put(target, fields.to_file(&[], &body));
            let outcome = site.render();
            check(&site, &outcome, Some(target))?;
            // Errors about one key point at that key's line.
            for d in outcome.err().unwrap_or_default() {
                let key = [
                    ("campaign day", "day = "),
                    ("unknown sort order", "sort_by = "),
                    ("paginate_by must", "paginate_by = "),
                ]
                .into_iter()
                .find(|(m, _)| d.message.starts_with(m));
                if let (Some((_, key)), Some(at)) = (key, &d.location) {
                    prop_assert!(at.text.starts_with(key), "not on its line:\n{}", d);
                }
            }
        }

        /// Slugs of any text, including names the output already uses and
        /// names no file system takes.
        #[test]
        fn slugs_never_panic_and_errors_name_the_file(
            slug in slug(),
            target in select(TARGETS),
        ) {
            let site = Scratch::base();
            let file = format!("+++\ntitle = \"S\"\nslug = {}\n+++\nText.\n", toml_str(&slug));
            site.put(target, file);
            check(&site, &site.build(), Some(target))?;
        }

        /// `template = "…"`: the theme's templates used for the wrong kind of
        /// page, missing templates, paths.
        #[test]
        fn templates_chosen_in_front_matter_never_panic_and_errors_name_the_file(
            template in template_name(),
            target in select(TARGETS),
        ) {
            let site = Scratch::base();
            let file = format!("+++\ntitle = \"T\"\ntemplate = {}\n+++\nText.\n", toml_str(&template));
            site.put(target, file);
            check(&site, &site.render(), Some(target))?;
        }

        /// Markdown bodies: every construct, `@/` links to files that exist or
        /// not (with anchors), footnotes, tables, raw HTML, script URLs, RTL
        /// text and control characters.
        #[test]
        fn markdown_bodies_never_panic_and_errors_name_the_file(
            body in markdown(),
            target in select(TARGETS),
        ) {
            let site = Scratch::base();
            site.put(target, format!("+++\ntitle = \"M\"\n+++\n{body}"));
            check(&site, &site.render(), Some(target))?;
        }

        /// `glimmer.toml` with any base URL, valid and invalid language codes,
        /// fallback cycles, unknown keys and odd values.
        #[test]
        fn config_files_never_panic_and_diagnostics_name_a_file(
            config in prop_oneof![config_file(), plausible_config_file()],
        ) {
            let site = Scratch::base();
            site.put("glimmer.toml", &config);
            check(&site, &site.render(), None)?;
        }

        /// `locales/LANG.toml` with any strings, placeholders and plural tables,
        /// for languages of the site and others.
        #[test]
        fn locale_files_never_panic_and_diagnostics_name_a_file(
            files in prop::collection::vec(
                (select(&["en", "ru", "ky", "fa-AF", "tk", "xx"][..]), locale_file()),
                1..4,
            ),
        ) {
            let site = Scratch::base();
            for (code, text) in &files {
                site.put(&format!("locales/{code}.toml"), text);
            }
            check(&site, &site.render(), None)?;
        }

        /// A `glimmer.toml` that is not UTF-8 text.
        #[test]
        fn config_bytes_never_panic_and_errors_name_the_file(config in bytes_like(CONFIG)) {
            let site = Scratch::base();
            site.put("glimmer.toml", &config);
            check(&site, &site.render(), Some("glimmer.toml"))?;
        }

        /// A story, or the home page, that is not UTF-8 text.
        #[test]
        fn content_bytes_never_panic_and_errors_name_the_file(
            story in bytes_like(CONTENT[2].1),
            target in select(&["content/stories/a.md", "content/_index.md", "content/stories/x.ky.md"][..]),
        ) {
            let site = Scratch::base();
            site.put(target, &story);
            check(&site, &site.render(), Some(target))?;
        }

        /// A locale file that is not UTF-8 text.
        #[test]
        fn locale_bytes_never_panic_and_errors_name_the_file(
            locale in bytes_like("home = \"Home\"\nstories_count = { one = \"{n}\", other = \"{n}\" }\n"),
            code in select(&["en", "ru", "ky", "fa-AF"][..]),
        ) {
            let site = Scratch::base();
            let target = format!("locales/{code}.toml");
            site.put(&target, &locale);
            check(&site, &site.render(), Some(&target))?;
        }

        /// Content files whose names are any bytes (not UTF-8, backslashes).
        #[test]
        fn file_names_that_are_not_utf8_never_panic_and_errors_name_the_file(
            name in prop::collection::vec(any::<u8>(), 1..8),
            story in bytes_like(CONTENT[2].1),
        ) {
            use std::os::unix::ffi::OsStrExt;
            let site = Scratch::base();
            let mut bytes: Vec<u8> = name.into_iter().filter(|b| *b != b'/' && *b != 0).collect();
            bytes.insert(0, b'n');
            bytes.extend_from_slice(b".md");
            let rel = Path::new("content/stories").join(std::ffi::OsStr::from_bytes(&bytes));
            site.put_path(&rel, &story);
            check(&site, &site.render(), Some(&rel.display().to_string()))?;
        }

        /// Random valid sites build, and every internal reference of the output
        /// resolves: pages, sections, translations, fallbacks, slugs in any
        /// script, pagination, anchors, footnotes, feeds and the sitemap.
        #[test]
        fn valid_sites_build_and_have_no_broken_references(site in valid_site()) {
            let scratch = Scratch::empty();
            for (rel, text) in site.files() {
                scratch.put(&rel, text);
            }
            let result = scratch.render();
            let files = match &result {
                Ok((_, files)) => files.clone(),
                Err(diags) => {
                    return Err(TestCaseError::fail(format!(
                        "a valid site failed to build:\n{}",
                        render(diags)
                    )));
                }
            };
            check(&scratch, &result, None)?;
            let report = linkcheck::check_files(files, site.base_url);
            prop_assert!(
                report.broken.is_empty(),
                "broken references:\n{}",
                report.broken.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Fixed inputs

/// Builds the base site with `files` written over it.
fn base_with(files: &[(&str, &str)]) -> (Scratch, Outcome) {
    let site = Scratch::base();
    for (rel, text) in files {
        site.put(rel, text);
    }
    let result = site.build();
    (site, result)
}

fn assert_ok(site: &Scratch, result: &Outcome, blamed: Option<&str>) {
    if let Err(e) = check(site, result, blamed) {
        panic!("{e}");
    }
}

#[test]
fn the_base_site_builds_without_warnings_and_without_broken_references() {
    let (site, result) = base_with(&[]);
    let (warnings, _) = result.unwrap_or_else(|d| panic!("{}", render(&d)));
    assert_eq!(render(&warnings), "");
    linkcheck::check(&site.output(), "https://example.org/").assert_clean("the base site");
}

#[test]
fn a_site_without_config_fails_with_one_error_about_the_whole_site() {
    let site = Scratch::empty();
    let result = site.build();
    assert_ok(&site, &result, None);
    let diags = result.expect_err("a site without glimmer.toml must fail");
    assert_eq!(diags.len(), 1, "{}", render(&diags));
    assert!(diags[0].file.is_none() && diags[0].message.contains("glimmer.toml"));
}

#[test]
fn a_site_without_content_warns_about_the_whole_site() {
    let site = Scratch::empty();
    site.put(
        "glimmer.toml",
        CONFIG.replace("menu = [", "# menu = [").as_str(),
    );
    let result = site.build();
    assert_ok(&site, &result, None);
}

#[test]
fn crlf_front_matter_builds_like_lf() {
    let story = CONTENT[2].1.replace('\n', "\r\n");
    let (site, result) = base_with(&[("content/stories/a.md", &story)]);
    assert_ok(&site, &result, None);
    assert!(result.is_ok());
}

#[test]
fn an_error_in_crlf_front_matter_points_at_its_line() {
    let (_, result) = base_with(&[(
        "content/stories/x.md",
        "+++\r\ntitle = \"X\"\r\nsummary = \"S\"\r\nday = 17\r\n+++\r\nText.\r\n",
    )]);
    let text = render(&result.expect_err("day 17 is an error"));
    assert!(text.contains("--> content/stories/x.md:4:1"), "{text}");
    assert!(text.contains("4 | day = 17"), "{text}");
}

#[test]
fn a_config_that_is_not_utf8_is_an_error_naming_glimmer_toml() {
    let site = Scratch::base();
    site.put("glimmer.toml", b"base_url = \"https://example.org/\xff\"\n");
    let result = site.build();
    assert_ok(&site, &result, Some("glimmer.toml"));
    let diags = result.err().unwrap();
    assert_eq!(
        diags[0].file.as_deref(),
        Some(Path::new("glimmer.toml")),
        "{}",
        render(&diags)
    );
}

#[test]
fn a_content_file_that_is_not_utf8_is_an_error_naming_it() {
    let (site, result) = base_with(&[]);
    drop(result);
    site.put("content/stories/a.md", b"+++\ntitle = \"\xff\"\n+++\n");
    let result = site.build();
    assert_ok(&site, &result, Some("content/stories/a.md"));
}

#[test]
fn a_slug_equal_to_a_feed_name_is_an_error_naming_the_page() {
    let (site, result) = base_with(&[(
        "content/feed.md",
        "+++\ntitle = \"F\"\nslug = \"atom.xml\"\n+++\nText.\n",
    )]);
    assert_ok(&site, &result, Some("content/feed.md"));
}

#[test]
fn a_slug_too_long_for_a_file_name_is_an_error_naming_the_page() {
    let (site, result) = base_with(&[(
        "content/long.md",
        &format!("+++\ntitle = \"L\"\nslug = \"{}\"\n+++\n", "a".repeat(300)),
    )]);
    assert_ok(&site, &result, Some("content/long.md"));
}

#[test]
fn a_slug_with_a_percent_sign_gives_a_link_that_resolves() {
    let (site, result) = base_with(&[(
        "content/stories/p.md",
        "+++\ntitle = \"P\"\nslug = \"a%20b\"\ndate = 2026-11-30\n+++\nText.\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/p.md"));
    if result.is_ok() {
        linkcheck::check(&site.output(), "https://example.org/")
            .assert_clean("a site with slug a%20b");
    }
}

#[test]
fn a_page_at_the_address_of_a_list_page_is_an_error() {
    // stories/ has two stories and paginate_by = 1, so its second list page
    // is /en/stories/page/2/: a page there would be overwritten.
    let (site, result) = base_with(&[
        (
            "content/stories/_index.md",
            "+++\ntitle = \"Stories\"\npaginate_by = 1\n+++\n",
        ),
        (
            "content/stories/page/2.md",
            "+++\ntitle = \"Second\"\n+++\nI am a page.\n",
        ),
    ]);
    assert_ok(&site, &result, Some("content/stories/page/2.md"));
    assert!(
        result.is_err(),
        "the build succeeded; en/stories/page/2/index.html holds:\n{}",
        std::fs::read_to_string(site.output().join("en/stories/page/2/index.html"))
            .unwrap_or_default()
    );
}

#[test]
fn a_missing_template_is_an_error_naming_the_page_that_asks_for_it() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"T\"\ntemplate = \"nope.html\"\n+++\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/x.md"));
}

#[test]
fn a_footnote_defined_but_never_referenced_leaves_no_dead_link() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"T\"\n+++\nText.\n\n[^a]: A note nobody cites.\n",
    )]);
    assert_ok(&site, &result, None);
    linkcheck::check(&site.output(), "https://example.org/")
        .assert_clean("a page with an unreferenced footnote");
}

#[test]
fn a_footnote_referenced_but_never_defined_leaves_no_dead_link() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"T\"\n+++\nText[^a].\n",
    )]);
    assert_ok(&site, &result, None);
    linkcheck::check(&site.output(), "https://example.org/")
        .assert_clean("a page with an undefined footnote");
}

#[test]
fn an_image_written_with_an_internal_path_is_resolved_or_refused() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"T\"\n+++\n![map](@/about.md)\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/x.md"));
    if result.is_ok() {
        linkcheck::check(&site.output(), "https://example.org/")
            .assert_clean("a page with an @/ image");
    }
}

#[test]
fn a_slug_with_a_nul_character_is_an_error_naming_the_page() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"S\"\nslug = \"a\\u0000b\"\n+++\nText.\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/x.md"));
}

#[test]
fn a_section_template_on_a_page_is_an_error_naming_the_page() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"T\"\ntemplate = \"section.html\"\n+++\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/x.md"));
}

#[test]
fn a_content_file_whose_name_is_not_utf8_is_an_error_naming_it() {
    use std::os::unix::ffi::OsStrExt;
    let site = Scratch::base();
    let rel = Path::new("content/stories").join(std::ffi::OsStr::from_bytes(b"n\xff.md"));
    site.put_path(&rel, b"+++\ntitle = 1\n+++\n");
    let result = site.build();
    assert_ok(&site, &result, Some("content/stories/n\u{fffd}.md"));
    assert!(result.is_err());
}

#[test]
fn a_content_file_with_a_backslash_in_its_name_is_named_as_it_is() {
    let (site, result) = base_with(&[("content/stories/n\\.md", "")]);
    assert_ok(&site, &result, Some("content/stories/n\\.md"));
}

proptest! {
    #![proptest_config(config())]

    /// The generators' TOML strings read back as the text they were made of.
    #[test]
    fn toml_strings_of_the_generators_round_trip(s in text()) {
        let table: toml::Table = toml::from_str(&format!("x = {}", toml_str(&s)))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(table["x"].as_str(), Some(s.as_str()));
    }
}

proptest! {
    #![proptest_config(config())]

    /// The generators' dates are dates TOML accepts.
    #[test]
    fn dates_of_the_generators_are_toml_dates(d in date()) {
        let table: Result<toml::Table, _> = toml::from_str(&format!("x = {d}"));
        prop_assert!(table.is_ok_and(|t| t["x"].is_datetime()), "{}", d);
    }
}

#[test]
fn a_language_without_a_home_page_is_reported_or_not_linked() {
    // The home page exists in Russian only, so English (whose chain is just
    // English) has no /en/.
    let site = Scratch::base();
    std::fs::remove_file(site.root().join("content/_index.md")).unwrap();
    site.put(
        "content/_index.ru.md",
        "+++\ntitle = \"Главная\"\n+++\n\nДобро пожаловать.\n",
    );
    let result = site.build();
    assert_ok(&site, &result, None);
    let Ok((warnings, _)) = &result else {
        return;
    };
    if warnings.iter().any(|w| w.message.contains("home")) {
        return;
    }
    linkcheck::check(&site.output(), "https://example.org/")
        .assert_clean("a site whose home page is in Russian only");
}

#[test]
fn a_slug_named_like_a_list_page_file_is_an_error_naming_the_page() {
    let (site, result) = base_with(&[(
        "content/stories/x.md",
        "+++\ntitle = \"I\"\nslug = \"index.html\"\n+++\nText.\n",
    )]);
    assert_ok(&site, &result, Some("content/stories/x.md"));
}
