//! Pagination: one page of a long list, with links to its neighbours.

use serde::Serialize;

/// One page of a paginated list, as templates see it.
#[derive(Debug, Serialize)]
pub struct Pager<T> {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub total_pages: usize,
    /// How many items the whole list has.
    pub total_items: usize,
    /// The items on this page.
    pub items: Vec<T>,
    /// URL of the previous page, if any.
    pub prev_url: Option<String>,
    /// URL of the next page, if any.
    pub next_url: Option<String>,
}

/// How many pages `items` items make, `per_page` at a time (at least one).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The URL of page `n` of a list whose first page is at `first`.
pub fn page_url(first: &str, n: usize) -> String {
    match n {
        1 => first.to_string(),
        n => format!("{first}page/{n}/"),
    }
}

impl<T: Clone> Pager<T> {
    /// Page `number` (from 1) of `items`; the first page is at `first`.
    pub fn new(items: &[T], number: usize, per_page: usize, first: &str) -> Self {
        let total_pages = page_count(items.len(), per_page);
        Pager {
            number,
            total_pages,
            total_items: items.len(),
            items: items
                .iter()
                .skip((number - 1) * per_page)
                .take(per_page)
                .cloned()
                .collect(),
            prev_url: (number > 1).then(|| page_url(first, number - 1)),
            next_url: (number < total_pages).then(|| page_url(first, number + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_their_neighbours() {
        let items: Vec<u32> = (1..=5).collect();
        let p = Pager::new(&items, 2, 2, "/en/x/");
        assert_eq!(p.items, [3, 4]);
        assert_eq!((p.total_pages, p.total_items), (3, 5));
        assert_eq!(p.prev_url.as_deref(), Some("/en/x/"));
        assert_eq!(p.next_url.as_deref(), Some("/en/x/page/3/"));
        let last = Pager::new(&items, 3, 2, "/en/x/");
        assert_eq!((last.items, last.next_url), (vec![5], None));
        assert_eq!(page_count(0, 10), 1);
    }
}
