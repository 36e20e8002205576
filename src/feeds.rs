//! Machine-readable files: an Atom feed per language, `sitemap.xml` with
//! `hreflang` alternates, and `robots.txt`.

use crate::content::{Entry, Kind};
use crate::i18n::dates;
use crate::render::OutputFile;
use crate::render::views::Views;

/// The feeds, sitemap and robots.txt of the site.
pub fn render(views: &Views) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = views
        .settings
        .languages
        .iter()
        .map(|l| OutputFile {
            path: format!("{}/atom.xml", l.code),
            bytes: atom(views, l.index).into_bytes(),
        })
        .collect();
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: sitemap(views).into_bytes(),
    });
    files.push(OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            views.settings.base_url
        )
        .into_bytes(),
    });
    files
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The newest dated pages of a language, newest first.
fn newest<'a>(views: &'a Views, lang: usize) -> Vec<&'a Entry> {
    let mut pages: Vec<(String, &Entry)> = views
        .content
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Page)
        .filter_map(|e| {
            let date = e.shown_source(lang)?.meta.date.as_ref()?;
            Some((dates::rfc3339(date), e))
        })
        .collect();
    pages.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    pages
        .into_iter()
        .take(views.settings.feed_limit)
        .map(|(_, e)| e)
        .collect()
}

fn atom(views: &Views, lang: usize) -> String {
    let l = &views.settings.languages[lang];
    let home = views.permalink(&format!("{}/", l.code));
    let entries = newest(views, lang);
    let updated = entries
        .iter()
        .filter_map(|e| {
            let m = &e.shown_source(lang)?.meta;
            m.updated.as_ref().or(m.date.as_ref()).map(dates::rfc3339)
        })
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{code}\">\n\
         <title>{title}</title>\n<subtitle>{desc}</subtitle>\n<link rel=\"self\" href=\"{home}atom.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n<id>{home}</id>\n<updated>{updated}</updated>\n",
        code = l.code,
        title = xml_escape(&l.title),
        desc = xml_escape(&l.description),
    );
    for e in entries {
        let Some(source) = e.shown_source(lang) else {
            continue;
        };
        let m = &source.meta;
        let link = views.permalink(&e.paths[lang]);
        let published = m.date.as_ref().map(dates::rfc3339).unwrap_or_default();
        let changed = m
            .updated
            .as_ref()
            .map(dates::rfc3339)
            .unwrap_or_else(|| published.clone());
        let text_lang = &views.settings.languages[source.lang].code;
        xml.push_str(&format!(
            "<entry xml:lang=\"{text_lang}\">\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <id>{link}</id>\n<published>{published}</published>\n<updated>{changed}</updated>\n<author><name>{}</name></author>\n",
            xml_escape(m.title.as_deref().unwrap_or("")),
            xml_escape(&l.title),
        ));
        if let Some(summary) = &m.summary {
            xml.push_str(&format!("<summary>{}</summary>\n", xml_escape(summary)));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Lists every real (not fallback) page with its language alternates;
/// fallback copies point at their original with `rel=canonical` and are
/// left out, as search engines ask.
fn sitemap(views: &Views) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    xml.push_str(&format!(
        "<url><loc>{}</loc></url>\n",
        xml_escape(&views.settings.base_url)
    ));
    for e in &views.content.entries {
        let alternates = views.alternates(e);
        for l in &views.settings.languages {
            let Some(source) = e.versions[l.index].as_ref() else {
                continue;
            };
            xml.push_str(&format!(
                "<url><loc>{}</loc>",
                xml_escape(&views.permalink(&e.paths[l.index]))
            ));
            if let Some(d) = source.meta.updated.as_ref().or(source.meta.date.as_ref()) {
                xml.push_str(&format!("<lastmod>{}</lastmod>", dates::iso_date(d)));
            }
            if alternates.len() > 2 {
                for a in &alternates {
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        a.hreflang,
                        xml_escape(&a.href)
                    ));
                }
            }
            xml.push_str("</url>\n");
        }
    }
    directory_pages(views, &mut xml);
    xml.push_str("</urlset>\n");
    xml
}

/// The directory's country and category pages (not the printable lists,
/// which repeat the country pages), with every language as an alternate.
fn directory_pages(views: &Views, xml: &mut String) {
    let Some(home) = views.directory.home.map(|h| &views.content.entries[h]) else {
        return;
    };
    for (lang, page) in crate::render::directory::jobs(views) {
        if let crate::render::directory::DirPage::Print(_) = page {
            continue;
        }
        let suffix = page.suffix();
        let loc = format!("{}{suffix}", views.permalink(&home.paths[lang]));
        xml.push_str(&format!("<url><loc>{}</loc>", xml_escape(&loc)));
        for l in views
            .settings
            .languages
            .iter()
            .filter(|l| home.shown[l.index].is_some())
        {
            let href = format!("{}{suffix}", views.permalink(&home.paths[l.index]));
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                l.code,
                xml_escape(&href)
            ));
        }
        xml.push_str("</url>\n");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_xml() {
        assert_eq!(
            super::xml_escape("a<b & \"c\""),
            "a&lt;b &amp; &quot;c&quot;"
        );
    }
}
