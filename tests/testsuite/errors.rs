//! Errors for people: each names the file, line and column, shows the line
//! and says how to fix it; a build reports all of them at once.

use crate::support::SiteTest;

/// Asserts that `err` holds every one of `parts`.
fn assert_all(err: &str, parts: &[&str]) {
    for part in parts {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
}

#[test]
fn invalid_toml_in_front_matter() {
    let err = SiteTest::fixture("broken/invalid-toml").build_err();
    assert_all(
        &err,
        &[
            "error: invalid TOML",
            "--> content/story.md:2:",
            "2 | title = \"Unclosed quote",
            "hint: ",
            "quote",
        ],
    );
}

#[test]
fn missing_opening_fence() {
    let err = SiteTest::fixture("broken/no-opening-fence").build_err();
    assert_all(
        &err,
        &[
            "error: this file does not start with front matter",
            "--> content/story.md:1:1",
            "1 | title = \"Forgot the fence\"",
            "hint: put a line with just `+++` first",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    let err = SiteTest::fixture("broken/unclosed-front-matter").build_err();
    assert_all(
        &err,
        &[
            "error: the front matter is never closed",
            "--> content/story.md:1:1",
            "1 | +++",
            "hint: add a line with just `+++`",
        ],
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_near_one() {
    let err = SiteTest::fixture("broken/unknown-key").build_err();
    assert_all(
        &err,
        &[
            "error: unknown key `sumary`",
            "--> content/story.md:3:1",
            "3 | sumary = \"A summary with a typo in its key.\"",
            "  | ^^^^^^\n",
            "hint: did you mean `summary`?",
        ],
    );
}

#[test]
fn unknown_language_suffix_lists_the_site_languages() {
    let err = SiteTest::fixture("broken/unknown-language").build_err();
    assert_all(
        &err,
        &[
            "error: unknown language suffix `.de` in the file name",
            "--> content/story.de.md",
            "hint: ",
            "en, ru",
        ],
    );
}

#[test]
fn two_versions_of_one_page_in_the_same_language() {
    let err = SiteTest::fixture("broken/duplicate-language").build_err();
    assert_all(
        &err,
        &[
            "error: two files are the en version of `story.md`",
            "content/story.md",
            "content/story.en.md",
            "hint: ",
        ],
    );
}

#[test]
fn two_files_mapping_to_one_url() {
    let err = SiteTest::fixture("broken/slug-collision").build_err();
    assert_all(
        &err,
        &[
            "error: two files would be published at the same address /en/stories/second/",
            "content/stories/first.md",
            "content/stories/second.md",
            "hint: ",
            "slug",
        ],
    );
    // One pair of files is one error, however many languages show them.
    assert_eq!(
        err.matches("would be published at the same address")
            .count(),
        1,
        "{err}"
    );
}

#[test]
fn a_broken_site_template_names_the_template_file_and_line() {
    let err = SiteTest::fixture("broken/template-error").build_err();
    assert_all(
        &err,
        &[
            "error: template error",
            "--> themes/default/templates/page.html:3:",
            "3 | <h1>{{ page.title }</h1>",
            "hint: ",
        ],
    );
    assert!(!err.contains("(built-in)"), "{err}");
}

#[test]
fn a_template_using_an_unknown_value_fails_at_render_time_with_its_line() {
    let test = SiteTest::fixture("basic");
    test.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>ok</p>\n<p>{{ page.no_such_field.deeper }}</p>\n{% endblock main %}\n",
    );
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "error: template error",
            "themes/default/templates/page.html:4:",
            "4 | <p>{{ page.no_such_field.deeper }}</p>",
        ],
    );
}

#[test]
fn campaign_day_outside_the_sixteen_days() {
    let err = SiteTest::fixture("broken/campaign-day").build_err();
    assert_all(
        &err,
        &[
            "error: campaign day 17 is outside the 16 days",
            "--> content/story.md:4:1",
            "4 | day = 17",
            "hint: use a day from 1 (25 November) to 16 (10 December)",
        ],
    );
}

#[test]
fn a_page_without_a_title() {
    let test = SiteTest::fixture("basic");
    test.write("content/untitled.md", "+++\ndate = 2026-11-25\n+++\n");
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "error: this page has no title",
            "content/untitled.md:1:1",
            "hint: add a line `title = ",
        ],
    );
}

#[test]
fn errors_in_several_files_are_reported_together() {
    let test = SiteTest::fixture("broken/many-errors");
    let diags = test.try_build().err().expect("the build should fail");
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 4, "{}", crate::support::render(&diags));
    let err = crate::support::render(&diags);
    assert_all(
        &err,
        &[
            "unknown key `tilte`",
            "content/typo.md:3:1",
            "did you mean `title`?",
            "campaign day 17",
            "content/late.md:3:1",
            "link to a missing file: @/nowhere.md",
            "content/linked.md:5:10",
            "unknown language suffix `.xx`",
            "content/story.xx.md",
        ],
    );
}

#[test]
fn a_template_error_does_not_hide_content_errors() {
    let test = SiteTest::fixture("broken/template-error");
    test.write("content/late.md", "+++\ntitle = \"Late\"\nday = 0\n+++\n");
    test.write(
        "content/linked.md",
        "+++\ntitle = \"Linked\"\n+++\n\n[x](@/gone.md)\n",
    );
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "themes/default/templates/page.html:3:",
            "campaign day 0",
            "content/late.md:3:1",
            "link to a missing file: @/gone.md",
            "content/linked.md:5:5",
        ],
    );
}

#[test]
fn config_errors_point_into_glimmer_toml() {
    let test = SiteTest::fixture("basic");
    test.edit("glimmer.toml", "fallback = [\"ru\"]", "fallback = [\"kk\"]");
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "error: language `ky` falls back to `kk`, which is not configured",
            "--> glimmer.toml:",
            "| fallback = [\"kk\"]",
            "hint: ",
        ],
    );
}

#[test]
fn a_typo_in_a_config_key_suggests_the_near_one() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "glimmer.toml",
        "minify = false",
        "paginate_bye = 2\nminify = false",
    );
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "unknown key `paginate_bye`",
            "--> glimmer.toml:2:1",
            "did you mean `paginate_by`?",
        ],
    );
}

#[test]
fn a_content_error_does_not_hide_template_errors_found_while_rendering() {
    let test = SiteTest::fixture("basic");
    test.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ page.no_such_field }}\n{% endblock main %}\n",
    );
    test.write("content/broken.md", "+++\ntitel = \"Broken\"\n+++\n");
    let err = test.build_err();
    assert_all(
        &err,
        &[
            "unknown key `titel`",
            "content/broken.md:2:1",
            "Field `no_such_field` is not defined",
            "themes/default/templates/page.html:3:",
        ],
    );
}

#[test]
fn a_file_name_that_cannot_be_an_address_is_an_error() {
    let test = SiteTest::fixture("basic");
    let page = "+++\ntitle = \"A page\"\n+++\nText.\n";
    test.write("content/stories/why?.md", page);
    test.write("content/stories/notes: 2026.md", page);
    test.write("content/stories/our story.md", page);
    let err = test.build_err();
    assert!(
        err.contains("error: `why?` cannot be part of a web address\n --> content/stories/why?.md")
            && err.contains("error: `notes: 2026` cannot be part of a web address")
            && err.contains("or give the page a slug"),
        "{err}"
    );
    assert!(
        !err.contains("our story"),
        "spaces are escaped by browsers: {err}"
    );
    // A slug in the front matter replaces the file name in the address.
    test.write(
        "content/stories/why?.md",
        "+++\ntitle = \"Why\"\nslug = \"why\"\n+++\n",
    );
    test.remove("content/stories/notes: 2026.md");
    test.build().assert_exists("en/stories/why/index.html");
}
