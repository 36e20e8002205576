//! The files that tell web hosts how to serve the site, at the root of
//! the output: `_headers` (read by Netlify and Cloudflare Pages) and
//! `.htaccess` (read by Apache, the server of most shared hosting). Both
//! carry the same security headers and cache lifetimes; `.htaccess` also
//! serves the pre-compressed copies and the 404 page. GitHub Pages reads
//! neither: there, each page's `<meta>` policy is what protects it.
//!
//! Cache lifetimes: HTML and the other documents that change with the
//! content (feeds, sitemap, `services.json`, `robots.txt`) 5 minutes;
//! other files (scripts, style sheets, images, fonts) a day; files whose
//! name carries a content hash ([`is_hashed`]) a year, as they never
//! change under the same name.

use crate::compress::{self, Encoding};
use crate::csp::{Policy, Styles};
use crate::render::OutputFile;
use std::collections::BTreeSet;

/// The file Netlify and Cloudflare Pages read.
pub const HEADERS: &str = "_headers";
/// The file Apache reads.
pub const HTACCESS: &str = ".htaccess";

/// `Cache-Control` of documents that change with the content.
const SHORT: &str = "max-age=300";
/// `Cache-Control` of other files.
const MEDIUM: &str = "max-age=86400";
/// `Cache-Control` of files whose name carries a content hash.
const LONG: &str = "max-age=31536000, immutable";

/// Extensions of the documents that get the short lifetime.
const DOCUMENTS: &[&str] = &["html", "htm", "xml", "json", "txt"];

/// Browser features no page of the site uses, turned off for it and for
/// anything it could embed; the ad-interest ones keep visits to the site
/// out of advertising profiles.
const PERMISSIONS: &str = "accelerometer=(), attribution-reporting=(), autoplay=(), \
browsing-topics=(), camera=(), display-capture=(), encrypted-media=(), geolocation=(), \
gyroscope=(), hid=(), idle-detection=(), interest-cohort=(), join-ad-interest-group=(), \
magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), \
run-ad-auction=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// Cloudflare Pages reads at most this many rules from `_headers`.
const MAX_RULES: usize = 100;

/// What the host files need to know about the built site, gathered from
/// every file on its way to the output.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The inline styles of every HTML file.
    pub styles: Styles,
    /// Extensions of the files with the medium lifetime.
    pub extensions: BTreeSet<String>,
    /// Paths of the files whose name carries a content hash.
    pub hashed: BTreeSet<String>,
    /// Top-level folders holding a file whose name carries no hash.
    pub mixed_folders: BTreeSet<String>,
}

impl Inventory {
    /// Notes a file of the output (not a compressed copy).
    pub fn add(&mut self, path: &str) {
        if is_hashed(path) {
            self.hashed.insert(path.to_string());
            return;
        }
        if let Some((folder, _)) = path.split_once('/') {
            self.mixed_folders.insert(folder.to_string());
        }
        if let Some(ext) = compress::extension(path)
            && !DOCUMENTS.contains(&ext.as_str())
        {
            self.extensions.insert(ext);
        }
    }
}

/// True when the last part of the file name before its extension is 8
/// or more lower-case hex digits, as build tools name files by their
/// content: `style.1a2b3c4d.css` (the pattern `*.[0-9a-f]{8,}.*`). A date
/// written `report.20261125.pdf` counts too.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let [.., stem, hash, ext] = parts.as_slice() else {
        return false;
    };
    !stem.is_empty()
        && !ext.is_empty()
        && hash.len() >= 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// What the host files are made from.
pub struct Hosting<'a> {
    /// Path of the site on its host, starting and ending with `/`.
    pub base_path: &'a str,
    /// The encodings of the pre-compressed copies.
    pub encodings: &'a [Encoding],
    /// The built site.
    pub inventory: &'a Inventory,
    /// The site's Content-Security-Policy.
    pub policy: &'a Policy,
}

impl Hosting<'_> {
    /// `_headers` and `.htaccess`.
    pub fn files(&self) -> Vec<OutputFile> {
        vec![
            OutputFile {
                path: HEADERS.into(),
                bytes: self.headers().into_bytes(),
            },
            OutputFile {
                path: HTACCESS.into(),
                bytes: self.htaccess().into_bytes(),
            },
        ]
    }

    fn security_headers(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "Content-Security-Policy",
                self.policy.header(&self.inventory.styles),
            ),
            ("Referrer-Policy", "no-referrer".into()),
            ("X-Content-Type-Options", "nosniff".into()),
            ("X-Frame-Options", "DENY".into()),
            ("Permissions-Policy", PERMISSIONS.into()),
            ("Cross-Origin-Opener-Policy", "same-origin".into()),
        ]
    }

    /// `_headers`: security headers and the short lifetime on every path,
    /// then the medium lifetime by extension, then the long one for each
    /// hashed file. Where rules overlap, Cloudflare Pages would join both
    /// values, so a later rule first removes the earlier one (`!`, a line
    /// Netlify skips: there the later rule wins).
    pub fn headers(&self) -> String {
        let base = self.base_path;
        let mut out = String::from(
            "# Written by `glimmer build`: security headers and cache lifetimes\n\
             # for Netlify and Cloudflare Pages. Turn off with `[output] headers = false`\n\
             # in glimmer.toml, or replace it with your own static/_headers.\n\n",
        );
        out.push_str(&format!("{base}*\n"));
        for (name, value) in self.security_headers() {
            out.push_str(&format!("  {name}: {value}\n"));
        }
        out.push_str(&format!("  Cache-Control: {SHORT}\n"));
        let mut rules = 1;
        for ext in &self.inventory.extensions {
            out.push_str(&format!(
                "\n{base}*.{ext}\n  ! Cache-Control\n  Cache-Control: {MEDIUM}\n"
            ));
            rules += 1;
        }
        for rule in self
            .long_rules()
            .iter()
            .take(MAX_RULES.saturating_sub(rules))
        {
            out.push_str(&format!(
                "\n{base}{rule}\n  ! Cache-Control\n  Cache-Control: {LONG}\n"
            ));
        }
        out
    }

    /// The paths given the long lifetime: one `folder/*` for a top-level
    /// folder whose every file is hashed (the pictures' `img/`), each
    /// hashed file elsewhere.
    fn long_rules(&self) -> BTreeSet<String> {
        let inventory = self.inventory;
        inventory
            .hashed
            .iter()
            .map(|path| match path.split_once('/') {
                Some((folder, _)) if !inventory.mixed_folders.contains(folder) => {
                    format!("{folder}/*")
                }
                _ => path.clone(),
            })
            .collect()
    }

    /// `.htaccess`: every part inside `<IfModule>`, so that a host without
    /// a module skips the part instead of answering "500 Internal Server
    /// Error".
    pub fn htaccess(&self) -> String {
        let mut out = String::from(
            "# Written by `glimmer build`: security headers, cache lifetimes, the\n\
             # pre-compressed copies and the error page, for Apache. Each part needs\n\
             # an Apache module and is skipped where the host lacks it. Turn off with\n\
             # `[output] headers = false` in glimmer.toml, or replace it with your own\n\
             # static/.htaccess.\n\n",
        );
        out.push_str(&format!("ErrorDocument 404 {}404.html\n", self.base_path));
        out.push_str(&self.apache_headers());
        out.push_str(&apache_types());
        if !self.encodings.is_empty() {
            out.push_str(&self.apache_precompressed());
        }
        out.push_str(APACHE_DEFLATE);
        out
    }

    fn apache_headers(&self) -> String {
        let mut out = String::from("\n<IfModule mod_headers.c>\n");
        for (name, value) in self.security_headers() {
            out.push_str(&format!("    Header always set {name} \"{value}\"\n"));
        }
        let documents = DOCUMENTS.join("|");
        let texts = compress::EXTENSIONS.join("|");
        out.push_str(&format!(
            "    Header set Cache-Control \"{MEDIUM}\"\n\
             \x20   <FilesMatch \"(?i)\\.({documents})(\\.gz|\\.br)?$\">\n\
             \x20       Header set Cache-Control \"{SHORT}\"\n\
             \x20   </FilesMatch>\n\
             \x20   <FilesMatch \"\\.[0-9a-f]{{8,}}\\.[^.]+(\\.gz|\\.br)?$\">\n\
             \x20       Header set Cache-Control \"{LONG}\"\n\
             \x20   </FilesMatch>\n\
             \x20   <FilesMatch \"(?i)\\.({texts})(\\.gz|\\.br)?$\">\n\
             \x20       Header merge Vary Accept-Encoding\n\
             \x20   </FilesMatch>\n\
             </IfModule>\n"
        ));
        out
    }

    /// Sends `x.html.br` or `x.html.gz` for `x.html` (and for `dir/`,
    /// through its `index.html`) to browsers that accept it, as `x.html`
    /// would be sent but encoded.
    fn apache_precompressed(&self) -> String {
        let texts = compress::EXTENSIONS.join("|");
        let mut out = String::from(
            "\n<IfModule mod_rewrite.c>\n<IfModule mod_mime.c>\n    RewriteEngine On\n",
        );
        let mut encodings = self.encodings.to_vec();
        // Brotli first: it is the smaller one.
        encodings.sort_by_key(|e| *e != Encoding::Brotli);
        for encoding in &encodings {
            let (token, suffix) = (encoding.token(), encoding.suffix());
            out.push_str(&format!(
                "    RewriteCond %{{HTTP:Accept-Encoding}} \\b{token}\\b\n\
                 \x20   RewriteCond %{{HTTP:Accept-Encoding}} !\\b{token}\\s*;\\s*q=0(\\.0*)?\\s*(,|$)\n\
                 \x20   RewriteCond %{{REQUEST_URI}} ^[^%?#]*$\n\
                 \x20   RewriteCond %{{REQUEST_FILENAME}}{suffix} -f\n\
                 \x20   RewriteRule \\.({texts})$ %{{REQUEST_URI}}{suffix} [NC,L]\n"
            ));
        }
        // Keep mod_deflate and mod_brotli from compressing them again.
        out.push_str("    RewriteRule \\.(gz|br)$ - [E=no-gzip:1,E=no-brotli:1]\n");
        for encoding in &encodings {
            let (token, suffix) = (encoding.token(), encoding.suffix());
            let ext = &suffix[1..];
            out.push_str(&format!(
                "    <FilesMatch \"(?i)\\.({texts})\\.{ext}$\">\n\
                 \x20       AddEncoding {token} .{ext}\n\
                 \x20   </FilesMatch>\n"
            ));
        }
        for (ext, mime) in MIME_TYPES {
            out.push_str(&format!(
                "    <FilesMatch \"(?i)\\.{ext}\\.(gz|br)$\">\n\
                 \x20       ForceType \"{mime}\"\n\
                 \x20   </FilesMatch>\n"
            ));
        }
        out.push_str("</IfModule>\n</IfModule>\n");
        out
    }
}

/// The media type of each compressible extension: a compressed copy is
/// sent as its original would be (with `nosniff`, a script sent as
/// anything else would not run).
const MIME_TYPES: &[(&str, &str)] = &[
    ("html", "text/html; charset=utf-8"),
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
    ("mjs", "text/javascript; charset=utf-8"),
    ("json", "application/json"),
    ("xml", "application/xml; charset=utf-8"),
    ("svg", "image/svg+xml"),
    ("txt", "text/plain; charset=utf-8"),
    ("webmanifest", "application/manifest+json"),
];

/// The character set of text files, which old Apache configurations do
/// not send.
fn apache_types() -> String {
    format!(
        "\n<IfModule mod_mime.c>\n    AddCharset utf-8 {}\n</IfModule>\n",
        [".html", ".css", ".js", ".mjs", ".xml", ".txt"].join(" ")
    )
}

/// Compression on the fly of whatever has no pre-compressed copy (all
/// files when `[output] precompress = []`).
const APACHE_DEFLATE: &str = "
<IfModule mod_deflate.c>
<IfModule mod_filter.c>
    AddOutputFilterByType DEFLATE text/html text/css text/javascript application/javascript application/json application/xml application/atom+xml image/svg+xml text/plain application/manifest+json
</IfModule>
</IfModule>
";

#[cfg(test)]
mod tests {
    use super::*;

    fn inventory(paths: &[&str]) -> Inventory {
        let mut inventory = Inventory::default();
        for path in paths {
            inventory.add(path);
        }
        inventory
    }

    fn hosting<'a>(
        base_path: &'a str,
        inventory: &'a Inventory,
        policy: &'a Policy,
    ) -> Hosting<'a> {
        Hosting {
            base_path,
            encodings: &[Encoding::Gzip, Encoding::Brotli],
            inventory,
            policy,
        }
    }

    #[test]
    fn hashed_names_have_hex_before_the_extension() {
        for hashed in [
            "style.1a2b3c4d.css",
            "img/logo.0123456789abcdef.svg",
            "report.20261125.pdf",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "style.css",
            "style.1A2B3C4D.css",
            "style.1a2b3c4.css",
            "1a2b3c4d.css",
            ".1a2b3c4d.css",
            "a.1a2b3c4d.",
            "en/1a2b3c4d/index.html",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn the_inventory_sorts_files_by_lifetime() {
        let inventory = inventory(&[
            "en/index.html",
            "en/atom.xml",
            "robots.txt",
            "quick-exit.js",
            "img/Logo.PNG",
            "app.1a2b3c4d.js",
            "README",
        ]);
        assert_eq!(
            inventory.extensions,
            BTreeSet::from(["js".to_string(), "png".to_string()])
        );
        assert_eq!(
            inventory.hashed,
            BTreeSet::from(["app.1a2b3c4d.js".to_string()])
        );
    }

    #[test]
    fn a_folder_of_hashed_files_is_one_rule() {
        let inventory = inventory(&[
            "img/a-360.0123456789.webp",
            "img/a-720.0123456789.webp",
            "files/report.1a2b3c4d.pdf",
            "files/plain.pdf",
        ]);
        let policy = Policy::default();
        let text = hosting("/", &inventory, &policy).headers();
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(
            rules,
            ["/*", "/*.pdf", "/files/report.1a2b3c4d.pdf", "/img/*"]
        );
    }

    #[test]
    fn headers_cover_the_base_path_with_the_most_specific_rule_last() {
        let inventory = inventory(&["en/index.html", "quick-exit.js", "app.1a2b3c4d.js"]);
        let policy = Policy::default();
        let text = hosting("/campaign/", &inventory, &policy).headers();
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('/')).collect();
        assert_eq!(
            rules,
            ["/campaign/*", "/campaign/*.js", "/campaign/app.1a2b3c4d.js"]
        );
        for header in [
            "  Content-Security-Policy: default-src 'self';",
            "  Referrer-Policy: no-referrer\n",
            "  X-Content-Type-Options: nosniff\n",
            "  X-Frame-Options: DENY\n",
            "  Cross-Origin-Opener-Policy: same-origin\n",
            "  Cache-Control: max-age=300\n",
            "  ! Cache-Control\n  Cache-Control: max-age=86400\n",
            "  ! Cache-Control\n  Cache-Control: max-age=31536000, immutable\n",
        ] {
            assert!(text.contains(header), "{header:?} missing:\n{text}");
        }
        assert!(text.contains("frame-ancestors 'none'"), "{text}");
        for feature in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "browsing-topics=()",
            "interest-cohort=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(text.contains(feature), "{feature} missing:\n{text}");
        }
        assert!(text.lines().all(|l| l.len() <= 2000));
    }

    #[test]
    fn headers_stay_within_the_rules_cloudflare_reads() {
        let paths: Vec<String> = (0..300).map(|i| format!("p{i}.{i:08x}.png")).collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let inventory = inventory(&paths);
        let policy = Policy::default();
        let text = hosting("/", &inventory, &policy).headers();
        let rules = text.lines().filter(|l| l.starts_with('/')).count();
        assert_eq!(rules, MAX_RULES);
    }

    #[test]
    fn htaccess_puts_every_module_directive_inside_ifmodule() {
        let inventory = inventory(&["en/index.html"]);
        let policy = Policy::default();
        let text = hosting("/campaign/", &inventory, &policy).htaccess();
        assert!(
            text.contains("\nErrorDocument 404 /campaign/404.html\n"),
            "{text}"
        );
        let mut depth = 0;
        for line in text.lines().map(str::trim) {
            if line.starts_with("<IfModule ") {
                depth += 1;
            } else if line == "</IfModule>" {
                depth -= 1;
            } else if depth == 0 {
                assert!(
                    line.is_empty() || line.starts_with('#') || line.starts_with("ErrorDocument "),
                    "outside <IfModule>: {line}"
                );
            }
        }
        assert_eq!(depth, 0, "unbalanced <IfModule>:\n{text}");
        for needle in [
            "RewriteCond %{REQUEST_FILENAME}.br -f",
            "RewriteCond %{REQUEST_URI} ^[^%?#]*$",
            "RewriteCond %{HTTP:Accept-Encoding} !\\bbr\\s*;\\s*q=0(\\.0*)?\\s*(,|$)",
            "RewriteCond %{REQUEST_FILENAME}.gz -f",
            "AddEncoding gzip .gz",
            "ForceType \"text/javascript; charset=utf-8\"",
            "Header merge Vary Accept-Encoding",
            "Header always set X-Frame-Options \"DENY\"",
        ] {
            assert!(text.contains(needle), "{needle} missing:\n{text}");
        }
    }

    #[test]
    fn htaccess_without_copies_does_not_look_for_them() {
        let inventory = Inventory::default();
        let policy = Policy::default();
        let mut hosting = hosting("/", &inventory, &policy);
        hosting.encodings = &[];
        let text = hosting.htaccess();
        assert!(!text.contains("RewriteRule"), "{text}");
        assert!(text.contains("DEFLATE"), "{text}");
    }

    #[test]
    fn every_compressed_type_is_sent_as_its_original() {
        for ext in compress::EXTENSIONS {
            assert!(
                MIME_TYPES.iter().any(|(e, _)| e == ext),
                "{ext} has no media type"
            );
        }
    }
}
