//! What a docker command line means.
//!
//! The readers (make, shell) hand this crate the words of one simple command,
//! with byte spans, and a way to look variables up. This crate decides whether
//! the command is docker at all, which sub-command it runs and, for
//! `docker run` / `docker create`, where the options end and the IMAGE
//! begins. That boundary is the whole point: docker stops parsing options at
//! the first word that is not one (pflag with interspersing off), so a
//! `--link` after the image belongs to the container's own command and must
//! never be touched. Deciding it needs the complete option table of Docker 28
//! (plus old spellings such as `--net`), because a value-taking option eats
//! the next word even when it starts with `-`, and a short group such as
//! `-dp 80:80` ends with a value letter. The table is in [`options`].
//!
//! The result is a [`Docker`] value: for runs, every option with its span,
//! the container name, links, networks, aliases, ports, mounts and env; for
//! the other sub-commands unlink cares about (network create/rm/connect,
//! rm/kill/stop/start, build) just what the planner needs. Nothing here
//! knows about files, make targets or edits.

pub mod options;

use std::ops::Range;
use unlink_shell::{Command, Part, Word};

/// One argument after variable expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The value, when it is known statically.
    pub text: Option<String>,
    /// Bytes of the source word; `None` for a word that came out of a
    /// variable expanding to several words.
    pub span: Option<Range<usize>>,
    /// For split expansions: the span of the variable reference.
    pub from_expansion: Option<Range<usize>>,
}

impl Arg {
    fn is(&self, s: &str) -> bool {
        self.text.as_deref() == Some(s)
    }

    /// The span of the source text that holds this argument.
    pub fn source_span(&self) -> Range<usize> {
        self.span
            .clone()
            .or_else(|| self.from_expansion.clone())
            .unwrap_or(0..0)
    }
}

/// Expand a command's words into arguments with `lookup` for variables.
pub fn expand(words: &[Word], lookup: &dyn Fn(&Part) -> Option<String>) -> Vec<Arg> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let text = w.resolve(lookup);
        match &text {
            Some(t) if w.may_split() && t.split_whitespace().count() != 1 => {
                for piece in t.split_whitespace() {
                    out.push(Arg {
                        text: Some(piece.to_string()),
                        span: None,
                        from_expansion: Some(w.span.clone()),
                    });
                }
            }
            _ => out.push(Arg {
                text,
                span: Some(w.span.clone()),
                from_expansion: None,
            }),
        }
    }
    out
}

/// A value given to an option, with where it sits. The option as written
/// (`--link`, `-p`, `--net`) is the source text at the start of `span`;
/// it is not copied, since a file holds tens of thousands of options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptValue {
    /// The canonical long name (`link`, `publish`, `network`).
    pub long: &'static str,
    /// The value, when known.
    pub value: Option<String>,
    /// From the first byte of the flag to the last byte of the value. `None`
    /// when the option came out of a variable expansion (not editable).
    pub span: Option<Range<usize>>,
    /// The bytes of the value alone (`None` when not separately addressable).
    pub value_span: Option<Range<usize>>,
    /// True when the flag and its value are one word (`--link=a:b`, `-p80:80`).
    pub joined: bool,
    /// True when the flag shares its word with other short flags (`-dp`).
    pub grouped: bool,
    /// For options from an expansion: the variable's span.
    pub from_expansion: Option<Range<usize>>,
}

/// A `--link NAME[:ALIAS]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Which of the run's options it is: [`Run::link_option`] gives it
    /// (held once, in the options, rather than copied for every link).
    pub option: usize,
    /// The target container's name (leading `/` stripped), when known.
    pub target: Option<String>,
    /// The alias; equals the target when none is given.
    pub alias: Option<String>,
    /// True when the value has more than one `:` (docker refuses it).
    pub malformed: bool,
}

/// Parse a link value the way docker does.
pub fn parse_link(value: &str) -> (Option<String>, Option<String>, bool) {
    let parts: Vec<&str> = value.split(':').collect();
    if value.is_empty() || parts.len() > 2 {
        return (None, None, true);
    }
    let target = parts[0].trim_start_matches('/').to_string();
    let alias = match parts.get(1) {
        Some(a) => a.rsplit('/').next().unwrap_or(a).to_string(),
        None => target.clone(),
    };
    if target.is_empty() || alias.is_empty() {
        return (None, None, true);
    }
    (Some(target), Some(alias), false)
}

/// `docker run` or `docker create`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// `create` rather than `run`.
    pub create: bool,
    /// Byte just after the sub-command word (`run`, `create`): options
    /// inserted here come first.
    pub after_subcommand: usize,
    /// Every option before the image, in order.
    pub options: Vec<OptValue>,
    pub links: Vec<Link>,
    /// Which option is the `--name`, when given: [`Run::name`] gives it.
    pub name_option: Option<usize>,
    /// The IMAGE argument.
    pub image: Option<Arg>,
    /// Arguments after the image: the container's command (never touched).
    pub command: Vec<Arg>,
    /// `--rm` was given.
    pub auto_remove: bool,
    /// An option not in docker's table: where it is. Everything after it is
    /// of unknown meaning.
    pub unknown_option: Option<(String, Range<usize>)>,
    /// `--link` words after the point where the options could no longer be
    /// read: after an unknown option, or after a word whose value is not
    /// known statically (`$(RUN_OPTS)`, `$OPTS`) standing where docker may
    /// still be reading options. Docker may take them as links or pass them
    /// to the container; unlink cannot tell, so they are never edited and
    /// the containers they may join are left alone.
    pub unread_links: Vec<UnreadLink>,
}

/// A `--link` docker may or may not read: see [`Run::unread_links`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadLink {
    /// The value (`db:database`), when known.
    pub value: Option<String>,
    /// The target it would name, when the value is known and well formed.
    pub target: Option<String>,
    /// From the `--link` to the end of its value.
    pub span: Range<usize>,
}

/// The `--link NAME[:ALIAS]` / `--link=NAME[:ALIAS]` words in `args`.
fn unread_links(args: &[Arg]) -> Vec<UnreadLink> {
    let mut out = Vec::new();
    let mut j = 0;
    while j < args.len() {
        let a = &args[j];
        let (value, end) = match a.text.as_deref() {
            Some("--link") => {
                j += 1;
                let v = args.get(j);
                (
                    v.and_then(|v| v.text.clone()),
                    v.map_or(a.source_span().end, |v| v.source_span().end),
                )
            }
            Some(t) if t.starts_with("--link=") => {
                (Some(t["--link=".len()..].to_string()), a.source_span().end)
            }
            _ => {
                j += 1;
                continue;
            }
        };
        let target = value.as_deref().and_then(|v| parse_link(v).0);
        out.push(UnreadLink {
            value,
            target,
            span: a.source_span().start..end,
        });
        j += 1;
    }
    out
}

impl Run {
    /// Values of every option with canonical name `long`.
    pub fn values<'a>(&'a self, long: &'a str) -> impl Iterator<Item = &'a OptValue> + 'a {
        self.options.iter().filter(move |o| o.long == long)
    }

    /// The networks given with `--network`/`--net`.
    pub fn networks(&self) -> Vec<&OptValue> {
        self.values("network").collect()
    }

    /// The `--link` option of `link`, one of this run's links.
    pub fn link_option(&self, link: &Link) -> &OptValue {
        &self.options[link.option]
    }

    /// The `--name`, when given.
    pub fn name(&self) -> Option<&OptValue> {
        self.name_option.map(|i| &self.options[i])
    }
}

/// What kind of container removal a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Rm,
    Kill,
    Stop,
}

/// A docker command unlink understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Boxed: a run is large, and most commands of a file are runs, so
    /// every other command would otherwise pay its size too.
    Run(Box<Run>),
    /// `docker network create NAME`.
    NetworkCreate { name: Option<Arg> },
    /// `docker network rm NAME…`.
    NetworkRemove { names: Vec<Arg> },
    /// `docker network connect NET CONTAINER`. Boxed, like a build: the
    /// action is as large as its largest kind, and a located command holds
    /// one (a generated Makefile: tens of thousands).
    NetworkConnect(Box<NetworkConnect>),
    /// `docker network inspect NAME…` (or `ls`).
    NetworkInspect { names: Vec<Arg> },
    /// `docker rm|kill|stop NAME…`.
    Remove {
        kind: Removal,
        force: bool,
        names: Vec<Arg>,
    },
    /// `docker start NAME…`.
    Start { names: Vec<Arg> },
    /// `docker build -t TAG CONTEXT`.
    Build(Box<Build>),
    /// Another docker sub-command.
    Other { subcommand: Option<String> },
}

/// `docker network connect NET CONTAINER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkConnect {
    pub network: Option<Arg>,
    pub container: Option<Arg>,
    pub aliases: Vec<String>,
}

/// `docker build -t TAG CONTEXT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    pub tags: Vec<String>,
    pub context: Option<Arg>,
    pub file: Option<Arg>,
    /// The `KEY=value` of every `--build-arg`; its span covers the
    /// value word only when that is addressable on its own.
    pub build_args: Vec<Arg>,
}

/// A recognised docker invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Docker {
    /// From the first word of the command to the end of the `docker` word,
    /// as written (`docker`, `sudo docker`, `$(DOCKER)`): reuse it for
    /// commands unlink inserts so they run the same way.
    pub prefix: Range<usize>,
    pub action: Action,
}

/// Recognise `cmd` as a docker invocation.
pub fn recognise(cmd: &Command, lookup: &dyn Fn(&Part) -> Option<String>) -> Option<Docker> {
    let first = cmd.words.first()?;
    let args = expand(&cmd.words, lookup);
    let mut i = 0;
    // Wrappers that run their arguments as a command.
    loop {
        let t = args.get(i).and_then(|a| a.text.as_deref())?;
        match t {
            "sudo" => {
                i += 1;
                while let Some(a) = args.get(i).and_then(|a| a.text.as_deref()) {
                    if a == "--" {
                        i += 1;
                        break;
                    }
                    if !a.starts_with('-') {
                        break;
                    }
                    // sudo options that take a value.
                    let takes = matches!(
                        a,
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-T" | "-U"
                    );
                    i += if takes { 2 } else { 1 };
                }
            }
            "env" => {
                i += 1;
                while let Some(a) = args.get(i).and_then(|a| a.text.as_deref()) {
                    if a.starts_with('-') || a.contains('=') {
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            "exec" | "time" | "nohup" | "command" | "builtin" => i += 1,
            "nice" => {
                i += 1;
                if args.get(i).is_some_and(|a| a.is("-n")) {
                    i += 2;
                }
            }
            _ => break,
        }
    }
    let docker = args.get(i)?;
    let name = docker.text.as_deref()?;
    if !(name == "docker" || name.ends_with("/docker")) {
        return None;
    }
    let prefix_end = docker
        .span
        .clone()
        .or_else(|| docker.from_expansion.clone())?
        .end;
    let prefix = first.span.start..prefix_end;
    i += 1;
    // Global options.
    while let Some(a) = args.get(i) {
        let Some(t) = a.text.as_deref() else { break };
        if !t.starts_with('-') || t == "-" {
            break;
        }
        i += 1;
        if t.contains('=') {
            continue;
        }
        if options::GLOBAL_VALUE.contains(&t) {
            i += 1;
        }
    }
    let sub = args.get(i).and_then(|a| a.text.clone());
    let Some(sub) = sub else {
        return Some(Docker {
            prefix,
            action: Action::Other { subcommand: None },
        });
    };
    i += 1;
    let (group, verb) = match sub.as_str() {
        "container" | "network" | "image" | "buildx" => {
            let verb = args.get(i).and_then(|a| a.text.clone()).unwrap_or_default();
            i += 1;
            (sub.as_str(), verb)
        }
        _ => ("", sub.clone()),
    };
    let action = match (group, verb.as_str()) {
        ("" | "container", "run") => {
            Action::Run(Box::new(parse_run(&args[i..], &args[i - 1], false)))
        }
        ("" | "container", "create") => {
            Action::Run(Box::new(parse_run(&args[i..], &args[i - 1], true)))
        }
        ("network", "create") => {
            let pos = positionals(&args[i..], options::NETWORK_CREATE_VALUE);
            Action::NetworkCreate {
                name: pos.into_iter().next(),
            }
        }
        ("network", "rm" | "remove") => Action::NetworkRemove {
            names: positionals(&args[i..], &[]),
        },
        ("network", "inspect" | "ls" | "list") => Action::NetworkInspect {
            names: positionals(&args[i..], &["-f", "--format"]),
        },
        ("network", "connect") => {
            let rest = &args[i..];
            let mut aliases = Vec::new();
            let mut j = 0;
            while j < rest.len() {
                if let Some(t) = rest[j].text.as_deref() {
                    if t == "--alias" {
                        if let Some(v) = rest.get(j + 1).and_then(|a| a.text.clone()) {
                            aliases.extend(v.split(',').map(str::to_string));
                        }
                    } else if let Some(v) = t.strip_prefix("--alias=") {
                        aliases.extend(v.split(',').map(str::to_string));
                    }
                }
                j += 1;
            }
            let mut pos = positionals(rest, options::NETWORK_CONNECT_VALUE).into_iter();
            Action::NetworkConnect(Box::new(NetworkConnect {
                network: pos.next(),
                container: pos.next(),
                aliases,
            }))
        }
        ("" | "container", "rm" | "remove") => {
            let rest = &args[i..];
            Action::Remove {
                kind: Removal::Rm,
                force: has_short_or_long(rest, 'f', "--force"),
                names: positionals(rest, &[]),
            }
        }
        ("" | "container", "kill") => Action::Remove {
            kind: Removal::Kill,
            force: false,
            names: positionals(&args[i..], &["-s", "--signal"]),
        },
        ("" | "container", "stop") => Action::Remove {
            kind: Removal::Stop,
            force: false,
            names: positionals(&args[i..], &["-t", "--time", "--timeout", "-s", "--signal"]),
        },
        ("" | "container", "start") => Action::Start {
            names: positionals(
                &args[i..],
                &["--detach-keys", "--checkpoint", "--checkpoint-dir"],
            ),
        },
        ("" | "image" | "buildx", "build") | ("builder", "build") => parse_build(&args[i..]),
        _ => Action::Other {
            subcommand: Some(if group.is_empty() {
                verb
            } else {
                format!("{group} {verb}")
            }),
        },
    };
    Some(Docker { prefix, action })
}

fn has_short_or_long(args: &[Arg], short: char, long: &str) -> bool {
    args.iter().any(|a| match a.text.as_deref() {
        Some(t) if t == long => true,
        Some(t) if t.starts_with('-') && !t.starts_with("--") => t[1..].contains(short),
        _ => false,
    })
}

/// Positional arguments, skipping options; `value_opts` lists the options
/// that take a separate value.
fn positionals(args: &[Arg], value_opts: &[&str]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut j = 0;
    let mut options_done = false;
    while j < args.len() {
        let a = &args[j];
        match a.text.as_deref() {
            Some("--") if !options_done => options_done = true,
            Some(t) if !options_done && t.starts_with('-') && t != "-" => {
                if !t.contains('=') && value_opts.contains(&t) {
                    j += 1;
                }
            }
            _ => out.push(a.clone()),
        }
        j += 1;
    }
    out.shrink_to_fit();
    out
}

fn parse_build(args: &[Arg]) -> Action {
    let mut tags = Vec::new();
    let mut build_args = Vec::new();
    let mut file = None;
    let mut context = None;
    let mut j = 0;
    while j < args.len() {
        let a = &args[j];
        let Some(t) = a.text.as_deref() else {
            if context.is_none() {
                context = Some(a.clone());
            }
            j += 1;
            continue;
        };
        if t.starts_with('-') && t != "-" {
            let (flag, inline) = match t.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (t, None),
            };
            let is_bool = options::BUILD_BOOL.contains(&flag);
            // End of the short flag's letter (`-t`), which may be any character.
            let cut = flag.char_indices().nth(2).map_or(flag.len(), |(i, _)| i);
            let value = if is_bool {
                None
            } else if let Some(v) = inline {
                Some((v, None))
            } else if flag.len() > cut && !flag.starts_with("--") {
                // `-tname` joined short form.
                Some((flag[cut..].to_string(), None))
            } else {
                j += 1;
                args.get(j)
                    .map(|v| (v.text.clone().unwrap_or_default(), Some(v.clone())))
            };
            let short = if flag.starts_with("--") {
                flag
            } else {
                &flag[..cut]
            };
            if let Some((v, arg)) = value {
                match short {
                    "--build-arg" => build_args.push(arg.unwrap_or_else(|| {
                        Arg {
                            // `--build-arg=KEY=value`: the value's bytes, when
                            // the word is written literally.
                            span: a
                                .span
                                .as_ref()
                                .filter(|s| s.len() == t.len())
                                .map(|s| s.start + flag.len() + 1..s.end),
                            text: Some(v),
                            from_expansion: None,
                        }
                    })),
                    "-t" | "--tag" => tags.push(v),
                    "-f" | "--file" => {
                        file = Some(arg.unwrap_or(Arg {
                            text: Some(v),
                            span: a.span.clone(),
                            from_expansion: None,
                        }))
                    }
                    _ => {}
                }
            }
        } else if context.is_none() {
            context = Some(a.clone());
        }
        j += 1;
    }
    Action::Build(Box::new(Build {
        tags,
        context,
        file,
        build_args,
    }))
}

fn parse_run(args: &[Arg], sub: &Arg, create: bool) -> Run {
    let after_subcommand = sub.source_span().end;
    let mut run = Run {
        create,
        after_subcommand,
        options: Vec::new(),
        links: Vec::new(),
        name_option: None,
        image: None,
        command: Vec::new(),
        auto_remove: false,
        unknown_option: None,
        unread_links: Vec::new(),
    };
    let mut j = 0;
    while j < args.len() {
        let a = &args[j];
        let Some(t) = a.text.as_deref() else {
            // An unknown value in option position: the image as far as
            // unlink can tell, but it may as well hold options, so a
            // `--link` after it may be docker's.
            run.image = Some(a.clone());
            run.command = args[j + 1..].to_vec();
            run.unread_links = unread_links(&run.command);
            break;
        };
        if t == "--" {
            if let Some(img) = args.get(j + 1) {
                run.image = Some(img.clone());
                run.command = args[j + 2..].to_vec();
            }
            break;
        }
        if !t.starts_with('-') || t == "-" {
            run.image = Some(a.clone());
            run.command = args[j + 1..].to_vec();
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let Some((canonical, kind)) = options::run_long(name) else {
                run.unknown_option = Some((t.to_string(), a.source_span()));
                run.unread_links = unread_links(&args[j + 1..]);
                break;
            };
            match (kind, inline) {
                (options::Kind::Bool, _) => {
                    if canonical == "rm" && inline.is_none_or(|v| v == "true") {
                        run.auto_remove = true;
                    }
                    run.options.push(OptValue {
                        long: canonical,
                        value: inline.map(str::to_string),
                        span: a.span.clone(),
                        value_span: None,
                        joined: inline.is_some(),
                        grouped: false,
                        from_expansion: a.from_expansion.clone(),
                    });
                }
                (options::Kind::Value, Some(v)) => {
                    let value_span = a.span.as_ref().and_then(|s| {
                        // Only addressable when the raw word is `--name=value` literally.
                        let len = t.len() - v.len();
                        (s.len() == t.len()).then(|| s.start + len..s.end)
                    });
                    run.options.push(OptValue {
                        long: canonical,
                        value: Some(v.to_string()),
                        span: a.span.clone(),
                        value_span,
                        joined: true,
                        grouped: false,
                        from_expansion: a.from_expansion.clone(),
                    });
                }
                (options::Kind::Value, None) => {
                    let v = args.get(j + 1);
                    j += 1;
                    run.options.push(OptValue {
                        long: canonical,
                        value: v.and_then(|v| v.text.clone()),
                        span: match (&a.span, v.and_then(|v| v.span.clone())) {
                            (Some(s), Some(vs)) => Some(s.start..vs.end),
                            _ => None,
                        },
                        value_span: v.and_then(|v| v.span.clone()),
                        joined: false,
                        grouped: false,
                        from_expansion: a
                            .from_expansion
                            .clone()
                            .or(v.and_then(|v| v.from_expansion.clone())),
                    });
                }
            }
            j += 1;
            continue;
        }
        // A short group: `-d`, `-itd`, `-p80:80`, `-dp 80:80`, `-e=X`.
        let letters: Vec<char> = t[1..].chars().collect();
        let grouped = letters.len() > 1;
        let mut k = 0;
        let mut unknown = false;
        while k < letters.len() {
            let c = letters[k];
            let Some((canonical, kind)) = options::run_short(c) else {
                run.unknown_option = Some((format!("-{c}"), a.source_span()));
                run.unread_links = unread_links(&args[j + 1..]);
                unknown = true;
                break;
            };
            match kind {
                options::Kind::Bool => {
                    run.options.push(OptValue {
                        long: canonical,
                        value: None,
                        span: a.span.clone(),
                        value_span: None,
                        joined: false,
                        grouped,
                        from_expansion: a.from_expansion.clone(),
                    });
                    k += 1;
                }
                options::Kind::Value => {
                    let rest: String = letters[k + 1..].iter().collect();
                    if !rest.is_empty() {
                        let v = rest.strip_prefix('=').unwrap_or(&rest).to_string();
                        run.options.push(OptValue {
                            long: canonical,
                            value: Some(v),
                            span: a.span.clone(),
                            value_span: None,
                            joined: true,
                            grouped,
                            from_expansion: a.from_expansion.clone(),
                        });
                    } else {
                        let v = args.get(j + 1);
                        j += 1;
                        run.options.push(OptValue {
                            long: canonical,
                            value: v.and_then(|v| v.text.clone()),
                            span: match (&a.span, v.and_then(|v| v.span.clone())) {
                                (Some(s), Some(vs)) => Some(s.start..vs.end),
                                _ => None,
                            },
                            value_span: v.and_then(|v| v.span.clone()),
                            joined: false,
                            grouped,
                            from_expansion: a.from_expansion.clone(),
                        });
                    }
                    break;
                }
            }
        }
        if unknown {
            break;
        }
        j += 1;
    }
    for (option, opt) in run.options.iter().enumerate() {
        match opt.long {
            "link" => {
                let (target, alias, malformed) = match &opt.value {
                    Some(v) => parse_link(v),
                    None => (None, None, false),
                };
                run.links.push(Link {
                    option,
                    target,
                    alias,
                    malformed,
                });
            }
            "name" => run.name_option = Some(option),
            _ => {}
        }
    }
    // The vectors grew from a capacity of 4; a file holds tens of thousands
    // of runs, so each keeps just what it has.
    run.options.shrink_to_fit();
    run.links.shrink_to_fit();
    run
}

#[cfg(test)]
mod tests;
