#![no_main]
//! `cargo fuzz run migrate`: see docs/fuzzing.md. The checks live in
//! `unlink_fuzz::migrate` so that the stable harness (`tests/stable.rs`) runs
//! exactly the same code.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| unlink_fuzz::migrate(data));
