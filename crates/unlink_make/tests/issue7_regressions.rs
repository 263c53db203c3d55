//! Regressions found while hardening unlink against bad input (issue 7);
//! each test names what it pins.

use std::sync::mpsc;
use std::time::Duration;

/// `V0 = $(V1)$(V1)…` ten times, `V1 = $(V2)…`, down `levels` levels to
/// `bottom`: a "billion laughs" Makefile.
fn laughs(levels: usize, bottom: &str) -> String {
    let mut s = String::new();
    for i in 0..levels {
        s.push_str(&format!("V{i} = {}\n", format!("$(V{})", i + 1).repeat(10)));
    }
    s.push_str(&format!("V{levels} = {bottom}\n"));
    s.push_str("run:\n\tdocker run --name $(V0) img\n");
    s
}

/// The value of `V0`, or a failure when it takes longer than 10 s.
fn value_within_10s(src: String) -> Option<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mk = unlink_make::read(src.as_bytes());
        let _ = tx.send(mk.value("V0"));
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("expanding V0 must not take exponential time")
}

/// Each reference was expanded again from scratch, so ten references per
/// level took 10^levels steps (seven levels: 40 s, fifteen: forever) and as
/// much memory. A value that needs that much expanding is not a container
/// name anyone wrote: it counts as unknown.
#[test]
fn issue7_exponentially_expanding_make_variables_are_unknown_not_a_hang() {
    assert_eq!(value_within_10s(laughs(15, "x")), None);
    assert_eq!(value_within_10s(laughs(15, "")), None);
}

#[test]
fn issue7_ordinary_nested_make_variables_still_expand() {
    assert_eq!(
        value_within_10s(laughs(2, "x")).as_deref(),
        Some("x".repeat(100).as_str())
    );
    let src = "A = $(B)-$(C)\nB = app\nC = $(D)\nD = db\n";
    let mk = unlink_make::read(src.as_bytes());
    assert_eq!(mk.value("A").as_deref(), Some("app-db"));
}
