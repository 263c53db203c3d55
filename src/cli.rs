//! The command line, defined once: clap parses it, and the same definition
//! generates the shell completions and the man page.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "unlink",
    version,
    about = "Migrate legacy Docker container links to user-defined networks",
    long_about = "Finds `docker run --link` in Makefiles and shell scripts and compose `links:`, \
                  plans user-defined bridge networks that keep what --icc=false kept apart, \
                  and rewrites the files with minimal edits.\n\n\
                  Exit codes: 0 clean or done, 1 findings or changes needed, 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rewrite files so that linked containers talk over user-defined networks.
    Migrate(MigrateArgs),
    /// Report legacy links and network problems without changing anything.
    Check(CheckArgs),
    /// Print the link graph and the planned networks.
    Graph(GraphArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `unlink man > unlink.1`.
    Man,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Common {
    /// Files or directories (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Put every container on this one network.
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
    /// Do not read .gitignore, .ignore or .unlinkignore.
    #[arg(long)]
    pub no_ignore: bool,
    /// Read this unlink.toml instead of searching for one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read no unlink.toml.
    #[arg(long)]
    pub isolated: bool,
    /// How far apart to keep containers: a network per linked group
    /// (component, the default), per link target (strict), or one (single).
    #[arg(long, value_enum, value_name = "MODE")]
    pub isolation: Option<IsolationArg>,
    /// Create networks with `--internal` when no member publishes a port.
    #[arg(long)]
    pub internal: bool,
    /// Rewrite configs that name a link alias (rewrite, the default), or keep
    /// every alias resolvable and touch no config (alias).
    #[arg(long, value_enum, value_name = "MODE")]
    pub hostnames: Option<HostnamesArg>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationArg {
    Component,
    Strict,
    Single,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HostnamesArg {
    Rewrite,
    Alias,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub common: Common,
    /// Print a unified diff and write nothing (exit 1 when there are changes).
    #[arg(long, conflicts_with = "check")]
    pub diff: bool,
    /// Write nothing; list the files that would change (exit 1 when any).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GraphFormat {
    #[default]
    Mermaid,
    Dot,
    Json,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}
