//! What the budget check keeps of every page until the end of the build:
//! its output path, its compressed length and the paths of what it loads,
//! in a few growing buffers. Small allocations kept per page would land
//! among the large short-lived ones of rendering and compressing and, on a
//! site of 15,000 pages, keep hundreds of megabytes of freed memory from
//! being reused.

use super::refs::Kind;
use std::collections::HashMap;

/// A page as the checks read it.
pub struct Page<'a> {
    /// Output path: `en/stories/x/index.html`.
    pub path: &'a str,
    /// Bytes of its HTML, compressed.
    pub html: u64,
    /// What it loads: a kind and output paths (one, or an image's sizes).
    pub loads: Vec<(Kind, Vec<&'a str>)>,
}

/// Every page weighed so far.
#[derive(Default)]
pub struct Book {
    /// Output paths of the pages, end to end.
    names: String,
    entries: Vec<Entry>,
    /// What the pages load, page after page.
    loads: Vec<Load>,
    /// Paths of what pages load, each once, and their numbers.
    paths: Vec<String>,
    ids: HashMap<String, u32>,
}

/// One page: where its name and loads are in the buffers.
struct Entry {
    name: (usize, usize),
    html: u64,
    loads: (usize, usize),
}

/// One path a page loads. `more` marks another size of the image before.
#[derive(Clone, Copy)]
struct Load {
    kind: Kind,
    path: u32,
    more: bool,
}

impl Book {
    /// Notes a page at output path `path`.
    pub fn add(&mut self, path: &str, html: u64, loads: &[(Kind, Vec<String>)]) {
        let name = (self.names.len(), self.names.len() + path.len());
        self.names.push_str(path);
        let start = self.loads.len();
        for (kind, paths) in loads {
            for (n, p) in paths.iter().enumerate() {
                let path = self.id(p);
                self.loads.push(Load {
                    kind: *kind,
                    path,
                    more: n > 0,
                });
            }
        }
        self.entries.push(Entry {
            name,
            html,
            loads: (start, self.loads.len()),
        });
    }

    fn id(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.paths.len() as u32;
        self.paths.push(path.to_string());
        self.ids.insert(path.to_string(), id);
        id
    }

    /// Every page, by output path.
    pub fn pages(&self) -> Vec<Page<'_>> {
        let mut pages: Vec<Page> = self.entries.iter().map(|e| self.page(e)).collect();
        pages.sort_by(|a, b| a.path.cmp(b.path));
        pages
    }

    fn page(&self, entry: &Entry) -> Page<'_> {
        let mut loads: Vec<(Kind, Vec<&str>)> = Vec::new();
        for load in &self.loads[entry.loads.0..entry.loads.1] {
            let path = self.paths[load.path as usize].as_str();
            match loads.last_mut() {
                Some((_, paths)) if load.more => paths.push(path),
                _ => loads.push((load.kind, vec![path])),
            }
        }
        Page {
            path: &self.names[entry.name.0..entry.name.1],
            html: entry.html,
            loads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_come_back_as_they_were_added_sorted_by_path() {
        let mut book = Book::default();
        let script = (Kind::Script, vec!["app.js".to_string()]);
        let image = (
            Kind::Image,
            vec!["a.jpg".to_string(), "a-s.jpg".to_string()],
        );
        book.add("ru/index.html", 20, std::slice::from_ref(&script));
        book.add("en/index.html", 10, &[script, image]);
        let pages = book.pages();
        assert_eq!(pages[0].path, "en/index.html");
        assert_eq!(pages[0].html, 10);
        assert_eq!(
            pages[0].loads,
            vec![
                (Kind::Script, vec!["app.js"]),
                (Kind::Image, vec!["a.jpg", "a-s.jpg"])
            ]
        );
        assert_eq!(pages[1].path, "ru/index.html");
        assert_eq!(pages[1].loads, vec![(Kind::Script, vec!["app.js"])]);
        assert_eq!(book.paths.len(), 3);
    }
}
