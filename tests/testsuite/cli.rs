//! The `glimmer` command line: exit status, stdout and stderr.

use crate::support::SiteTest;

#[test]
fn a_successful_build_exits_zero_and_prints_a_summary() {
    let test = SiteTest::fixture("basic");
    let run = test.run(&["build"]);
    run.assert_success();
    let out = run.stdout();
    let files = crate::support::snapshot(&test.root().join("public")).len() - 1;
    assert!(out.contains(&format!("Built {files} files")), "{out}");
    assert!(out.contains("ky"), "{out}");
    assert!(test.root().join("public/en/index.html").is_file());
    assert!(run.stderr().is_empty(), "{}", run.stderr());
}

#[test]
fn a_failed_build_exits_non_zero_with_every_error_on_stderr() {
    let test = SiteTest::fixture("broken/many-errors");
    let run = test.run(&["build"]);
    run.assert_failure();
    let err = run.stderr();
    assert!(err.contains("Build failed: 4 error(s)"), "{err}");
    assert!(err.contains("--> content/typo.md:3:1"), "{err}");
    assert!(err.contains("--> content/late.md:3:1"), "{err}");
    assert!(err.contains("--> content/linked.md:5:10"), "{err}");
    assert!(err.contains("--> content/story.xx.md"), "{err}");
    assert!(!test.root().join("public").exists());
}

#[test]
fn warnings_go_to_stderr_and_the_build_still_succeeds() {
    let test = SiteTest::fixture("ui-strings");
    let run = test.run(&["build"]);
    run.assert_success();
    assert!(
        run.stderr()
            .contains("warning: 1 UI string(s) missing for `ky`: donate"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("1 warning(s)"), "{}", run.stdout());
}

#[test]
fn root_and_output_options_are_honoured() {
    let test = SiteTest::fixture("basic");
    let out = test.tmp().join("elsewhere");
    let run = crate::support::glimmer_command(test.tmp())
        .env("HOME", test.tmp())
        .args(["build", "--root", "site", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("ru/stories/alpha/index.html").is_file());
    assert!(!test.root().join("public").exists());
}

#[test]
fn a_folder_without_glimmer_toml_is_explained() {
    let test = SiteTest::fixture("basic");
    let empty = test.tmp().join("nothing-here");
    std::fs::create_dir(&empty).unwrap();
    let run = crate::support::glimmer_command(&empty)
        .env("HOME", test.tmp())
        .arg("build")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("glimmer.toml"), "{err}");
    assert!(err.contains("glimmer init"), "{err}");
}
