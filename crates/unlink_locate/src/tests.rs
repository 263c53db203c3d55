use super::*;

/// `first_syntax_error` must say exactly what `read` puts first in
/// `errors`: the binary trusts it to refuse a migrated file that no longer
/// reads.
fn same_verdict(kind: FileKind, src: &[u8]) -> Option<Diagnostic> {
    let path = Path::new("f");
    let read = match kind {
        FileKind::Makefile => make::read(path, src),
        FileKind::Shell => script::read(path, src),
    };
    let quick = first_syntax_error(kind, path, src);
    assert_eq!(
        quick.as_ref(),
        read.errors.first(),
        "{kind:?}: {:?}",
        String::from_utf8_lossy(src)
    );
    quick
}

/// `clean` inputs read without an error and `broken` ones with one, and
/// `first_syntax_error` agrees with `read` on each.
fn check_cases(kind: FileKind, clean: &[&str], broken: &[&str]) {
    for src in clean {
        assert_eq!(same_verdict(kind, src.as_bytes()), None, "{src:?}");
    }
    for src in broken {
        let e = same_verdict(kind, src.as_bytes());
        assert!(e.is_some(), "no error for {src:?}");
    }
}

#[test]
fn syntax_errors_of_makefiles_are_read_s_first_error() {
    check_cases(
        FileKind::Makefile,
        &[
            "",
            "up:\n\tdocker run -d --name a --link b:b img\n",
            "up:\n\tdocker run \\\n\t\t--link b:b img\n\ndown:\n\t-docker rm -f a\n",
            "define X\n\tdocker run --link b:b img\nendef\n",
        ],
        &[
            "up:\n\tdocker run --name a \"img\n",
            // The second recipe is broken: the first error is still its own.
            "up:\n\tdocker run img\n\ndown:\n\tdocker rm 'a\n",
            // Two broken recipes: the first one's error comes first.
            "a:\n\techo $$(date\nb:\n\techo \"x\n",
            "up:\n\tdocker run `echo img\n",
        ],
    );
}

#[test]
fn syntax_errors_of_scripts_are_read_s_first_error() {
    check_cases(
        FileKind::Shell,
        &[
            "",
            "#!/bin/sh\ndocker run -d --name a --link b:b img\n",
            "#!/bin/sh\ncat <<EOF\ndocker run --link b:b img\nEOF\n",
        ],
        &[
            "#!/bin/sh\ndocker run -d --name se --link se-db:db \"se:1\n",
            "#!/bin/sh\necho $(date\n",
            "#!/bin/sh\necho 'a\ndocker run --link b:b img\n",
        ],
    );
}

/// Every Makefile and script of the corpus, clean or broken.
#[test]
fn syntax_errors_of_the_corpus_are_read_s_first_error() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    let mut seen = (0, 0);
    for p in files {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let kind = if name == "Makefile" || name.ends_with(".mk") {
            FileKind::Makefile
        } else if name.ends_with(".sh") {
            FileKind::Shell
        } else {
            continue;
        };
        let src = std::fs::read(&p).unwrap();
        if same_verdict(kind, &src).is_some() {
            seen.1 += 1;
        }
        seen.0 += 1;
    }
    // The corpus has dozens of such files, and corpus/syntax-error is broken.
    assert!(seen.0 > 30, "{seen:?}");
    assert!(seen.1 >= 1, "{seen:?}");
}
