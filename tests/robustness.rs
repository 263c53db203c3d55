//! Issue 7, "never lose a byte": the real binary on bad input, odd encodings,
//! failing writes and big files. Every test works on scratch copies and runs
//! `unlink` with a deadline: a run that overruns is killed and fails the test,
//! so a hang cannot stall the suite. docs/reliability.md lists which test
//! guards which promise.
//!
//! Related guards that live elsewhere (not repeated here):
//! * migrating the migrated corpus again changes nothing:
//!   `tests/corpus.rs` `corpus_snapshots_and_idempotence`;
//! * the exec bit survives: `tests/cli.rs` `migrate_keeps_the_exec_bit`;
//! * a syntax error in one file writes no file: `tests/cli.rs`
//!   `bad_input_exits_two_names_the_line_and_writes_nothing`;
//! * the fuzz targets and their stable harness: `fuzz/`, docs/fuzzing.md.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Running the binary

struct Run {
    /// The run overran its deadline and was killed.
    timed_out: bool,
    /// The exit code; `None` when a signal ended the process.
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        if self.timed_out {
            return "ran past its deadline and was killed".into();
        }
        match (self.code, self.signal) {
            (Some(c), _) => format!("exit {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            _ => "no exit status".into(),
        }
    }

    /// Exit 0, 1 or 2 (never 101 or a signal), and no sign of a panic or of
    /// an internal error.
    fn is_orderly(&self) -> bool {
        !self.timed_out
            && matches!(self.code, Some(0..=2))
            && !self.stderr.contains("internal error")
            && !self.stderr.contains("panicked")
    }
}

/// Run `unlink ARGS` in `dir`, killing it after `limit` (`timed_out`).
fn unlink_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unlink"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn unlink");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            timed_out = true;
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        timed_out,
        code: status.code(),
        signal: status.signal(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    }
}

const LIMIT: Duration = Duration::from_secs(30);

/// Run `unlink ARGS` in `dir`; overrunning [`LIMIT`] fails the test.
fn unlink(dir: &Path, args: &[&str]) -> Run {
    let r = unlink_within(dir, args, LIMIT);
    assert!(
        !r.timed_out,
        "unlink {args:?} in {} ran longer than {LIMIT:?}; killed",
        dir.display()
    );
    r
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap()
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Temporary and backup files of `unlink_fs` left anywhere under `dir`.
fn litter(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".unlink-"))
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

const MAKEFILE: &str =
    "run:\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:db web:1\n";
const SCRIPT: &str = "#!/bin/sh\ndocker run -d --name cache redis:7\ndocker run -d --name app --link cache:cache app:1\n";

// ---------------------------------------------------------------------------
// Mutations of the corpus

/// A small deterministic generator (xorshift64*): the same seed gives the
/// same mutations on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What gets inserted: everything that opens or closes something a reader
/// tracks, and bytes that are not text.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"'",
    b"$(",
    b"`",
    b"<<EOF",
    b"\\\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\t",
    b"\n",
    b"#",
    b"${",
    b")",
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"[",
    b"{",
    b" --link db:db ",
];

/// One to three of: flip a bit, delete a range, duplicate a range, insert a
/// token.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = out.len();
        match rng.below(4) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(12));
                out.drain(i..i + k);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let k = 1 + rng.below((len - i).min(48));
                let piece = out[i..i + k].to_vec();
                let at = rng.below(len + 1);
                out.splice(at..at, piece);
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                out.splice(at..at, t.iter().copied());
            }
        }
    }
    out
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// (case directory, file relative to it) for every input file of the corpus.
fn corpus_inputs() -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().unwrap() != "snapshots")
        .collect();
    cases.sort();
    for case in cases {
        for (p, _) in snapshot(&case) {
            let rel = p.strip_prefix(&case).unwrap().to_path_buf();
            // `args` holds the command line of the case, not an input.
            if rel != Path::new("args") {
                out.push((case.clone(), rel));
            }
        }
    }
    out
}

fn args_of(case: &Path) -> Vec<String> {
    match std::fs::read_to_string(case.join("args")) {
        Ok(s) => s.split_whitespace().map(str::to_string).collect(),
        Err(_) => vec![".".to_string()],
    }
}

const MUTATIONS_PER_FILE: usize = 6;

/// Every corpus input, mutated six times (a few hundred inputs in all), run
/// through `check` and `migrate --diff`: each run ends within its deadline
/// with exit 0, 1 or 2 and no panic or internal error, and `--diff` writes
/// nothing. Where `--diff` shows changes, the tree is migrated for real and
/// migrating it again must change nothing.
///
/// Deterministic: `UNLINK_MUTATION_SEED` picks another seed. A failing
/// input is saved under the test's target tmp dir, named in the failure.
#[test]
fn corpus_mutations_never_crash_hang_or_write_on_diff() {
    let seed: u64 = std::env::var("UNLINK_MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    let inputs = corpus_inputs();
    assert!(inputs.len() >= 40, "corpus not found: {}", inputs.len());
    let jobs: Vec<(usize, usize)> = (0..inputs.len())
        .flat_map(|i| (0..MUTATIONS_PER_FILE).map(move |k| (i, k)))
        .collect();
    let saved = Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness-mutations");
    let results: Vec<(Vec<String>, [usize; 3], usize)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (jobs, inputs, saved) = (&jobs, &inputs, &saved);
                s.spawn(move || {
                    let mut failures = Vec::new();
                    let mut codes = [0usize; 3];
                    let mut runs = 0;
                    for &(i, k) in jobs.iter().skip(w).step_by(2) {
                        let (case, rel) = &inputs[i];
                        let mut rng = Rng::new((seed << 32) ^ ((i as u64) << 8) ^ k as u64);
                        let original = std::fs::read(case.join(rel)).unwrap();
                        let bytes = mutate(&original, &mut rng);
                        let name = case.file_name().unwrap().to_string_lossy().into_owned();
                        let label = format!("{name}/{} #{k}", rel.display());
                        let scratch = tempfile::tempdir().unwrap();
                        let dir = scratch.path().join(&name);
                        copy_dir(case, &dir);
                        std::fs::write(dir.join(rel), &bytes).unwrap();
                        let args = args_of(case);
                        let args: Vec<&str> = args.iter().map(String::as_str).collect();
                        let before = snapshot(&dir);
                        let mut fail = |why: String| {
                            std::fs::create_dir_all(saved).unwrap();
                            let file = saved.join(label.replace(['/', ' ', '#'], "_"));
                            std::fs::write(&file, &bytes).unwrap();
                            failures.push(format!("{label} ({}): {why}", file.display()));
                        };
                        let mut steps: Vec<Vec<&str>> =
                            vec![vec!["check"], vec!["migrate", "--diff"]];
                        for step in &mut steps {
                            step.extend(&args);
                        }
                        let mut diff_code = None;
                        for step in &steps {
                            let r = unlink_within(&dir, step, LIMIT);
                            runs += 1;
                            if !r.is_orderly() {
                                fail(format!("{step:?}: {}\n{}", r.describe(), r.stderr));
                            }
                            if let Some(c @ 0..=2) = r.code {
                                codes[c as usize] += 1;
                            }
                            if step[0] == "migrate" {
                                diff_code = r.code;
                            }
                        }
                        if snapshot(&dir) != before {
                            fail("`check` or `migrate --diff` changed a file".into());
                        }
                        if diff_code == Some(1) {
                            let mut go = vec!["migrate", "--quiet"];
                            go.extend(&args);
                            let r = unlink_within(&dir, &go, LIMIT);
                            runs += 1;
                            if r.code != Some(0) || !r.is_orderly() {
                                fail(format!(
                                    "migrate after a diff: {}\n{}",
                                    r.describe(),
                                    r.stderr
                                ));
                            }
                            let mut again = vec!["migrate", "--diff"];
                            again.extend(&args);
                            let r = unlink_within(&dir, &again, LIMIT);
                            runs += 1;
                            if r.code != Some(0) || !r.stdout.is_empty() {
                                fail(format!(
                                    "migrating again is not a no-op ({}):\n{}{}",
                                    r.describe(),
                                    r.stdout,
                                    r.stderr
                                ));
                            }
                        }
                    }
                    (failures, codes, runs)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    let mut codes = [0usize; 3];
    let mut runs = 0;
    for (f, c, r) in results {
        failures.extend(f);
        for i in 0..3 {
            codes[i] += c[i];
        }
        runs += r;
    }
    eprintln!(
        "mutations: {} inputs (seed {seed}), {runs} runs; check and diff exits: 0×{}, 1×{}, 2×{}",
        jobs.len(),
        codes[0],
        codes[1],
        codes[2]
    );
    // The mutations must reach the error path and the migrate path both.
    assert!(codes[2] > 20 && codes[1] > 20, "{codes:?}");
    assert!(
        failures.is_empty(),
        "{} of {} mutated inputs failed:\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Hostile shapes

/// Inputs built to exhaust the stack or to take exponential time: deep
/// nesting of substitutions, YAML collections and mappings, make and shell
/// variables that each repeat the one before ("billion laughs"), YAML
/// aliases that do the same, and a very long line. Each run ends in time with
/// an orderly exit.
#[test]
fn deep_nesting_and_exponential_expansions_neither_overflow_nor_hang() {
    let n = 20_000;
    let mut laughs_make = String::new();
    for i in 0..15 {
        laughs_make.push_str(&format!("V{i} = {}\n", format!("$(V{})", i + 1).repeat(10)));
    }
    laughs_make.push_str("V15 = x\nrun:\n\tdocker run -d --name $(V0) img\n\tdocker run -d --name web --link $(V0):db img\n");
    let mut laughs_sh = String::from("#!/bin/sh\nV0=x\n");
    for i in 1..12 {
        laughs_sh.push_str(&format!("V{i}={}\n", format!("$V{}", i - 1).repeat(10)));
    }
    laughs_sh.push_str(
        "docker run -d --name \"$V11\" img\ndocker run -d --name web --link \"$V11\":db img\n",
    );
    let mut laughs_yaml = String::from("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        laughs_yaml.push_str(&format!(
            "x{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(", ")
        ));
    }
    laughs_yaml.push_str(
        "services:\n  web:\n    image: web\n    links: *a11\n  db:\n    <<: *a11\n    image: db\n",
    );
    let cases: Vec<(&str, String)> = vec![
        (
            "deep.sh",
            format!(
                "#!/bin/sh\ndocker run --name a {}x{} img\n",
                "$(echo ".repeat(n),
                ")".repeat(n)
            ),
        ),
        (
            "open.sh",
            format!("#!/bin/sh\ndocker run {} img\n", "$(".repeat(n)),
        ),
        (
            "quoted.sh",
            format!(
                "#!/bin/sh\necho {}x{}\n",
                "\"$(echo ".repeat(n),
                ")\"".repeat(n)
            ),
        ),
        (
            "Makefile",
            format!(
                "run:\n\tdocker run --name a {}x{} img\n",
                "$$(echo ".repeat(n),
                ")".repeat(n)
            ),
        ),
        ("laughs/Makefile", laughs_make),
        ("laughs.sh", laughs_sh),
        ("laughs/docker-compose.yml", laughs_yaml),
        (
            "flow/docker-compose.yml",
            format!(
                "services:\n  web:\n    image: {}{}\n",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
        (
            "maps/docker-compose.yml",
            format!(
                "services:\n  web:\n    image: {}1{}\n",
                "{a: ".repeat(n),
                "}".repeat(n)
            ),
        ),
        (
            "indent/docker-compose.yml",
            (0..2000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect(),
        ),
        (
            "ng/Makefile",
            "build:\n\tdocker build -t web:1 ./web\nrun:\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:database web:1\n".into(),
        ),
        (
            "ng/web/Dockerfile",
            "FROM nginx\nCOPY nginx.conf /etc/nginx/nginx.conf\n".into(),
        ),
        (
            // Read as the consumer's config: deep blocks cost n² once.
            "ng/web/nginx.conf",
            format!(
                "http {{ {} proxy_pass http://database:80; {} }}\n",
                "server {".repeat(n),
                "}".repeat(n)
            ),
        ),
        (
            "long.sh",
            format!(
                "#!/bin/sh\ndocker run -d --name db img\ndocker run {} --name web img\n",
                // Each finding's snippet shows the whole line, so the text
                // report costs links × line length: keep this one sane.
                "--link db:db ".repeat(500)
            ),
        ),
    ];
    let t = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (rel, text) in &cases {
        write(t.path(), rel, text);
    }
    for (rel, _) in cases.iter().filter(|(r, _)| !r.starts_with("ng/web/")) {
        for args in [["check", rel], ["migrate", rel]] {
            let r = unlink(t.path(), &args);
            if !r.is_orderly() {
                failures.push(format!(
                    "{args:?}: {}\n{}",
                    r.describe(),
                    &r.stderr[..r.stderr.len().min(2000)]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------
// Encodings and line endings

/// Bytes that are not UTF-8 (Latin-1 comments and echo text) are kept byte
/// for byte; only the edited commands change.
#[test]
fn non_utf8_bytes_in_a_makefile_are_kept_byte_for_byte() {
    let t = tempfile::tempdir().unwrap();
    let input: &[u8] = b"# caf\xe9 \xff\xfe\nrun:\n\t@echo \"d\xe9marrage\"\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:db web:1  # \xe9t\xe9\n";
    write(t.path(), "Makefile", input);
    let r = unlink(t.path(), &["migrate", "-q", "Makefile"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let want: &[u8] = b"# caf\xe9 \xff\xfe\nrun:\n\t@echo \"d\xe9marrage\"\n\tdocker network inspect db-net >/dev/null 2>&1 || docker network create db-net >/dev/null\n\tdocker run --network db-net -d --name db postgres:16\n\tdocker run -d --name web --network db-net web:1  # \xe9t\xe9\n";
    let got = read(t.path(), "Makefile");
    assert_eq!(got, want, "\n{}", show(&got));
}

/// A compose file is YAML, which is text: one that is not UTF-8 is refused
/// with a message that names it, exit 2, and no file of the run is written.
#[test]
fn non_utf8_compose_file_is_refused_by_name_and_nothing_is_written() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", MAKEFILE);
    write(
        t.path(),
        "docker-compose.yml",
        b"services:\n  web:\n    image: caf\xe9\n    links:\n      - db\n  db:\n    image: db\n",
    );
    let before = snapshot(t.path());
    let r = unlink(t.path(), &["migrate", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("docker-compose.yml"), "{}", r.stderr);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
    assert_eq!(snapshot(t.path()), before);
}

/// A UTF-8 byte order mark stays at the start of a Makefile, a script and a
/// compose file.
#[test]
fn byte_order_mark_is_kept() {
    let t = tempfile::tempdir().unwrap();
    let bom = "\u{feff}";
    write(t.path(), "Makefile", format!("{bom}{MAKEFILE}"));
    write(t.path(), "run.sh", format!("{bom}{SCRIPT}"));
    write(
        t.path(),
        "docker-compose.yml",
        format!("{bom}services:\n  web:\n    image: web\n    links:\n      - db\n  db:\n    image: db\n"),
    );
    let r = unlink(
        t.path(),
        &["migrate", "-q", "Makefile", "run.sh", "docker-compose.yml"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for f in ["Makefile", "run.sh", "docker-compose.yml"] {
        let got = read(t.path(), f);
        assert!(got.starts_with(bom.as_bytes()), "{f}:\n{}", show(&got));
        assert!(
            !show(&got).contains("--link") && !show(&got).contains("links:"),
            "{f} not migrated:\n{}",
            show(&got)
        );
        assert_eq!(show(&got).matches(bom).count(), 1, "{f}:\n{}", show(&got));
    }
}

/// A file without a final newline still has none, also when the last line
/// is the one edited, and in compose files.
#[test]
fn missing_final_newline_stays_missing() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", MAKEFILE.trim_end());
    write(t.path(), "run.sh", SCRIPT.trim_end());
    write(
        t.path(),
        "docker-compose.yml",
        "services:\n  db:\n    image: db\n  web:\n    image: web\n    links:\n      - db",
    );
    let r = unlink(
        t.path(),
        &["migrate", "-q", "Makefile", "run.sh", "docker-compose.yml"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for f in ["Makefile", "run.sh", "docker-compose.yml"] {
        let got = read(t.path(), f);
        assert!(
            !got.ends_with(b"\n"),
            "{f} gained a final newline:\n{}",
            show(&got)
        );
        assert!(
            !show(&got).contains("--link") && !show(&got).contains("links:"),
            "{f} not migrated:\n{}",
            show(&got)
        );
    }
}

/// In a CRLF file every line unlink inserts ends with CRLF too: no bare LF
/// appears anywhere.
#[test]
fn crlf_files_get_crlf_in_inserted_lines() {
    let t = tempfile::tempdir().unwrap();
    let crlf = |s: &str| s.replace('\n', "\r\n");
    write(
        t.path(),
        "Makefile",
        crlf(&format!("{MAKEFILE}kill:\n\tdocker rm -f web db\n")),
    );
    write(
        t.path(),
        "run.sh",
        crlf(&format!("{SCRIPT}docker rm -f app cache\n")),
    );
    write(
        t.path(),
        "docker-compose.yml",
        crlf("services:\n  web:\n    image: web\n    links:\n      - db:database\n  db:\n    image: db\n"),
    );
    let before = snapshot(t.path());
    let r = unlink(
        t.path(),
        &["migrate", "-q", "Makefile", "run.sh", "docker-compose.yml"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for f in ["Makefile", "run.sh", "docker-compose.yml"] {
        let got = read(t.path(), f);
        let lines = got.iter().filter(|&&b| b == b'\n').count();
        let crlfs = got.windows(2).filter(|w| w == b"\r\n").count();
        assert_eq!(lines, crlfs, "{f} has a bare LF:\n{:?}", show(&got));
        let old_lines = before
            .iter()
            .find(|(p, _)| p.ends_with(f))
            .unwrap()
            .1
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        assert!(
            lines > old_lines,
            "{f}: no line was inserted:\n{}",
            show(&got)
        );
    }
}

/// Inserted lines take the indentation of the statement next to them: tabs
/// in a tab-indented function, four spaces in a four-space one, and a
/// compose file's own indentation unit.
#[test]
fn inserted_lines_indent_like_the_file() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "tabs.sh",
        "#!/bin/sh\nstart() {\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:database web:1\n}\n",
    );
    write(
        t.path(),
        "spaces.sh",
        "#!/bin/sh\nstart() {\n    docker run -d --name q redis:7\n    docker run -d --name w --link q:queue w:1\n}\nstop() {\n    docker rm -f w q\n}\n",
    );
    write(
        t.path(),
        "docker-compose.yml",
        "services:\n    web:\n        image: web:1\n        links:\n            - db:database\n    db:\n        image: postgres:16\n",
    );
    let r = unlink(
        t.path(),
        &[
            "migrate",
            "-q",
            "tabs.sh",
            "spaces.sh",
            "docker-compose.yml",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let tabs = show(&read(t.path(), "tabs.sh"));
    assert!(tabs.contains("\n\tdocker network inspect db-net"), "{tabs}");
    let spaces = show(&read(t.path(), "spaces.sh"));
    assert!(
        spaces.contains("\n    docker network inspect q-net"),
        "{spaces}"
    );
    assert!(spaces.contains("\n    docker network rm q-net"), "{spaces}");
    assert!(!spaces.contains('\t'), "{spaces}");
    let compose = show(&read(t.path(), "docker-compose.yml"));
    assert!(
        compose.contains("\n        depends_on:\n            - db\n"),
        "{compose}"
    );
    assert!(compose.contains("\n        networks:\n            default:\n                aliases:\n                    - database\n"), "{compose}");
}

/// A binary file (a NUL byte) named on the command line is skipped with a
/// note by both commands, and left alone.
#[test]
fn issue7_check_and_migrate_skip_a_binary_file_with_a_note() {
    let t = tempfile::tempdir().unwrap();
    let bytes = format!("{SCRIPT}\0\u{1}binary tail\n");
    write(t.path(), "run.sh", &bytes);
    for args in [
        &["migrate", "run.sh"][..],
        &["check", "run.sh"],
        &["migrate", "."],
        &["check", "."],
    ] {
        let r = unlink(t.path(), args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("run.sh: binary file; skipped"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(read(t.path(), "run.sh"), bytes.as_bytes());
    }
}

// ---------------------------------------------------------------------------
// Syntax errors

/// An unterminated quote, `$(`, backtick or here-document, in a Makefile or a
/// script: exit 2, the diagnostic names `file:line:column` of the opening,
/// and no file of the run is written (the other file has a link too).
#[test]
fn unterminated_constructs_exit_2_at_file_and_line_and_write_nothing() {
    let constructs = [
        ("double quote", "\"web:1"),
        ("single quote", "'web:1"),
        ("`$(`", "$(echo web:1"),
        ("backtick", "`echo web:1"),
        ("here-document", "web:1 <<EOF\nhello"),
    ];
    for (what, tail) in constructs {
        for (file, text, line) in [
            (
                "Makefile",
                format!("run:\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:db {tail}\n"),
                3,
            ),
            (
                "run.sh",
                format!("#!/bin/sh\ndocker run -d --name db postgres:16\ndocker run -d --name web --link db:db {tail}\n"),
                3,
            ),
        ] {
            let t = tempfile::tempdir().unwrap();
            write(t.path(), file, &text);
            write(t.path(), "other/run.sh", SCRIPT);
            let before = snapshot(t.path());
            for args in [&["migrate", "."][..], &["check", "."], &["migrate", "--diff", "."]] {
                let r = unlink(t.path(), args);
                assert_eq!(r.code, Some(2), "{what} in {file}, {args:?}: {}", r.stderr);
                let all = format!("{}{}", r.stdout, r.stderr);
                assert!(all.contains(&format!("{file}:{line}:")), "{what} in {file}, {args:?}:\n{all}");
                assert!(all.contains("UL018"), "{what} in {file}:\n{all}");
                assert_eq!(snapshot(t.path()), before, "{what} in {file}: a file was written");
            }
        }
    }
}

/// Malformed YAML: exit 2 with UL018 at the parser's line and column; a tab
/// used for indentation is such an error too. Recursive aliases do not hang
/// and unknown keys survive a migration.
#[test]
fn malformed_yaml_tabs_recursive_aliases_and_unknown_keys() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "bad/docker-compose.yml",
        "services:\n  web:\n    image: [unclosed\n    links:\n      - db\n",
    );
    write(
        t.path(),
        "tabs/docker-compose.yml",
        "services:\n  web:\n\timage: nginx\n",
    );
    let before = snapshot(t.path());
    let r = unlink(t.path(), &["migrate", "bad/docker-compose.yml"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("UL018") && r.stderr.contains("not valid YAML"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("bad/docker-compose.yml:4:"),
        "{}",
        r.stderr
    );
    let r = unlink(t.path(), &["check", "tabs/docker-compose.yml"]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(
        r.stdout.contains("tabs/docker-compose.yml:3:") && r.stdout.contains("tabs disallowed"),
        "{}",
        r.stdout
    );
    assert_eq!(snapshot(t.path()), before);

    // Recursive aliases: an anchor that contains its own alias, and merge
    // keys that merge each other.
    write(t.path(), "rec1/docker-compose.yml", "services:\n  web: &w\n    image: web\n    links:\n      - db\n    x: *w\n  db:\n    image: db\n");
    write(t.path(), "rec2/docker-compose.yml", "x-a: &a\n  image: a\n  <<: *a\nservices:\n  web:\n    <<: *a\n    links:\n      - db\n  db:\n    image: db\n");
    for f in ["rec1/docker-compose.yml", "rec2/docker-compose.yml"] {
        for args in [["check", f], ["migrate", f]] {
            let r = unlink(t.path(), &args);
            assert!(r.is_orderly(), "{args:?}: {}\n{}", r.describe(), r.stderr);
        }
    }

    // Unknown keys, extension fields and comments survive.
    let text = "x-owner: &owner team-a # who\nservices:\n  web:\n    image: web\n    frobnicate: {level: 3}\n    links:\n      - db\n    labels: *owner\n  db:\n    image: db\n    some_future_key: [1, 2]\nunknown_top: yes\n";
    write(t.path(), "keys/docker-compose.yml", text);
    let r = unlink(t.path(), &["migrate", "-q", "keys/docker-compose.yml"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let got = show(&read(t.path(), "keys/docker-compose.yml"));
    for kept in [
        "x-owner: &owner team-a # who\n",
        "    frobnicate: {level: 3}\n",
        "    labels: *owner\n",
        "    some_future_key: [1, 2]\n",
        "unknown_top: yes\n",
    ] {
        assert!(got.contains(kept), "lost {kept:?}:\n{got}");
    }
    assert!(!got.contains("links:"), "{got}");
}

/// When unlink refuses to migrate a compose file (here `networks:` is a
/// scalar where a migration must add one), that is an error: exit 2, and the
/// Makefile of the same run is not written either, or the two would
/// disagree about the network. It used to write the Makefile and exit 0.
#[test]
fn issue7_a_compose_file_that_cannot_be_migrated_stops_every_write() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", MAKEFILE);
    write(
        t.path(),
        "docker-compose.yml",
        "version: \"3.8\"\nservices:\n  app:\n    image: busybox\n    external_links:\n      - legacy_mysql:mysql\n    networks:\n      -c default\n",
    );
    let before = snapshot(t.path());
    let r = unlink(t.path(), &["migrate", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("docker-compose.yml")
            && r.stderr.contains("cannot migrate this file safely"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(t.path()), before, "a file was written");
    let r = unlink(t.path(), &["check", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
}

/// Docker reads `COPY` sources inside the build context only: `COPY / …`
/// copies the context. unlink joined `/` onto the context, which gives the
/// host's root, and read the first 200 files of `/bin`, `/boot`, … as the
/// consumer's configs (a run took minutes, and a match there could have been
/// rewritten). Sources that climb out with `..` are no better.
#[test]
fn issue7_copy_sources_stay_inside_the_build_context() {
    for copy in [
        "COPY / /etc/nginx/",
        "COPY /nginx.conf /etc/nginx/",
        "COPY ../web/nginx.conf /x",
    ] {
        let t = tempfile::tempdir().unwrap();
        write(
            t.path(),
            "Makefile",
            "build:\n\tdocker build -t web:1 ./web\nrun:\n\tdocker run -d --name db postgres:16\n\tdocker run -d --name web --link db:database web:1\n",
        );
        write(t.path(), "web/Dockerfile", format!("FROM nginx\n{copy}\n"));
        write(
            t.path(),
            "web/nginx.conf",
            "http {\n  server {\n    location / {\n      proxy_pass http://database:80;\n    }\n  }\n}\n",
        );
        let r = unlink_within(t.path(), &["migrate", "-q", "."], Duration::from_secs(20));
        assert!(
            r.is_orderly() && r.code == Some(0),
            "{copy}: {}\n{}",
            r.describe(),
            r.stderr
        );
        let conf = show(&read(t.path(), "web/nginx.conf"));
        if copy.contains("..") {
            // Outside the context: not the consumer's file, so not rewritten.
            assert!(conf.contains("http://database:80"), "{copy}:\n{conf}");
        } else {
            assert!(
                conf.contains("http://db:80"),
                "{copy}: the context's config was not read:\n{conf}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Writes

/// Removes the immutable flag again, whatever happens in the test.
struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// A scratch directory where `chattr +i` works (tmpfs does not support it),
/// or `None` with the reason.
fn chattr_scratch() -> Result<tempfile::TempDir, String> {
    let mut why = Vec::new();
    for base in [
        std::env::temp_dir(),
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")),
    ] {
        let t = tempfile::tempdir_in(&base).map_err(|e| e.to_string())?;
        let probe = t.path().join("probe");
        std::fs::write(&probe, "x").unwrap();
        match Command::new("chattr").arg("+i").arg(&probe).output() {
            Ok(o) if o.status.success() => {
                let guard = Immutable(probe.clone());
                let blocked = std::fs::write(&probe, "y").is_err();
                drop(guard);
                std::fs::remove_file(&probe).unwrap();
                if blocked {
                    return Ok(t);
                }
                why.push(format!(
                    "{}: chattr +i does not stop writes",
                    base.display()
                ));
            }
            Ok(o) => why.push(format!(
                "{}: {}",
                base.display(),
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => why.push(format!("chattr: {e}")),
        }
    }
    Err(why.join("; "))
}

/// Two files to migrate, the second immutable (`chattr +i`; the tests run as
/// root, where a read-only mode stops nothing): exit 2, an error naming the
/// second file, the first file byte for byte as it was, and no temporary
/// file left anywhere.
#[test]
fn an_unwritable_second_file_fails_the_run_and_the_first_is_untouched() {
    let t = match chattr_scratch() {
        Ok(t) => t,
        Err(why) => {
            eprintln!("skipped: chattr +i is not available here: {why}");
            return;
        }
    };
    // Written in path order: `a/Makefile` first, then `b/run.sh`.
    write(t.path(), "a/Makefile", MAKEFILE);
    write(t.path(), "b/run.sh", SCRIPT);
    let second = t.path().join("b/run.sh");
    let status = Command::new("chattr")
        .arg("+i")
        .arg(&second)
        .status()
        .unwrap();
    assert!(status.success());
    let _guard = Immutable(second.clone());
    let before = snapshot(t.path());
    let r = unlink(t.path(), &["migrate", "a/Makefile", "b/run.sh"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("b/run.sh"), "{}", r.stderr);
    assert!(r.stderr.contains("no file was changed"), "{}", r.stderr);
    assert_eq!(snapshot(t.path()), before, "a file changed");
    assert_eq!(litter(t.path()), Vec::<PathBuf>::new());
    // Unlocked, the same run succeeds: the failure was the write.
    drop(_guard);
    let r = unlink(t.path(), &["migrate", "-q", "a/Makefile", "b/run.sh"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!show(&read(t.path(), "a/Makefile")).contains("--link"));
    assert_eq!(litter(t.path()), Vec::<PathBuf>::new());
}

/// A script reached through a symlink: the target gets the new content, the
/// link stays a link to it, the exec bit stays.
#[test]
fn symlinked_script_is_written_through_and_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "scripts/real.sh", SCRIPT);
    let real = t.path().join("scripts/real.sh");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("scripts/real.sh", t.path().join("run.sh")).unwrap();
    let r = unlink(t.path(), &["migrate", "-q", "run.sh"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let link = t.path().join("run.sh");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("scripts/real.sh")
    );
    let got = show(&read(t.path(), "scripts/real.sh"));
    assert!(
        got.contains("--network cache-net") && !got.contains("--link"),
        "{got}"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o755);
    assert_eq!(litter(t.path()), Vec::<PathBuf>::new());
}

// ---------------------------------------------------------------------------
// Time

/// A Makefile of `lines` lines: blocks of ten with a comment, a variable,
/// a target, an echo, two containers joined by a link (one over a
/// continuation line) and their removal. Every block is its own network.
fn big_makefile(lines: usize) -> String {
    let mut s = String::new();
    for i in 0..lines / 10 {
        s.push_str(&format!(
            "# block {i}\nVAR_{i} = value-{i}\ntarget_{i}:\n\t@echo \"starting {i}\"\n\tdocker run -d --name db_{i} postgres:16\n\tdocker run -d --name web_{i} \\\n\t\t--link db_{i}:database \\\n\t\tweb:1\n\tdocker rm -f web_{i} db_{i}\n\n"
        ));
    }
    s
}

/// CPU seconds (user + system) `unlink migrate` takes on `text`, measured by
/// bash's `times`, so other work on the machine barely matters.
fn migrate_cpu_seconds(text: &str) -> f64 {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), "Makefile", text);
    let start = Instant::now();
    let out = Command::new("bash")
        .arg("-c")
        .arg("\"$0\" migrate -q Makefile >/dev/null 2>&1; echo \"exit $?\"; times")
        .arg(env!("CARGO_BIN_EXE_unlink"))
        .current_dir(t.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.starts_with("exit 0\n"), "{text}");
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "took {:?}",
        start.elapsed()
    );
    // The second line of `times` is the children's: `0m1.234s 0m0.012s`.
    let children = text.lines().nth(2).unwrap_or_default();
    children
        .split_whitespace()
        .map(|f| {
            let (m, s) = f.trim_end_matches('s').split_once('m').unwrap();
            m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
        })
        .sum()
}

/// Migrating 20,000 lines takes less than three times as long as 10,000:
/// linear, with room for noise (quadratic would be four times). Measured in
/// CPU time; a ratio over the limit is measured once more before failing.
#[test]
fn migrate_time_grows_linearly_from_10k_to_20k_lines() {
    let (small, big) = (big_makefile(10_000), big_makefile(20_000));
    assert_eq!(big.lines().count(), 20_000);
    let mut best = (f64::MAX, f64::MAX);
    for attempt in 0..2 {
        best.0 = best.0.min(migrate_cpu_seconds(&small));
        best.1 = best.1.min(migrate_cpu_seconds(&big));
        let ratio = best.1 / best.0.max(0.01);
        eprintln!(
            "migrate: 10k lines {:.2}s, 20k lines {:.2}s CPU, ratio {ratio:.2}",
            best.0, best.1
        );
        if ratio < 3.0 {
            return;
        }
        assert!(
            attempt == 0,
            "20k lines take {ratio:.2}× the time of 10k lines"
        );
    }
}

// ---------------------------------------------------------------------------
// Output that goes away

/// Diagnostics go to stderr. When whoever reads it goes away
/// (`unlink … 2>&1 | head -1`), writing fails; the run must still end with an
/// exit status of its own (here 2, nothing written), not abort with a signal
/// because the panic hook itself failed to print.
#[test]
fn issue7_closed_stderr_ends_with_an_exit_status_not_an_abort() {
    let t = tempfile::tempdir().unwrap();
    let mut text = String::from("run:\n");
    for i in 0..50 {
        text.push_str(&format!("\tdocker run -d --name db{i} postgres\n\tdocker run -d --name web{i} --link db{i}:database web\n"));
    }
    write(t.path(), "Makefile", &text);
    for args in [&["migrate", "--diff", "."][..], &["migrate", "."]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unlink"))
            .args(args)
            .current_dir(t.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before unlink writes anything.
        drop(child.stderr.take());
        let deadline = Instant::now() + LIMIT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "{args:?} hangs");
            std::thread::sleep(Duration::from_millis(5));
        };
        assert!(
            matches!(status.code(), Some(0..=2)),
            "{args:?}: {status:?} (signal {:?})",
            status.signal()
        );
        if args == ["migrate", "."] && status.code() != Some(0) {
            assert_eq!(read(t.path(), "Makefile"), text.as_bytes(), "half-written");
        }
        if args == ["migrate", "."] && status.code() == Some(0) {
            // Done means done: every link migrated, whatever stderr did.
            let now = String::from_utf8(read(t.path(), "Makefile")).unwrap();
            assert!(
                !now.contains("--link") && now.contains("--network"),
                "{now}"
            );
        }
    }
}

/// A reader that goes away (`unlink check | head`) is not an error: no
/// "cannot write output", no abort, and the exit status still says what was
/// found (1) or changed (1 for `--diff`), as ripgrep does for its matches.
#[test]
fn a_closed_stdout_is_not_an_error() {
    let t = tempfile::tempdir().unwrap();
    let mut text = String::from("up:\n\tdocker run -d --name c0 img\n");
    for k in 1..2_000 {
        // More output than a pipe holds, so unlink is still writing when the
        // reader goes away.
        text.push_str(&format!(
            "\tdocker run -d --name c{k} --link c{}:dep img\n",
            k - 1
        ));
    }
    write(t.path(), "Makefile", &text);
    for args in [
        &["check", "."][..],
        &["check", "--format", "json", "."],
        &["migrate", "--diff", "."],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_unlink"))
            .args(args)
            .current_dir(t.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // stderr (the findings of `migrate`) is drained on the side, so that
        // only stdout is ever left unread.
        let mut err = child.stderr.take().unwrap();
        let drain = std::thread::spawn(move || {
            let mut s = String::new();
            err.read_to_string(&mut s).map(|_| s)
        });
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let deadline = Instant::now() + LIMIT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "{args:?} hangs");
            std::thread::sleep(Duration::from_millis(5));
        };
        let stderr = drain.join().unwrap().unwrap();
        assert_eq!(
            status.code(),
            Some(1),
            "{args:?}: {status:?}, stderr: {stderr}"
        );
        assert!(
            !stderr.contains("cannot write output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
    }
    // Nothing was written.
    assert_eq!(read(t.path(), "Makefile"), text.as_bytes());
}
