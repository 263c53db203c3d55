//! Regressions found by fuzzing (issue 7). Each input is minimised from a
//! `fuzz/` finding; the test names what it pins.

use std::path::Path;

use unlink_compose::{migrate, ComposeOptions};

/// Migrate `text`, apply the edits, and check that migrating the output
/// again changes nothing.
fn migrate_twice(text: &str) -> String {
    let path = Path::new("docker-compose.yml");
    let opts = ComposeOptions::default();
    let (edits, _) = migrate(path, text, &opts).unwrap();
    let out = String::from_utf8(unlink_edit::apply(text.as_bytes(), edits).unwrap()).unwrap();
    let (again, _) = migrate(path, &out, &opts).unwrap();
    assert!(again.is_empty(), "second run edits {again:?} on\n{out}");
    out
}

/// A `links` entry that is not a string (here a mapping, because of `: `)
/// is reported and kept. The entries after it must be removed by their own
/// position, not by their position among the string entries, or the wrong
/// line is deleted.
#[test]
fn issue7_links_entry_after_a_non_string_entry_removes_the_right_line() {
    let text = "\
services:
  web:
    image: nginx
    links:
      - api# note: not a comment
      - api:backend
  api:
    image: myapi
";
    let out = migrate_twice(text);
    assert!(
        out.contains("      - api# note: not a comment\n"),
        "the malformed entry must stay:\n{out}"
    );
    assert!(
        !out.contains("- api:backend"),
        "the migrated entry must go:\n{out}"
    );
}

#[test]
fn issue7_external_links_entry_after_a_non_string_entry_removes_the_right_line() {
    let text = "\
services:
  app:
    image: busybox
    external_links:
      - legacy_mysql:   # a mapping, not a string
      - redis_shared
";
    let out = migrate_twice(text);
    assert!(
        out.contains("      - legacy_mysql:   # a mapping, not a string\n"),
        "the malformed entry must stay:\n{out}"
    );
    assert!(
        !out.contains("- redis_shared"),
        "the migrated entry must go:\n{out}"
    );
}
