//! Output safety: reproducible builds, failed builds that write nothing,
//! the output-folder guard, and rebuilds that touch only what changed.

use crate::support::{SiteTest, age, assert_same_tree, mtime, snapshot};
use std::path::Path;

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    for fixture in ["basic", "rtl"] {
        // Separate copies in separate folders: nothing may depend on where
        // the site lives or on the order parallel work finishes in.
        let a = SiteTest::fixture(fixture).build();
        let b = SiteTest::fixture(fixture).build();
        assert_same_tree(&snapshot(a.output()), &snapshot(b.output()));
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let test = SiteTest::fixture("basic");
    test.build();
    let before = snapshot(test.output());
    let aged = test.output().join("en/stories/alpha/index.html");
    let old = age(&aged);
    test.write(
        "content/stories/alpha.md",
        "+++\ntitle = \"Alpha story\"\nday = 17\n+++\nChanged text.\n",
    );
    test.remove("content/stories/gamma.md");
    let err = test.build_err();
    assert!(err.contains("campaign day 17"), "{err}");
    assert_same_tree(&before, &snapshot(test.output()));
    assert_eq!(mtime(&aged), old, "an unchanged file was rewritten");
    // And no staging folder is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(test.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("glimmer-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_binary_reports_a_failed_build_and_keeps_the_old_output() {
    let test = SiteTest::fixture("basic");
    test.run(&["build"]).assert_success();
    let before = snapshot(test.output());
    test.write("content/stories/new.de.md", "+++\ntitle = \"Neu\"\n+++\n");
    let run = test.run(&["build"]);
    run.assert_failure();
    assert!(run.stderr().contains("Build failed"), "{}", run.stderr());
    assert_same_tree(&before, &snapshot(test.output()));
}

fn refused(test: &SiteTest, output: &Path) -> String {
    let mut options = test.options();
    options.output = Some(output.to_path_buf());
    match glimmer::build(&options) {
        Ok(_) => panic!("the build wrote into {}", output.display()),
        Err(d) => crate::support::render(&d),
    }
}

#[test]
fn the_guard_refuses_the_site_root() {
    let test = SiteTest::fixture("basic");
    let before = snapshot(test.root());
    let err = refused(&test, test.root());
    assert!(err.contains("refusing to write the site into"), "{err}");
    assert!(err.contains("it contains the site itself"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_same_tree(&before, &snapshot(test.root()));
}

#[test]
fn the_guard_refuses_the_folder_above_the_site() {
    let test = SiteTest::fixture("basic");
    let err = refused(&test, test.tmp());
    assert!(err.contains("it contains the site itself"), "{err}");
}

#[test]
fn the_guard_refuses_the_content_folder_and_folders_inside_it() {
    let test = SiteTest::fixture("basic");
    let before = snapshot(test.root());
    for out in [
        test.root().join("content"),
        test.root().join("content/stories"),
        test.root().join("content/new"),
        test.root().join("public/../content"),
        test.root().join("static"),
    ] {
        let err = refused(&test, &out);
        assert!(err.contains("refusing to write the site into"), "{err}");
        assert!(err.contains("inside the site's"), "{err}");
    }
    assert_same_tree(&before, &snapshot(test.root()));
}

#[test]
fn the_guard_refuses_the_file_system_root() {
    let test = SiteTest::fixture("basic");
    // Checked without building, so that a broken guard cannot write to `/`.
    let err = glimmer::output::check_output_folder(Path::new("/"), test.root())
        .expect_err("`/` must be refused");
    assert!(
        err.message.contains("refusing to write the site into /"),
        "{err}"
    );
}

#[test]
fn the_guard_refuses_a_home_folder() {
    let test = SiteTest::fixture("basic");
    let home = test.tmp().join("home");
    std::fs::create_dir(&home).unwrap();
    let home_str = home.to_str().unwrap();
    let run = test.run_with(&["build", "--output", home_str], &[("HOME", &home)]);
    run.assert_failure();
    assert!(
        run.stderr().contains("it is a home folder or contains one"),
        "{}",
        run.stderr()
    );
    assert!(std::fs::read_dir(&home).unwrap().next().is_none());
    // A folder that contains the home folder is refused as well.
    let outside = test.tmp().join("users");
    let home = outside.join("someone");
    std::fs::create_dir_all(&home).unwrap();
    let run = test.run_with(
        &["build", "--output", outside.to_str().unwrap()],
        &[("HOME", &home)],
    );
    run.assert_failure();
    assert!(run.stderr().contains("home folder"), "{}", run.stderr());
    assert!(home.is_dir());
}

#[test]
fn the_guard_refuses_a_non_empty_folder_it_did_not_create() {
    let test = SiteTest::fixture("basic");
    let out = test.tmp().join("photos");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("holiday.jpg"), b"not really a photo").unwrap();
    let err = refused(&test, &out);
    assert!(
        err.contains("it already holds files that glimmer did not write"),
        "{err}"
    );
    assert_eq!(
        snapshot(&out).into_keys().collect::<Vec<_>>(),
        ["holiday.jpg"]
    );
}

#[test]
fn an_empty_or_new_folder_is_accepted_and_marked() {
    let test = SiteTest::fixture("basic");
    let empty = test.tmp().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let site = SiteTest::fixture("basic").output_to(&empty).build();
    site.assert_exists("en/index.html");
    assert!(empty.join(".glimmer-output").is_file());
    let new = test.tmp().join("a/b/new");
    let site = SiteTest::fixture("basic").output_to(&new).build();
    site.assert_exists("en/index.html");
}

#[test]
fn an_unchanged_rebuild_rewrites_nothing() {
    let test = SiteTest::fixture("basic");
    let first = test.build();
    let total = first.file_count();
    assert_eq!(first.write_stats().written, total);
    let page = test.output().join("ru/stories/alpha/index.html");
    let old = age(&page);
    let before = snapshot(test.output());
    let second = test.build();
    assert_eq!(second.write_stats().written, 0);
    assert_eq!(second.write_stats().unchanged, total);
    assert_eq!(second.write_stats().removed, 0);
    assert_eq!(mtime(&page), old, "an unchanged file was rewritten");
    assert_same_tree(&before, &snapshot(test.output()));
}

#[test]
fn a_rebuild_removes_deleted_pages_and_keeps_unchanged_files() {
    let test = SiteTest::fixture("basic");
    test.build();
    let kept = test.output().join("en/about/index.html");
    let kept_time = age(&kept);
    let changed = test.output().join("en/stories/alpha/index.html");
    let changed_time = age(&changed);
    test.remove("content/stories/gamma.md");
    test.edit(
        "content/stories/alpha.md",
        "The first story.",
        "The first story, edited.",
    );
    let site = test.build();
    for lang in ["en", "ru", "ky"] {
        site.assert_missing(&format!("{lang}/stories/gamma/index.html"));
        assert!(
            !test.output().join(format!("{lang}/stories/gamma")).exists(),
            "the empty folder of a deleted page is left behind"
        );
    }
    // Two stories are left, which fit on one list page.
    for lang in ["en", "ru", "ky"] {
        site.assert_missing(&format!("{lang}/stories/page/2/index.html"));
    }
    // gamma and the second list page, in three languages, each with its
    // .gz and .br copies.
    assert_eq!(site.write_stats().removed, 6 * 3);
    assert_eq!(mtime(&kept), kept_time, "an unchanged file was rewritten");
    assert_ne!(
        mtime(&changed),
        changed_time,
        "a changed file was not written"
    );
    site.assert_contains("en/stories/alpha/index.html", "The first story, edited.");
    let w = site.write_stats();
    assert_eq!(w.written + w.unchanged, site.file_count());
    assert!(w.written > 0 && w.unchanged > 0, "{w:?}");
    // The output is what a fresh build of the new content gives.
    let fresh = SiteTest::fixture("basic");
    fresh.remove("content/stories/gamma.md");
    fresh.edit(
        "content/stories/alpha.md",
        "The first story.",
        "The first story, edited.",
    );
    let fresh = fresh.build();
    assert_same_tree(&snapshot(fresh.output()), &snapshot(site.output()));
}

#[test]
fn a_rebuild_removes_a_deleted_static_file() {
    let test = SiteTest::fixture("basic");
    test.build();
    test.remove("static/files/leaflet.txt");
    let site = test.build();
    site.assert_missing("files/leaflet.txt");
    assert_eq!(site.write_stats().removed, 1);
    assert_eq!(site.write_stats().written, 0);
}

#[test]
fn rendering_into_memory_writes_nothing_and_matches_the_build() {
    let test = SiteTest::fixture("basic");
    let settings = glimmer::config::load(&test.options()).expect("config loads");
    let site = glimmer::render_site(&settings).expect("site renders");
    assert!(
        !test.output().exists(),
        "render_site wrote the output folder"
    );
    let built = test.build();
    let mut paths: Vec<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort();
    let mut on_disk: Vec<String> = built.files();
    on_disk.retain(|p| p != glimmer::output::MARKER);
    on_disk.sort();
    assert_eq!(paths, on_disk);
    for f in &site.files {
        assert_eq!(
            f.bytes,
            std::fs::read(built.output().join(&f.path)).unwrap(),
            "{}",
            f.path
        );
    }
}
