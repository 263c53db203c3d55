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

/// Strings one of which appears in any shell script, Makefile or CI file
/// that unlink has something to read in. A file matters when it can produce
/// a finding *or* when it starts a container another file links to, so the
/// list is wider than "strings that start a finding":
///
/// * `docker` — every `docker run`/`create` (a link target is started by a
///   `docker run` without any link), `docker network create`,
///   `docker-compose`;
/// * `--link`, `links`, `--net`, `network` — a link or network hidden in a
///   variable (`OPTS="--link db"`), compose-style `links`, `docker network \`
///   split over lines;
/// * `_PORT`, `_ENV_`, `_NAME` — legacy link environment variables
///   (`DB_PORT_5432_TCP_ADDR`, `DB_PORT`, `DB_ENV_PASSWORD`, `DB_NAME`) read
///   by a script that never mentions docker (an entrypoint).
static SCRIPT_NEEDLES: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| {
    finders(&[
        "docker", "--link", "links", "--net", "network", "_PORT", "_ENV_", "_NAME",
    ])
});

fn finders(needles: &[&str]) -> Vec<Finder<'static>> {
    needles
        .iter()
        .map(|n| Finder::new(n.as_bytes()).into_owned())
        .collect()
}

/// False when the file can neither produce a finding nor start a container
/// that another file links to, so it need not be parsed. Always true for
/// compose files (few and small, and a service's `container_name` can be the
/// target of a `--link` elsewhere) and for [`FileKind::Other`] (a file named
/// on the command line that the caller reads for its own reasons).
pub fn may_contain_link(kind: FileKind, bytes: &[u8]) -> bool {
    match kind {
        FileKind::Makefile | FileKind::Shell | FileKind::CiFile => {
            SCRIPT_NEEDLES.iter().any(|f| f.find(bytes).is_some())
        }
        FileKind::Compose | FileKind::Other => true,
    }
}
