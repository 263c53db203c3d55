//! The fuzz targets as seeded random loops on stable Rust: `cargo test
//! --release` in `fuzz/`. Each target gets every file of `corpus/*/`, the
//! saved regressions of `regressions/<target>/`, and mutations of the corpus
//! files (see `unlink_fuzz::mutate`). The run is deterministic for a seed.
//!
//! * `UNLINK_FUZZ_SECONDS` (default 2): how long each target mutates.
//! * `UNLINK_FUZZ_SEED` (default 1): the first seed.
//!
//! An input that panics or runs longer than 10 s is written to
//! `artifacts/<target>/` and named in the failure, so it can be replayed with
//! `cargo fuzz run <target> <file>` or saved under `regressions/<target>/`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use unlink_fuzz::{mutate, Rng, TARGETS};

const HANG: Duration = Duration::from_secs(10);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "snapshots") {
                files_under(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    files_under(&root().join("../corpus"), &mut files);
    assert!(
        files.len() > 20,
        "the corpus is missing: {}",
        root().display()
    );
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    files_under(&root().join("regressions").join(target), &mut files);
    files
        .into_iter()
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect()
}

fn save(target: &str, input: &[u8]) -> PathBuf {
    let dir = root().join("artifacts").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in input {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let p = dir.join(format!("stable-{h:016x}"));
    std::fs::write(&p, input).unwrap();
    p
}

thread_local! {
    static IN_TARGET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A caught panic of a target is part of the failure report; the default hook
/// would print each one a second time. Other panics print as usual.
fn quiet_target_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_TARGET.with(|t| t.get()) {
                default(info);
            }
        }));
    });
}

/// Run `f` on `input`; a panic is saved and returned as an error. A watchdog
/// saves the input and aborts the process when one input runs too long.
fn run_one(target: &'static str, f: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    let done = Arc::new(AtomicBool::new(false));
    let current = Arc::new(Mutex::new(input.to_vec()));
    {
        let done = done.clone();
        let current = current.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            while start.elapsed() < HANG {
                std::thread::sleep(Duration::from_millis(20));
                if done.load(Ordering::Relaxed) {
                    return;
                }
            }
            let p = save(target, &current.lock().unwrap());
            eprintln!(
                "{target}: an input ran longer than {HANG:?}: {}",
                p.display()
            );
            std::process::exit(3);
        });
    }
    IN_TARGET.with(|t| t.set(true));
    let r = std::panic::catch_unwind(|| f(input));
    IN_TARGET.with(|t| t.set(false));
    done.store(true, Ordering::Relaxed);
    r.map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let p = save(target, input);
        format!("{target}: {}\n{msg}", p.display())
    })
}

fn fuzz(target: &'static str) {
    let f = TARGETS.iter().find(|(n, _)| *n == target).unwrap().1;
    let seconds: f64 = std::env::var("UNLINK_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2.0);
    let seed: u64 = std::env::var("UNLINK_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    quiet_target_panics();
    let mut failures = Vec::new();
    for (path, input) in regressions(target) {
        if let Err(e) = run_one(target, f, &input) {
            failures.push(format!("regression {}: {e}", path.display()));
        }
    }
    for input in unlink_fuzz::hostile() {
        if let Err(e) = run_one(target, f, &input) {
            failures.push(format!("hostile input: {e}"));
        }
    }
    let seeds = seeds();
    for input in &seeds {
        if let Err(e) = run_one(target, f, input) {
            failures.push(e);
        }
    }
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut rng = Rng::new(seed);
    let mut runs = 0u64;
    while Instant::now() < deadline && failures.len() < 5 {
        let base = &seeds[rng.below(seeds.len())];
        // Mutate a mutation now and then, to get further from the corpus.
        let mut input = mutate(base, &mut rng);
        if rng.below(4) == 0 {
            input = mutate(&input, &mut rng);
        }
        if let Err(e) = run_one(target, f, &input) {
            failures.push(e);
        }
        runs += 1;
    }
    eprintln!(
        "{target}: {runs} mutated inputs in {seconds} s (seed {seed}), {} failure(s)",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn make() {
    fuzz("make");
}

#[test]
fn shell() {
    fuzz("shell");
}

#[test]
fn compose() {
    fuzz("compose");
}

#[test]
fn nginx() {
    fuzz("nginx");
}

#[test]
fn configs() {
    fuzz("configs");
}

#[test]
fn migrate() {
    fuzz("migrate");
}
