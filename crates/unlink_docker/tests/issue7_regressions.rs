//! Regressions found by fuzzing (issue 7); each test names what it pins.

use unlink_docker::{recognise, Action};
use unlink_shell::{lex_script, Part};

fn no_vars(_: &Part) -> Option<String> {
    None
}

/// A short option of `docker build` whose second character is not ASCII
/// (`-é`, or a byte that is not UTF-8) used to be sliced at byte 2, inside
/// the character, and panicked.
#[test]
fn issue7_build_option_with_a_multibyte_second_character_does_not_panic() {
    for src in [
        "docker build -é ./app\n".as_bytes(),
        b"docker build -\xff ./app\n",
        "docker build -té ./app\n".as_bytes(),
        "docker build -ét name ./app\n".as_bytes(),
    ] {
        let lexed = lex_script(src);
        let d = recognise(&lexed.commands[0], &no_vars).expect("a docker command");
        assert!(matches!(d.action, Action::Build(_)), "{d:?}");
    }
}

#[test]
fn issue7_joined_short_tag_after_a_multibyte_flag_character_is_kept() {
    let lexed = lex_script("docker build -tcafé ./app\n".as_bytes());
    let d = recognise(&lexed.commands[0], &no_vars).unwrap();
    match d.action {
        Action::Build(b) => assert_eq!(b.tags, vec!["café".to_string()]),
        other => panic!("not a build: {other:?}"),
    }
}
