//! Shell words with exact byte spans.
//!
//! unlink has to find `docker run … --link a:b …` inside shell scripts and
//! make recipes and then change single words of it without touching anything
//! else. That needs what a shell sees (which words, after quote removal and
//! line continuations) *and* where each word sits in the file, byte for byte.
//! This crate is that lexer, and nothing more: it knows no docker option and
//! no make rule.
//!
//! # What it reads
//!
//! POSIX shell words: single and double quotes, `$'…'`, backslash escapes,
//! `\`+newline continuations, `$VAR`, `${VAR}`, `${VAR:-default}` and the other
//! parameter forms, `$(…)` and backtick command substitution (whose commands
//! are lexed too, so `ID=$(docker run …)` is found), `$((…))`, comments,
//! the operators `;` `&` `&&` `||` `|` `(` `)` `;;`, redirections (whose target
//! is not a command word), and here-documents, whose bodies are recorded so
//! that nobody ever edits them.
//!
//! With [`Dialect::Make`] the same lexer reads a make recipe line: `$(VAR)` and
//! `${VAR}` are make variables ([`Part::MakeVar`]), `$$` is the shell's `$`, and
//! the recipe prefix tab after a continuation is skipped as make does.
//!
//! # What it produces
//!
//! A [`Lexed`] holds the simple [`Command`]s in source order (a command
//! inside a substitution comes after the command that contains it), each with its leading
//! assignments, its words and its redirections, plus the statement bounds
//! that a planner needs to insert a line before or after it. Anything the
//! lexer cannot close (a quote, `$(`, a backtick, a here-document) is a
//! [`LexError`] at the byte where it opened; commands after it are not
//! reported, so nobody edits a file the lexer did not understand.

use std::ops::Range;

/// Which language the bytes are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A shell script.
    Shell,
    /// One logical make recipe line (continuations included).
    Make,
}

/// A piece of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text after quote removal.
    Lit(String),
    /// `$NAME`, `${NAME}`, `${NAME:-default}` (and `:=`, `-`, `=`).
    ShellVar {
        name: String,
        /// The default for the `:-`/`-`/`:=`/`=` forms, already cooked when it is literal.
        default: Option<Option<String>>,
        quoted: bool,
        span: Range<usize>,
    },
    /// `$(NAME)`, `${NAME}` or `$X` in a make recipe.
    MakeVar { name: String, span: Range<usize> },
    /// `$(…)` or a backtick substitution.
    CommandSubst { span: Range<usize> },
    /// Something whose value is only known at run time (`$((…))`, `$#`, `${#x}`, …).
    Dynamic { span: Range<usize> },
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Range<usize>,
    pub parts: Vec<Part>,
}

impl Word {
    /// The word's value when it is made only of literal text.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                _ => return None,
            }
        }
        Some(out)
    }

    /// True when the word is one literal equal to `s`.
    pub fn is(&self, s: &str) -> bool {
        matches!(self.parts.as_slice(), [Part::Lit(l)] if l == s)
    }

    /// The value with variables looked up by `lookup`; `None` when any part
    /// cannot be known, or when the expansion grows past 16 KiB (variables
    /// that each repeat the one before grow exponentially; no name is that
    /// long).
    pub fn resolve(&self, lookup: &dyn Fn(&Part) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        let mut expanded = false;
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                other => {
                    out.push_str(&lookup(other)?);
                    expanded = true;
                }
            }
            if expanded && out.len() > MAX_RESOLVED {
                return None;
            }
        }
        Some(out)
    }

    /// True when any part expands unquoted and so may split into several words.
    pub fn may_split(&self) -> bool {
        self.parts.iter().any(|p| match p {
            Part::ShellVar { quoted, .. } => !quoted,
            Part::MakeVar { .. } | Part::CommandSubst { .. } => true,
            _ => false,
        })
    }
}

/// A redirection such as `2>/dev/null`; its target is not a command word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub span: Range<usize>,
}

/// A simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` words before the command name.
    pub assignments: Vec<(String, Word)>,
    /// The command name and its arguments.
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// Byte where the physical line that starts this command's statement
    /// begins: insert a line here to run something before the statement.
    pub stmt_line_start: usize,
    /// Byte just after the statement's last character, before its line
    /// ending (or the end of input): the next line starts after the newline.
    pub stmt_end: usize,
    /// 0 at top level, 1 inside one command substitution, …
    pub depth: usize,
}

impl Command {
    /// The byte range from the first to the last word or redirection.
    pub fn span(&self) -> Range<usize> {
        let mut start = usize::MAX;
        let mut end = 0;
        for w in self
            .assignments
            .iter()
            .map(|(_, w)| &w.span)
            .chain(self.words.iter().map(|w| &w.span))
            .chain(self.redirects.iter().map(|r| &r.span))
        {
            start = start.min(w.start);
            end = end.max(w.end);
        }
        if start == usize::MAX {
            self.stmt_line_start..self.stmt_line_start
        } else {
            start..end
        }
    }
}

/// Something the lexer could not close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Where the unclosed construct opened.
    pub offset: usize,
    pub message: String,
}

/// The result of lexing one input.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    pub commands: Vec<Command>,
    /// Here-document bodies: never edit inside these.
    pub heredocs: Vec<Range<usize>>,
    /// Bytes of comments (`#` to the end of the line).
    pub comments: Vec<Range<usize>>,
    pub errors: Vec<LexError>,
}

/// Lex `src[range]` in `dialect`. Spans are offsets into `src`.
pub fn lex(src: &[u8], range: Range<usize>, dialect: Dialect) -> Lexed {
    let mut lx = Lexer {
        src,
        end: range.end.min(src.len()),
        pos: range.start,
        dialect,
        out: Lexed::default(),
        pending_heredocs: Vec::new(),
        opened: Vec::new(),
    };
    let line_start = line_start_of(src, range.start);
    lx.commands_until(None, 0, line_start);
    // Commands inside a substitution finish before the command holding them;
    // report them in source order instead.
    lx.out.commands.sort_by_key(|c| c.span().start);
    lx.out
}

/// Lex a whole shell script.
pub fn lex_script(src: &[u8]) -> Lexed {
    lex(src, 0..src.len(), Dialect::Shell)
}

fn line_start_of(src: &[u8], at: usize) -> usize {
    src[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// True for a byte that may appear in a shell variable name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The deepest nesting of `$(`, backticks and quoted substitutions read.
const MAX_DEPTH: usize = 100;

/// The longest value [`Word::resolve`] returns for a word with expansions.
const MAX_RESOLVED: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// `)` closing `$(`.
    Paren,
    /// A backtick closing a backtick substitution.
    Backtick,
}

struct PendingHeredoc {
    delimiter: Vec<u8>,
    strip_tabs: bool,
    opened_at: usize,
}

enum Tok {
    Word(Word),
    /// `;`, `&`, `&&`, `||`, `|`, `|&`, `;;`, `(`, `)` (when not closing), newline.
    Sep {
        newline: bool,
    },
    Redirect {
        span: Range<usize>,
        heredoc: Option<(bool, usize)>,
    },
    End,
}

struct Lexer<'a> {
    src: &'a [u8],
    end: usize,
    pos: usize,
    dialect: Dialect,
    out: Lexed,
    pending_heredocs: Vec<PendingHeredoc>,
    /// Where each open substitution started, innermost last.
    opened: Vec<usize>,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.src[self.pos])
    }

    fn at(&self, i: usize) -> Option<u8> {
        (i < self.end).then(|| self.src[i])
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.out.errors.push(LexError {
            offset,
            message: message.into(),
        });
        // Stop lexing: nothing after an unclosed construct can be trusted.
        self.pos = self.end;
    }

    /// Length of a line continuation at `i` (`\`+LF or `\`+CRLF, plus the
    /// recipe prefix tab in make), or 0.
    fn continuation_at(&self, i: usize) -> usize {
        if self.at(i) != Some(b'\\') {
            return 0;
        }
        let n = match (self.at(i + 1), self.at(i + 2)) {
            (Some(b'\n'), _) => 2,
            (Some(b'\r'), Some(b'\n')) => 3,
            _ => return 0,
        };
        if self.dialect == Dialect::Make && self.at(i + n) == Some(b'\t') {
            n + 1
        } else {
            n
        }
    }

    /// Lex commands until `stop` (or the end). Returns false when an error ended lexing.
    fn commands_until(&mut self, stop: Option<Stop>, depth: usize, mut line_start: usize) -> bool {
        // Each level of substitution recurses once: refuse depths no script
        // uses before they exhaust the stack.
        if depth > MAX_DEPTH {
            let at = self.opened.last().copied().unwrap_or(self.pos);
            self.error(
                at,
                format!("substitutions nested more than {MAX_DEPTH} levels deep"),
            );
            return false;
        }
        let mut current: Option<Command> = None;
        let mut stmt_first_cmd = self.out.commands.len();
        let mut expect_redirect_target = false;
        loop {
            if !self.out.errors.is_empty() {
                return false;
            }
            let tok = self.next_token(stop, depth);
            match tok {
                Tok::Word(word) => {
                    if expect_redirect_target {
                        expect_redirect_target = false;
                        if let Some(cmd) = current.as_mut() {
                            if let Some(r) = cmd.redirects.last_mut() {
                                r.span.end = word.span.end;
                            }
                        }
                        continue;
                    }
                    let cmd = current.get_or_insert_with(|| Command {
                        assignments: Vec::new(),
                        words: Vec::new(),
                        redirects: Vec::new(),
                        stmt_line_start: line_start,
                        stmt_end: 0,
                        depth,
                    });
                    if cmd.words.is_empty() {
                        if let Some(name) = assignment_name(self.src, &word) {
                            cmd.assignments
                                .push((name, strip_assignment(self.src, word)));
                            continue;
                        }
                    }
                    cmd.words.push(word);
                }
                Tok::Redirect { span, heredoc } => {
                    let cmd = current.get_or_insert_with(|| Command {
                        assignments: Vec::new(),
                        words: Vec::new(),
                        redirects: Vec::new(),
                        stmt_line_start: line_start,
                        stmt_end: 0,
                        depth,
                    });
                    cmd.redirects.push(Redirect { span });
                    if let Some((strip_tabs, opened_at)) = heredoc {
                        // The delimiter word follows.
                        if let Tok::Word(w) = self.next_token(stop, depth) {
                            let delimiter = heredoc_delimiter(self.src, &w);
                            if let Some(r) = cmd.redirects.last_mut() {
                                r.span.end = w.span.end;
                            }
                            self.pending_heredocs.push(PendingHeredoc {
                                delimiter,
                                strip_tabs,
                                opened_at,
                            });
                        } else {
                            self.error(opened_at, "here-document without a delimiter");
                            return false;
                        }
                    } else {
                        expect_redirect_target = true;
                    }
                }
                Tok::Sep { newline } => {
                    expect_redirect_target = false;
                    if let Some(cmd) = current.take() {
                        self.push_command(cmd);
                    }
                    if newline {
                        if stop.is_none() {
                            let nl = self.pos - 1;
                            let stmt_end = if nl > 0 && self.src[nl - 1] == b'\r' {
                                nl - 1
                            } else {
                                nl
                            };
                            self.finish_statement(stmt_first_cmd, stmt_end);
                        }
                        if !self.pending_heredocs.is_empty() {
                            self.read_heredoc_bodies();
                        }
                        if stop.is_none() {
                            stmt_first_cmd = self.out.commands.len();
                            line_start = self.pos;
                        }
                    }
                }
                Tok::End => {
                    if let Some(cmd) = current.take() {
                        self.push_command(cmd);
                    }
                    if stop.is_none() {
                        let end = self.pos;
                        self.finish_statement(stmt_first_cmd, end);
                    }
                    if let Some(h) = self.pending_heredocs.first() {
                        if stop.is_none() {
                            let at = h.opened_at;
                            self.error(at, "here-document is never closed");
                            return false;
                        }
                    }
                    return self.out.errors.is_empty();
                }
            }
        }
    }

    fn push_command(&mut self, cmd: Command) {
        if !cmd.words.is_empty() || !cmd.assignments.is_empty() {
            self.out.commands.push(cmd);
        }
    }

    fn finish_statement(&mut self, first: usize, end: usize) {
        for cmd in &mut self.out.commands[first..] {
            if cmd.stmt_end == 0 {
                cmd.stmt_end = end;
            }
        }
    }

    fn read_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending_heredocs);
        for h in pending {
            let body_start = self.pos;
            let mut found = false;
            while self.pos < self.end {
                let line_end = self.src[self.pos..self.end]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.end, |i| self.pos + i);
                let mut line = &self.src[self.pos..line_end];
                if line.last() == Some(&b'\r') {
                    line = &line[..line.len() - 1];
                }
                if h.strip_tabs {
                    while line.first() == Some(&b'\t') {
                        line = &line[1..];
                    }
                }
                let next = (line_end + 1).min(self.end);
                if line == h.delimiter.as_slice() {
                    self.out.heredocs.push(body_start..self.pos);
                    self.pos = next;
                    found = true;
                    break;
                }
                self.pos = next;
                if line_end == self.end {
                    break;
                }
            }
            if !found {
                self.error(h.opened_at, "here-document is never closed");
                return;
            }
        }
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\r') if self.at(self.pos + 1) == Some(b'\n') => self.pos += 1,
                Some(b'\\') => {
                    let n = self.continuation_at(self.pos);
                    if n == 0 {
                        return;
                    }
                    self.pos += n;
                }
                _ => return,
            }
        }
    }

    fn next_token(&mut self, stop: Option<Stop>, depth: usize) -> Tok {
        self.skip_blanks();
        let Some(b) = self.peek() else {
            if let Some(s) = stop {
                let what = match s {
                    Stop::Paren => "`$(` is never closed",
                    Stop::Backtick => "backtick is never closed",
                };
                let at = self.opened.last().copied().unwrap_or(self.pos);
                self.error(at, what);
            }
            return Tok::End;
        };
        let start = self.pos;
        match b {
            b'#' => {
                let line_end = self.src[self.pos..self.end]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.end, |i| self.pos + i);
                self.out.comments.push(self.pos..line_end);
                self.pos = line_end;
                self.next_token(stop, depth)
            }
            b'\n' => {
                self.pos += 1;
                Tok::Sep { newline: true }
            }
            b')' if stop == Some(Stop::Paren) => Tok::End,
            b'`' if stop == Some(Stop::Backtick) => Tok::End,
            b';' | b'&' | b'|' | b'(' | b')' => {
                let two = self.at(self.pos + 1);
                // `&>` and `&>>` redirect both streams.
                if b == b'&' && two == Some(b'>') {
                    self.pos += 2;
                    if self.peek() == Some(b'>') {
                        self.pos += 1;
                    }
                    return Tok::Redirect {
                        span: start..self.pos,
                        heredoc: None,
                    };
                }
                self.pos += 1;
                if matches!(
                    (b, two),
                    (b';', Some(b';')) | (b'&', Some(b'&')) | (b'|', Some(b'|' | b'&'))
                ) {
                    self.pos += 1;
                }
                Tok::Sep { newline: false }
            }
            b'<' | b'>' => self.redirect(start),
            b'0'..=b'9' => {
                // An IO number directly followed by a redirection operator.
                let mut i = self.pos;
                while matches!(self.at(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
                if matches!(self.at(i), Some(b'<' | b'>')) {
                    self.pos = i;
                    self.redirect(start)
                } else {
                    self.word(stop, depth)
                }
            }
            _ => self.word(stop, depth),
        }
    }

    fn redirect(&mut self, start: usize) -> Tok {
        let op = self.src[self.pos];
        self.pos += 1;
        if op == b'<' && self.peek() == Some(b'<') {
            self.pos += 1;
            if self.peek() == Some(b'<') {
                // Here-string: the next word is its value.
                self.pos += 1;
                return Tok::Redirect {
                    span: start..self.pos,
                    heredoc: None,
                };
            }
            let strip = self.peek() == Some(b'-');
            if strip {
                self.pos += 1;
            }
            return Tok::Redirect {
                span: start..self.pos,
                heredoc: Some((strip, start)),
            };
        }
        if matches!(self.peek(), Some(b'>' | b'&' | b'|'))
            || (op == b'<' && self.peek() == Some(b'>'))
        {
            self.pos += 1;
        }
        // `>&2`, `2>&1`: the target is a number or `-`, read as the next word.
        Tok::Redirect {
            span: start..self.pos,
            heredoc: None,
        }
    }

    fn word(&mut self, stop: Option<Stop>, depth: usize) -> Tok {
        let start = self.pos;
        let mut parts: Vec<Part> = Vec::new();
        let mut lit = String::new();
        let mut lit_bytes: Vec<u8> = Vec::new();
        macro_rules! flush {
            () => {
                if !lit_bytes.is_empty() {
                    lit.push_str(&String::from_utf8_lossy(&lit_bytes));
                    lit_bytes.clear();
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
            };
        }
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    // `(` inside a word (e.g. `a(b`) is rare; treat as an operator.
                    break;
                }
                b'\r' if self.at(self.pos + 1) == Some(b'\n') => break,
                b'`' => {
                    if stop == Some(Stop::Backtick) {
                        break;
                    }
                    flush!();
                    let s = self.pos;
                    match self.substitution(s, s + 1, Stop::Backtick, depth) {
                        Some(part) => parts.push(part),
                        None => return Tok::End,
                    }
                }
                b'\\' => {
                    let n = self.continuation_at(self.pos);
                    if n > 0 {
                        self.pos += n;
                        continue;
                    }
                    match self.at(self.pos + 1) {
                        Some(c) => {
                            lit_bytes.push(c);
                            self.pos += 2;
                        }
                        None => {
                            self.pos += 1;
                        }
                    }
                }
                b'\'' => {
                    let s = self.pos;
                    self.pos += 1;
                    match self.src[self.pos..self.end]
                        .iter()
                        .position(|&c| c == b'\'')
                    {
                        Some(i) => {
                            lit_bytes.extend_from_slice(&self.src[self.pos..self.pos + i]);
                            self.pos += i + 1;
                        }
                        None => {
                            self.error(s, "single quote is never closed");
                            return Tok::End;
                        }
                    }
                }
                b'"' => {
                    let s = self.pos;
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => {
                                self.error(s, "double quote is never closed");
                                return Tok::End;
                            }
                            Some(b'"') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b'\\') => {
                                let n = self.continuation_at(self.pos);
                                if n > 0 {
                                    self.pos += n;
                                    continue;
                                }
                                match self.at(self.pos + 1) {
                                    Some(c @ (b'$' | b'`' | b'"' | b'\\')) => {
                                        lit_bytes.push(c);
                                        self.pos += 2;
                                    }
                                    _ => {
                                        lit_bytes.push(b'\\');
                                        self.pos += 1;
                                    }
                                }
                            }
                            Some(b'`') => {
                                flush!();
                                let bs = self.pos;
                                match self.substitution(bs, bs + 1, Stop::Backtick, depth) {
                                    Some(part) => parts.push(part),
                                    None => return Tok::End,
                                }
                            }
                            Some(b'$') => {
                                if let Some(part) = self.dollar(true, depth) {
                                    flush!();
                                    parts.push(part);
                                } else {
                                    if !self.out.errors.is_empty() {
                                        return Tok::End;
                                    }
                                    lit_bytes.push(b'$');
                                    self.pos += 1;
                                }
                            }
                            Some(c) => {
                                lit_bytes.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                b'$' => {
                    if self.dialect == Dialect::Shell && self.at(self.pos + 1) == Some(b'\'') {
                        // ANSI-C quoting: keep it literal with the common escapes.
                        let s = self.pos;
                        self.pos += 2;
                        loop {
                            match self.peek() {
                                None => {
                                    self.error(s, "`$'` quote is never closed");
                                    return Tok::End;
                                }
                                Some(b'\'') => {
                                    self.pos += 1;
                                    break;
                                }
                                Some(b'\\') => {
                                    let c = self.at(self.pos + 1).unwrap_or(b'\\');
                                    lit_bytes.push(match c {
                                        b'n' => b'\n',
                                        b't' => b'\t',
                                        other => other,
                                    });
                                    self.pos += 2;
                                }
                                Some(c) => {
                                    lit_bytes.push(c);
                                    self.pos += 1;
                                }
                            }
                        }
                        continue;
                    }
                    if let Some(part) = self.dollar(false, depth) {
                        flush!();
                        parts.push(part);
                    } else {
                        if !self.out.errors.is_empty() {
                            return Tok::End;
                        }
                        lit_bytes.push(b'$');
                        self.pos += 1;
                    }
                }
                c => {
                    lit_bytes.push(c);
                    self.pos += 1;
                }
            }
        }
        flush!();
        if self.pos == start {
            // Should not happen; make progress regardless.
            self.pos += 1;
            return Tok::Sep { newline: false };
        }
        Tok::Word(Word {
            span: start..self.pos,
            parts,
        })
    }

    /// Read an expansion at `self.pos` (which holds `$`). Returns `None` when
    /// the `$` is literal (and leaves `pos` unchanged).
    fn dollar(&mut self, quoted: bool, depth: usize) -> Option<Part> {
        let s = self.pos;
        let next = self.at(s + 1);
        if self.dialect == Dialect::Make {
            match next {
                Some(b'$') => {
                    // `$$` is the shell's `$`.
                    return self.shell_dollar(s, 2, quoted, depth);
                }
                Some(open @ (b'(' | b'{')) => {
                    let close = if open == b'(' { b')' } else { b'}' };
                    let Some(i) = self.closing(s + 1, open, close) else {
                        self.error(s, "make variable reference is never closed");
                        return None;
                    };
                    let inner = String::from_utf8_lossy(&self.src[s + 2..i]).into_owned();
                    self.pos = i + 1;
                    return Some(Part::MakeVar {
                        name: inner,
                        span: s..self.pos,
                    });
                }
                Some(c) if !matches!(c, b' ' | b'\t' | b'\n' | b'"' | b'\'') => {
                    self.pos = s + 2;
                    return Some(Part::MakeVar {
                        name: (c as char).to_string(),
                        span: s..self.pos,
                    });
                }
                _ => return None,
            }
        }
        self.shell_dollar(s, 1, quoted, depth)
    }

    /// A shell expansion whose `$` occupies `dollar_len` bytes at `s`.
    /// Lex a command substitution opened at `open` whose commands start at
    /// `body`; `None` when it never closes (the error is recorded).
    fn substitution(&mut self, open: usize, body: usize, stop: Stop, depth: usize) -> Option<Part> {
        self.pos = body;
        self.opened.push(open);
        self.commands_until(Some(stop), depth + 1, line_start_of(self.src, open));
        self.opened.pop();
        if !self.out.errors.is_empty() {
            return None;
        }
        self.pos += 1; // the closing `)` or backtick
        Some(Part::CommandSubst {
            span: open..self.pos,
        })
    }

    /// The index of the byte closing the bracket `open` at `at` (nesting
    /// counted), or `None` when it is never closed.
    fn closing(&self, at: usize, open: u8, close: u8) -> Option<usize> {
        let mut level = 0usize;
        let mut i = at;
        while let Some(c) = self.at(i) {
            if c == open {
                level += 1;
            } else if c == close {
                level -= 1;
                if level == 0 {
                    return Some(i);
                }
            }
            i += 1;
        }
        None
    }

    fn shell_dollar(
        &mut self,
        s: usize,
        dollar_len: usize,
        quoted: bool,
        depth: usize,
    ) -> Option<Part> {
        let after = s + dollar_len;
        match self.at(after) {
            Some(b'(') => {
                if self.at(after + 1) == Some(b'(') {
                    // Arithmetic: skip to the matching `))`.
                    let Some(i) = self.closing(after, b'(', b')') else {
                        self.error(s, "`$((` is never closed");
                        return None;
                    };
                    self.pos = i + 1;
                    return Some(Part::Dynamic { span: s..self.pos });
                }
                self.substitution(s, after + 1, Stop::Paren, depth)
            }
            Some(b'{') => {
                let Some(i) = self.closing(after, b'{', b'}') else {
                    self.error(s, "`${` is never closed");
                    return None;
                };
                let inner = &self.src[after + 1..i];
                self.pos = i + 1;
                let span = s..self.pos;
                let name_len = inner.iter().take_while(|&&c| is_name_byte(c)).count();
                if name_len == 0 {
                    return Some(Part::Dynamic { span });
                }
                let name = String::from_utf8_lossy(&inner[..name_len]).into_owned();
                let rest = &inner[name_len..];
                let default = if rest.is_empty() {
                    None
                } else if let Some(d) = rest
                    .strip_prefix(b":-")
                    .or_else(|| rest.strip_prefix(b":="))
                    .or_else(|| rest.strip_prefix(b"-"))
                    .or_else(|| rest.strip_prefix(b"="))
                {
                    Some(cook_default(d))
                } else {
                    return Some(Part::Dynamic { span });
                };
                Some(Part::ShellVar {
                    name,
                    default,
                    quoted,
                    span,
                })
            }
            Some(c) if is_name_byte(c) && !c.is_ascii_digit() => {
                let mut i = after;
                while self.at(i).is_some_and(is_name_byte) {
                    i += 1;
                }
                self.pos = i;
                Some(Part::ShellVar {
                    name: String::from_utf8_lossy(&self.src[after..i]).into_owned(),
                    default: None,
                    quoted,
                    span: s..i,
                })
            }
            Some(b'0'..=b'9' | b'#' | b'?' | b'$' | b'!' | b'@' | b'*' | b'-') => {
                self.pos = after + 1;
                Some(Part::Dynamic { span: s..self.pos })
            }
            _ => None,
        }
    }
}

/// The cooked value of a `${X:-default}` default when it is plain text.
fn cook_default(d: &[u8]) -> Option<String> {
    if d.iter().any(|&c| matches!(c, b'$' | b'`' | b'\\')) {
        return None;
    }
    let s = String::from_utf8_lossy(d);
    Some(s.replace(['"', '\''], ""))
}

/// `NAME` when `word` is an assignment `NAME=…` (the name unquoted).
fn assignment_name(src: &[u8], word: &Word) -> Option<String> {
    let raw = &src[word.span.clone()];
    let eq = raw.iter().position(|&c| c == b'=')?;
    let name = &raw[..eq];
    let name = name.strip_suffix(b"+").unwrap_or(name);
    if name.is_empty() || name[0].is_ascii_digit() || !name.iter().all(|&c| is_name_byte(c)) {
        return None;
    }
    Some(String::from_utf8_lossy(name).into_owned())
}

/// The value word of an assignment: the parts after the first `=`.
fn strip_assignment(src: &[u8], mut word: Word) -> Word {
    let raw = &src[word.span.clone()];
    let eq = raw.iter().position(|&c| c == b'=').unwrap_or(0);
    if let Some(Part::Lit(first)) = word.parts.first_mut() {
        if let Some(i) = first.find('=') {
            first.replace_range(..=i, "");
        }
        if first.is_empty() {
            word.parts.remove(0);
        }
    }
    word.span.start += eq + 1;
    word
}

fn heredoc_delimiter(src: &[u8], word: &Word) -> Vec<u8> {
    match word.literal() {
        Some(s) => s.into_bytes(),
        None => src[word.span.clone()]
            .iter()
            .copied()
            .filter(|&c| !matches!(c, b'"' | b'\'' | b'\\'))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
