//! The settings a run uses, and where each one came from.
//!
//! Settings come from three places, and the first that says something wins:
//!
//! 1. a command-line flag ([`Overrides`]),
//! 2. `unlink.toml`, found by looking in the working directory and then in
//!    each parent up to the file-system root (or named by `--config PATH`;
//!    ignored entirely with `--isolated`),
//! 3. the defaults ([`Settings::default`]).
//!
//! The file is small on purpose:
//!
//! ```toml
//! exclude = ["vendor/", "legacy/*.sh"]  # gitignore-style, relative to this file
//! network = "app-net"                   # the user-defined network to create
//! hostnames = "rewrite"                 # or "alias"
//! isolation = "component"               # or "strict" / "single"
//! internal = false                      # create the network with --internal
//! ```
//!
//! A mistake in the file is an error that names `file:line:column`, never a
//! silent default: an unknown key (a typo such as `netwrok`), a value of the
//! wrong type, an unknown choice, or a network name docker would refuse. The
//! network name is checked here because unlink writes it into shell commands
//! and YAML; a name restricted to `[A-Za-z0-9][A-Za-z0-9_.-]*` needs no
//! quoting in either.
//!
//! This crate knows nothing about walking or rendering; it hands the binary a
//! [`Settings`] value and the path of the file it read.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

/// The file name searched for.
pub const CONFIG_FILE_NAME: &str = "unlink.toml";

/// What to do with a hostname that names a link alias (in a config file, an
/// environment value, a URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hostnames {
    /// Rewrite the hostname to the target container's name.
    #[default]
    Rewrite,
    /// Keep the hostname and make it a network alias of the target; touch
    /// no config.
    Alias,
}

/// How containers are grouped onto networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Isolation {
    /// One network per group of containers connected by links.
    #[default]
    Component,
    /// One network per link, so only linked pairs can reach each other.
    Strict,
    /// One network for every container.
    Single,
}

/// Settings after precedence is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Gitignore-style globs of paths not to walk, relative to [`Settings::root`].
    pub exclude: Vec<String>,
    /// The network name; `None` lets the planner derive one.
    pub network: Option<String>,
    pub hostnames: Hostnames,
    pub isolation: Isolation,
    /// Create networks with `--internal` / `internal: true`.
    pub internal: bool,
    /// The `unlink.toml` read, if any.
    pub source: Option<PathBuf>,
    /// The directory `exclude` globs are relative to: the config file's
    /// directory, else the working directory.
    pub root: PathBuf,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            exclude: Vec::new(),
            network: None,
            hostnames: Hostnames::default(),
            isolation: Isolation::default(),
            internal: false,
            source: None,
            root: PathBuf::new(),
        }
    }
}

/// What the command line says. `None` (or `false`, or empty) means "not
/// given", so the file or the default decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--config PATH`: read this file instead of searching (relative paths
    /// are taken from the working directory). An error if it does not exist.
    pub config: Option<PathBuf>,
    /// `--isolated`: read no `unlink.toml` at all.
    pub isolated: bool,
    /// `--exclude`: replaces the file's list.
    pub exclude: Option<Vec<String>>,
    /// `--extend-exclude`: added to the list in effect.
    pub extend_exclude: Vec<String>,
    pub network: Option<String>,
    pub hostnames: Option<Hostnames>,
    pub isolation: Option<Isolation>,
    pub internal: Option<bool>,
}

/// The contents of one `unlink.toml`; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSettings {
    pub exclude: Option<Vec<String>>,
    pub network: Option<String>,
    pub hostnames: Option<Hostnames>,
    pub isolation: Option<Isolation>,
    pub internal: Option<bool>,
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A mistake in the file, with 1-based line and column (columns count
    /// characters).
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A bad value given on the command line.
    #[error("invalid value for {flag}: {message}")]
    Flag { flag: &'static str, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    exclude: Option<Vec<String>>,
    network: Option<toml::Spanned<String>>,
    hostnames: Option<Hostnames>,
    isolation: Option<Isolation>,
    internal: Option<bool>,
}

/// The nearest `unlink.toml` in `start` or one of its parents.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Parse the text of an `unlink.toml`; `path` is only used in errors.
pub fn parse(path: &Path, text: &str) -> Result<FileSettings, SettingsError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_col(text, span.start))
            .unwrap_or((1, 1));
        SettingsError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let network = match raw.network {
        Some(spanned) => {
            let span = spanned.span();
            let name = spanned.into_inner();
            if let Err(message) = check_network_name(&name) {
                let (line, column) = line_col(text, span.start);
                return Err(SettingsError::Invalid {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!("`network`: {message}"),
                });
            }
            Some(name)
        }
        None => None,
    };
    Ok(FileSettings {
        exclude: raw.exclude,
        network,
        hostnames: raw.hostnames,
        isolation: raw.isolation,
        internal: raw.internal,
    })
}

/// Find, read and parse the settings file (unless `--isolated`), then apply
/// the command line on top. `cwd` should be absolute so the upward search
/// can reach the root.
pub fn load(cwd: &Path, cli: &Overrides) -> Result<Settings, SettingsError> {
    if let Some(name) = &cli.network {
        check_network_name(name).map_err(|message| SettingsError::Flag {
            flag: "--network",
            message,
        })?;
    }
    let path = if cli.isolated {
        None
    } else if let Some(explicit) = &cli.config {
        Some(cwd.join(explicit))
    } else {
        find_config(cwd)
    };
    let file = match &path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
                path: path.clone(),
                source,
            })?;
            parse(path, &text)?
        }
        None => FileSettings::default(),
    };
    let root = path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.to_path_buf());
    Ok(merge(cli, file, path, root))
}

/// Apply precedence: flag, then file, then default.
pub fn merge(
    cli: &Overrides,
    file: FileSettings,
    source: Option<PathBuf>,
    root: PathBuf,
) -> Settings {
    let defaults = Settings::default();
    let mut exclude = cli
        .exclude
        .clone()
        .or(file.exclude)
        .unwrap_or(defaults.exclude);
    exclude.extend(cli.extend_exclude.iter().cloned());
    Settings {
        exclude,
        network: cli.network.clone().or(file.network).or(defaults.network),
        hostnames: cli
            .hostnames
            .or(file.hostnames)
            .unwrap_or(defaults.hostnames),
        isolation: cli
            .isolation
            .or(file.isolation)
            .unwrap_or(defaults.isolation),
        internal: cli.internal.or(file.internal).unwrap_or(defaults.internal),
        source,
        root,
    }
}

/// A network name unlink can write unquoted into shell and YAML.
pub fn check_network_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = match chars.next() {
        Some(first) => {
            first.is_ascii_alphanumeric()
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a usable network name: it must start with a letter or digit \
             and contain only letters, digits, `_`, `.` and `-`"
        ))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

impl Hostnames {
    pub fn as_str(self) -> &'static str {
        match self {
            Hostnames::Rewrite => "rewrite",
            Hostnames::Alias => "alias",
        }
    }
}

impl Isolation {
    pub fn as_str(self) -> &'static str {
        match self {
            Isolation::Component => "component",
            Isolation::Strict => "strict",
            Isolation::Single => "single",
        }
    }
}

/// The error of parsing a choice from a flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?}, expected one of {expected}")]
pub struct ChoiceError {
    pub value: String,
    pub expected: &'static str,
}

impl FromStr for Hostnames {
    type Err = ChoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rewrite" => Ok(Hostnames::Rewrite),
            "alias" => Ok(Hostnames::Alias),
            _ => Err(ChoiceError {
                value: s.to_string(),
                expected: "`rewrite`, `alias`",
            }),
        }
    }
}

impl FromStr for Isolation {
    type Err = ChoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "component" => Ok(Isolation::Component),
            "strict" => Ok(Isolation::Strict),
            "single" => Ok(Isolation::Single),
            _ => Err(ChoiceError {
                value: s.to_string(),
                expected: "`component`, `strict`, `single`",
            }),
        }
    }
}

impl fmt::Display for Hostnames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Isolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
