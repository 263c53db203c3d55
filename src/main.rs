//! `unlink`: migrate legacy Docker container links to user-defined networks.
//!
//! The binary wires the stages together: walk and read the inputs
//! (`unlink_walk`, `unlink_fs`), locate docker commands (`unlink_locate`),
//! build the link graph (`unlink_graph`), plan networks and edits
//! (`unlink_plan`), apply the edits (`unlink_edit`), check the result, and
//! write all files or none (`unlink_fs`). It owns the command line and the
//! exit codes: 0 clean or done, 1 findings or changes needed, 2 error.

/// mimalloc rather than the system allocator: unlink makes many small,
/// short-lived strings per command and per finding, and glibc's malloc and
/// free were a third of the time of migrating a large Makefile
/// (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;
mod configs;
mod graph;
mod project;
mod report;

use clap::{CommandFactory, Parser};
use cli::{CheckArgs, Cli, Command, Common, MigrateArgs};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use unlink_diagnostics::Severity;

/// mimalloc v3's `mi_option_purge_delay` (its place in `mi_option_t`; the
/// Rust bindings name no constant for it). `purge_delay_is_the_option_we_mean`
/// checks it against the option's documented default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// One run of unlink lasts seconds at most: memory it frees is kept for its
/// own reuse rather than handed back to the kernel after mimalloc's purge
/// delay (1 s). Handed back, it is faulted in and zeroed again on reuse,
/// which made runs over a second (a 40,000-container Makefile) pay page
/// faults that shorter runs never see (docs/decisions.md, "Allocator
/// settings"). All of it goes back at exit.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores an integer in mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

fn main() -> ExitCode {
    keep_freed_memory();
    // A panic is a bug, but it must not look like a crash with exit 101 to a
    // script: report it and exit 2.
    std::panic::set_hook(Box::new(|info| {
        // Never panic in the hook: with stderr closed (`2>&1 | head`) a
        // second panic would abort the process.
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "unlink: internal error: {info}");
        let _ = writeln!(err, "unlink: this is a bug; nothing was written");
    }));
    let cli = Cli::parse();
    let result = std::panic::catch_unwind(|| run(cli));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(2),
    }
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Migrate(args) => migrate(args),
        Command::Check(args) => check(args),
        Command::Graph(args) => {
            let setup = match setup(&args.common) {
                Ok(s) => s,
                Err(e) => return fatal(&e),
            };
            match project::load(
                &args.common.paths,
                &setup.walk,
                &setup.plan,
                false,
                setup.rewrite,
            ) {
                Ok(p) => emit(graph::render(&p, args.format).as_bytes()),
                Err(project::Fatal(e)) => fatal(&e),
            }
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "unlink", &mut out);
            emit(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            if clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .is_err()
            {
                return 2;
            }
            emit(&out)
        }
    }
}

/// Write to stdout; a closed pipe (`unlink … | head`) is not an error.
fn emit(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match output_written(out.write_all(bytes).and_then(|_| out.flush())) {
        Ok(()) => 0,
        Err(code) => code,
    }
}

/// What writing the output came to: a reader that went away (`| head`) is
/// not an error, as in ripgrep; any other failure is exit 2.
fn output_written(result: std::io::Result<()>) -> Result<(), u8> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("unlink: cannot write output: {e}");
            Err(2)
        }
    }
}

struct Setup {
    walk: unlink_walk::WalkOptions,
    plan: unlink_plan::Options,
    rewrite: bool,
    cwd: PathBuf,
}

fn setup(common: &Common) -> Result<Setup, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let overrides = unlink_settings::Overrides {
        config: common.config.clone(),
        isolated: common.isolated,
        network: common.network.clone(),
        isolation: common.isolation.map(|i| match i {
            cli::IsolationArg::Component => unlink_settings::Isolation::Component,
            cli::IsolationArg::Strict => unlink_settings::Isolation::Strict,
            cli::IsolationArg::Single => unlink_settings::Isolation::Single,
        }),
        hostnames: common.hostnames.map(|h| match h {
            cli::HostnamesArg::Rewrite => unlink_settings::Hostnames::Rewrite,
            cli::HostnamesArg::Alias => unlink_settings::Hostnames::Alias,
        }),
        internal: common.internal.then_some(true),
        ..Default::default()
    };
    let settings = unlink_settings::load(&cwd, &overrides).map_err(|e| e.to_string())?;
    if let Some(n) = &settings.network {
        unlink_settings::check_network_name(n).map_err(|e| format!("--network {n}: {e}"))?;
    }
    Ok(Setup {
        walk: unlink_walk::WalkOptions {
            no_ignore: common.no_ignore,
            exclude: settings.exclude.clone(),
            exclude_root: settings.root.clone(),
            cwd: cwd.clone(),
            ..Default::default()
        },
        plan: unlink_plan::Options {
            network: settings.network.clone(),
            isolation: match settings.isolation {
                unlink_settings::Isolation::Component => unlink_plan::Isolation::Component,
                unlink_settings::Isolation::Strict => unlink_plan::Isolation::Strict,
                unlink_settings::Isolation::Single => unlink_plan::Isolation::Single,
            },
            internal: settings.internal,
            ..Default::default()
        },
        rewrite: settings.hostnames == unlink_settings::Hostnames::Rewrite,
        cwd,
    })
}

fn check(args: CheckArgs) -> u8 {
    let setup = match setup(&args.common) {
        Ok(s) => s,
        Err(e) => return fatal(&e),
    };
    let project = match project::load(
        &args.common.paths,
        &setup.walk,
        &setup.plan,
        true,
        setup.rewrite,
    ) {
        Ok(p) => p,
        Err(project::Fatal(e)) => return fatal(&e),
    };
    if !args.common.quiet {
        for n in &project.notes {
            eprintln!("unlink: {n}");
        }
    }
    let mut diags: Vec<_> = project.errors.clone();
    diags.extend(
        project
            .plan
            .diagnostics
            .iter()
            .filter(|d| d.severity <= Severity::Warning)
            .cloned(),
    );
    let diags = report::unsuppressed(&project, diags);
    use std::io::IsTerminal;
    let color = args.format == cli::Format::Text
        && unlink_output::color_wanted(std::io::stdout().is_terminal());
    let found = !diags.is_empty();
    let shown = if args.common.quiet && args.format == cli::Format::Text {
        Vec::new()
    } else {
        diags
    };
    // Straight to stdout as it is rendered: a large report is never held whole.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = report::write(&project, &shown, args.format, &setup.cwd, color, &mut out)
        .and_then(|()| out.flush());
    if let Err(code) = output_written(written) {
        return code;
    }
    if !project.errors.is_empty() {
        2
    } else {
        u8::from(found)
    }
}

fn migrate(args: MigrateArgs) -> u8 {
    let setup = match setup(&args.common) {
        Ok(s) => s,
        Err(e) => return fatal(&e),
    };
    let mut project = match project::load(
        &args.common.paths,
        &setup.walk,
        &setup.plan,
        false,
        setup.rewrite,
    ) {
        Ok(p) => p,
        Err(project::Fatal(e)) => return fatal(&e),
    };
    let quiet = args.common.quiet;
    if !project.errors.is_empty() {
        let out = report::render(
            &project,
            &project.errors,
            cli::Format::Text,
            &setup.cwd,
            false,
        );
        eprint!("{out}");
        eprintln!("unlink: nothing was written");
        return 2;
    }
    // The located commands and the link graph have done their work: free
    // them first, so that showing the findings and making the migrated
    // files reuse their memory instead of adding to it.
    let kinds: Vec<_> = project.facts.iter().map(|f| f.kind).collect();
    drop(std::mem::take(&mut project.facts));
    drop(std::mem::take(&mut project.graph));
    // The findings are not needed after they are shown, nor the edits after
    // they are applied: move them out.
    let all = std::mem::take(&mut project.plan.diagnostics);
    let edits = std::mem::take(&mut project.plan.edits);
    let config_edits = std::mem::take(&mut project.config_edits);
    let project = &project;
    let diff_cwd = args.diff.then_some(setup.cwd.as_path());
    // The migrated files are made, checked and diffed on one thread while
    // this one shows the findings.
    let migrated = std::thread::scope(|scope| {
        let migrated =
            scope.spawn(|| migrated_files(project, &kinds, edits, &config_edits, diff_cwd));
        if !quiet {
            let shown: Vec<_> = all
                .into_iter()
                .filter(|d| !(d.fixable && d.code.id == "UL001") || args.diff || args.check)
                .collect();
            let shown = report::unsuppressed(project, shown);
            use std::io::IsTerminal;
            let color = unlink_output::color_wanted(std::io::stderr().is_terminal());
            // Straight to stderr as the reports are drawn. A closed or broken
            // stderr does not stop the migration (the exit code still says
            // what happened).
            let mut err = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
            let _ = report::write(
                project,
                &shown,
                cli::Format::Text,
                &setup.cwd,
                color,
                &mut err,
            )
            .and_then(|()| {
                for n in &project.notes {
                    writeln!(err, "unlink: {n}")?;
                }
                err.flush()
            });
        }
        migrated
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    let (changes, diff) = match migrated {
        Ok(m) => m,
        Err(message) => {
            eprintln!("unlink: {message}; nothing was written");
            return 2;
        }
    };
    if args.diff {
        let code = emit(diff.as_bytes());
        if code != 0 {
            return code;
        }
        return u8::from(!changes.is_empty());
    }
    if args.check {
        let mut out = String::new();
        for (path, _, _) in &changes {
            out.push_str(&format!(
                "would change: {}\n",
                report::relative(path, &setup.cwd)
            ));
        }
        let code = emit(out.as_bytes());
        if code != 0 {
            return code;
        }
        return u8::from(!changes.is_empty());
    }
    let writes: Vec<(PathBuf, Vec<u8>)> = changes.into_iter().map(|(p, _, n)| (p, n)).collect();
    if let Err(e) = unlink_fs::write_all(&writes) {
        eprintln!("unlink: {e}");
        return 2;
    }
    if !quiet {
        // The files are written: a closed stderr must not turn that into a
        // failure (exit 2 promises that nothing was written).
        let mut err = std::io::stderr().lock();
        for (path, _) in &writes {
            let _ = writeln!(err, "migrated {}", report::relative(path, &setup.cwd));
        }
        if writes.is_empty() {
            let _ = writeln!(err, "nothing to migrate");
        }
    }
    0
}

/// What migrating gives: each changed file's path, old and new bytes.
type Changes<'a> = Vec<(PathBuf, &'a [u8], Vec<u8>)>;

/// Apply the planned edits (`edits[i]` to input `i`, then each config
/// file's), then lex every changed input again: the output must still read
/// cleanly (`unlink_locate::first_syntax_error`, the verdict a full read
/// would give). With `diff_cwd`, also the unified diff of every change,
/// paths relative to it. An `Err` is an internal error, said in one line;
/// nothing may be written after it.
fn migrated_files<'a>(
    project: &'a project::Project,
    kinds: &[unlink_locate::FileKind],
    edits: Vec<Vec<unlink_edit::Edit>>,
    config_edits: &'a project::ConfigEdits,
    diff_cwd: Option<&std::path::Path>,
) -> Result<(Changes<'a>, String), String> {
    let mut changes: Changes<'a> = Vec::new();
    for ((i, input), edits) in project.inputs.iter().enumerate().zip(edits) {
        if edits.is_empty() {
            continue;
        }
        let new = unlink_edit::apply(&input.bytes, edits)
            .map_err(|e| format!("internal error planning {}: {e}", input.path.display()))?;
        if let Some(e) = unlink_locate::first_syntax_error(kinds[i], &input.path, &new) {
            return Err(format!(
                "internal error: the migrated {} no longer reads ({})",
                input.path.display(),
                e.message
            ));
        }
        if new != input.bytes {
            changes.push((input.path.clone(), &input.bytes, new));
        }
    }
    for (path, old, edits) in config_edits {
        let new = unlink_edit::apply(old, edits.clone())
            .map_err(|e| format!("internal error planning {}: {e}", path.display()))?;
        if new != *old {
            changes.push((path.clone(), old, new));
        }
    }
    let mut diff = String::new();
    if let Some(cwd) = diff_cwd {
        for (path, old, new) in &changes {
            diff.push_str(&report::unified_diff(
                &report::relative(path, cwd),
                old,
                new,
            ));
        }
    }
    Ok((changes, diff))
}

fn fatal(message: &str) -> u8 {
    eprintln!("unlink: {message}");
    2
}

#[cfg(test)]
mod tests {
    /// The index is mimalloc's purge delay and no other option: its default
    /// is 1000 ms in mimalloc v3 (an environment variable could change it,
    /// so the test reads it only when none is set).
    #[test]
    fn purge_delay_is_the_option_we_mean() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads an integer from mimalloc's option table.
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, 1000);
    }
}
