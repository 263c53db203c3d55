//! Regressions found while hardening unlink against bad input (issue 7);
//! each test names what it pins.

use unlink_shell::{lex, lex_script, Dialect};

/// Each `$(`, backtick or quoted substitution used to recurse once in the
/// lexer, so a few thousand nested levels overflowed the stack and aborted
/// the process (exit 134). Deep nesting is now an error at the place.
#[test]
fn issue7_deeply_nested_substitutions_are_an_error_not_a_stack_overflow() {
    let n = 100_000;
    let balanced = format!("docker run {}x{} img\n", "$(echo ".repeat(n), ")".repeat(n));
    let unclosed = format!("docker run {} img\n", "$(".repeat(n));
    let quoted = format!("echo {}x{}\n", "\"$(echo ".repeat(n), ")\"".repeat(n));
    for src in [balanced, unclosed, quoted] {
        // A thread with the default 2 MiB stack of test threads (the binary
        // lexes on its 8 MiB main thread).
        let out = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let l = lex_script(src.as_bytes());
                (l.errors, src.len())
            })
            .unwrap()
            .join()
            .expect("lexing must not panic");
        let (errors, len) = out;
        let e = errors.first().expect("an error");
        assert!(e.offset < len, "{e:?}");
    }
}

#[test]
fn issue7_deep_nesting_in_a_make_recipe_is_an_error() {
    let n = 100_000;
    let src = format!(
        "\tdocker run {}x{} img\n",
        "$$(echo ".repeat(n),
        ")".repeat(n)
    );
    let errors = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || lex(src.as_bytes(), 1..src.len(), Dialect::Make).errors)
        .unwrap()
        .join()
        .unwrap();
    assert!(!errors.is_empty());
}

#[test]
fn issue7_ordinary_nesting_still_lexes() {
    let n = 50;
    let src = format!("docker run {}x{} img\n", "$(echo ".repeat(n), ")".repeat(n));
    let l = lex_script(src.as_bytes());
    assert!(l.errors.is_empty(), "{:?}", l.errors);
}

/// `V1=$V0$V0…` ten times, `V2=$V1…`: every assignment stored a value ten
/// times longer than the one before, so nine such lines took 100 MB per
/// value and the script reader never finished. An expansion longer than
/// 16 KiB is unknown.
#[test]
fn issue7_an_exponentially_growing_expansion_resolves_to_unknown() {
    let src = "docker run --name $V$V$V$V$V$V$V$V$V$V img\n";
    let l = lex_script(src.as_bytes());
    let name = &l.commands[0].words[3];
    let small = |_: &unlink_shell::Part| Some("x".repeat(1000));
    let big = |_: &unlink_shell::Part| Some("x".repeat(2000));
    assert_eq!(name.resolve(&small).map(|v| v.len()), Some(10_000));
    assert_eq!(name.resolve(&big), None);
    // A long literal word is still its own value.
    let long = format!("echo {}\n", "y".repeat(100_000));
    let l = lex_script(long.as_bytes());
    assert_eq!(
        l.commands[0].words[1].resolve(&|_| None).map(|v| v.len()),
        Some(100_000)
    );
}
