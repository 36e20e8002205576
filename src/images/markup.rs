//! The HTML of a planned picture: a `<picture>` whose `<source>` offers
//! the WebP widths and whose `<img>` offers the fallback widths, with its
//! size (so the page does not jump while it loads), lazy loading and
//! asynchronous decoding. Browsers without `srcset` load the smallest file.

use super::plan::{Plan, Treatment};
use crate::feeds::xml_escape as escape;

/// What the `<img>` says besides its files.
pub struct Text<'a> {
    /// The `alt` text.
    pub alt: &'a str,
    /// The `title`, if any.
    pub title: &'a str,
    /// The `sizes` attribute.
    pub sizes: &'a str,
    /// The site's path on its host, starting and ending with `/`.
    pub base_path: &'a str,
}

/// The markup of `plan`.
pub fn html(plan: &Plan, text: &Text) -> String {
    let url = |path: &str| format!("{}{}", text.base_path, path);
    let mut tail = String::new();
    if let Some((w, h)) = plan.size {
        let (w, h) = match plan.variants.last() {
            Some(v) => (v.width, v.height),
            None => (w, h),
        };
        tail.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    tail.push_str(&format!(" alt=\"{}\"", escape(text.alt)));
    if !text.title.is_empty() {
        tail.push_str(&format!(" title=\"{}\"", escape(text.title)));
    }
    tail.push_str(" loading=\"lazy\" decoding=\"async\"");
    if let Treatment::AsIs { path, .. } = &plan.treatment {
        return format!("<img src=\"{}\"{tail}>", url(path));
    }
    let set = |file: fn(&super::plan::Variant) -> &String| {
        plan.variants
            .iter()
            .map(|v| format!("{} {}w", url(file(v)), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sizes = escape(text.sizes);
    let smallest = &plan.variants[0];
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">\
         <img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\"{tail}></picture>",
        set(|v| &v.webp),
        url(&smallest.fallback),
        set(|v| &v.fallback),
    )
}

#[cfg(test)]
mod tests {
    use super::super::plan::{Fallback, Source, Variant};
    use super::*;
    use std::sync::Arc;

    fn variant(w: u32, h: u32) -> Variant {
        Variant {
            width: w,
            height: h,
            webp: format!("img/a-{w}.0123456789.webp"),
            fallback: format!("img/a-{w}.0123456789.jpg"),
        }
    }

    fn text<'a>(alt: &'a str) -> Text<'a> {
        Text {
            alt,
            title: "",
            sizes: "100vw",
            base_path: "/campaign/",
        }
    }

    #[test]
    fn a_resized_picture_offers_every_width_in_both_formats() {
        let plan = Plan {
            source: Source::Bytes(Arc::new(Vec::new())),
            shown: "a.jpg".into(),
            size: Some((2000, 1000)),
            treatment: Treatment::Resized {
                fallback: Fallback::Jpeg,
                alpha: false,
            },
            variants: vec![variant(360, 180), variant(720, 360)],
        };
        let html = html(&plan, &text("Women \"marching\" <together>"));
        assert_eq!(
            html,
            "<picture><source type=\"image/webp\" srcset=\"/campaign/img/a-360.0123456789.webp 360w, \
             /campaign/img/a-720.0123456789.webp 720w\" sizes=\"100vw\"><img \
             src=\"/campaign/img/a-360.0123456789.jpg\" srcset=\"/campaign/img/a-360.0123456789.jpg 360w, \
             /campaign/img/a-720.0123456789.jpg 720w\" sizes=\"100vw\" width=\"720\" height=\"360\" \
             alt=\"Women &quot;marching&quot; &lt;together&gt;\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
    }

    #[test]
    fn an_svg_is_an_img_without_a_size() {
        let plan = Plan {
            source: Source::Bytes(Arc::new(Vec::new())),
            shown: "logo.svg".into(),
            size: None,
            treatment: Treatment::AsIs {
                path: "images/logo.svg".into(),
                copy: false,
            },
            variants: Vec::new(),
        };
        assert_eq!(
            html(&plan, &text("")),
            "<img src=\"/campaign/images/logo.svg\" alt=\"\" loading=\"lazy\" decoding=\"async\">"
        );
    }
}
