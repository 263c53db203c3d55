//! Replay inputs through a target: `cargo run --example replay TARGET FILE…`.
//! Prints each file's outcome; exits 1 when any input fails.

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().expect("usage: replay TARGET FILE…");
    let f = unlink_fuzz::TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no target {name}"))
        .1;
    let mut failed = false;
    for file in args {
        let data = std::fs::read(&file).unwrap();
        match std::panic::catch_unwind(|| f(&data)) {
            Ok(()) => println!("ok: {file}"),
            Err(_) => {
                println!("FAILED: {file}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}
