//! `glimmer init DIR`: a new site that builds at once.

use crate::support::{SiteTest, glimmer_command};

#[test]
fn init_then_build_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let run = glimmer_command(tmp.path())
        .env("HOME", tmp.path())
        .args(["init", "my-campaign"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let site = tmp.path().join("my-campaign");
    assert!(site.join("glimmer.toml").is_file());
    assert!(site.join("content/_index.md").is_file());
    let run = glimmer_command(&site)
        .env("HOME", tmp.path())
        .arg("build")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for page in [
        "index.html",
        "en/index.html",
        "ru/index.html",
        "en/stories/first-story/index.html",
        "ps/stories/first-story/index.html",
        "en/services/index.html",
        "fa-AF/services/example-hotline/index.html",
        "ky/services/country/kg/print/index.html",
        "sitemap.xml",
    ] {
        assert!(site.join("public").join(page).is_file(), "{page} missing");
    }
}

#[test]
fn init_into_an_empty_folder_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    let run = glimmer_command(tmp.path())
        .args(["init", "empty"])
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(tmp.path().join("empty/glimmer.toml").is_file());
}

#[test]
fn init_into_a_non_empty_folder_fails_and_writes_nothing() {
    let test = SiteTest::fixture("basic");
    let before = crate::support::snapshot(test.root());
    let run = test.run(&["init", "."]);
    run.assert_failure();
    assert!(
        run.stderr().contains("already exists and is not empty"),
        "{}",
        run.stderr()
    );
    crate::support::assert_same_tree(&before, &crate::support::snapshot(test.root()));
}

#[test]
fn a_failed_init_does_not_talk_about_a_build() {
    let test = SiteTest::fixture("basic");
    let run = test.run(&["init", "."]);
    run.assert_failure();
    assert!(!run.stderr().contains("Build failed"), "{}", run.stderr());
}
