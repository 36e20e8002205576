//! `glimmer import services FILE.csv`: a spreadsheet export becomes
//! listing files; bad rows are named and skipped; the site then builds.

use crate::support::{Run, SiteTest, assert_same_tree, fixtures_dir, glimmer_command, snapshot};
use glimmer::content::front_matter;
use std::collections::BTreeMap;
use std::path::Path;

/// 2026-11-25, so that `verified` dates are checked against a fixed day.
const TODAY: &str = "1795564800";

/// The listings that the good rows of `messy.csv` become.
const MESSY_LISTINGS: [&str; 5] = [
    "content/services/ak-zhurok-crisis-line.md",
    "content/services/krizisnyy-tsentr-sezim.md",
    "content/services/qamqor.md",
    "content/services/service-6.md",
    "content/services/umut.md",
];

/// The fixture site `import/site` with the spreadsheets of `import/`
/// beside its `glimmer.toml`.
fn site() -> SiteTest {
    let test = SiteTest::fixture("import/site");
    for csv in ["messy.csv", "plain.csv"] {
        std::fs::copy(
            fixtures_dir().join("import").join(csv),
            test.root().join(csv),
        )
        .unwrap();
    }
    test
}

fn run(test: &SiteTest, args: &[&str]) -> Run {
    test.run_with(args, &[("SOURCE_DATE_EPOCH", Path::new(TODAY))])
}

/// Standard output and standard error together.
fn output(run: &Run) -> String {
    format!("{}\n{}", run.stdout(), run.stderr())
}

fn read(test: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(test.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The front matter of a listing as TOML, and its body.
fn listing(test: &SiteTest, rel: &str) -> (toml::Table, String) {
    let text = read(test, rel);
    let parsed = front_matter::parse(&text, Path::new(rel)).expect("a valid listing");
    let start = front_matter::toml_start(&text);
    let end = text[start..].find("+++").unwrap() + start;
    (
        text[start..end].parse().unwrap(),
        text[parsed.body_start..].to_string(),
    )
}

fn service(table: &toml::Table) -> &toml::Table {
    table["service"].as_table().unwrap()
}

fn strings(value: &toml::Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// The files of the site outside `content/services/`.
fn outside_services(test: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(test.root());
    files.retain(|path, _| !path.starts_with("content/services/"));
    files
}

#[test]
fn the_messy_fixture_is_as_messy_as_it_should_be() {
    let bytes = std::fs::read(fixtures_dir().join("import/messy.csv")).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    assert!(text.starts_with('\u{feff}'), "no byte order mark");
    assert!(
        text.lines().next().unwrap().contains(';'),
        "not semicolon-separated"
    );
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "not CRLF"
    );
    assert!(text.contains("\r\n\r\n"), "no blank line");
}

#[test]
fn a_messy_spreadsheet_writes_its_good_rows_and_names_every_bad_one() {
    let test = site();
    let before = outside_services(&test);
    let services_before = snapshot(&test.root().join("content/services"));
    let run = run(&test, &["import", "services", "messy.csv"]);
    run.assert_failure();
    let out = output(&run);

    for file in MESSY_LISTINGS {
        assert!(test.root().join(file).is_file(), "{file} missing:\n{out}");
    }
    let after = snapshot(&test.root().join("content/services"));
    assert_eq!(
        after.len(),
        services_before.len() + MESSY_LISTINGS.len(),
        "{:?}",
        after.keys()
    );
    assert_same_tree(&before, &outside_services(&test));

    for (row, column, message) in [
        (
            7,
            "Phone",
            "`0312 000 000` is not a phone number in international form",
        ),
        (8, "Country", "unknown country code `XX`"),
        (9, "Categories", "unknown category `hotlne`"),
        (
            10,
            "Hours",
            "these opening hours cannot be read: `25:00` is not a time of day",
        ),
        (11, "Name", "this row has no name"),
        (12, "Verified", "`verified` is in the future (2027-01-15)"),
        (13, "Free", "`maybe` is not yes or no"),
    ] {
        let line = format!("error: messy.csv: row {row}: column `{column}`: {message}");
        assert!(out.contains(&line), "{line:?} not in:\n{out}");
    }
    assert!(out.contains("did you mean \"hotline\"?"), "{out}");
    assert!(
        out.contains("warning: messy.csv: row 6: column `Verified`: this listing was last checked on 2026-03-01"),
        "{out}"
    );
    assert!(
        out.contains("column `Webiste`") && out.contains("did you mean `website`?"),
        "{out}"
    );
    assert!(
        !out.contains("row 4"),
        "the blank row is not a problem:\n{out}"
    );
    assert!(
        !out.contains("no way to reach"),
        "one error for one bad phone:\n{out}"
    );
    assert!(
        out.contains("Wrote 5 listing(s) in content/services/: 5 new, 0 replaced."),
        "{out}"
    );
    assert!(out.contains("Skipped 7 row(s)"), "{out}");
    assert!(out.contains("row 7    Osh Helpline: `Phone`"), "{out}");
    assert!(out.contains("row 11   (no name): `Name`"), "{out}");
}

#[test]
fn imported_listings_carry_the_cells_faithfully() {
    let test = site();
    run(&test, &["import", "services", "messy.csv"]).assert_failure();

    let (front, body) = listing(&test, "content/services/ak-zhurok-crisis-line.md");
    assert_eq!(front["title"].as_str(), Some("Ak-Zhurok Crisis Line"));
    let s = service(&front);
    assert_eq!(s["city"].as_str(), Some("Bishkek"));
    assert_eq!(
        strings(&s["categories"]),
        ["hotline", "psychological-support"]
    );
    assert_eq!(strings(&s["for"]), ["women", "girls"]);
    assert_eq!(s["open_24_7"].as_bool(), Some(true));
    assert_eq!(s["free"].as_bool(), Some(true));
    assert_eq!(
        s["verified"].as_datetime().unwrap().to_string(),
        "2026-11-02"
    );
    let phone = s["phones"].as_array().unwrap()[0].as_table().unwrap();
    assert_eq!(phone["number"].as_str(), Some("+996 312 000 001"));
    assert_eq!(phone["label"].as_str(), Some("Hotline"));
    assert_eq!(s["channels"]["email"].as_str(), Some("help@example.org"));
    assert!(!s.contains_key("website"), "the misspelt column is ignored");
    assert_eq!(
        body,
        "Call the hotline; say \"I need help\".\nWe answer in Kyrgyz and Russian.\n"
    );

    let (front, _) = listing(&test, "content/services/krizisnyy-tsentr-sezim.md");
    assert_eq!(front["title"].as_str(), Some("Кризисный центр \"Сезим\""));
    let s = service(&front);
    assert_eq!(s["country"].as_str(), Some("KG"));
    assert_eq!(
        s["hours"].as_str(),
        Some("mon-fri 09:00-18:00; sat 10:00-14:00")
    );
    assert_eq!(
        s["verified"].as_datetime().unwrap().to_string(),
        "2026-11-25"
    );
    assert!(!s.contains_key("open_24_7"), "нет is no");

    let (front, _) = listing(&test, "content/services/qamqor.md");
    let s = service(&front);
    assert_eq!(strings(&s["languages"]), ["kk", "ru"]);
    assert_eq!(
        s["verified"].as_datetime().unwrap().to_string(),
        "2026-10-01"
    );

    let (front, _) = listing(&test, "content/services/service-6.md");
    assert_eq!(front["title"].as_str(), Some("مرکز حمایت"));
    assert_eq!(strings(&service(&front)["languages"]), ["fa-AF", "ps"]);
}

#[test]
fn the_site_builds_with_the_imported_listings() {
    let test = site();
    run(&test, &["import", "services", "messy.csv"]).assert_failure();
    run(&test, &["import", "services", "plain.csv"]).assert_success();
    let built = run(&test, &["build"]);
    built.assert_success();
    assert!(
        built.stderr().contains("content/services/service-6.md"),
        "the stale listing is warned about:\n{}",
        built.stderr()
    );
}

#[test]
fn existing_listings_are_kept_without_force_and_replaced_with_it() {
    let test = site();
    let first = run(&test, &["import", "services", "plain.csv"]);
    first.assert_success();
    assert!(
        first.stdout().contains("2 new, 0 replaced"),
        "{}",
        first.stdout()
    );
    let trust = "content/services/trust-line.md";
    let imported = read(&test, trust);
    let (front, body) = listing(&test, trust);
    assert_eq!(
        service(&front)["channels"]["telegram"].as_str(),
        Some("@trustline_tj")
    );
    assert_eq!(service(&front)["phones"].as_array().unwrap().len(), 2);
    assert_eq!(body, "Call us, any day.\n");
    let (front, _) = listing(&test, "content/services/legal-khujand.md");
    assert_eq!(front["title"].as_str(), Some("Legal aid, Khujand"));
    assert!(!service(&front).contains_key("free"), "no is left out");

    test.edit(trust, "Call us", "Edited by hand: call us");
    let before = snapshot(test.root());
    let again = run(&test, &["import", "services", "plain.csv"]);
    again.assert_failure();
    let out = output(&again);
    assert!(
        out.contains("error: plain.csv: row 2: content/services/trust-line.md exists; use --force to replace it"),
        "{out}"
    );
    // The row whose file is as imported is no problem: it is unchanged.
    assert!(!out.contains("row 3"), "{out}");
    assert!(out.contains("Left 1 listing(s) unchanged"), "{out}");
    assert!(out.contains("Wrote no listings."), "{out}");
    assert_same_tree(&before, &snapshot(test.root()));

    let forced = run(&test, &["import", "services", "plain.csv", "--force"]);
    forced.assert_success();
    assert!(
        forced.stdout().contains("0 new, 1 replaced")
            && forced.stdout().contains("Left 1 listing(s) unchanged"),
        "{}",
        forced.stdout()
    );
    assert_eq!(read(&test, trust), imported);
    let services = snapshot(&test.root().join("content/services"));
    assert_eq!(
        services.len(),
        3,
        "no temporary files are left: {:?}",
        services.keys()
    );
}

#[test]
fn importing_the_same_spreadsheet_again_changes_nothing() {
    let test = site();
    run(&test, &["import", "services", "plain.csv"]).assert_success();
    let before = snapshot(test.root());

    let again = run(&test, &["import", "services", "plain.csv"]);
    again.assert_success();
    let out = output(&again);
    assert!(out.contains("Wrote no listings."), "{out}");
    assert!(out.contains("Left 2 listing(s) unchanged"), "{out}");
    assert!(!out.contains("error"), "{out}");
    assert_same_tree(&before, &snapshot(test.root()));

    let trust = "content/services/trust-line.md";
    test.edit(trust, "Call us", "Edited by hand: call us");
    let edited = read(&test, trust);
    let third = run(&test, &["import", "services", "plain.csv"]);
    third.assert_failure();
    let out = output(&third);
    assert!(
        out.contains("error: plain.csv: row 2: content/services/trust-line.md exists; use --force to replace it"),
        "{out}"
    );
    assert!(!out.contains("row 3"), "{out}");
    assert!(out.contains("Left 1 listing(s) unchanged"), "{out}");
    assert!(out.contains("row 2    Trust Line"), "{out}");
    assert_eq!(read(&test, trust), edited, "the hand edit is kept");
}

#[test]
fn root_and_file_are_found_from_the_current_folder() {
    let test = site();
    let run = glimmer_command(test.tmp())
        .env("SOURCE_DATE_EPOCH", TODAY)
        .args(["import", "services", "site/plain.csv", "--root", "site"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(test.root().join("content/services/trust-line.md").is_file());
}

#[test]
fn a_file_without_a_name_column_writes_nothing() {
    let test = site();
    test.write("bad.csv", "title;country\nLine;KG\n");
    let before = snapshot(test.root());
    let run = run(&test, &["import", "services", "bad.csv"]);
    run.assert_failure();
    let err = run.stderr();
    assert!(err.contains("there is no `name` column"), "{err}");
    assert!(
        err.contains("Import failed: 1 error(s); no listing was written."),
        "{err}"
    );
    assert_same_tree(&before, &snapshot(test.root()));
}

#[test]
fn a_file_in_another_encoding_is_refused_with_advice() {
    let test = site();
    let mut bytes = b"name;country\r\nLine;KG\r\n".to_vec();
    bytes.extend([0xca, 0xf0, 0xe8, 0xe7, b';', b'K', b'G', b'\r', b'\n']); // Windows-1251
    std::fs::write(test.root().join("cp1251.csv"), bytes).unwrap();
    let run = run(&test, &["import", "services", "cp1251.csv"]);
    run.assert_failure();
    let err = run.stderr();
    assert!(
        err.contains("is not UTF-8 text: byte 23 (in row 3)"),
        "{err}"
    );
    assert!(err.contains("CSV UTF-8"), "{err}");
    assert!(!test.root().join("content/services/line.md").exists());
}

#[test]
fn a_missing_file_is_an_error() {
    let test = site();
    let run = run(&test, &["import", "services", "nowhere.csv"]);
    run.assert_failure();
    assert!(
        run.stderr().contains("cannot read nowhere.csv"),
        "{}",
        run.stderr()
    );
}

#[test]
fn two_rows_with_one_name_write_the_first_and_name_it() {
    let test = site();
    let row = "Line,Org,hotline,KG,+996 312 000 001,2026-11-01";
    test.write(
        "twice.csv",
        &format!("name,organisation,categories,country,phone,verified\n{row}\n{row}\n"),
    );
    let run = run(&test, &["import", "services", "twice.csv"]);
    run.assert_failure();
    let out = output(&run);
    assert!(
        out.contains(
            "row 3: column `name`: row 2 gives the same file name, content/services/line.md"
        ),
        "{out}"
    );
    assert!(test.root().join("content/services/line.md").is_file());
}
