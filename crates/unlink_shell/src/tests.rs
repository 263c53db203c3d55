use super::*;

fn words(src: &str) -> Vec<Vec<String>> {
    let lexed = lex_script(src.as_bytes());
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    lexed
        .commands
        .iter()
        .map(|c| {
            c.words
                .iter()
                .map(|w| {
                    w.literal()
                        .unwrap_or_else(|| format!("<{}>", &src[w.span.clone()]))
                })
                .collect()
        })
        .collect()
}

#[test]
fn splits_commands_on_operators() {
    assert_eq!(
        words("a b; c && d || e | f & g\nh"),
        vec![
            vec!["a", "b"],
            vec!["c"],
            vec!["d"],
            vec!["e"],
            vec!["f"],
            vec!["g"],
            vec!["h"]
        ]
    );
}

#[test]
fn quotes_are_removed_and_spans_cover_the_raw_word() {
    let src = r#"docker run --name "a b" 'c'd e\ f"#;
    let lexed = lex_script(src.as_bytes());
    let cmd = &lexed.commands[0];
    let lits: Vec<_> = cmd.words.iter().map(|w| w.literal().unwrap()).collect();
    assert_eq!(lits, ["docker", "run", "--name", "a b", "cd", "e f"]);
    assert_eq!(&src[cmd.words[3].span.clone()], "\"a b\"");
    assert_eq!(&src[cmd.words[5].span.clone()], "e\\ f");
}

#[test]
fn matches_shell_words_on_plain_input() {
    for input in [
        r#"docker run -d --link db:db --name "my app" img sh -c 'echo $X'"#,
        r#"a "b\"c" 'd\e' f\ g "h\\i""#,
        "one\\\ntwo three",
    ] {
        let ours: Vec<String> = lex_script(input.as_bytes()).commands[0]
            .words
            .iter()
            .map(|w| w.literal().unwrap_or_default())
            .collect();
        let theirs = shell_words::split(input).unwrap();
        // shell-words keeps `$X` inside single quotes literally, as we do.
        assert_eq!(ours, theirs, "input: {input}");
    }
}

#[test]
fn continuations_join_lines() {
    let src = "docker run \\\n  --link db:db \\\r\n  img\n";
    let lexed = lex_script(src.as_bytes());
    assert_eq!(lexed.commands.len(), 1);
    let cmd = &lexed.commands[0];
    assert_eq!(cmd.words.len(), 5);
    assert_eq!(&src[cmd.words[2].span.clone()], "--link");
    assert_eq!(cmd.stmt_line_start, 0);
    assert_eq!(cmd.stmt_end, src.len() - 1);
}

#[test]
fn statement_bounds_for_crlf() {
    let src = "a\r\n  b c\r\nd";
    let lexed = lex_script(src.as_bytes());
    let b = &lexed.commands[1];
    assert_eq!(b.stmt_line_start, 3);
    assert_eq!(&src[b.stmt_line_start..b.stmt_end], "  b c");
    let d = &lexed.commands[2];
    assert_eq!(d.stmt_end, src.len());
}

#[test]
fn variables_and_defaults() {
    let src = "docker run --name ${NAME:-web} $DB \"$X\" ${#y}";
    let lexed = lex_script(src.as_bytes());
    let w = &lexed.commands[0].words;
    assert_eq!(
        w[3].parts,
        vec![Part::ShellVar {
            name: "NAME".into(),
            default: Some(Some("web".into())),
            quoted: false,
            span: 18..30
        }]
    );
    assert!(matches!(&w[4].parts[0], Part::ShellVar { name, quoted: false, .. } if name == "DB"));
    assert!(matches!(&w[5].parts[0], Part::ShellVar { name, quoted: true, .. } if name == "X"));
    assert!(matches!(&w[6].parts[0], Part::Dynamic { .. }));
}

#[test]
fn command_substitution_is_lexed_too() {
    let src = "ID=$(docker run -d --link db:db img)\necho `docker ps`\n";
    let lexed = lex_script(src.as_bytes());
    let names: Vec<_> = lexed
        .commands
        .iter()
        .map(|c| {
            c.words
                .first()
                .and_then(|w| w.literal())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(names, ["", "docker", "echo", "docker"]);
    let inner = &lexed.commands[1];
    assert_eq!(inner.depth, 1);
    assert_eq!(inner.stmt_line_start, 0);
    assert_eq!(inner.stmt_end, 36);
    assert_eq!(lexed.commands[0].assignments[0].0, "ID");
}

#[test]
fn redirect_targets_are_not_words() {
    assert_eq!(
        words("docker rm x 2> /dev/null || :\ndocker kill y >/dev/null 2>&1"),
        vec![
            vec!["docker", "rm", "x"],
            vec![":"],
            vec!["docker", "kill", "y"]
        ]
    );
}

#[test]
fn heredoc_bodies_are_skipped_and_recorded() {
    let src = "cat <<EOF > f\ndocker run --link a:b img\nEOF\ndocker run --link c:d img\ncat <<-'X'\n\tbody\n\tX\n";
    let lexed = lex_script(src.as_bytes());
    assert!(lexed.errors.is_empty());
    assert_eq!(lexed.heredocs.len(), 2);
    assert_eq!(
        &src[lexed.heredocs[0].clone()],
        "docker run --link a:b img\n"
    );
    let dockers: Vec<_> = lexed
        .commands
        .iter()
        .filter(|c| c.words.first().is_some_and(|w| w.is("docker")))
        .collect();
    assert_eq!(dockers.len(), 1);
    assert!(dockers[0].words[3].is("c:d"));
}

#[test]
fn comments_are_skipped() {
    assert_eq!(
        words("a # b c\n# d\ne#f"),
        vec![vec!["a".to_string()], vec!["e#f".to_string()]]
    );
}

#[test]
fn unclosed_constructs_are_errors_at_their_start() {
    for (src, at) in [
        ("echo 'abc", 5),
        ("echo \"abc", 5),
        ("x=$(docker run", 2),
        ("echo `ls", 5),
        ("cat <<EOF\nbody\n", 4),
        ("echo ${x", 5),
    ] {
        let lexed = lex_script(src.as_bytes());
        assert_eq!(lexed.errors.len(), 1, "{src}");
        assert_eq!(lexed.errors[0].offset, at, "{src}");
    }
}

#[test]
fn make_dialect_reads_make_variables_and_double_dollars() {
    let src =
        "\t$(DOCKER) run --name $(PREFIX)-db $${HOME} $$(cat id) ${X} $@ \\\n\t\t--link a:b img";
    let lexed = lex(src.as_bytes(), 1..src.len(), Dialect::Make);
    assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
    let cmds: Vec<_> = lexed.commands.iter().filter(|c| c.depth == 0).collect();
    let w = &cmds[0].words;
    assert!(matches!(&w[0].parts[0], Part::MakeVar { name, .. } if name == "DOCKER"));
    assert!(matches!(&w[3].parts[0], Part::MakeVar { name, .. } if name == "PREFIX"));
    assert_eq!(w[3].parts[1], Part::Lit("-db".into()));
    assert!(matches!(&w[4].parts[0], Part::ShellVar { name, .. } if name == "HOME"));
    assert!(matches!(&w[5].parts[0], Part::CommandSubst { .. }));
    assert!(matches!(&w[6].parts[0], Part::MakeVar { name, .. } if name == "X"));
    assert!(matches!(&w[7].parts[0], Part::MakeVar { name, .. } if name == "@"));
    assert!(w[8].is("--link"));
    assert!(w[9].is("a:b"));
}

#[test]
fn make_continuation_drops_one_recipe_tab() {
    // make hands the shell `foo\<newline>bar` (the tab is the recipe prefix),
    // which the shell joins into `foobar`.
    let src = "\techo foo\\\n\tbar";
    let lexed = lex(src.as_bytes(), 1..src.len(), Dialect::Make);
    assert_eq!(lexed.commands[0].words[1].literal().unwrap(), "foobar");
}

#[test]
fn assignment_prefixes_are_not_words() {
    let lexed = lex_script(b"FOO=1 BAR=\"a b\" docker run img");
    let cmd = &lexed.commands[0];
    assert_eq!(cmd.assignments.len(), 2);
    assert_eq!(cmd.assignments[1].1.literal().unwrap(), "a b");
    assert!(cmd.words[0].is("docker"));
}

#[test]
fn never_panics_on_odd_bytes() {
    for src in [
        &b"\\"[..],
        b"$",
        b"${",
        b"$(",
        b"\xff\xfe docker run",
        b"a\r",
        b"<<",
        b"2>",
        b"`",
        b"$'",
        b"\"\\",
    ] {
        let _ = lex_script(src);
        let _ = lex(src, 0..src.len(), Dialect::Make);
    }
}
