use super::*;
use std::fs;

fn invalid(text: &str) -> (usize, usize, String) {
    match parse(Path::new("conf/unlink.toml"), text).unwrap_err() {
        SettingsError::Invalid {
            path,
            line,
            column,
            message,
        } => {
            assert_eq!(path, Path::new("conf/unlink.toml"));
            (line, column, message)
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn parses_every_key() {
    let text = r#"
exclude = ["vendor/", "*.bak"]
network = "app-net"
hostnames = "rewrite"
isolation = "strict"
internal = true
"#;
    let file = parse(Path::new("unlink.toml"), text).unwrap();
    assert_eq!(
        file,
        FileSettings {
            exclude: Some(vec!["vendor/".into(), "*.bak".into()]),
            network: Some("app-net".into()),
            hostnames: Some(Hostnames::Rewrite),
            isolation: Some(Isolation::Strict),
            internal: Some(true),
        }
    );
}

#[test]
fn an_empty_file_sets_nothing() {
    assert_eq!(
        parse(Path::new("unlink.toml"), "# nothing\n").unwrap(),
        FileSettings::default()
    );
}

#[test]
fn unknown_key_names_file_and_line() {
    let (line, column, message) = invalid("network = \"a\"\n\nnetwrok = \"b\"\n");
    assert_eq!((line, column), (3, 1));
    assert!(message.contains("unknown field `netwrok`"), "{message}");
    // The exact text docs/configuration.md shows.
    let err = parse(
        Path::new("unlink.toml"),
        "network = \"a\"\n\nnetwrok = \"b\"\n",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unlink.toml:3:1: unknown field `netwrok`, expected one of \
         `exclude`, `network`, `hostnames`, `isolation`, `internal`"
    );
    let err = parse(Path::new("conf/unlink.toml"), "\nx = 1\n").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("conf/unlink.toml:2:1: unknown field `x`"),
        "{err}"
    );
}

#[test]
fn wrong_type_and_unknown_choice_name_the_line() {
    let (line, _, message) = invalid("internal = \"yes\"\n");
    assert_eq!(line, 1);
    assert!(message.contains("bool"), "{message}");
    let (line, column, message) = invalid("# c\nisolation = \"per-file\"\n");
    assert_eq!((line, column), (2, 13));
    assert!(message.contains("per-file"), "{message}");
    assert!(message.contains("component"), "{message}");
    let (line, _, _) = invalid("exclude = \"vendor\"\n");
    assert_eq!(line, 1);
}

#[test]
fn syntax_error_names_the_line() {
    let (line, _, _) = invalid("network = \"a\"\nhostnames = \n");
    assert_eq!(line, 2);
}

#[test]
fn network_name_is_checked_at_its_value() {
    let (line, column, message) = invalid("\nnetwork = \"my net; rm -rf /\"\n");
    assert_eq!((line, column), (2, 11));
    assert!(message.starts_with("`network`:"), "{message}");
    assert!(invalid("network = \"\"\n").2.contains("network"));
    assert!(invalid("network = \"-x\"\n").2.contains("network"));
    assert!(check_network_name("a.b_c-1").is_ok());
    assert!(check_network_name("née").is_err());
}

#[test]
fn search_goes_up_to_the_nearest_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deep = root.join("a/b/c");
    fs::create_dir_all(&deep).unwrap();
    fs::write(root.join(CONFIG_FILE_NAME), "network = \"top\"\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join(CONFIG_FILE_NAME)));
    fs::write(root.join("a/unlink.toml"), "network = \"mid\"\n").unwrap();
    assert_eq!(find_config(&deep), Some(root.join("a/unlink.toml")));
    // A directory of that name is not a config file.
    fs::create_dir(root.join("a/b/unlink.toml")).unwrap();
    assert_eq!(find_config(&deep), Some(root.join("a/unlink.toml")));

    let settings = load(&deep, &Overrides::default()).unwrap();
    assert_eq!(settings.network.as_deref(), Some("mid"));
    assert_eq!(settings.source, Some(root.join("a/unlink.toml")));
    assert_eq!(settings.root, root.join("a"));
}

#[test]
fn no_file_gives_defaults_rooted_at_cwd() {
    let dir = tempfile::tempdir().unwrap();
    if find_config(dir.path()).is_some() {
        panic!("an unlink.toml above the temp dir spoils this test");
    }
    let settings = load(dir.path(), &Overrides::default()).unwrap();
    assert_eq!(
        settings,
        Settings {
            root: dir.path().to_path_buf(),
            ..Settings::default()
        }
    );
    assert_eq!(settings.hostnames, Hostnames::Rewrite);
    assert_eq!(settings.isolation, Isolation::Component);
    assert!(!settings.internal);
}

#[test]
fn flag_beats_file_beats_default() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(CONFIG_FILE_NAME),
        "exclude = [\"a\"]\nnetwork = \"file-net\"\nhostnames = \"alias\"\ninternal = true\n",
    )
    .unwrap();
    // File over default.
    let s = load(dir.path(), &Overrides::default()).unwrap();
    assert_eq!(s.exclude, vec!["a".to_string()]);
    assert_eq!(s.network.as_deref(), Some("file-net"));
    assert_eq!(s.hostnames, Hostnames::Alias);
    assert_eq!(
        s.isolation,
        Isolation::Component,
        "default when the file is silent"
    );
    assert!(s.internal);
    // Flags over file.
    let cli = Overrides {
        exclude: Some(vec!["b".into()]),
        extend_exclude: vec!["c".into()],
        network: Some("cli-net".into()),
        hostnames: Some(Hostnames::Rewrite),
        isolation: Some(Isolation::Single),
        internal: Some(false),
        ..Overrides::default()
    };
    let s = load(dir.path(), &cli).unwrap();
    assert_eq!(s.exclude, vec!["b".to_string(), "c".to_string()]);
    assert_eq!(s.network.as_deref(), Some("cli-net"));
    assert_eq!(s.hostnames, Hostnames::Rewrite);
    assert_eq!(s.isolation, Isolation::Single);
    assert!(!s.internal);
    // --extend-exclude alone adds to the file's list.
    let cli = Overrides {
        extend_exclude: vec!["c".into()],
        ..Overrides::default()
    };
    assert_eq!(load(dir.path(), &cli).unwrap().exclude, vec!["a", "c"]);
}

#[test]
fn isolated_ignores_even_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(CONFIG_FILE_NAME), "bogus = 1\n").unwrap();
    assert!(matches!(
        load(dir.path(), &Overrides::default()),
        Err(SettingsError::Invalid { line: 1, .. })
    ));
    let cli = Overrides {
        isolated: true,
        ..Overrides::default()
    };
    let s = load(dir.path(), &cli).unwrap();
    assert_eq!(s.source, None);
    assert_eq!(s.network, None);
}

#[test]
fn explicit_config_is_read_relative_to_cwd() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("cfg")).unwrap();
    fs::write(dir.path().join(CONFIG_FILE_NAME), "network = \"found\"\n").unwrap();
    fs::write(dir.path().join("cfg/other.toml"), "network = \"given\"\n").unwrap();
    let cli = Overrides {
        config: Some("cfg/other.toml".into()),
        ..Overrides::default()
    };
    let s = load(dir.path(), &cli).unwrap();
    assert_eq!(s.network.as_deref(), Some("given"));
    assert_eq!(s.root, dir.path().join("cfg"));
    let missing = Overrides {
        config: Some("nope.toml".into()),
        ..Overrides::default()
    };
    let err = load(dir.path(), &missing).unwrap_err();
    assert!(matches!(err, SettingsError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn bad_network_flag_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cli = Overrides {
        network: Some("a b".into()),
        isolated: true,
        ..Overrides::default()
    };
    let err = load(dir.path(), &cli).unwrap_err();
    assert!(
        err.to_string().starts_with("invalid value for --network"),
        "{err}"
    );
}

#[test]
fn choices_parse_from_flags_and_print_back() {
    for h in [Hostnames::Rewrite, Hostnames::Alias] {
        assert_eq!(h.as_str().parse::<Hostnames>(), Ok(h));
    }
    for i in [Isolation::Component, Isolation::Strict, Isolation::Single] {
        assert_eq!(i.to_string().parse::<Isolation>(), Ok(i));
    }
    let err = "Alias".parse::<Hostnames>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown value \"Alias\", expected one of `rewrite`, `alias`"
    );
}
