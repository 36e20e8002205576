//! `glimmer translate PAGE --to LANG`: the page's translation file, a
//! draft stamped with the source's hash, that the build accepts and that
//! readers only see once the draft mark is removed.

use crate::support::SiteTest;

#[test]
fn a_translation_starts_as_a_stamped_draft_of_the_source() {
    let test = SiteTest::fixture("basic");
    let run = test.run(&["translate", "content/stories/gamma.md", "--to", "ky"]);
    run.assert_success();
    assert!(
        run.stdout()
            .contains("Created content/stories/gamma.ky.md from content/stories/gamma.md"),
        "{}",
        run.stdout()
    );
    let source = std::fs::read(test.root().join("content/stories/gamma.md")).unwrap();
    let text = std::fs::read_to_string(test.root().join("content/stories/gamma.ky.md")).unwrap();
    let hash = glimmer::translate::source_hash(&source);
    assert!(
        text.contains(&format!("draft = true\nsource_hash = \"{hash}\"\n")),
        "{text}"
    );
    // The rest is the source, to translate in place.
    let source = String::from_utf8(source).unwrap();
    let body = &source[source.rfind("+++\n").unwrap()..];
    assert!(text.ends_with(body), "{text}");
    // While a draft, Kyrgyz readers see the English page; once the mark
    // is gone, the translation.
    test.edit("content/stories/gamma.ky.md", "Gamma story", "Гамма окуясы");
    let built = test.build();
    built.assert_contains("ky/stories/gamma/index.html", "lang=\"en\"");
    built.assert_not_contains("ky/stories/gamma/index.html", "Гамма окуясы");
    test.edit("content/stories/gamma.ky.md", "draft = true\n", "");
    let built = test.build();
    built.assert_contains("ky/stories/gamma/index.html", "Гамма окуясы");
}

#[test]
fn a_translation_is_never_replaced_and_mistakes_are_explained() {
    let test = SiteTest::fixture("basic");
    let err = test
        .run(&["translate", "content/stories/alpha.md", "--to", "ru"])
        .assert_failure()
        .stderr();
    assert!(
        err.contains("error: this translation exists already\n --> content/stories/alpha.ru.md"),
        "{err}"
    );
    let err = test
        .run(&["translate", "content/stories/beta.md", "--to", "de"])
        .assert_failure()
        .stderr();
    assert!(
        err.contains("the site has no language `de`") && err.contains("use one of: en, ru, ky"),
        "{err}"
    );
    let err = test
        .run(&["translate", "content/stories/beta.md", "--to", "en"])
        .assert_failure()
        .stderr();
    assert!(err.contains("this page is already in `en`"), "{err}");
    let err = test
        .run(&["translate", "glimmer.toml", "--to", "ru"])
        .assert_failure()
        .stderr();
    assert!(err.contains("this is not a page of the site"), "{err}");
    // From a translation into the default language works too.
    test.remove("content/stories/beta.md");
    test.run(&["translate", "content/stories/beta.ru.md", "--to", "en"])
        .assert_success();
    assert!(test.root().join("content/stories/beta.md").is_file());
}
