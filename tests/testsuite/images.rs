//! Pictures for slow networks: Markdown and template images become
//! `<picture>` elements offering WebP and a JPEG or PNG fallback at each
//! width of `[images]`, with their size, lazy loading and hashed names;
//! the previous build's files are reused; bad pictures are located errors.

use crate::support::{Attrs, SiteTest, all_tags, noise_png, render};
use glimmer::config::BuildOptions;

/// The output files under `img/` whose name starts with `stem`.
fn made(built: &crate::support::Built, stem: &str) -> Vec<String> {
    built
        .files()
        .into_iter()
        .filter(|f| f.starts_with(&format!("img/{stem}")))
        .collect()
}

/// The `<source>` and `<img>` of the `<picture>` showing `alt` on a page.
fn picture(built: &crate::support::Built, page: &str, alt: &str) -> (Attrs, Attrs) {
    let html = built.file(page);
    html.split("<picture>")
        .skip(1)
        .filter_map(|part| part.split_once("</picture>").map(|(inside, _)| inside))
        .find_map(|inside| {
            let img = all_tags(inside, "img").pop()?;
            let source = all_tags(inside, "source").pop()?;
            (img.get("alt").map(String::as_str) == Some(alt)).then_some((source, img))
        })
        .unwrap_or_else(|| panic!("no <picture> showing {alt:?} in {page}:\n{html}"))
}

#[test]
fn a_photo_beside_its_story_is_offered_in_each_width_as_webp_and_jpeg() {
    let built = SiteTest::fixture("images").build();
    let (source, img) = picture(
        &built,
        "en/stories/march/index.html",
        "Sixteen orange lanterns at dusk",
    );
    // Stored 1200×800 and turned by its EXIF orientation: shown 800×1200,
    // so the widths are 360, 720 and its own 800 (never enlarged).
    let files = made(&built, "march-");
    assert_eq!(files.len(), 6, "{files:?}");
    for w in [360, 720, 800] {
        for ext in ["webp", "jpg"] {
            assert!(
                files
                    .iter()
                    .any(|f| f.starts_with(&format!("img/march-{w}.")) && f.ends_with(ext)),
                "{w} {ext}: {files:?}"
            );
        }
    }
    assert_eq!(source["type"], "image/webp");
    let webp: Vec<&str> = source["srcset"].split(", ").collect();
    assert_eq!(webp.len(), 3, "{webp:?}");
    assert!(webp[0].starts_with("/img/march-360.") && webp[0].ends_with(".webp 360w"));
    assert!(webp[2].ends_with(".webp 800w"), "{webp:?}");
    assert!(img["srcset"].contains(".jpg 720w"), "{img:?}");
    assert!(img["src"].starts_with("/img/march-360.") && img["src"].ends_with(".jpg"));
    assert_eq!(
        (img["width"].as_str(), img["height"].as_str()),
        ("800", "1200")
    );
    assert_eq!(img["loading"], "lazy");
    assert_eq!(img["decoding"], "async");
    assert_eq!(img["title"], "The march");
    assert_eq!(img["sizes"], source["sizes"]);
    assert!(img["sizes"].contains("40rem"), "{img:?}");
    // The original is not published: only what was made from it.
    assert!(!built.files().iter().any(|f| f.ends_with("march.jpg")));
    // Each file is what its name says, at its width, upright.
    for f in &files {
        let bytes = std::fs::read(built.output().join(f)).unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap();
        let w: u32 = f["img/march-".len()..]
            .split('.')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(decoded.width(), w, "{f}");
        assert_eq!(decoded.height(), w * 3 / 2, "{f}");
        let format = image::guess_format(&bytes).unwrap();
        let expected = if f.ends_with(".webp") {
            image::ImageFormat::WebP
        } else {
            image::ImageFormat::Jpeg
        };
        assert_eq!(format, expected, "{f}");
    }
}

#[test]
fn camera_metadata_and_location_never_reach_readers() {
    let test = SiteTest::fixture("images");
    let original = std::fs::read(test.root().join("content/stories/march.jpg")).unwrap();
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // The fixture really carries a camera name and a GPS block.
    assert!(has(&original, b"FixtureCam") && has(&original, b"Exif"));
    let built = test.build();
    for f in made(&built, "march-") {
        let bytes = std::fs::read(built.output().join(&f)).unwrap();
        assert!(!has(&bytes, b"FixtureCam"), "{f} keeps the camera's name");
        assert!(!has(&bytes, b"Exif"), "{f} keeps EXIF metadata");
    }
}

#[test]
fn a_transparent_drawing_falls_back_to_png_and_svg_and_gif_stay_as_they_are() {
    let built = SiteTest::fixture("images").build();
    let page = "en/stories/march/index.html";
    let (source, img) = picture(&built, page, "Bar chart: calls per week, rising");
    assert!(source["srcset"].contains("/img/chart-500."), "{source:?}");
    assert!(img["src"].ends_with(".png"), "{img:?}");
    let png = made(&built, "chart-")
        .into_iter()
        .find(|f| f.ends_with(".png"))
        .unwrap();
    let decoded =
        image::load_from_memory(&std::fs::read(built.output().join(png)).unwrap()).unwrap();
    assert!(decoded.color().has_alpha(), "transparency is kept");
    // A static file is still published as it is, for links to it.
    assert!(built.exists("images/chart.png"));

    let imgs = built.tags(page, "img");
    let svg = imgs
        .iter()
        .find(|a| a["alt"] == "The campaign’s orange circle")
        .unwrap();
    assert!(svg["src"].starts_with("/img/logo.") && svg["src"].ends_with(".svg"));
    assert!(
        !svg.contains_key("width"),
        "an SVG has no pixel size: {svg:?}"
    );
    let gif = imgs.iter().find(|a| a["alt"] == "A small dot").unwrap();
    assert_eq!(
        (gif["width"].as_str(), gif["height"].as_str()),
        ("40", "20")
    );
    let svg_file = svg["src"].trim_start_matches('/');
    assert_eq!(
        std::fs::read(built.output().join(svg_file)).unwrap(),
        std::fs::read(built.output().join("../content/stories/logo.svg")).unwrap()
    );
}

#[test]
fn a_picture_no_page_shows_is_a_warning() {
    let test = SiteTest::fixture("images");
    test.write_bytes("content/stories/old.png", &noise_png(20, 20));
    let built = test.build();
    let warnings = built.warnings();
    assert!(
        warnings.contains("warning: no page shows this picture, so it is not published\n --> content/stories/old.png"),
        "{warnings}"
    );
    assert!(!warnings.contains("march.jpg\n"), "{warnings}");
    assert!(made(&built, "old").is_empty());
}

#[test]
fn translations_share_the_files_of_a_picture() {
    let built = SiteTest::fixture("images").build();
    let (_, en) = picture(
        &built,
        "en/stories/march/index.html",
        "Sixteen orange lanterns at dusk",
    );
    let (_, ru) = picture(
        &built,
        "ru/stories/march/index.html",
        "Шестнадцать оранжевых фонарей в сумерках",
    );
    assert_eq!(en["srcset"], ru["srcset"]);
}

#[test]
fn a_picture_without_a_description_is_a_warning_and_with_strict_an_error() {
    let test = SiteTest::fixture("images");
    let warnings = test.build().warnings();
    assert!(
        warnings.contains("warning: this picture has no description for readers who cannot see it")
            && warnings.contains("--> content/stories/march.md:15:5")
            && warnings.contains("![Women marching in Bishkek](march.jpg)"),
        "{warnings}"
    );
    let err = match glimmer::build(&BuildOptions {
        strict: true,
        ..test.options()
    }) {
        Ok(_) => panic!("a strict build with a picture without description succeeded"),
        Err(d) => render(&d),
    };
    assert!(
        err.contains("error: this picture has no description") && err.contains("march.md:15:5"),
        "{err}"
    );
}

#[test]
fn missing_unreadable_and_outside_pictures_are_errors_at_their_line() {
    let test = SiteTest::fixture("images");
    test.write("content/stories/notes.jpg", "these are notes, not a photo");
    test.write(
        "content/stories/bad.md",
        "+++\ntitle = \"Bad\"\n+++\n![Lost](lost.jpg)\n\n![Notes](notes.jpg)\n\n![Away](../../../secret.png)\n\n![Gone](/images/gone.png)\n",
    );
    let err = test.build_err();
    for expected in [
        "error: picture not found: content/stories/lost.jpg\n --> content/stories/bad.md:4:9",
        "error: cannot read the picture content/stories/notes.jpg",
        "--> content/stories/bad.md:6:10",
        "error: `../../../secret.png` is outside the site\n --> content/stories/bad.md:8:9",
        "error: picture not found: static/images/gone.png\n  --> content/stories/bad.md:10:9",
        "hint: put the file at static/images/gone.png",
    ] {
        assert!(err.contains(expected), "{expected:?} missing:\n{err}");
    }
}

#[test]
fn the_previous_build_is_the_cache() {
    let test = SiteTest::fixture("images");
    let first = test.build();
    let webp = made(&first, "march-720.")
        .into_iter()
        .find(|f| f.ends_with(".webp"))
        .unwrap();
    // Mark the file the first build made: a second build that took it
    // from the output folder keeps the mark; one that encoded again
    // would not.
    std::fs::write(first.output().join(&webp), b"from the previous build").unwrap();
    let second = test.build();
    assert_eq!(
        std::fs::read(second.output().join(&webp)).unwrap(),
        b"from the previous build"
    );
    // A changed picture gets new names; the old files go.
    test.write_bytes("content/stories/march.jpg", &noise_png(900, 600));
    let third = test.build();
    assert!(!third.exists(&webp), "{webp} should be gone");
    assert_eq!(made(&third, "march-").len(), 6);
}

#[test]
fn a_picture_over_the_image_budget_is_a_warning() {
    let test = SiteTest::fixture("images");
    test.write_bytes("content/stories/noise.png", &noise_png(400, 400));
    test.edit(
        "content/stories/march.md",
        "Women marched",
        "![Coloured noise](noise.png)\n\nWomen marched",
    );
    let warnings = test.build().warnings();
    assert!(
        warnings.contains("warning: image /img/noise-360.")
            && warnings.contains("(the smallest of its 4 sizes), over the image budget of 30 KB")
            && warnings.contains("--> content/stories/noise.png")
            && warnings.contains("crop it to what matters"),
        "{warnings}"
    );
}

#[test]
fn templates_show_pictures_with_the_image_function() {
    let test = SiteTest::fixture("images");
    test.write(
        "themes/default/templates/partials/intro.html",
        "{{ image(src=\"/images/chart.png\", alt=\"Our chart\") }}<h1>{{ page.title }}</h1>",
    );
    let built = test.build();
    let (source, img) = picture(&built, "en/stories/index.html", "Our chart");
    assert!(source["srcset"].contains("/img/chart-360."), "{source:?}");
    assert_eq!(img["loading"], "lazy");

    test.write(
        "themes/default/templates/partials/intro.html",
        "{{ image(src=\"/images/none.png\", alt=\"\") }}",
    );
    let err = test.build_err();
    assert!(
        err.contains("picture not found: static/images/none.png") && err.contains("intro.html"),
        "{err}"
    );
}

#[test]
fn images_settings_are_checked() {
    let test = SiteTest::fixture("images");
    test.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/\"\n\n[images]\nwidths = [0]\nquality = 101",
    );
    let err = test.build_err();
    assert!(
        err.contains("widths under [images] must list widths from 16 to 4096 pixels")
            && err.contains("quality under [images] must be from 1 to 100, not 101"),
        "{err}"
    );
}

#[test]
fn hosts_cache_the_picture_folder_for_a_year() {
    let test = SiteTest::fixture("images");
    test.edit(
        "glimmer.toml",
        "https://example.org/",
        "https://example.org/campaign/",
    );
    let built = test.build();
    let (_, img) = picture(
        &built,
        "en/stories/march/index.html",
        "Sixteen orange lanterns at dusk",
    );
    assert!(
        img["src"].starts_with("/campaign/img/march-360."),
        "{img:?}"
    );
    let headers = built.file("_headers");
    assert!(
        headers.contains("/img/*\n  ! Cache-Control\n  Cache-Control: max-age=31536000, immutable"),
        "{headers}"
    );
}

#[test]
fn a_photo_in_static_that_tells_where_it_was_taken_is_a_warning() {
    let test = SiteTest::fixture("images");
    // Beside its story, the photo is re-encoded: no warning.
    let warnings = test.build().warnings();
    assert!(!warnings.contains("GPS"), "{warnings}");
    let photo = std::fs::read(test.root().join("content/stories/march.jpg")).unwrap();
    test.write_bytes("static/images/march-original.jpg", &photo);
    let built = test.build();
    let warnings = built.warnings();
    assert!(
        warnings.contains("warning: this photo holds the GPS position where it was taken")
            && warnings.contains("--> static/images/march-original.jpg")
            && warnings.contains("move it beside the story"),
        "{warnings}"
    );
    // It is still published: a warning, not a refusal.
    assert!(built.exists("images/march-original.jpg"));
}
