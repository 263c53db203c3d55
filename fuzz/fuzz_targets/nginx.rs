#![no_main]
//! `cargo fuzz run nginx`: see docs/fuzzing.md. The checks live in
//! `unlink_fuzz::nginx` so that the stable harness (`tests/stable.rs`) runs
//! exactly the same code.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| unlink_fuzz::nginx(data));
