//! Every diagnostic code has its page in docs/codes, named and titled after it.

#[test]
fn every_code_has_a_page() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/codes");
    for code in unlink_diagnostics::codes::ALL {
        let page = std::fs::read_to_string(dir.join(format!("{}.md", code.id)))
            .unwrap_or_else(|_| panic!("docs/codes/{}.md is missing", code.id));
        let title = format!("# {} `{}`", code.id, code.name);
        assert!(
            page.starts_with(&title),
            "{} page must start with {title}",
            code.id
        );
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## Fix",
        ] {
            assert!(page.contains(section), "{} page lacks {section}", code.id);
        }
    }
}
