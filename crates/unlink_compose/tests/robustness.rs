//! Mutated corpus files (deterministic pseudo-random byte and line edits)
//! never make the crate panic, and whenever it returns edits they apply and
//! a second migration of the result returns none.

use std::path::Path;

use unlink_compose::{check, migrate, ComposeOptions};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn mutate(text: &str, rng: &mut Lcg) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    for _ in 0..1 + rng.next() % 3 {
        if lines.is_empty() {
            break;
        }
        let i = rng.next() % lines.len();
        match rng.next() % 7 {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => lines[i] = format!("  {}", lines[i]),
            3 => lines[i] = lines[i].trim_start().to_string(),
            4 => lines[i] = lines[i].replacen("  ", "\t", 1),
            5 => lines[i] = lines[i].replace("links", "external_links"),
            _ => {
                let j = rng.next() % lines.len();
                lines.swap(i, j);
            }
        }
    }
    lines.concat()
}

#[test]
fn mutated_corpus_never_panics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut rng = Lcg(0x5eed);
    let mut migrated = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("compose-")
        {
            continue;
        }
        for name in ["docker-compose.yml", "docker-compose.override.yml"] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                continue;
            };
            for _ in 0..300 {
                let t = mutate(&text, &mut rng);
                let path = Path::new("x/docker-compose.yml");
                let _ = check(path, &t);
                let Ok((edits, _)) = migrate(path, &t, &ComposeOptions::default()) else {
                    continue;
                };
                if edits.is_empty() {
                    continue;
                }
                let out = unlink_edit::apply(t.as_bytes(), edits).expect("edits apply");
                let out = String::from_utf8(out).unwrap();
                let (again, _) = migrate(path, &out, &ComposeOptions::default())
                    .unwrap_or_else(|e| panic!("migrated text does not read: {e:?}\n{out}"));
                assert!(
                    again.is_empty(),
                    "not idempotent:\n--- input\n{t}\n--- output\n{out}"
                );
                migrated += 1;
            }
        }
    }
    assert!(migrated > 100, "too few mutations migrated: {migrated}");
}
