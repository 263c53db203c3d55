use super::*;
use unlink_shell::lex_script;

fn no_vars(_: &Part) -> Option<String> {
    None
}

fn docker(src: &str) -> Docker {
    let lexed = lex_script(src.as_bytes());
    recognise(&lexed.commands[0], &no_vars).expect("docker command")
}

fn run(src: &str) -> Run {
    match docker(src).action {
        Action::Run(r) => *r,
        other => panic!("not a run: {other:?}"),
    }
}

fn links(r: &Run) -> Vec<(String, String)> {
    r.links
        .iter()
        .map(|l| (l.target.clone().unwrap(), l.alias.clone().unwrap()))
        .collect()
}

#[test]
fn link_forms() {
    let r = run("docker run --link a --link b:c --link=d:e --link /f:g --link /h:/i/j img");
    assert_eq!(
        links(&r),
        [("a", "a"), ("b", "c"), ("d", "e"), ("f", "g"), ("h", "j")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(r.image.unwrap().text.as_deref(), Some("img"));
}

#[test]
fn link_after_the_image_belongs_to_the_container() {
    let r = run("docker run --rm alpine sh -c x --link db");
    assert!(r.links.is_empty());
    assert_eq!(r.image.unwrap().text.as_deref(), Some("alpine"));
    assert_eq!(r.command.len(), 5);
}

#[test]
fn value_options_eat_the_next_word_even_when_it_starts_with_a_dash() {
    let r = run("docker run --name --link img");
    assert!(r.links.is_empty());
    assert_eq!(r.name().unwrap().value.as_deref(), Some("--link"));
}

#[test]
fn combined_short_flags() {
    let r = run("docker run -itd -dp 80:80 --link db:db -p8080:80 -e=X=1 img cmd");
    let published: Vec<_> = r
        .values("publish")
        .map(|o| o.value.clone().unwrap())
        .collect();
    assert_eq!(published, ["80:80", "8080:80"]);
    assert_eq!(
        r.values("env").next().unwrap().value.as_deref(),
        Some("X=1")
    );
    assert_eq!(links(&r).len(), 1);
    assert_eq!(r.image.unwrap().text.as_deref(), Some("img"));
}

#[test]
fn a_value_letter_in_the_middle_eats_the_rest() {
    // `-pd 80` sets publish to `d` and makes 80 the image.
    let r = run("docker run -pd 80");
    assert_eq!(
        r.values("publish").next().unwrap().value.as_deref(),
        Some("d")
    );
    assert_eq!(r.image.unwrap().text.as_deref(), Some("80"));
}

#[test]
fn bool_options_never_take_the_next_word() {
    let r = run("docker run --rm false");
    assert_eq!(r.image.unwrap().text.as_deref(), Some("false"));
    assert!(r.auto_remove);
}

#[test]
fn double_dash_ends_options() {
    let r = run("docker run -d -- -weird-image --link x");
    assert_eq!(r.image.unwrap().text.as_deref(), Some("-weird-image"));
    assert!(r.links.is_empty());
}

#[test]
fn spans_cover_flag_and_value() {
    let src = "docker run --link  db:db --link=a:b img";
    let r = run(src);
    assert_eq!(
        &src[r.link_option(&r.links[0]).span.clone().unwrap()],
        "--link  db:db"
    );
    assert_eq!(
        &src[r.link_option(&r.links[1]).span.clone().unwrap()],
        "--link=a:b"
    );
    assert_eq!(
        &src[r.link_option(&r.links[1]).value_span.clone().unwrap()],
        "a:b"
    );
    assert_eq!(&src[..r.after_subcommand], "docker run");
}

#[test]
fn old_spellings() {
    let r = run("docker run --net=prod --net-alias x --link y:y img");
    assert_eq!(r.networks()[0].value.as_deref(), Some("prod"));
    assert_eq!(r.values("network-alias").count(), 1);
}

#[test]
fn global_options_and_wrappers() {
    let src = "sudo -E docker -H tcp://h:2375 --context x container create --link a:b img";
    let d = docker(src);
    assert_eq!(&src[d.prefix.clone()], "sudo -E docker");
    match d.action {
        Action::Run(r) => {
            assert!(r.create);
            assert_eq!(
                &src[..r.after_subcommand],
                "sudo -E docker -H tcp://h:2375 --context x container create"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn docker_through_a_variable() {
    let src = "$DOCKER run --link a:b img";
    let lexed = lex_script(src.as_bytes());
    let lookup = |p: &Part| match p {
        Part::ShellVar { name, .. } if name == "DOCKER" => Some("docker".to_string()),
        _ => None,
    };
    let d = recognise(&lexed.commands[0], &lookup).unwrap();
    assert_eq!(&src[d.prefix.clone()], "$DOCKER");
    // Unknown variable: not recognised as docker.
    assert!(recognise(&lexed.commands[0], &no_vars).is_none());
}

#[test]
fn link_hidden_in_a_variable_has_no_span() {
    let src = "docker run $LINKS img";
    let lexed = lex_script(src.as_bytes());
    let lookup = |p: &Part| match p {
        Part::ShellVar { name, .. } if name == "LINKS" => Some("--link db:db".to_string()),
        _ => None,
    };
    let Action::Run(r) = recognise(&lexed.commands[0], &lookup).unwrap().action else {
        panic!()
    };
    assert_eq!(r.links.len(), 1);
    assert!(r.link_option(&r.links[0]).span.is_none());
    assert_eq!(r.link_option(&r.links[0]).from_expansion, Some(11..17));
}

#[test]
fn unknown_options_stop_the_parse() {
    let src = "docker run --frobnicate x --link a:b img";
    let r = run(src);
    assert_eq!(r.unknown_option.as_ref().unwrap().0, "--frobnicate");
    assert!(r.links.is_empty());
    // The `--link` after it may still be docker's.
    let unread = &r.unread_links;
    assert_eq!(unread.len(), 1);
    assert_eq!(unread[0].target.as_deref(), Some("a"));
    assert_eq!(&src[unread[0].span.clone()], "--link a:b");
    let r = run("docker run -dZ --link=c:d img");
    assert_eq!(r.unread_links[0].value.as_deref(), Some("c:d"));
}

#[test]
fn links_after_a_variable_unlink_cannot_expand_are_unread() {
    // `$OPTS` may hold options or the image: unlink cannot tell.
    let src = "docker run $OPTS --name web --link db:database --link=/c app --link x";
    let r = run(src);
    assert!(r.image.as_ref().unwrap().text.is_none());
    assert!(r.links.is_empty());
    let unread: Vec<_> = r
        .unread_links
        .iter()
        .map(|l| (l.target.clone(), &src[l.span.clone()]))
        .collect();
    assert_eq!(
        unread,
        [
            (Some("db".to_string()), "--link db:database"),
            (Some("c".to_string()), "--link=/c"),
            (Some("x".to_string()), "--link x"),
        ]
    );
    // A known image ends the options: what follows is the container's.
    assert!(run("docker run -d --name w --link a:b img --link c")
        .unread_links
        .is_empty());
    // A `--link` with nothing after it names no target.
    let r = run("docker run $OPTS --link");
    assert_eq!(r.unread_links.len(), 1);
    assert_eq!(r.unread_links[0].target, None);
}

#[test]
fn malformed_links() {
    assert_eq!(parse_link("a:b:c"), (None, None, true));
    assert_eq!(parse_link(""), (None, None, true));
    assert_eq!(parse_link("a:"), (None, None, true));
}

#[test]
fn other_subcommands() {
    assert!(matches!(
        docker("docker network create --driver bridge appz").action,
        Action::NetworkCreate { name: Some(Arg { text: Some(ref n), .. }) } if n == "appz"
    ));
    match docker("docker rm -f a b").action {
        Action::Remove {
            kind: Removal::Rm,
            force: true,
            names,
        } => assert_eq!(names.len(), 2),
        other => panic!("{other:?}"),
    }
    match docker("docker stop -t 5 a").action {
        Action::Remove {
            kind: Removal::Stop,
            names,
            ..
        } => {
            assert_eq!(names[0].text.as_deref(), Some("a"))
        }
        other => panic!("{other:?}"),
    }
    match docker("docker build -t app -f docker/Dockerfile ./app").action {
        Action::Build(b) => {
            let Build {
                tags,
                context,
                file,
                build_args,
            } = *b;
            assert_eq!(tags, ["app"]);
            assert_eq!(context.unwrap().text.as_deref(), Some("./app"));
            assert_eq!(file.unwrap().text.as_deref(), Some("docker/Dockerfile"));
            assert!(build_args.is_empty());
        }
        other => panic!("{other:?}"),
    }
    let src = "docker build --build-arg API=db:8080 --build-arg=CACHE=redis -t app .";
    match docker(src).action {
        Action::Build(b) => {
            let Build {
                build_args,
                context,
                ..
            } = *b;
            let got: Vec<_> = build_args
                .iter()
                .map(|a| (a.text.clone().unwrap(), &src[a.span.clone().unwrap()]))
                .collect();
            assert_eq!(
                got,
                [
                    ("API=db:8080".to_string(), "API=db:8080"),
                    ("CACHE=redis".to_string(), "CACHE=redis")
                ]
            );
            assert_eq!(context.unwrap().text.as_deref(), Some("."));
        }
        other => panic!("{other:?}"),
    }
    match docker("docker network connect --alias a,b net c").action {
        Action::NetworkConnect(c) => {
            let NetworkConnect {
                network,
                container,
                aliases,
            } = *c;
            assert_eq!(network.unwrap().text.as_deref(), Some("net"));
            assert_eq!(container.unwrap().text.as_deref(), Some("c"));
            assert_eq!(aliases, ["a", "b"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(recognise(
        &lex_script(b"podman run --link a img").commands[0],
        &no_vars
    )
    .is_none());
}
