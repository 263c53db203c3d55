#![no_main]
//! `cargo fuzz run compose`: see docs/fuzzing.md. The checks live in
//! `unlink_fuzz::compose` so that the stable harness (`tests/stable.rs`) runs
//! exactly the same code.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| unlink_fuzz::compose(data));
