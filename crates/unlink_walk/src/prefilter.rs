//! A byte search that rules out most files before any parser runs.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::FileKind;

/// How many leading bytes [`is_binary`] looks at.
pub const BINARY_PREFIX: usize = 8 * 1024;

/// True when a NUL byte appears in the first 8 KiB (git's rule).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PREFIX)]).is_some()
}

/// Strings one of which appears in any file that can produce a finding in a
/// shell script, a Makefile or a CI file:
///
/// * `--link` — `docker run --link`, also `--link=` and a link hidden in a
///   variable;
/// * `links` — compose `links:` and `external_links:`;
/// * `--net` — `--net`, `--network`, `--net-alias`;
/// * `network` — `docker network create` even when a `\`-newline splits the
///   words;
/// * `_PORT_`, `_ENV_` — legacy link environment variables
///   (`DB_PORT_5432_TCP_ADDR`, `DB_ENV_PASSWORD`).
static SCRIPT_NEEDLES: LazyLock<Vec<Finder<'static>>> =
    LazyLock::new(|| finders(&["--link", "links", "--net", "network", "_PORT_", "_ENV_"]));

/// For compose files: `links`/`external_links` and link variables in
/// `environment:` values.
static COMPOSE_NEEDLES: LazyLock<Vec<Finder<'static>>> =
    LazyLock::new(|| finders(&["links", "_PORT_", "_ENV_"]));

fn finders(needles: &[&str]) -> Vec<Finder<'static>> {
    needles
        .iter()
        .map(|n| Finder::new(n.as_bytes()).into_owned())
        .collect()
}

/// False when the file cannot contain a finding, so it need not be parsed.
/// Always true for [`FileKind::Other`] (a file named on the command line
/// that the caller reads for its own reasons).
pub fn may_contain_link(kind: FileKind, bytes: &[u8]) -> bool {
    let needles = match kind {
        FileKind::Makefile | FileKind::Shell | FileKind::CiFile => &*SCRIPT_NEEDLES,
        FileKind::Compose => &*COMPOSE_NEEDLES,
        FileKind::Other => return true,
    };
    needles.iter().any(|f| f.find(bytes).is_some())
}
