//! The scanner: UTF-8 text to YAML tokens, deciding exactly what go-yaml's scanner decides.
//!
//! go-yaml (v2 and v3) ports libyaml's scanner. This one follows the same algorithm — the token
//! queue, the simple-key table and its quirks, indentation rolling, the 1024-character simple key
//! limit, the nesting limits — so that a document is accepted or rejected, and an error is placed
//! on a line, as go-yaml does it. It works on a byte slice instead of libyaml's decoded character
//! buffer and copies runs of plain text in bulk, which is where its speed comes from.
//!
//! Two flavors differ: v3 keeps at least three tokens queued and consumes comments with its own
//! look-ahead rules (both change which inputs fail, and when), v2 does neither.

use compact_str::CompactString;
use std::borrow::Cow;
use std::cell::Cell;

/// Which go-yaml's scanner and parser to mirror.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// go-yaml v2 (sigs.k8s.io/yaml).
    V2,
    /// go-yaml v3 (kyaml).
    V3,
}

/// A position: byte offset and 0-based line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Mark {
    pub pos: usize,
    pub line: usize,
}

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug)]
pub(crate) enum TokenKind {
    StreamStart,
    StreamEnd,
    VersionDirective {
        major: u8,
        minor: u8,
    },
    /// Handle and prefix.
    TagDirective(Box<(CompactString, CompactString)>),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(CompactString),
    Anchor(CompactString),
    /// Handle and suffix.
    Tag(Box<(CompactString, CompactString)>),
    Scalar {
        value: CompactString,
        style: ScalarStyle,
    },
}

#[derive(Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: Mark,
}

/// The token queue: a vector and a head index, like go-yaml's, since tokens are inserted before
/// queued ones (simple keys) and consumed from the front.
#[derive(Default)]
struct TokenQueue {
    items: Vec<Token>,
    head: usize,
}

impl TokenQueue {
    #[inline]
    fn len(&self) -> usize {
        self.items.len() - self.head
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.head == self.items.len()
    }

    #[inline]
    fn push_back(&mut self, token: Token) {
        self.items.push(token);
    }

    /// Inserts at position `at` counted from the head (`at <= len()`).
    #[inline]
    fn insert(&mut self, at: usize, token: Token) {
        self.items.insert(self.head + at, token);
    }

    #[inline]
    fn front(&self) -> Option<&Token> {
        self.items.get(self.head)
    }

    #[inline]
    fn back(&self) -> Option<&Token> {
        if self.is_empty() {
            None
        } else {
            self.items.last()
        }
    }

    #[inline]
    fn pop_front(&mut self) -> Option<Token> {
        let slot = self.items.get_mut(self.head)?;
        let token = std::mem::replace(
            slot,
            Token {
                kind: TokenKind::StreamEnd,
                start: Mark::default(),
            },
        );
        self.head += 1;
        if self.head == self.items.len() {
            self.items.clear();
            self.head = 0;
        } else if self.head >= 64 {
            // go-yaml's look-ahead never lets the queue run empty: drop the consumed prefix.
            self.items.drain(..self.head);
            self.head = 0;
        }
        Some(token)
    }
}

/// Which stage of go-yaml raised an error; it decides how the line is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    Reader,
    Scanner,
    Parser,
}

/// An error as go-yaml's C-style parser records it.
#[derive(Clone, Debug)]
pub(crate) struct RawError {
    pub stage: Stage,
    pub context_mark: Option<Mark>,
    pub problem_mark: Option<Mark>,
    pub problem: Cow<'static, str>,
}

impl RawError {
    /// The 1-based line go-yaml prints (`yaml: line N: ...`), if any: v3 prefers the context mark,
    /// v2 the problem mark; scanner errors add one, parser errors do not.
    pub fn line(&self, flavor: Flavor) -> Option<usize> {
        let scanner = usize::from(self.stage == Stage::Scanner);
        let ctx = self.context_mark.map_or(0, |m| m.line);
        let prob = self.problem_mark.map_or(0, |m| m.line);
        let line = match flavor {
            Flavor::V3 => {
                if ctx != 0 {
                    ctx + scanner
                } else if prob != 0 {
                    prob + scanner
                } else {
                    0
                }
            }
            Flavor::V2 => {
                if prob != 0 {
                    prob + scanner
                } else {
                    ctx
                }
            }
        };
        (line != 0).then_some(line)
    }
}

/// Errors are rare; boxing them keeps every `Result` the size of its value.
pub(crate) type Result<T> = std::result::Result<T, Box<RawError>>;

#[derive(Clone, Copy, Debug)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;

/// The scanner over one stream.
pub(crate) struct Scanner<'a> {
    src: &'a [u8],
    /// The same text as `src`, for slicing out values without re-validating them.
    text_src: &'a str,
    flavor: Flavor,
    pos: usize,
    line: usize,
    line_start: usize,
    /// Line breaks consumed since the last non-blank character (v3 comment logic).
    newlines: usize,
    stream_start_produced: bool,
    stream_end_fetched: bool,
    tokens: TokenQueue,
    tokens_parsed: usize,
    token_available: bool,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    /// go-yaml's `simple_keys_by_tok` map (token number to simple key level), with its stale
    /// entries: they change how far the scanner looks ahead.
    keys_by_tok: Vec<(usize, usize)>,
    flow_level: usize,
    /// Set when the input was cut where go-yaml's reader would fail: the reader's message.
    reader_error: Option<&'static str>,
    /// Whether the scanner looked at the cut.
    reader_hit: Cell<bool>,
    error: Option<Box<RawError>>,
    // Scratch buffers for scalars that need rewriting (folding, escapes).
    buf: String,
    leading_break: String,
    trailing_breaks: String,
    whitespaces: String,
}

#[inline]
fn utf8_width(c: u8) -> usize {
    if c < 0x80 {
        1
    } else if c & 0xE0 == 0xC0 {
        2
    } else if c & 0xF0 == 0xE0 {
        3
    } else if c & 0xF8 == 0xF0 {
        4
    } else {
        // Validated input never starts a character with a continuation byte.
        1
    }
}

/// Bytes that may end a run of plain-scalar text: bit 0 in any context, bit 1 in flow context
/// only. 0xC2 and 0xE2 lead the multi-byte line breaks (NEL, LS, PS).
static PLAIN_STOP: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b':' as usize] = 1;
    t[0xC2] = 1;
    t[0xE2] = 1;
    t[b',' as usize] = 2;
    t[b'?' as usize] = 2;
    t[b'[' as usize] = 2;
    t[b']' as usize] = 2;
    t[b'{' as usize] = 2;
    t[b'}' as usize] = 2;
    t
};

/// The offset of the first byte at or after `p` that is not a space.
#[inline]
pub(super) fn skip_spaces(src: &[u8], mut p: usize) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    while let Some(chunk) = src.get(p..p + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let diff = u64::from_le_bytes(word) ^ SPACES;
        if diff != 0 {
            return p + (diff.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while src.get(p) == Some(&b' ') {
        p += 1;
    }
    p
}

/// Whether `src[p..]` starts with a multi-byte line break (NEL, LS, PS).
#[inline]
fn is_unicode_break(src: &[u8], p: usize) -> bool {
    match src[p] {
        0xC2 => src.get(p + 1) == Some(&0x85),
        0xE2 => src.get(p + 1) == Some(&0x80) && matches!(src.get(p + 2), Some(0xA8 | 0xA9)),
        _ => false,
    }
}

#[inline]
pub(crate) fn is_alpha(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn count_chars(s: &[u8]) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.iter().filter(|&&c| c & 0xC0 != 0x80).count()
    }
}

impl<'a> Scanner<'a> {
    /// A scanner over `src`, which must be valid UTF-8 without characters go-yaml's reader
    /// rejects. When `reader_error` is given, `src` ends where go-yaml's reader would have failed
    /// with that message, and reaching the end reports it.
    pub fn new(text: &'a str, flavor: Flavor, reader_error: Option<&'static str>) -> Self {
        Scanner {
            src: text.as_bytes(),
            text_src: text,
            flavor,
            pos: 0,
            line: 0,
            line_start: 0,
            newlines: 0,
            stream_start_produced: false,
            stream_end_fetched: false,
            tokens: TokenQueue::default(),
            tokens_parsed: 0,
            token_available: false,
            indent: -1,
            indents: Vec::with_capacity(16),
            simple_key_allowed: false,
            simple_keys: Vec::with_capacity(8),
            keys_by_tok: Vec::with_capacity(8),
            flow_level: 0,
            reader_error,
            reader_hit: Cell::new(false),
            error: None,
            buf: String::new(),
            leading_break: String::new(),
            trailing_breaks: String::new(),
            whitespaces: String::new(),
        }
    }

    /// The whole text being scanned.
    pub fn source(&self) -> &'a [u8] {
        self.src
    }

    // -----------------------------------------------------------------------------------------
    // Character access.

    #[inline(always)]
    fn b(&self, i: usize) -> u8 {
        match self.src.get(self.pos + i) {
            Some(&c) => c,
            None => {
                if self.reader_error.is_some() {
                    self.reader_hit.set(true);
                }
                0
            }
        }
    }

    /// Notes a look at byte offset `at`: past the end of a cut input it is a reader failure.
    #[inline]
    fn touch(&self, at: usize) {
        if at >= self.src.len() && self.reader_error.is_some() {
            self.reader_hit.set(true);
        }
    }

    #[inline]
    fn is_blank(&self, i: usize) -> bool {
        matches!(self.b(i), b' ' | b'\t')
    }

    #[inline]
    fn is_break(&self, i: usize) -> bool {
        match self.b(i) {
            b'\r' | b'\n' => true,
            0xC2 => self.b(i + 1) == 0x85,
            0xE2 => self.b(i + 1) == 0x80 && matches!(self.b(i + 2), 0xA8 | 0xA9),
            _ => false,
        }
    }

    #[inline]
    fn is_z(&self, i: usize) -> bool {
        self.b(i) == 0
    }

    #[inline]
    fn is_breakz(&self, i: usize) -> bool {
        self.b(i) == 0 || self.is_break(i)
    }

    #[inline]
    fn is_blankz(&self, i: usize) -> bool {
        self.is_blank(i) || self.is_breakz(i)
    }

    #[inline]
    fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            line: self.line,
        }
    }

    /// The current column in characters.
    #[inline]
    fn column(&self) -> usize {
        let end = self.pos.min(self.src.len());
        count_chars(&self.src[self.line_start.min(end)..end]) + (self.pos - end)
    }

    #[inline]
    fn skip(&mut self) {
        let c = self.b(0);
        if c != b' ' && c != b'\t' {
            self.newlines = 0;
        }
        self.pos += utf8_width(c);
    }

    /// Consumes one line break (CR LF counting as one).
    #[inline]
    fn skip_line(&mut self) {
        if self.b(0) == b'\r' && self.b(1) == b'\n' {
            self.pos += 2;
        } else if self.is_break(0) {
            self.pos += utf8_width(self.b(0));
        } else {
            return;
        }
        self.line += 1;
        self.line_start = self.pos;
        self.newlines += 1;
    }

    /// Copies the current character into `out` and advances.
    #[inline]
    fn read_char(&mut self, out: &mut String) {
        let c = self.b(0);
        if c != b' ' && c != b'\t' {
            self.newlines = 0;
        }
        let w = utf8_width(c);
        let end = (self.pos + w).min(self.src.len());
        out.push_str(self.text(self.pos, end));
        self.pos += w;
    }

    /// Consumes a line break into `out`: CR, LF, CR LF and NEL become `\n`, LS and PS are kept.
    fn read_line(&mut self, out: &mut String) {
        let c = self.b(0);
        if c == b'\r' && self.b(1) == b'\n' {
            out.push('\n');
            self.pos += 2;
        } else if c == b'\r' || c == b'\n' {
            out.push('\n');
            self.pos += 1;
        } else if c == 0xC2 && self.b(1) == 0x85 {
            out.push('\n');
            self.pos += 2;
        } else if c == 0xE2 && self.b(1) == 0x80 && matches!(self.b(2), 0xA8 | 0xA9) {
            out.push_str(self.text(self.pos, self.pos + 3));
            self.pos += 3;
        } else {
            return;
        }
        self.line += 1;
        self.line_start = self.pos;
        self.newlines += 1;
    }

    /// The source text between two character boundaries.
    #[inline]
    fn text(&self, start: usize, end: usize) -> &'a str {
        // Both ends fall on character boundaries; `get` checks that in constant time.
        self.text_src.get(start..end).unwrap_or_default()
    }

    fn scanner_error(
        &self,
        context_mark: Mark,
        problem: impl Into<Cow<'static, str>>,
    ) -> Box<RawError> {
        if self.reader_hit.get() {
            return self.reader_raw_error();
        }
        Box::new(RawError {
            stage: Stage::Scanner,
            context_mark: Some(context_mark),
            problem_mark: Some(self.mark()),
            problem: problem.into(),
        })
    }

    fn reader_raw_error(&self) -> Box<RawError> {
        Box::new(RawError {
            stage: Stage::Reader,
            context_mark: None,
            problem_mark: None,
            problem: Cow::Borrowed(self.reader_error.unwrap_or("input error")),
        })
    }

    // -----------------------------------------------------------------------------------------
    // The parser's interface.

    /// The next token, fetching as go-yaml would.
    #[inline]
    pub fn peek(&mut self) -> Result<&Token> {
        if self.token_available && !self.tokens.is_empty() {
            return Ok(&self.tokens.items[self.tokens.head]);
        }
        self.peek_slow()
    }

    fn peek_slow(&mut self) -> Result<&Token> {
        if !self.token_available {
            if let Some(e) = &self.error {
                return Err(e.clone());
            }
            if let Err(e) = self.fetch_more_tokens() {
                let e = if self.reader_hit.get() {
                    self.reader_raw_error()
                } else {
                    e
                };
                self.error = Some(e.clone());
                return Err(e);
            }
            if self.reader_hit.get() {
                let e = self.reader_raw_error();
                self.error = Some(e.clone());
                return Err(e);
            }
        }
        match self.tokens.front() {
            Some(t) => Ok(t),
            None => Err(Box::new(RawError {
                stage: Stage::Parser,
                context_mark: None,
                problem_mark: None,
                problem: Cow::Borrowed("did not find expected <stream-start>"),
            })),
        }
    }

    /// Consumes the token `peek` returned.
    #[inline]
    pub fn skip_token(&mut self) -> Option<Token> {
        self.token_available = false;
        self.tokens_parsed += 1;
        self.tokens.pop_front()
    }

    // -----------------------------------------------------------------------------------------
    // Simple keys.

    fn key_map_get(&self, token_number: usize) -> Option<usize> {
        self.keys_by_tok
            .iter()
            .find(|(t, _)| *t == token_number)
            .map(|&(_, i)| i)
    }

    fn key_map_insert(&mut self, token_number: usize, level: usize) {
        // Entries for tokens already handed out can never be looked up again.
        let parsed = self.tokens_parsed;
        self.keys_by_tok.retain(|(t, _)| *t >= parsed);
        match self
            .keys_by_tok
            .iter_mut()
            .find(|(t, _)| *t == token_number)
        {
            Some(e) => e.1 = level,
            None => self.keys_by_tok.push((token_number, level)),
        }
    }

    fn key_map_delete(&mut self, token_number: usize) {
        if let Some(i) = self
            .keys_by_tok
            .iter()
            .position(|(t, _)| *t == token_number)
        {
            self.keys_by_tok.swap_remove(i);
        }
    }

    /// Whether the simple key at `level` can still be a key; a stale required key is an error.
    fn simple_key_is_valid(&mut self, level: usize) -> Result<bool> {
        let key = self.simple_keys[level];
        if !key.possible {
            return Ok(false);
        }
        let far = {
            let bytes = self.pos - key.mark.pos;
            bytes > 1024
                && count_chars(&self.src[key.mark.pos..self.pos.min(self.src.len())]) > 1024
        };
        if key.mark.line < self.line || far {
            if key.required {
                return Err(self.scanner_error(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[level].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> Result<()> {
        if !self.simple_key_allowed {
            return Ok(());
        }
        let required = self.flow_level == 0 && self.indent == self.column() as isize;
        let key = SimpleKey {
            possible: true,
            required,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark(),
        };
        self.remove_simple_key()?;
        let level = self.simple_keys.len() - 1;
        self.simple_keys[level] = key;
        self.key_map_insert(key.token_number, level);
        Ok(())
    }

    fn remove_simple_key(&mut self) -> Result<()> {
        let level = self.simple_keys.len() - 1;
        let key = self.simple_keys[level];
        if key.possible {
            if key.required {
                return Err(self.scanner_error(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[level].possible = false;
            self.key_map_delete(key.token_number);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> Result<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark(),
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let mark = self.simple_keys[self.simple_keys.len() - 1].mark;
            return Err(self.scanner_error(mark, format!("exceeded max depth of {MAX_FLOW_LEVEL}")));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(key) = self.simple_keys.pop() {
                // go-yaml deletes by the popped level's token number, which can be the enclosing
                // level's key (`[]: x`); kept for the look-ahead it changes.
                self.key_map_delete(key.token_number);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Indentation.

    /// Inserts a token at an absolute token number (go-yaml's `yaml_insert_token`).
    fn insert_token(&mut self, token_number: usize, token: Token) -> Result<()> {
        match token_number.checked_sub(self.tokens_parsed) {
            Some(at) if at <= self.tokens.len() => {
                self.tokens.insert(at, token);
                Ok(())
            }
            // The key's first token was already handed to the parser (only v2 gets here, for
            // an empty flow collection used as a key); go-yaml then splices the token among
            // tokens it already consumed and its parser loses track.
            _ => Err(Box::new(RawError {
                stage: Stage::Parser,
                context_mark: None,
                problem_mark: Some(token.start),
                problem: Cow::Borrowed("did not find expected key"),
            })),
        }
    }

    fn roll_indent(
        &mut self,
        column: usize,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> Result<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        let column = column as isize;
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let mark = self.simple_keys[self.simple_keys.len() - 1].mark;
                return Err(
                    self.scanner_error(mark, format!("exceeded max depth of {MAX_INDENTS}"))
                );
            }
            let token = Token { kind, start: mark };
            match number {
                Some(n) => self.insert_token(n, token)?,
                None => self.tokens.push_back(token),
            }
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            self.tokens.push_back(Token {
                kind: TokenKind::BlockEnd,
                start: self.mark(),
            });
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Fetching.

    fn fetch_more_tokens(&mut self) -> Result<()> {
        let mut extra_ends = 0;
        loop {
            let check_head = match self.flavor {
                Flavor::V3 => self.tokens.len() > 2,
                Flavor::V2 => !self.tokens.is_empty(),
            };
            if check_head {
                match self.key_map_get(self.tokens_parsed) {
                    None => break,
                    Some(level) => {
                        if level >= self.simple_keys.len() || !self.simple_key_is_valid(level)? {
                            break;
                        }
                    }
                }
            }
            if self.stream_end_fetched {
                // go-yaml keeps queuing STREAM-END tokens to fill its look-ahead, which lets the
                // head check above find a required simple key stale (`could not find expected
                // ':'`). Nothing else about a repeated stream end changes state.
                extra_ends += 1;
                if extra_ends > 3 {
                    break;
                }
                let m = self.mark();
                self.push(TokenKind::StreamEnd, m);
                continue;
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn fetch_next_token(&mut self) -> Result<()> {
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        if self.flow_level == 0 {
            let col = self.column() as isize;
            self.unroll_indent(col);
        }
        // go-yaml makes sure four characters are buffered here.
        let _ = self.b(3);
        if self.reader_hit.get() {
            return Err(self.reader_raw_error());
        }
        let c = self.b(0);
        if c == 0 {
            return self.fetch_stream_end();
        }
        let at_line_start = self.pos == self.line_start;
        if at_line_start && c == b'%' {
            return self.fetch_directive();
        }
        if at_line_start
            && ((c == b'-' && self.b(1) == b'-' && self.b(2) == b'-')
                || (c == b'.' && self.b(1) == b'.' && self.b(2) == b'.'))
            && self.is_blankz(3)
        {
            let kind = if c == b'-' {
                TokenKind::DocumentStart
            } else {
                TokenKind::DocumentEnd
            };
            return self.fetch_document_indicator(kind);
        }
        match c {
            b'[' => self.fetch_flow_collection_start(TokenKind::FlowSequenceStart)?,
            b'{' => self.fetch_flow_collection_start(TokenKind::FlowMappingStart)?,
            b']' => self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd)?,
            b'}' => self.fetch_flow_collection_end(TokenKind::FlowMappingEnd)?,
            b',' => self.fetch_flow_entry()?,
            b'-' if self.is_blankz(1) => self.fetch_block_entry()?,
            b'?' if self.flow_level > 0 || self.is_blankz(1) => self.fetch_key()?,
            b':' if self.flow_level > 0 || self.is_blankz(1) => self.fetch_value()?,
            b'*' => self.fetch_anchor(true)?,
            b'&' => self.fetch_anchor(false)?,
            b'!' => self.fetch_tag()?,
            b'|' if self.flow_level == 0 => self.fetch_block_scalar(true)?,
            b'>' if self.flow_level == 0 => self.fetch_block_scalar(false)?,
            b'\'' => self.fetch_flow_scalar(true)?,
            b'"' => self.fetch_flow_scalar(false)?,
            _ => {
                let plain = !(self.is_blankz(0)
                    || matches!(
                        c,
                        b'-' | b'?'
                            | b':'
                            | b','
                            | b'['
                            | b']'
                            | b'{'
                            | b'}'
                            | b'#'
                            | b'&'
                            | b'*'
                            | b'!'
                            | b'|'
                            | b'>'
                            | b'\''
                            | b'"'
                            | b'%'
                            | b'@'
                            | b'`'
                    ))
                    || (c == b'-' && !self.is_blank(1))
                    || (self.flow_level == 0 && (c == b'?' || c == b':') && !self.is_blankz(1));
                if !plain {
                    let m = self.mark();
                    return Err(
                        self.scanner_error(m, "found character that cannot start any token")
                    );
                }
                self.fetch_plain_scalar()?;
            }
        }
        if self.flavor == Flavor::V3
            && !matches!(
                self.tokens.back().map(|t| &t.kind),
                Some(TokenKind::BlockEntry)
            )
        {
            self.scan_line_comment();
        }
        Ok(())
    }

    fn push(&mut self, kind: TokenKind, start: Mark) {
        self.tokens.push_back(Token { kind, start });
    }

    fn fetch_stream_start(&mut self) -> Result<()> {
        self.indent = -1;
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: 0,
            mark: Mark::default(),
        });
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        let m = self.mark();
        self.push(TokenKind::StreamStart, m);
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> Result<()> {
        // Force a new line.
        if self.pos != self.line_start {
            self.line += 1;
            self.line_start = self.pos;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.stream_end_fetched = true;
        let m = self.mark();
        self.push(TokenKind::StreamEnd, m);
        Ok(())
    }

    fn fetch_directive(&mut self) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_directive()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> Result<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark();
        self.pos += 3;
        self.newlines = 0;
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> Result<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip();
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> Result<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark();
        self.skip();
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip();
        self.push(TokenKind::FlowEntry, start);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark();
                return Err(
                    self.scanner_error(m, "block sequence entries are not allowed in this context")
                );
            }
            let col = self.column();
            let m = self.mark();
            self.roll_indent(col, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark();
        self.skip();
        self.push(TokenKind::BlockEntry, start);
        Ok(())
    }

    fn fetch_key(&mut self) -> Result<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark();
                return Err(self.scanner_error(m, "mapping keys are not allowed in this context"));
            }
            let col = self.column();
            let m = self.mark();
            self.roll_indent(col, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark();
        self.skip();
        self.push(TokenKind::Key, start);
        Ok(())
    }

    fn fetch_value(&mut self) -> Result<()> {
        let level = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(level)? {
            let key = self.simple_keys[level];
            self.insert_token(
                key.token_number,
                Token {
                    kind: TokenKind::Key,
                    start: key.mark,
                },
            )?;
            // A valid simple key is on the current line, so its column counts from line_start.
            let key_col = count_chars(&self.src[self.line_start..key.mark.pos]);
            self.roll_indent(
                key_col,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[level].possible = false;
            self.key_map_delete(key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.mark();
                    return Err(
                        self.scanner_error(m, "mapping values are not allowed in this context")
                    );
                }
                let col = self.column();
                let m = self.mark();
                self.roll_indent(col, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark();
        self.skip();
        self.push(TokenKind::Value, start);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_anchor(alias)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_tag(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_tag()?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> Result<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let token = self.scan_block_scalar(literal)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_flow_scalar(single)?;
        self.tokens.push_back(token);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> Result<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let token = self.scan_plain_scalar()?;
        self.tokens.push_back(token);
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Whitespace and comments.

    fn scan_to_next_token(&mut self) -> Result<()> {
        loop {
            // Spaces, and tabs where they cannot be mistaken for indentation.
            let tabs_ok = self.flow_level > 0 || !self.simple_key_allowed;
            loop {
                match self.src.get(self.pos) {
                    Some(b' ') => self.pos = skip_spaces(self.src, self.pos),
                    Some(b'\t') if tabs_ok => self.pos += 1,
                    _ => break,
                }
            }
            if self.b(0) == b'#' {
                match self.flavor {
                    Flavor::V3 => self.scan_comments(),
                    Flavor::V2 => {
                        while !self.is_breakz(0) {
                            self.skip();
                        }
                    }
                }
            }
            if self.is_break(0) {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    /// Consumes the comment at the cursor and the text up to the end of its line.
    fn consume_comment_at(&mut self, target: usize) {
        // Skip the blanks and line breaks before the `#`.
        while self.pos < target {
            if self.is_break(0) {
                self.skip_line();
            } else {
                self.skip();
            }
        }
        if self.pos < self.src.len() {
            self.newlines = 0;
        }
        // The comment text, to the line break.
        while !self.is_breakz(0) {
            self.pos += utf8_width(self.b(0));
        }
    }

    /// v3's comment scan: the comment here, and any further comment lines that follow within
    /// go-yaml's 512-byte look-ahead (the blanks and empty lines between them go with them,
    /// unchecked for tabs).
    fn scan_comments(&mut self) {
        let mut peek = 0usize;
        while peek < 512 {
            let c = self.b(peek);
            if c == b' ' || c == b'\t' {
                peek += 1;
                continue;
            }
            if self.flow_level > 0 && (c == b']' || c == b'}') {
                break;
            }
            if self.is_breakz(peek) {
                if !self.is_break(peek) {
                    break;
                }
                peek += 1;
                continue;
            }
            if c != b'#' {
                break;
            }
            let target = self.pos + peek;
            self.consume_comment_at(target);
            // go-yaml resets its look-ahead to 0 and then increments it, so it resumes one
            // byte past the line break.
            peek = 1;
        }
    }

    /// v3's line comment: blanks and a `#` comment right after a token, on the same line.
    fn scan_line_comment(&mut self) {
        if self.newlines > 0 {
            return;
        }
        let mut peek = 0usize;
        while peek < 512 {
            let c = self.b(peek);
            if c == b' ' || c == b'\t' {
                peek += 1;
                continue;
            }
            if c == b'#' {
                let target = self.pos + peek;
                self.consume_comment_at(target);
            }
            break;
        }
    }

    // -----------------------------------------------------------------------------------------
    // Directives.

    fn scan_directive(&mut self) -> Result<Token> {
        let start = self.mark();
        self.skip();
        let name_start = self.pos;
        while is_alpha(self.b(0)) {
            self.skip();
        }
        let name = &self.src[name_start..self.pos];
        if name.is_empty() {
            return Err(self.scanner_error(start, "could not find expected directive name"));
        }
        if !self.is_blankz(0) {
            return Err(self.scanner_error(start, "found unexpected non-alphabetical character"));
        }
        let kind = if name == b"YAML" {
            while self.is_blank(0) {
                self.skip();
            }
            let major = self.scan_version_number(start)?;
            if self.b(0) != b'.' {
                return Err(
                    self.scanner_error(start, "did not find expected digit or '.' character")
                );
            }
            self.skip();
            let minor = self.scan_version_number(start)?;
            TokenKind::VersionDirective { major, minor }
        } else if name == b"TAG" {
            while self.is_blank(0) {
                self.skip();
            }
            let handle = self.scan_tag_handle(true, start)?;
            if !self.is_blank(0) {
                return Err(self.scanner_error(start, "did not find expected whitespace"));
            }
            while self.is_blank(0) {
                self.skip();
            }
            let prefix = self.scan_tag_uri(None, start)?;
            if !self.is_blankz(0) {
                return Err(
                    self.scanner_error(start, "did not find expected whitespace or line break")
                );
            }
            TokenKind::TagDirective(Box::new((handle, prefix)))
        } else {
            return Err(self.scanner_error(start, "found unknown directive name"));
        };
        while self.is_blank(0) {
            self.skip();
        }
        if self.b(0) == b'#' {
            while !self.is_breakz(0) {
                self.skip();
            }
        }
        if !self.is_breakz(0) {
            return Err(self.scanner_error(start, "did not find expected comment or line break"));
        }
        if self.is_break(0) {
            self.skip_line();
        }
        Ok(Token { kind, start })
    }

    fn scan_version_number(&mut self, start: Mark) -> Result<u8> {
        let mut value: u8 = 0;
        let mut length = 0;
        while self.b(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.scanner_error(start, "found extremely long version number"));
            }
            value = value * 10 + (self.b(0) - b'0');
            self.skip();
        }
        if length == 0 {
            return Err(self.scanner_error(start, "did not find expected version number"));
        }
        Ok(value)
    }

    // -----------------------------------------------------------------------------------------
    // Anchors and tags.

    fn scan_anchor(&mut self, alias: bool) -> Result<Token> {
        let start = self.mark();
        self.skip();
        let name_start = self.pos;
        while is_alpha(self.b(0)) {
            self.skip();
        }
        let name = self.text(name_start, self.pos);
        let c = self.b(0);
        if name.is_empty()
            || !(self.is_blankz(0)
                || matches!(c, b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            // go-yaml names the context but prints only the problem.
            return Err(self.scanner_error(
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let name = CompactString::from(name);
        let kind = if alias {
            TokenKind::Alias(name)
        } else {
            TokenKind::Anchor(name)
        };
        Ok(Token { kind, start })
    }

    fn scan_tag(&mut self) -> Result<Token> {
        let start = self.mark();
        let (handle, suffix);
        if self.b(1) == b'<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(None, start)?;
            if self.b(0) != b'>' {
                return Err(self.scanner_error(start, "did not find the expected '>'"));
            }
            self.skip();
            handle = CompactString::default();
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.len() > 1 && h.starts_with('!') && h.ends_with('!') {
                handle = h;
                suffix = self.scan_tag_uri(None, start)?;
            } else {
                let s = self.scan_tag_uri(Some(&h), start)?;
                if s.is_empty() {
                    // The `!` non-specific tag.
                    handle = CompactString::default();
                    suffix = CompactString::const_new("!");
                } else {
                    handle = CompactString::const_new("!");
                    suffix = s;
                }
            }
        }
        if !self.is_blankz(0) {
            return Err(self.scanner_error(start, "did not find expected whitespace or line break"));
        }
        Ok(Token {
            kind: TokenKind::Tag(Box::new((handle, suffix))),
            start,
        })
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> Result<CompactString> {
        if self.b(0) != b'!' {
            return Err(self.scanner_error(start, "did not find expected '!'"));
        }
        let begin = self.pos;
        self.skip();
        while is_alpha(self.b(0)) {
            self.skip();
        }
        if self.b(0) == b'!' {
            self.skip();
        } else if directive && self.pos - begin != 1 {
            return Err(self.scanner_error(start, "did not find expected '!'"));
        }
        Ok(CompactString::from(self.text(begin, self.pos)))
    }

    fn scan_tag_uri(&mut self, head: Option<&str>, start: Mark) -> Result<CompactString> {
        let mut bytes: Vec<u8> = Vec::new();
        if let Some(h) = head {
            if h.len() > 1 {
                bytes.extend_from_slice(&h.as_bytes()[1..]);
            }
        }
        let mut has_tag = head.is_some_and(|h| !h.is_empty());
        loop {
            let c = self.b(0);
            let uri = is_alpha(c)
                || matches!(
                    c,
                    b';' | b'/'
                        | b'?'
                        | b':'
                        | b'@'
                        | b'&'
                        | b'='
                        | b'+'
                        | b'$'
                        | b','
                        | b'.'
                        | b'!'
                        | b'~'
                        | b'*'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'%'
                );
            if !uri {
                break;
            }
            if c == b'%' {
                self.scan_uri_escapes(start, &mut bytes)?;
            } else {
                bytes.push(c);
                self.skip();
            }
            has_tag = true;
        }
        if !has_tag {
            return Err(self.scanner_error(start, "did not find expected tag URI"));
        }
        Ok(CompactString::from(String::from_utf8_lossy(&bytes)))
    }

    fn scan_uri_escapes(&mut self, start: Mark, out: &mut Vec<u8>) -> Result<()> {
        let mut width = usize::MAX;
        while width > 0 {
            let (c0, c1, c2) = (self.b(0), self.b(1), self.b(2));
            if !(c0 == b'%' && c1.is_ascii_hexdigit() && c2.is_ascii_hexdigit()) {
                return Err(self.scanner_error(start, "did not find URI escaped octet"));
            }
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            let octet = (hex(c1) << 4) + hex(c2);
            if width == usize::MAX {
                width = match octet {
                    o if o & 0x80 == 0 => 1,
                    o if o & 0xE0 == 0xC0 => 2,
                    o if o & 0xF0 == 0xE0 => 3,
                    o if o & 0xF8 == 0xF0 => 4,
                    _ => {
                        return Err(
                            self.scanner_error(start, "found an incorrect leading UTF-8 octet")
                        )
                    }
                };
            } else if octet & 0xC0 != 0x80 {
                return Err(self.scanner_error(start, "found an incorrect trailing UTF-8 octet"));
            }
            out.push(octet);
            self.pos += 3;
            self.newlines = 0;
            width -= 1;
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Block scalars.

    fn scan_block_scalar(&mut self, literal: bool) -> Result<Token> {
        let start = self.mark();
        self.skip();
        let mut chomping: i8 = 0;
        let mut increment: usize = 0;
        let c = self.b(0);
        if c == b'+' || c == b'-' {
            chomping = if c == b'+' { 1 } else { -1 };
            self.skip();
            if self.b(0).is_ascii_digit() {
                if self.b(0) == b'0' {
                    return Err(
                        self.scanner_error(start, "found an indentation indicator equal to 0")
                    );
                }
                increment = usize::from(self.b(0) - b'0');
                self.skip();
            }
        } else if c.is_ascii_digit() {
            if c == b'0' {
                return Err(self.scanner_error(start, "found an indentation indicator equal to 0"));
            }
            increment = usize::from(c - b'0');
            self.skip();
            let c = self.b(0);
            if c == b'+' || c == b'-' {
                chomping = if c == b'+' { 1 } else { -1 };
                self.skip();
            }
        }
        while self.is_blank(0) {
            self.skip();
        }
        if self.b(0) == b'#' {
            while !self.is_breakz(0) {
                self.skip();
            }
        }
        if !self.is_breakz(0) {
            return Err(self.scanner_error(start, "did not find expected comment or line break"));
        }
        if self.is_break(0) {
            self.skip_line();
        }
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        let mut leading_break = std::mem::take(&mut self.leading_break);
        leading_break.clear();
        let mut trailing_breaks = std::mem::take(&mut self.trailing_breaks);
        trailing_breaks.clear();
        let result = self.scan_block_scalar_body(
            start,
            literal,
            &mut indent,
            &mut s,
            &mut leading_break,
            &mut trailing_breaks,
        );
        if result.is_ok() {
            if chomping != -1 {
                s.push_str(&leading_break);
            }
            if chomping == 1 {
                s.push_str(&trailing_breaks);
            }
        }
        let value = CompactString::from(s.as_str());
        self.buf = s;
        self.leading_break = leading_break;
        self.trailing_breaks = trailing_breaks;
        result?;
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar { value, style },
            start,
        })
    }

    fn scan_block_scalar_body(
        &mut self,
        start: Mark,
        literal: bool,
        indent: &mut usize,
        s: &mut String,
        leading_break: &mut String,
        trailing_breaks: &mut String,
    ) -> Result<()> {
        self.block_scalar_breaks(indent, trailing_breaks, start)?;
        let mut leading_blank = false;
        while self.column() == *indent && !self.is_z(0) {
            let trailing_blank = self.is_blank(0);
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                if trailing_breaks.is_empty() {
                    s.push(' ');
                }
            } else {
                s.push_str(leading_break);
            }
            leading_break.clear();
            s.push_str(trailing_breaks);
            trailing_breaks.clear();
            leading_blank = self.is_blank(0);
            // The rest of the line, in one copy.
            let begin = self.pos;
            self.advance_to_break();
            if self.pos > begin {
                s.push_str(self.text(begin, self.pos));
                let line = &self.src[begin..self.pos];
                if !matches!(line[0], b' ' | b'\t') || line.iter().any(|&c| c != b' ' && c != b'\t')
                {
                    self.newlines = 0;
                }
            }
            self.read_line(leading_break);
            self.block_scalar_breaks(indent, trailing_breaks, start)?;
        }
        Ok(())
    }

    /// Moves the cursor to the next line break or the end of the input.
    #[inline]
    fn advance_to_break(&mut self) {
        let src = self.src;
        let from = self.pos;
        let end = memchr::memchr2(b'\n', b'\r', &src[from..]).map_or(src.len(), |i| from + i);
        // NEL, LS and PS break lines too; they are rare, so look for their lead bytes first.
        let mut p = end;
        let mut seg_from = from;
        while let Some(i) = memchr::memchr2(0xC2, 0xE2, &src[seg_from..end]) {
            if is_unicode_break(src, seg_from + i) {
                p = seg_from + i;
                break;
            }
            seg_from += i + 1;
        }
        self.pos = p;
        if p >= src.len() {
            // Looking at the end of a cut input is reaching go-yaml's reader failure.
            let _ = self.b(0);
        }
    }

    fn block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut String,
        start: Mark,
    ) -> Result<()> {
        let mut max_indent = 0usize;
        loop {
            let mut col = self.column();
            while (*indent == 0 || col < *indent) && self.b(0) == b' ' {
                self.pos += 1;
                col += 1;
            }
            if col > max_indent {
                max_indent = col;
            }
            if (*indent == 0 || col < *indent) && self.b(0) == b'\t' {
                return Err(self.scanner_error(
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !self.is_break(0) {
                break;
            }
            self.read_line(breaks);
        }
        if *indent == 0 {
            let floor = (self.indent + 1).max(1) as usize;
            *indent = max_indent.max(floor);
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Quoted scalars.

    fn scan_flow_scalar(&mut self, single: bool) -> Result<Token> {
        let start = self.mark();
        self.skip();
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        // Fast path: the closing quote on the same line, nothing to unescape.
        let src = self.src;
        let quote = if single { b'\'' } else { b'"' };
        let stop2 = if single { b'\'' } else { b'\\' };
        let p = self.pos;
        if let Some(i) = memchr::memchr3(quote, stop2, b'\n', &src[p..]) {
            let q = p + i;
            // A line break of another kind (CR, NEL, LS, PS) before it, an escape or a doubled
            // quote sends the scalar down the slow path.
            let seg = &src[p..q];
            let other_break = memchr::memchr3(b'\r', 0xC2, 0xE2, seg).is_some()
                && seg
                    .iter()
                    .enumerate()
                    .any(|(j, &c)| c == b'\r' || is_unicode_break(src, p + j));
            if !other_break && src[q] == quote && !(single && src.get(q + 1) == Some(&b'\'')) {
                let value = CompactString::from(self.text(p, q));
                self.pos = q + 1;
                self.newlines = 0;
                return Ok(Token {
                    kind: TokenKind::Scalar { value, style },
                    start,
                });
            }
        }
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        let r = self.scan_flow_scalar_slow(start, single, &mut s);
        let value = CompactString::from(s.as_str());
        self.buf = s;
        r?;
        Ok(Token {
            kind: TokenKind::Scalar { value, style },
            start,
        })
    }

    fn scan_flow_scalar_slow(&mut self, start: Mark, single: bool, s: &mut String) -> Result<()> {
        let mut leading_break = std::mem::take(&mut self.leading_break);
        let mut trailing_breaks = std::mem::take(&mut self.trailing_breaks);
        let mut whitespaces = std::mem::take(&mut self.whitespaces);
        leading_break.clear();
        trailing_breaks.clear();
        whitespaces.clear();
        let r = self.flow_scalar_loop(
            start,
            single,
            s,
            &mut leading_break,
            &mut trailing_breaks,
            &mut whitespaces,
        );
        self.leading_break = leading_break;
        self.trailing_breaks = trailing_breaks;
        self.whitespaces = whitespaces;
        r
    }

    fn flow_scalar_loop(
        &mut self,
        start: Mark,
        single: bool,
        s: &mut String,
        leading_break: &mut String,
        trailing_breaks: &mut String,
        whitespaces: &mut String,
    ) -> Result<()> {
        loop {
            // go-yaml buffers four characters here.
            let _ = self.b(3);
            if self.pos == self.line_start
                && ((self.b(0) == b'-' && self.b(1) == b'-' && self.b(2) == b'-')
                    || (self.b(0) == b'.' && self.b(1) == b'.' && self.b(2) == b'.'))
                && self.is_blankz(3)
            {
                return Err(self.scanner_error(start, "found unexpected document indicator"));
            }
            if self.is_z(0) {
                return Err(self.scanner_error(start, "found unexpected end of stream"));
            }
            let mut leading_blanks = false;
            while !self.is_blankz(0) {
                let c = self.b(0);
                if single && c == b'\'' && self.b(1) == b'\'' {
                    s.push('\'');
                    self.skip();
                    self.skip();
                } else if (single && c == b'\'') || (!single && c == b'"') {
                    break;
                } else if !single && c == b'\\' && self.is_break(1) {
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == b'\\' {
                    self.scan_escape(start, s)?;
                } else {
                    // A run of ordinary characters, copied at once.
                    let begin = self.pos;
                    self.skip();
                    loop {
                        let c = self.b(0);
                        if c == b' '
                            || c == b'\t'
                            || c == b'\r'
                            || c == b'\n'
                            || c == 0
                            || c == b'\''
                            || c == b'"'
                            || c == b'\\'
                            || c == 0xC2
                            || c == 0xE2
                        {
                            break;
                        }
                        self.pos += utf8_width(c);
                    }
                    s.push_str(self.text(begin, self.pos.min(self.src.len())));
                }
            }
            let c = self.b(0);
            if (single && c == b'\'') || (!single && c == b'"') {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if !leading_blanks {
                        self.read_char(whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_line(leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(trailing_breaks);
                }
            }
            if leading_blanks {
                if leading_break.starts_with('\n') {
                    if trailing_breaks.is_empty() {
                        s.push(' ');
                    } else {
                        s.push_str(trailing_breaks);
                    }
                } else {
                    s.push_str(leading_break);
                    s.push_str(trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break.clear();
            } else {
                s.push_str(whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        Ok(())
    }

    fn scan_escape(&mut self, start: Mark, s: &mut String) -> Result<()> {
        let code_length = match self.b(1) {
            b'0' => {
                s.push('\0');
                0
            }
            b'a' => {
                s.push('\x07');
                0
            }
            b'b' => {
                s.push('\x08');
                0
            }
            b't' | b'\t' => {
                s.push('\t');
                0
            }
            b'n' => {
                s.push('\n');
                0
            }
            b'v' => {
                s.push('\x0B');
                0
            }
            b'f' => {
                s.push('\x0C');
                0
            }
            b'r' => {
                s.push('\r');
                0
            }
            b'e' => {
                s.push('\x1B');
                0
            }
            b' ' => {
                s.push(' ');
                0
            }
            b'"' => {
                s.push('"');
                0
            }
            b'\'' => {
                s.push('\'');
                0
            }
            b'\\' => {
                s.push('\\');
                0
            }
            b'N' => {
                s.push('\u{85}');
                0
            }
            b'_' => {
                s.push('\u{A0}');
                0
            }
            b'L' => {
                s.push('\u{2028}');
                0
            }
            b'P' => {
                s.push('\u{2029}');
                0
            }
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return Err(self.scanner_error(start, "found unknown escape character")),
        };
        self.skip();
        self.skip();
        if code_length > 0 {
            let mut value: u32 = 0;
            for k in 0..code_length {
                let c = self.b(k);
                let Some(d) = (c as char).to_digit(16) else {
                    return Err(
                        self.scanner_error(start, "did not find expected hexdecimal number")
                    );
                };
                value = (value << 4) + d;
            }
            let Some(ch) = char::from_u32(value) else {
                return Err(
                    self.scanner_error(start, "found invalid Unicode character escape code")
                );
            };
            s.push(ch);
            self.pos += code_length;
            self.newlines = 0;
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Plain scalars.

    fn scan_plain_scalar(&mut self) -> Result<Token> {
        let start = self.mark();
        let indent = self.indent + 1;
        let flow = self.flow_level > 0;
        // The value is `src[start.pos..end]` until folding forces a copy into `owned`.
        let mut end = start.pos;
        let mut owned: Option<String> = None;
        let mut leading_break = std::mem::take(&mut self.leading_break);
        let mut trailing_breaks = std::mem::take(&mut self.trailing_breaks);
        leading_break.clear();
        trailing_breaks.clear();
        // Where the whitespace since the last chunk starts, while no line break followed it.
        let mut pending_ws: Option<usize> = None;
        let mut leading_blanks = false;
        let mut result = Ok(());
        let src = self.src;
        let text_src = self.text_src;
        'outer: loop {
            // go-yaml buffers four characters here.
            let _ = self.b(3);
            if self.pos == self.line_start
                && ((self.b(0) == b'-' && self.b(1) == b'-' && self.b(2) == b'-')
                    || (self.b(0) == b'.' && self.b(1) == b'.' && self.b(2) == b'.'))
                && self.is_blankz(3)
            {
                break;
            }
            if self.b(0) == b'#' {
                break;
            }
            // A run of non-blank characters.
            let chunk_start = self.pos;
            let mut p = self.pos;
            let stop_mask = if flow { 3 } else { 1 };
            loop {
                while p < src.len() && PLAIN_STOP[src[p] as usize] & stop_mask == 0 {
                    p += 1;
                }
                if p >= src.len() {
                    break;
                }
                match src[p] {
                    b':' => {
                        let n = match src.get(p + 1) {
                            Some(&n) => n,
                            None => {
                                self.touch(p + 1);
                                0
                            }
                        };
                        let blankz = match n {
                            0 | b' ' | b'\t' | b'\r' | b'\n' => true,
                            0xC2 | 0xE2 => is_unicode_break(src, p + 1),
                            _ => false,
                        };
                        if blankz {
                            break;
                        }
                        p += 1;
                    }
                    0xC2 | 0xE2 => {
                        if is_unicode_break(src, p) {
                            break;
                        }
                        p += 1;
                    }
                    _ => break,
                }
            }
            if p >= src.len() {
                // Reaching the end of a cut input counts as reading past it.
                self.touch(p);
            }
            if p > chunk_start {
                // Join what was folded or skipped since the last chunk.
                if leading_blanks {
                    let s = owned.get_or_insert_with(|| {
                        let mut s = String::with_capacity(64);
                        s.push_str(self_text(text_src, start.pos, end));
                        s
                    });
                    if leading_break.starts_with('\n') {
                        if trailing_breaks.is_empty() {
                            s.push(' ');
                        } else {
                            s.push_str(&trailing_breaks);
                        }
                    } else {
                        s.push_str(&leading_break);
                        s.push_str(&trailing_breaks);
                    }
                    trailing_breaks.clear();
                    leading_break.clear();
                    leading_blanks = false;
                } else if let Some(ws) = pending_ws.take() {
                    // Same-line whitespace: still in the source, right before this chunk.
                    if let Some(s) = owned.as_mut() {
                        s.push_str(self_text(text_src, ws, chunk_start));
                    }
                }
                if let Some(s) = owned.as_mut() {
                    s.push_str(self_text(text_src, chunk_start, p));
                }
                self.pos = p;
                end = p;
                self.newlines = 0;
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            // Blanks and line breaks.
            loop {
                let Some(&c) = src.get(self.pos) else {
                    self.touch(self.pos);
                    break;
                };
                if c == b' ' {
                    if !leading_blanks && pending_ws.is_none() {
                        pending_ws = Some(self.pos);
                    }
                    self.pos = skip_spaces(src, self.pos);
                } else if c == b'\t' {
                    if leading_blanks && ((self.pos - self.line_start) as isize) < indent {
                        result = Err(self.scanner_error(
                            start,
                            "found a tab character that violates indentation",
                        ));
                        break 'outer;
                    }
                    if !leading_blanks && pending_ws.is_none() {
                        pending_ws = Some(self.pos);
                    }
                    self.pos += 1;
                } else if c == b'\n' || c == b'\r' || is_unicode_break(src, self.pos) {
                    if !leading_blanks {
                        pending_ws = None;
                        self.read_line(&mut leading_break);
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                } else {
                    break;
                }
            }
            if !flow && leading_blanks && ((self.pos - self.line_start) as isize) < indent {
                break;
            }
        }
        self.leading_break = leading_break;
        self.trailing_breaks = trailing_breaks;
        result?;
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        let value = match owned {
            Some(s) => CompactString::from(s),
            None => CompactString::from(self_text(text_src, start.pos, end)),
        };
        Ok(Token {
            kind: TokenKind::Scalar {
                value,
                style: ScalarStyle::Plain,
            },
            start,
        })
    }
}

#[inline]
fn self_text(src: &str, start: usize, end: usize) -> &str {
    src.get(start..end).unwrap_or_default()
}
