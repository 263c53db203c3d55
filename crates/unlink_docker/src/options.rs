//! The option tables of the docker CLI (Docker 28), as the parser needs them:
//! which options take a value and which are booleans. A value option eats the
//! next word even when it starts with `-`; a boolean never does.
//!
//! Sources: docker/cli v28.5.2 `cli/command/container/opts.go` (`addFlags`),
//! `run.go`, `create.go`; hidden aliases (`--net`, `--net-alias`,
//! `--dns-opt`) and old spellings kept so old scripts parse.

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Value,
}

/// `docker run` / `docker create` long options: (name, canonical name, kind).
pub static RUN_LONG: &[(&str, &str, Kind)] = &[
    ("add-host", "add-host", Kind::Value),
    ("annotation", "annotation", Kind::Value),
    ("attach", "attach", Kind::Value),
    ("blkio-weight", "blkio-weight", Kind::Value),
    ("blkio-weight-device", "blkio-weight-device", Kind::Value),
    ("cap-add", "cap-add", Kind::Value),
    ("cap-drop", "cap-drop", Kind::Value),
    ("cgroup-parent", "cgroup-parent", Kind::Value),
    ("cgroupns", "cgroupns", Kind::Value),
    ("cidfile", "cidfile", Kind::Value),
    ("cpu-count", "cpu-count", Kind::Value),
    ("cpu-percent", "cpu-percent", Kind::Value),
    ("cpu-period", "cpu-period", Kind::Value),
    ("cpu-quota", "cpu-quota", Kind::Value),
    ("cpu-rt-period", "cpu-rt-period", Kind::Value),
    ("cpu-rt-runtime", "cpu-rt-runtime", Kind::Value),
    ("cpu-shares", "cpu-shares", Kind::Value),
    ("cpus", "cpus", Kind::Value),
    ("cpuset-cpus", "cpuset-cpus", Kind::Value),
    ("cpuset-mems", "cpuset-mems", Kind::Value),
    ("detach", "detach", Kind::Bool),
    ("detach-keys", "detach-keys", Kind::Value),
    ("device", "device", Kind::Value),
    ("device-cgroup-rule", "device-cgroup-rule", Kind::Value),
    ("device-read-bps", "device-read-bps", Kind::Value),
    ("device-read-iops", "device-read-iops", Kind::Value),
    ("device-write-bps", "device-write-bps", Kind::Value),
    ("device-write-iops", "device-write-iops", Kind::Value),
    ("disable-content-trust", "disable-content-trust", Kind::Bool),
    ("dns", "dns", Kind::Value),
    ("dns-option", "dns-option", Kind::Value),
    ("dns-opt", "dns-option", Kind::Value),
    ("dns-search", "dns-search", Kind::Value),
    ("domainname", "domainname", Kind::Value),
    ("entrypoint", "entrypoint", Kind::Value),
    ("env", "env", Kind::Value),
    ("env-file", "env-file", Kind::Value),
    ("expose", "expose", Kind::Value),
    ("gpus", "gpus", Kind::Value),
    ("group-add", "group-add", Kind::Value),
    ("health-cmd", "health-cmd", Kind::Value),
    ("health-interval", "health-interval", Kind::Value),
    ("health-retries", "health-retries", Kind::Value),
    (
        "health-start-interval",
        "health-start-interval",
        Kind::Value,
    ),
    ("health-start-period", "health-start-period", Kind::Value),
    ("health-timeout", "health-timeout", Kind::Value),
    ("help", "help", Kind::Bool),
    ("hostname", "hostname", Kind::Value),
    ("init", "init", Kind::Bool),
    ("interactive", "interactive", Kind::Bool),
    ("io-maxbandwidth", "io-maxbandwidth", Kind::Value),
    ("io-maxiops", "io-maxiops", Kind::Value),
    ("ip", "ip", Kind::Value),
    ("ip6", "ip6", Kind::Value),
    ("ipc", "ipc", Kind::Value),
    ("isolation", "isolation", Kind::Value),
    ("kernel-memory", "kernel-memory", Kind::Value),
    ("label", "label", Kind::Value),
    ("label-file", "label-file", Kind::Value),
    ("link", "link", Kind::Value),
    ("link-local-ip", "link-local-ip", Kind::Value),
    ("log-driver", "log-driver", Kind::Value),
    ("log-opt", "log-opt", Kind::Value),
    ("mac-address", "mac-address", Kind::Value),
    ("memory", "memory", Kind::Value),
    ("memory-reservation", "memory-reservation", Kind::Value),
    ("memory-swap", "memory-swap", Kind::Value),
    ("memory-swappiness", "memory-swappiness", Kind::Value),
    ("mount", "mount", Kind::Value),
    ("name", "name", Kind::Value),
    ("net", "network", Kind::Value),
    ("net-alias", "network-alias", Kind::Value),
    ("network", "network", Kind::Value),
    ("network-alias", "network-alias", Kind::Value),
    ("no-healthcheck", "no-healthcheck", Kind::Bool),
    ("oom-kill-disable", "oom-kill-disable", Kind::Bool),
    ("oom-score-adj", "oom-score-adj", Kind::Value),
    ("pid", "pid", Kind::Value),
    ("pids-limit", "pids-limit", Kind::Value),
    ("platform", "platform", Kind::Value),
    ("privileged", "privileged", Kind::Bool),
    ("publish", "publish", Kind::Value),
    ("publish-all", "publish-all", Kind::Bool),
    ("pull", "pull", Kind::Value),
    ("quiet", "quiet", Kind::Bool),
    ("read-only", "read-only", Kind::Bool),
    ("restart", "restart", Kind::Value),
    ("rm", "rm", Kind::Bool),
    ("runtime", "runtime", Kind::Value),
    ("security-opt", "security-opt", Kind::Value),
    ("shm-size", "shm-size", Kind::Value),
    ("sig-proxy", "sig-proxy", Kind::Bool),
    ("stop-signal", "stop-signal", Kind::Value),
    ("stop-timeout", "stop-timeout", Kind::Value),
    ("storage-opt", "storage-opt", Kind::Value),
    ("sysctl", "sysctl", Kind::Value),
    ("tmpfs", "tmpfs", Kind::Value),
    ("tty", "tty", Kind::Bool),
    ("ulimit", "ulimit", Kind::Value),
    ("use-api-socket", "use-api-socket", Kind::Bool),
    ("user", "user", Kind::Value),
    ("userns", "userns", Kind::Value),
    ("uts", "uts", Kind::Value),
    ("volume", "volume", Kind::Value),
    ("volume-driver", "volume-driver", Kind::Value),
    ("volumes-from", "volumes-from", Kind::Value),
    ("workdir", "workdir", Kind::Value),
    // Spellings removed from current docker but found in old scripts.
    ("cpuset", "cpuset-cpus", Kind::Value),
    ("lxc-conf", "lxc-conf", Kind::Value),
];

/// Short letters of `docker run` / `docker create`.
pub static RUN_SHORT: &[(char, &str, Kind)] = &[
    ('a', "attach", Kind::Value),
    ('c', "cpu-shares", Kind::Value),
    ('d', "detach", Kind::Bool),
    ('e', "env", Kind::Value),
    ('h', "hostname", Kind::Value),
    ('i', "interactive", Kind::Bool),
    ('l', "label", Kind::Value),
    ('m', "memory", Kind::Value),
    ('P', "publish-all", Kind::Bool),
    ('p', "publish", Kind::Value),
    ('q', "quiet", Kind::Bool),
    ('t', "tty", Kind::Bool),
    ('u', "user", Kind::Value),
    ('v', "volume", Kind::Value),
    ('w', "workdir", Kind::Value),
];

/// Global options (before the sub-command) that take a value.
pub static GLOBAL_VALUE: &[&str] = &[
    "--config",
    "-c",
    "--context",
    "-H",
    "--host",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];

/// `docker network create` options that take a value.
pub static NETWORK_CREATE_VALUE: &[&str] = &[
    "-d",
    "--driver",
    "-o",
    "--opt",
    "--label",
    "--scope",
    "--config-from",
    "--ipam-driver",
    "--subnet",
    "--ip-range",
    "--gateway",
    "--aux-address",
    "--ipam-opt",
];

/// `docker network connect` options that take a value.
pub static NETWORK_CONNECT_VALUE: &[&str] = &[
    "--alias",
    "--link",
    "--ip",
    "--ip6",
    "--link-local-ip",
    "--driver-opt",
    "--gw-priority",
];

/// `docker build` options that take no value (everything else does).
pub static BUILD_BOOL: &[&str] = &[
    "-q",
    "--quiet",
    "--no-cache",
    "--pull",
    "--rm",
    "--force-rm",
    "--compress",
    "--squash",
    "--load",
    "--push",
    "--disable-content-trust",
    "--stream",
    "--help",
];

/// Look up a long `run`/`create` option.
pub fn run_long(name: &str) -> Option<(&'static str, Kind)> {
    RUN_LONG
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, c, k)| (*c, *k))
}

/// Look up a short `run`/`create` letter.
pub fn run_short(c: char) -> Option<(&'static str, Kind)> {
    RUN_SHORT
        .iter()
        .find(|(l, _, _)| *l == c)
        .map(|(_, n, k)| (*n, *k))
}
