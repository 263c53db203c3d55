use super::*;
use std::fs;

struct Tree(tempfile::TempDir);

impl Tree {
    fn new(files: &[(&str, &str)]) -> Tree {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        Tree(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn opts(&self) -> WalkOptions {
        WalkOptions {
            cwd: self.path().to_path_buf(),
            ..WalkOptions::default()
        }
    }

    /// Walk `paths` (relative to the tree) and list "path kind" lines.
    fn walk(&self, paths: &[&str], opts: &WalkOptions) -> Vec<String> {
        let paths: Vec<PathBuf> = paths.iter().map(|p| self.path().join(p)).collect();
        walk(&paths, opts)
            .unwrap()
            .into_iter()
            .map(|c| {
                let rel = c.path.strip_prefix(self.path()).unwrap();
                format!(
                    "{} {}{}",
                    rel.display(),
                    c.kind.as_str(),
                    if c.explicit { " (explicit)" } else { "" }
                )
            })
            .collect()
    }
}

#[test]
fn names_give_kinds() {
    let cases = [
        ("Makefile", FileKind::Makefile),
        ("makefile", FileKind::Makefile),
        ("GNUmakefile", FileKind::Makefile),
        ("build/rules.mk", FileKind::Makefile),
        ("run.sh", FileKind::Shell),
        ("ci/test.bash", FileKind::Shell),
        ("docker-compose.yml", FileKind::Compose),
        ("docker-compose.prod.yaml", FileKind::Compose),
        ("compose.yaml", FileKind::Compose),
        ("compose.override.yml", FileKind::Compose),
        (".gitlab-ci.yml", FileKind::CiFile),
        (".travis.yml", FileKind::CiFile),
        (".github/workflows/ci.yml", FileKind::CiFile),
        ("x/.github/workflows/compose.yaml", FileKind::CiFile),
        ("workflows/ci.yml", FileKind::Other),
        (".github/ci.yml", FileKind::Other),
        ("compose.json", FileKind::Other),
        ("my-compose.yml", FileKind::Other),
        ("Makefile.bak", FileKind::Other),
        ("nginx.conf", FileKind::Other),
    ];
    for (name, kind) in cases {
        assert_eq!(kind_from_name(Path::new(name)), kind, "{name}");
    }
}

#[test]
fn shebangs_give_shell() {
    for line in [
        "#!/bin/sh\n",
        "#!/bin/bash -e\necho",
        "#! /usr/bin/env bash\n",
        "#!/usr/bin/env -S zsh -f\n",
        "#!/bin/dash",
        "#!/usr/local/bin/ksh\n",
    ] {
        assert_eq!(
            kind_from_shebang(line.as_bytes()),
            Some(FileKind::Shell),
            "{line}"
        );
    }
    for line in [
        "#!/usr/bin/env python3\n",
        "#!/usr/bin/perl\n",
        "# !/bin/sh\n",
        "echo #!/bin/sh\n",
        "#!/bin/bashful\n",
        "",
    ] {
        assert_eq!(kind_from_shebang(line.as_bytes()), None, "{line}");
    }
}

#[test]
fn walks_known_kinds_sorted_and_skips_git_and_symlinks() {
    let t = Tree::new(&[
        ("Makefile", "run:\n"),
        ("b/run.sh", ""),
        ("a/compose.yml", ""),
        ("bin/deploy", "#!/usr/bin/env bash\ndocker run --link a b\n"),
        ("bin/tool", "#!/usr/bin/env python3\n"),
        ("README.md", "--link"),
        (".github/workflows/ci.yml", ""),
        (".docker/start.sh", ""),
        (".git/hooks/pre-commit.sh", ""),
    ]);
    std::os::unix::fs::symlink("Makefile", t.path().join("GNUmakefile")).unwrap();
    assert_eq!(
        t.walk(&["."], &t.opts()),
        vec![
            ".docker/start.sh shell",
            ".github/workflows/ci.yml ci",
            "Makefile makefile",
            "a/compose.yml compose",
            "b/run.sh shell",
            "bin/deploy shell",
        ]
    );
}

#[test]
fn ignore_files_apply_outside_git_and_no_ignore_turns_them_off() {
    let t = Tree::new(&[
        (".gitignore", "gen/\n"),
        (".ignore", "*.bash\n"),
        (".unlinkignore", "legacy.sh\n"),
        ("gen/x.sh", ""),
        ("a.bash", ""),
        ("legacy.sh", ""),
        ("kept.sh", ""),
    ]);
    assert!(!t.path().join(".git").exists());
    assert_eq!(t.walk(&["."], &t.opts()), vec!["kept.sh shell"]);
    let opts = WalkOptions {
        no_ignore: true,
        ..t.opts()
    };
    assert_eq!(
        t.walk(&["."], &opts),
        vec![
            "a.bash shell",
            "gen/x.sh shell",
            "kept.sh shell",
            "legacy.sh shell"
        ]
    );
}

#[test]
fn explicit_files_are_always_included() {
    let t = Tree::new(&[
        (".unlinkignore", "skip.sh\n"),
        ("skip.sh", ""),
        ("nginx.conf", ""),
    ]);
    assert_eq!(
        t.walk(&["skip.sh", "nginx.conf"], &t.opts()),
        vec!["nginx.conf other (explicit)", "skip.sh shell (explicit)"]
    );
    // And a directory walk still skips it.
    assert_eq!(t.walk(&["."], &t.opts()), Vec::<String>::new());
}

#[test]
fn force_exclude_applies_ignores_and_excludes_to_explicit_files() {
    let t = Tree::new(&[
        (".gitignore", "gen/\n"),
        (".unlinkignore", "skip.sh\n"),
        ("skip.sh", ""),
        ("gen/made.sh", ""),
        ("vendor/lib/x.sh", ""),
        ("keep.sh", ""),
        ("sub/keep.mk", ""),
    ]);
    let opts = WalkOptions {
        force_exclude: true,
        exclude: vec!["vendor/".into()],
        ..t.opts()
    };
    assert_eq!(
        t.walk(
            &[
                "skip.sh",
                "gen/made.sh",
                "vendor/lib/x.sh",
                "keep.sh",
                "sub/keep.mk"
            ],
            &opts
        ),
        vec![
            "keep.sh shell (explicit)",
            "sub/keep.mk makefile (explicit)"
        ]
    );
    // An excluded directory given by name is not walked either.
    assert_eq!(t.walk(&["vendor"], &opts), Vec::<String>::new());
}

#[test]
fn exclude_globs_are_relative_to_their_root_and_survive_no_ignore() {
    let t = Tree::new(&[
        ("proj/vendor/a.sh", ""),
        ("proj/old/run.sh", ""),
        ("proj/old/keep.mk", ""),
        ("proj/x.sh", ""),
        ("other/vendor/b.sh", ""),
    ]);
    let opts = WalkOptions {
        exclude: vec!["/vendor/".into(), "old/*.sh".into()],
        exclude_root: PathBuf::from("proj"),
        no_ignore: true,
        ..t.opts()
    };
    assert_eq!(
        t.walk(&["."], &opts),
        vec![
            "other/vendor/b.sh shell",
            "proj/old/keep.mk makefile",
            "proj/x.sh shell"
        ]
    );
}

#[test]
fn dot_components_are_cleaned_and_explicit_wins_over_walked() {
    let t = Tree::new(&[("Makefile", ""), ("sub/run.sh", "")]);
    let cwd = t.path().to_path_buf();
    let opts = WalkOptions {
        cwd: cwd.clone(),
        ..WalkOptions::default()
    };
    let paths = [
        cwd.join("./Makefile"),
        cwd.join("."),
        cwd.join("sub/./run.sh"),
    ];
    let found = walk(&paths, &opts).unwrap();
    let shown: Vec<_> = found
        .iter()
        .map(|c| (c.path.strip_prefix(&cwd).unwrap().to_path_buf(), c.explicit))
        .collect();
    assert_eq!(
        shown,
        vec![
            (PathBuf::from("Makefile"), true),
            (PathBuf::from("sub/run.sh"), true)
        ]
    );
}

#[test]
fn a_bad_line_in_an_ignore_file_is_skipped_like_git_does() {
    let t = Tree::new(&[
        (".gitignore", "x[z-a]\ngen/\n"),
        ("gen/a.sh", ""),
        ("b.sh", ""),
    ]);
    assert_eq!(t.walk(&["."], &t.opts()), vec!["b.sh shell"]);
}

#[test]
fn a_missing_path_is_an_error() {
    let t = Tree::new(&[("Makefile", "")]);
    let err = walk(&[t.path().join("nope")], &t.opts()).unwrap_err();
    assert!(matches!(err, WalkError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().ends_with("nope: no such file or directory"));
}

#[test]
fn a_bad_exclude_glob_is_an_error() {
    let t = Tree::new(&[("Makefile", "")]);
    let opts = WalkOptions {
        exclude: vec!["x[z-a]".into()],
        ..t.opts()
    };
    let err = walk(&[t.path().to_path_buf()], &opts).unwrap_err();
    assert!(matches!(err, WalkError::Exclude { .. }), "{err:?}");
}

#[test]
fn many_files_come_back_in_the_same_order_every_time() {
    let names: Vec<String> = (0..200).map(|i| format!("d{}/f{i}.sh", i % 7)).collect();
    let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
    let t = Tree::new(&files);
    let opts = WalkOptions {
        threads: 4,
        ..t.opts()
    };
    let first = t.walk(&["."], &opts);
    assert_eq!(first.len(), 200);
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(first, sorted);
    for _ in 0..3 {
        assert_eq!(t.walk(&["."], &opts), first);
    }
}

#[test]
fn prefilter_keeps_findings_and_link_targets() {
    let yes: &[(FileKind, &str)] = &[
        (FileKind::Shell, "docker run --link db:db app"),
        // A link target: no link here, but another file links to `db`.
        (FileKind::Shell, "docker run -d --name db postgres"),
        (FileKind::Shell, "OPTS='--link=db'\n$RUNTIME run $OPTS app"),
        (FileKind::Makefile, "\t$(D) network \\\n\t  create x"),
        (FileKind::Makefile, "\t$(D) run --net=x app"),
        (FileKind::Shell, "exec app --db $DB_PORT_5432_TCP_ADDR"),
        (FileKind::Shell, "echo $DB_ENV_PASSWORD"),
        (FileKind::Shell, "echo $DB_NAME"),
        (FileKind::CiFile, "script: docker run --link db app"),
        (FileKind::Compose, "services:\n  a:\n    image: x\n"),
        (FileKind::Other, "anything"),
    ];
    for (kind, text) in yes {
        assert!(may_contain_link(*kind, text.as_bytes()), "{kind:?}: {text}");
    }
    let no: &[(FileKind, &str)] = &[
        (FileKind::Shell, "#!/bin/sh\nset -e\ncargo test\n"),
        (FileKind::Makefile, "all:\n\tcargo build\n"),
        (FileKind::CiFile, "jobs: {}"),
    ];
    for (kind, text) in no {
        assert!(
            !may_contain_link(*kind, text.as_bytes()),
            "{kind:?}: {text}"
        );
    }
}

#[test]
fn binary_means_nul_in_the_first_8k() {
    assert!(is_binary(b"\x7fELF\x02\x01\x01\x00"));
    assert!(!is_binary(b"#!/bin/sh\n"));
    let mut late = vec![b'a'; BINARY_PREFIX];
    late.push(0);
    assert!(!is_binary(&late));
    late[BINARY_PREFIX - 1] = 0;
    assert!(is_binary(&late));
}

/// `.pre-commit-hooks.yaml` decides when a hook runs with a `files:` regex;
/// it must pick the same names the walker reads (plus extensionless files,
/// which `types_or: [shell]` narrows to `#!` scripts).
#[test]
fn pre_commit_files_regex_matches_the_walker() {
    let hooks = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.pre-commit-hooks.yaml"
    ))
    .unwrap();
    let patterns: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: '"))
        .map(|l| l.strip_suffix('\'').unwrap())
        .collect();
    assert_eq!(patterns.len(), 2, "one `files:` per hook");
    for pattern in patterns {
        let re = regex::Regex::new(pattern).unwrap();
        for name in [
            "Makefile",
            "sub/makefile",
            "GNUmakefile",
            "build/rules.mk",
            "run.sh",
            "a/b/x.bash",
            "docker-compose.yml",
            "deploy/docker-compose.prod.yaml",
            "compose.yaml",
            "compose.override.yml",
            ".gitlab-ci.yml",
            ".travis.yml",
            ".github/workflows/ci.yml",
            ".github/workflows/release.yaml",
            "bin/deploy",
            "config.yml",
            "my-compose.yml",
            "README.md",
            "Makefile.bak",
            "nginx.conf",
            ".github/ci.yml",
            "notes.txt",
        ] {
            let path = Path::new(name);
            let walker_reads = kind_from_name(path) != FileKind::Other;
            let no_extension = path.extension().is_none();
            assert_eq!(
                re.is_match(name),
                walker_reads || no_extension,
                "{name} against {pattern}"
            );
        }
    }
}
