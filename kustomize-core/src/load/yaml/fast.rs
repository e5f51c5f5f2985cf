//! The fast path: a direct, line-oriented reader for the YAML that Kubernetes manifests nearly
//! always are, building the same [`Node`]s as the exact reader without its token queue.
//!
//! It understands block mappings and sequences (indentless sequences and compact `- key: v`
//! items included), plain and quoted scalars (folded over several lines as go-yaml folds them),
//! literal and folded block scalars, empty flow collections and one-line flow sequences of
//! simple scalars, and comments. On anything else — or anything it is not sure the exact reader
//! accepts with the same meaning (tabs outside scalar text, anchors, tags, merge keys, null or
//! duplicate keys, multi-line flow collections, document markers or directives inside a piece,
//! odd indentation, …) — it declines, and the caller reads the whole piece with the exact
//! reader. So errors, and every decision on unusual input, stay the exact reader's; this one
//! only has to be right when it answers, which `compare_readers` and a fuzz target check.
//!
//! It reads text as `input::decode` hands it to the exact reader when there is no reader
//! error: valid UTF-8 without a byte order mark or characters go-yaml refuses.

use super::resolve;
use super::scanner::skip_spaces;
use super::Schema;
use crate::node::{Mapping, Node, Scalar, Tag};
use compact_str::CompactString;

/// The fast path declined (at this line of this file, for tests that ask why); the exact
/// reader takes over.
#[derive(Debug)]
pub(crate) struct Bail(#[cfg_attr(not(test), allow(dead_code))] u32);

macro_rules! bail {
    () => {
        Bail(line!())
    };
}

type R<T> = Result<T, Bail>;

/// Deeper nesting is left to the exact reader (which needs no recursion).
const MAX_DEPTH: usize = 200;

/// go-yaml refuses a simple key longer than 1024 characters; well short of that is certain.
const MAX_KEY_LEN: usize = 1000;

/// Buffers the fast path reuses from one document to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    items: Vec<Node>,
    entries: Vec<(Scalar, Node)>,
    buf: String,
}

/// Reads one document's text (a piece of a resource file, or a whole configuration file) as the
/// exact reader would with `schema`: `None` when the fast path cannot be sure of the answer.
///
/// A text holding no document gives [`Node::null()`].
pub(crate) fn parse(text: &str, schema: Schema, scratch: &mut Scratch) -> Option<Node> {
    run(text, schema, scratch).ok()
}

/// Like [`parse`], with the line of `fast.rs` that declined and the byte offset it had reached.
#[cfg(test)]
pub(crate) fn explain(text: &str, schema: Schema) -> Result<Node, (u32, usize)> {
    run(text, schema, &mut Scratch::default())
}

fn run(text: &str, schema: Schema, scratch: &mut Scratch) -> Result<Node, (u32, usize)> {
    let src = text.as_bytes();
    // A second byte order mark is text to go-yaml; odd line breaks split lines differently.
    if text.starts_with('\u{FEFF}') || has_odd_breaks(src) {
        return Err((line!(), 0));
    }
    let mut p = Fast {
        src,
        text,
        schema,
        pos: 0,
        peeked: None,
        depth: 0,
        items: std::mem::take(&mut scratch.items),
        entries: std::mem::take(&mut scratch.entries),
        buf: std::mem::take(&mut scratch.buf),
    };
    let result = p.document().map_err(|b| (b.0, p.pos));
    // A declined document may leave partial collections behind.
    p.items.clear();
    p.entries.clear();
    scratch.items = p.items;
    scratch.entries = p.entries;
    scratch.buf = p.buf;
    result
}

/// Line breaks other than LF (CR, NEL, LS, PS): the fast path splits lines on LF only.
fn has_odd_breaks(src: &[u8]) -> bool {
    if memchr::memchr(b'\r', src).is_some() {
        return true;
    }
    let mut from = 0;
    while let Some(i) = memchr::memchr2(0xC2, 0xE2, &src[from..]) {
        let at = from + i;
        match src[at] {
            0xC2 if src.get(at + 1) == Some(&0x85) => return true,
            0xE2 if src.get(at + 1) == Some(&0x80)
                && matches!(src.get(at + 2), Some(0xA8 | 0xA9)) =>
            {
                return true
            }
            _ => {}
        }
        from = at + 1;
    }
    false
}

/// A line with content: its indentation and where its content starts.
#[derive(Clone, Copy)]
struct Line {
    indent: usize,
    body: usize,
}

/// What a plain scalar on one line turned out to be.
enum Plain {
    /// A mapping key: the text ends at `end`, its `:` is at `colon`.
    Key { end: usize, colon: usize },
    /// A value: the text ends at `end` (trailing blanks excluded), before a comment if
    /// `comment`. The line's break (or the comment's `#`) is at `eol`.
    Value {
        end: usize,
        comment: bool,
        eol: usize,
    },
}

struct Fast<'a> {
    src: &'a [u8],
    text: &'a str,
    schema: Schema,
    /// Start of the first line not read yet.
    pos: usize,
    /// The last line `peek_line` found, and where it starts.
    peeked: Option<(usize, Line)>,
    depth: usize,
    /// Items of the open sequences and entries of the open mappings: shared so that each
    /// finished collection is one exact-size allocation.
    items: Vec<Node>,
    entries: Vec<(Scalar, Node)>,
    /// Scratch for scalars that need rewriting (escapes, folding).
    buf: String,
}

impl<'a> Fast<'a> {
    fn document(&mut self) -> R<Node> {
        if self.src.starts_with(b"---") {
            // An explicit document start, alone on its line.
            match self.src.get(3) {
                None | Some(b'\n') | Some(b' ') => {}
                _ => return Err(bail!()),
            }
            self.finish_line(3)?;
            if self.peek_line()?.is_none() {
                // An explicit empty document is an empty scalar, not "no document".
                return Err(bail!());
            }
        }
        let Some(line) = self.peek_line()? else {
            return Ok(Node::null());
        };
        let root = self.block_collection(line)?;
        if self.peek_line()?.is_some() {
            return Err(bail!());
        }
        Ok(root)
    }

    // -----------------------------------------------------------------------------------------
    // Lines.

    #[inline]
    fn byte(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    #[inline]
    fn skip_spaces(&self, i: usize) -> usize {
        if self.src.get(i) != Some(&b' ') {
            return i;
        }
        skip_spaces(self.src, i + 1)
    }

    /// The offset of the LF ending the line that holds `i`, or the end of the text.
    #[inline]
    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.src[i..]).map_or(self.src.len(), |n| i + n)
    }

    /// Moves to the start of the line after the one holding `i`.
    #[inline]
    fn next_line_from(&mut self, i: usize) {
        let e = self.line_end(i);
        self.pos = (e + 1).min(self.src.len());
    }

    /// Skips blank and comment lines; the next line with content, left unread (the cursor is
    /// at its start). `None` at the end of the text.
    fn peek_line(&mut self) -> R<Option<Line>> {
        if let Some((at, line)) = self.peeked {
            if at == self.pos {
                return Ok(Some(line));
            }
        }
        loop {
            let start = self.pos;
            if start >= self.src.len() {
                return Ok(None);
            }
            let body = self.skip_spaces(start);
            match self.byte(body) {
                b'\n' => self.pos = body + 1,
                0 if body >= self.src.len() => {
                    self.pos = body;
                    return Ok(None);
                }
                b'#' => self.next_line_from(body),
                b'\t' => return Err(bail!()),
                _ => {
                    let line = self.content_line(start, body)?;
                    self.peeked = Some((start, line));
                    return Ok(Some(line));
                }
            }
        }
    }

    /// The line starting at `start` whose content starts at `body`.
    #[inline]
    fn content_line(&self, start: usize, body: usize) -> R<Line> {
        let indent = body - start;
        let c = self.src[body];
        if indent == 0 && (c == b'%' || c == b'-' || c == b'.') {
            // Directives and document markers (`---`, `...`) end documents.
            let s = &self.src[body..];
            if c == b'%' || s.starts_with(b"---") || s.starts_with(b"...") {
                return Err(bail!());
            }
        }
        Ok(Line { indent, body })
    }

    /// Ends the current line at `i`: only blanks and a comment (after a space) may follow.
    fn finish_line(&mut self, i: usize) -> R<()> {
        let r = self.skip_spaces(i);
        match self.byte(r) {
            b'\n' => {
                self.pos = r + 1;
                Ok(())
            }
            0 if r >= self.src.len() => {
                self.pos = r;
                Ok(())
            }
            b'#' if r > i => {
                self.next_line_from(r);
                Ok(())
            }
            _ => Err(bail!()),
        }
    }

    /// Whether a `-` at `i` starts a block sequence entry.
    #[inline]
    fn is_entry(&self, i: usize) -> bool {
        self.byte(i) == b'-'
            && matches!(self.byte(i + 1), b' ' | b'\n' | 0)
            && (self.byte(i + 1) != 0 || i + 1 >= self.src.len())
    }

    // -----------------------------------------------------------------------------------------
    // Collections.

    /// A block collection starting at a line's content.
    fn block_collection(&mut self, line: Line) -> R<Node> {
        if self.is_entry(line.body) {
            self.sequence(line.body, line.indent)
        } else {
            self.mapping(line.body, line.indent)
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(bail!());
        }
        Ok(())
    }

    /// A block sequence whose first `-` is at `dash`, in column `col`.
    fn sequence(&mut self, mut dash: usize, col: usize) -> R<Node> {
        self.enter()?;
        let start = self.items.len();
        loop {
            let after = dash + 1;
            let r = self.skip_spaces(after);
            let item = match self.byte(r) {
                b'\n' => {
                    self.pos = r + 1;
                    self.nested_or_empty(col)?
                }
                0 if r >= self.src.len() => {
                    self.pos = r;
                    self.empty()
                }
                b'#' if r > after => {
                    self.next_line_from(r);
                    self.nested_or_empty(col)?
                }
                _ => self.entry_content(r, col + (r - dash), col)?,
            };
            self.items.push(item);
            match self.peek_line()? {
                Some(l) if l.indent == col && self.is_entry(l.body) => dash = l.body,
                Some(l) if l.indent > col => return Err(bail!()),
                // The end of this sequence; whoever holds it judges the line.
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(Node::Seq(self.items.split_off(start)))
    }

    /// The value of an entry or key whose content starts on a later line: a collection indented
    /// deeper than `col`, or nothing.
    fn nested_or_empty(&mut self, col: usize) -> R<Node> {
        match self.peek_line()? {
            Some(l) if l.indent > col => self.nested_node(l, col),
            _ => Ok(self.empty()),
        }
    }

    /// A node that starts a line of its own, indented deeper than the column `col` of the
    /// collection it belongs to.
    fn nested_node(&mut self, l: Line, col: usize) -> R<Node> {
        let i = l.body;
        match self.byte(i) {
            b'-' if self.is_entry(i) => self.sequence(i, l.indent),
            b'"' | b'\'' => {
                let (scalar, after) = self.quoted(i, Some(col))?;
                let r = self.skip_spaces(after);
                if self.byte(r) == b':' {
                    self.mapping(i, l.indent)
                } else {
                    self.finish_line(after)?;
                    Ok(Node::Scalar(scalar))
                }
            }
            b'|' | b'>' => self.block_scalar(i, col),
            b'[' | b'{' => self.flow(i),
            _ => {
                self.plain_start(i)?;
                match self.scan_plain(i)? {
                    Plain::Key { .. } => self.mapping(i, l.indent),
                    Plain::Value { end, comment, eol } => {
                        self.plain_value(i, end, comment, eol, col)
                    }
                }
            }
        }
    }

    /// The content of a sequence entry on the entry's own line, at `i` (column `at_col`); `col`
    /// is the sequence's column.
    fn entry_content(&mut self, i: usize, at_col: usize, col: usize) -> R<Node> {
        match self.byte(i) {
            b'-' if self.is_entry(i) => self.sequence(i, at_col),
            b'"' | b'\'' => {
                let (scalar, after) = self.quoted(i, Some(col))?;
                let r = self.skip_spaces(after);
                if self.byte(r) == b':' {
                    // A quoted key: a compact mapping.
                    self.mapping(i, at_col)
                } else {
                    self.finish_line(after)?;
                    Ok(Node::Scalar(scalar))
                }
            }
            b'|' | b'>' => self.block_scalar(i, col),
            b'[' | b'{' => self.flow(i),
            _ => {
                self.plain_start(i)?;
                match self.scan_plain(i)? {
                    Plain::Key { .. } => self.mapping(i, at_col),
                    Plain::Value { end, comment, eol } => {
                        self.plain_value(i, end, comment, eol, col)
                    }
                }
            }
        }
    }

    /// A block mapping whose first key starts at `key` in column `col`.
    fn mapping(&mut self, mut key: usize, col: usize) -> R<Node> {
        self.enter()?;
        let start = self.entries.len();
        loop {
            let (k, colon) = self.key(key)?;
            let value = self.value(colon + 1, col)?;
            self.entries.push((k, value));
            match self.peek_line()? {
                Some(l) if l.indent == col && !self.is_entry(l.body) => key = l.body,
                Some(l) if l.indent < col => break,
                None => break,
                Some(_) => return Err(bail!()),
            }
        }
        self.depth -= 1;
        let entries = self.entries.split_off(start);
        if has_duplicates(&entries) {
            // The exact reader reports (or, unchecked, keeps) them.
            return Err(bail!());
        }
        Ok(Node::Map(Mapping::from_entries(entries)))
    }

    /// A mapping key at `i`: the key and the offset of its `:`.
    fn key(&mut self, i: usize) -> R<(Scalar, usize)> {
        let (scalar, colon) = match self.byte(i) {
            b'"' | b'\'' => {
                let (scalar, after) = self.quoted(i, None)?;
                let r = self.skip_spaces(after);
                if self.byte(r) != b':' || !matches!(self.byte(r + 1), b' ' | b'\n' | 0) {
                    return Err(bail!());
                }
                (scalar, r)
            }
            _ => {
                self.plain_start(i)?;
                let Plain::Key { end, colon } = self.scan_plain(i)? else {
                    return Err(bail!());
                };
                if &self.src[i..end] == b"<<" {
                    return Err(bail!());
                }
                (self.plain_scalar(i, end), colon)
            }
        };
        if colon - i > MAX_KEY_LEN {
            return Err(bail!());
        }
        match (self.schema, scalar.tag) {
            // A null key is reported by go-yaml's decode.
            (_, Tag::Null) => return Err(bail!()),
            // go-yaml v2 compares keys as Go values: only strings compare as their text.
            (Schema::Yaml11, t) if t != Tag::Str => return Err(bail!()),
            _ => {}
        }
        Ok((scalar, colon))
    }

    /// The value after a key's `:` (at `i`), in a mapping at column `col`.
    fn value(&mut self, i: usize, col: usize) -> R<Node> {
        let r = self.skip_spaces(i);
        match self.byte(r) {
            b'\n' => {
                self.pos = r + 1;
                self.nested_value(col)
            }
            0 if r >= self.src.len() => {
                self.pos = r;
                Ok(self.empty())
            }
            b'#' if r > i => {
                self.next_line_from(r);
                self.nested_value(col)
            }
            b'"' | b'\'' => {
                let (scalar, after) = self.quoted(r, Some(col))?;
                self.finish_line(after)?;
                Ok(Node::Scalar(scalar))
            }
            b'|' | b'>' => self.block_scalar(r, col),
            b'[' | b'{' => self.flow(r),
            _ => {
                self.plain_start(r)?;
                match self.scan_plain(r)? {
                    Plain::Key { .. } => Err(bail!()),
                    Plain::Value { end, comment, eol } => {
                        self.plain_value(r, end, comment, eol, col)
                    }
                }
            }
        }
    }

    /// A key's value on later lines: a deeper collection, a sequence at the key's own column,
    /// or nothing.
    fn nested_value(&mut self, col: usize) -> R<Node> {
        match self.peek_line()? {
            Some(l) if l.indent > col => self.nested_node(l, col),
            Some(l) if l.indent == col && self.is_entry(l.body) => self.sequence(l.body, col),
            _ => Ok(self.empty()),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Scalars.

    /// The empty plain scalar go-yaml's parser supplies for a missing value.
    fn empty(&self) -> Node {
        Node::Scalar(Scalar {
            text: CompactString::const_new(""),
            tag: resolve::resolve_plain("", self.schema),
        })
    }

    /// Fails unless a plain scalar may start at `i` (a conservative subset of go-yaml's rule).
    #[inline]
    fn plain_start(&self, i: usize) -> R<()> {
        match self.byte(i) {
            b'-' => match self.byte(i + 1) {
                b' ' | b'\t' | b'\n' | 0 => Err(bail!()),
                _ => Ok(()),
            },
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
            | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\t' | b'\n' | 0 => Err(bail!()),
            _ => Ok(()),
        }
    }

    /// Scans a plain scalar starting at `i` to the end of its line: a key if a `:` followed by
    /// a blank comes first, else a value ending before a comment or the line's end.
    fn scan_plain(&self, i: usize) -> R<Plain> {
        let mut from = i;
        loop {
            let at = find_special(self.src, from);
            match self.byte(at) {
                b':' => match self.byte(at + 1) {
                    b' ' | b'\n' => {
                        return Ok(Plain::Key {
                            end: self.trim_end(i, at),
                            colon: at,
                        })
                    }
                    0 if at + 1 >= self.src.len() => {
                        return Ok(Plain::Key {
                            end: self.trim_end(i, at),
                            colon: at,
                        })
                    }
                    b'\t' => return Err(bail!()),
                    _ => {}
                },
                b'#' => {
                    if at > i && matches!(self.src[at - 1], b' ' | b'\t') {
                        return Ok(Plain::Value {
                            end: self.trim_end(i, at),
                            comment: true,
                            eol: at,
                        });
                    }
                }
                _ => {
                    // A line break or the end of the text.
                    return Ok(Plain::Value {
                        end: self.trim_end(i, at),
                        comment: false,
                        eol: at,
                    });
                }
            }
            from = at + 1;
        }
    }

    /// A plain scalar value whose first line is `text[i..end]`, in a collection at column
    /// `col`: more lines indented deeper than `col` continue it (go-yaml folds them), unless a
    /// comment ended the first line.
    fn plain_value(
        &mut self,
        i: usize,
        end: usize,
        comment: bool,
        eol: usize,
        col: usize,
    ) -> R<Node> {
        if comment {
            let scalar = self.plain_scalar(i, end);
            self.next_line_from(eol);
            return Ok(Node::Scalar(scalar));
        }
        let first_end = end;
        let mut p = eol;
        // Set once a second line joins: the folded text.
        let mut folded: Option<String> = None;
        loop {
            if p >= self.src.len() {
                self.pos = p;
                break;
            }
            // `p` is at a line break; count the empty lines after it.
            p += 1;
            let mut empty = 0usize;
            let (line_start, q) = loop {
                let line_start = p;
                let q = self.skip_spaces(p);
                match self.byte(q) {
                    b'\n' => {
                        empty += 1;
                        p = q + 1;
                    }
                    b'\t' => return Err(bail!()),
                    _ => break (line_start, q),
                }
            };
            // The end of the text, a shallower line, or a comment line end the scalar.
            if q >= self.src.len() || self.byte(q) == b'#' {
                self.pos = line_start;
                break;
            }
            if q - line_start <= col {
                // The next line with content: what `peek_line` would find there.
                self.pos = line_start;
                let line = self.content_line(line_start, q)?;
                self.peeked = Some((line_start, line));
                break;
            }
            let (line_text_end, comment, line_eol) = match self.scan_plain(q)? {
                Plain::Key { .. } => return Err(bail!()),
                Plain::Value { end, comment, eol } => (end, comment, eol),
            };
            let s = folded.get_or_insert_with(|| {
                let mut s = std::mem::take(&mut self.buf);
                s.clear();
                s.push_str(&self.text[i..first_end]);
                s
            });
            if empty == 0 {
                s.push(' ');
            } else {
                push_breaks(s, empty);
            }
            s.push_str(&self.text[q..line_text_end]);
            if comment {
                self.next_line_from(line_eol);
                break;
            }
            p = line_eol;
        }
        let scalar = match folded {
            None => self.plain_scalar(i, first_end),
            Some(s) => {
                let scalar = self.resolved(&s);
                self.buf = s;
                scalar
            }
        };
        Ok(Node::Scalar(scalar))
    }

    /// `end` moved back over blanks, not before `start`.
    #[inline]
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && matches!(self.src[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        end
    }

    /// The plain scalar `text[i..end]`, resolved.
    fn plain_scalar(&self, i: usize, end: usize) -> Scalar {
        self.resolved(&self.text[i..end])
    }

    /// A plain scalar's text, resolved.
    fn resolved(&self, text: &str) -> Scalar {
        let tag = match resolve::resolve_plain(text, self.schema) {
            // Decoded into Go values, go-yaml v2 gives timestamps as their text.
            Tag::Timestamp if self.schema == Schema::Yaml11 => Tag::Str,
            t => t,
        };
        Scalar {
            text: CompactString::from(text),
            tag,
        }
    }

    /// A quoted scalar starting at `i`: the scalar and the offset after its closing quote. It
    /// may span lines only when `container` is given (a value in a collection at that column),
    /// and then only over lines indented deeper than that column.
    fn quoted(&mut self, i: usize, container: Option<usize>) -> R<(Scalar, usize)> {
        let single = self.byte(i) == b'\'';
        let (quote, other) = if single {
            (b'\'', b'\'')
        } else {
            (b'"', b'\\')
        };
        let start = i + 1;
        let e = self.line_end(i);
        // The common case: closed on the same line, nothing to unescape.
        if let Some(n) = memchr::memchr2(quote, other, &self.src[start..e]) {
            let at = start + n;
            if self.src[at] == quote && !(single && self.byte(at + 1) == b'\'') {
                return Ok((Scalar::string(&self.text[start..at]), at + 1));
            }
        }
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        let r = self.quoted_slow(start, single, container, &mut s);
        let out = r.map(|after| (Scalar::string(s.as_str()), after));
        self.buf = s;
        out
    }

    /// go-yaml's quoted scalar loop from `p` (after the opening quote): doubled quotes, escapes,
    /// and line breaks folded. Returns the offset after the closing quote.
    fn quoted_slow(
        &self,
        mut p: usize,
        single: bool,
        container: Option<usize>,
        s: &mut String,
    ) -> R<usize> {
        let quote = if single { b'\'' } else { b'"' };
        let len = self.src.len();
        let mut line_start = 0;
        loop {
            if p >= len {
                // go-yaml: unexpected end of stream.
                return Err(bail!());
            }
            let mut leading_blanks = false;
            // Characters up to a blank or a line break.
            loop {
                let c = self.byte(p);
                match c {
                    b' ' | b'\t' | b'\n' => break,
                    0 if p >= len => break,
                    b'\'' if single && self.byte(p + 1) == b'\'' => {
                        s.push('\'');
                        p += 2;
                    }
                    _ if c == quote => break,
                    b'\\' if !single => {
                        if self.byte(p + 1) == b'\n' {
                            // An escaped line break: the lines join without a space.
                            container.ok_or(bail!())?;
                            p += 2;
                            line_start = p;
                            leading_blanks = true;
                            break;
                        }
                        p = self.escape(p, s)?;
                    }
                    _ => {
                        let mut q = p + 1;
                        while q < len
                            && !matches!(self.src[q], b' ' | b'\t' | b'\n' | b'\'' | b'"' | b'\\')
                        {
                            q += 1;
                        }
                        s.push_str(&self.text[p..q]);
                        p = q;
                    }
                }
            }
            if p < len && self.src[p] == quote {
                return Ok(p + 1);
            }
            // Blanks and line breaks.
            let ws_start = p;
            let mut leading_break = false;
            let mut trailing = 0usize;
            while let b' ' | b'\t' | b'\n' = self.byte(p) {
                match self.src[p] {
                    b'\n' => {
                        container.ok_or(bail!())?;
                        if leading_blanks {
                            trailing += 1;
                        } else {
                            leading_break = true;
                            leading_blanks = true;
                        }
                        p += 1;
                        line_start = p;
                    }
                    // Tabs in indentation: left to the exact reader.
                    b'\t' if leading_blanks => return Err(bail!()),
                    _ => p += 1,
                }
            }
            if leading_blanks {
                let col = container.ok_or(bail!())?;
                if p < len && p - line_start <= col {
                    return Err(bail!());
                }
                if leading_break && trailing == 0 {
                    s.push(' ');
                } else {
                    push_breaks(s, trailing);
                }
            } else {
                s.push_str(&self.text[ws_start..p]);
            }
        }
    }

    /// A double-quoted scalar's escape at `p` (its backslash), appended to `s`; the offset
    /// after it.
    fn escape(&self, p: usize, s: &mut String) -> R<usize> {
        let (len, c) = match self.byte(p + 1) {
            b'0' => (0, '\0'),
            b'a' => (0, '\x07'),
            b'b' => (0, '\x08'),
            b't' | b'\t' => (0, '\t'),
            b'n' => (0, '\n'),
            b'v' => (0, '\x0B'),
            b'f' => (0, '\x0C'),
            b'r' => (0, '\r'),
            b'e' => (0, '\x1B'),
            b' ' => (0, ' '),
            b'"' => (0, '"'),
            b'\'' => (0, '\''),
            b'\\' => (0, '\\'),
            b'N' => (0, '\u{85}'),
            b'_' => (0, '\u{A0}'),
            b'L' => (0, '\u{2028}'),
            b'P' => (0, '\u{2029}'),
            b'x' => (2, '\0'),
            b'u' => (4, '\0'),
            b'U' => (8, '\0'),
            _ => return Err(bail!()),
        };
        let from = p + 2;
        if len == 0 {
            s.push(c);
            return Ok(from);
        }
        let digits = self.src.get(from..from + len).ok_or(bail!())?;
        let mut value: u32 = 0;
        for &d in digits {
            value = (value << 4) + (d as char).to_digit(16).ok_or(bail!())?;
        }
        s.push(char::from_u32(value).ok_or(bail!())?);
        Ok(from + len)
    }

    /// Empty flow collections and one-line flow sequences of simple scalars, at `i`; the rest
    /// of the line must be blank or a comment.
    fn flow(&mut self, i: usize) -> R<Node> {
        let close = if self.byte(i) == b'{' { b'}' } else { b']' };
        let mut r = self.skip_spaces(i + 1);
        if self.byte(r) == close {
            self.finish_line(r + 1)?;
            return Ok(if close == b'}' {
                Node::map()
            } else {
                Node::Seq(Vec::new())
            });
        }
        if close == b'}' {
            return Err(bail!());
        }
        let start = self.items.len();
        let result = loop {
            let item = match self.byte(r) {
                b'"' | b'\'' => {
                    let (scalar, after) = match self.quoted(r, None) {
                        Ok(q) => q,
                        Err(b) => break Err(b),
                    };
                    r = after;
                    scalar
                }
                c if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/') => {
                    let mut end = r + 1;
                    while matches!(self.byte(end), b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
                        | b'_' | b'.' | b'/' | b'-' | b'+')
                    {
                        end += 1;
                    }
                    let scalar = self.plain_scalar(r, end);
                    r = end;
                    scalar
                }
                _ => break Err(bail!()),
            };
            self.items.push(Node::Scalar(item));
            r = self.skip_spaces(r);
            match self.byte(r) {
                b',' => {
                    r = self.skip_spaces(r + 1);
                    if self.byte(r) == b']' {
                        // A trailing comma: left to the exact reader.
                        break Err(bail!());
                    }
                }
                b']' => break Ok(r + 1),
                _ => break Err(bail!()),
            }
        };
        let items = self.items.split_off(start);
        let after = result?;
        self.finish_line(after)?;
        Ok(Node::Seq(items))
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header starts at `i`, in a collection
    /// at column `col`: go-yaml's algorithm, line by line.
    fn block_scalar(&mut self, i: usize, col: usize) -> R<Node> {
        let literal = self.byte(i) == b'|';
        let mut p = i + 1;
        // Chomping: -1 strip, 0 clip, 1 keep.
        let mut chomping: i8 = 0;
        let mut increment = 0usize;
        let chomp = |c: u8| match c {
            b'+' => Some(1),
            b'-' => Some(-1),
            _ => None,
        };
        if let Some(ch) = chomp(self.byte(p)) {
            chomping = ch;
            p += 1;
            if let d @ b'1'..=b'9' = self.byte(p) {
                increment = usize::from(d - b'0');
                p += 1;
            }
        } else if let d @ b'1'..=b'9' = self.byte(p) {
            increment = usize::from(d - b'0');
            p += 1;
            if let Some(ch) = chomp(self.byte(p)) {
                chomping = ch;
                p += 1;
            }
        }
        p = self.skip_spaces(p);
        if self.byte(p) == b'#' {
            p = self.line_end(p);
        }
        if self.byte(p) != b'\n' {
            // Text after the header, a tab, or the end of the text.
            return Err(bail!());
        }
        p += 1;
        let mut indent = if increment > 0 { col + increment } else { 0 };
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        // Line breaks are all LF here, so go-yaml's break buffers reduce to counts.
        let mut trailing = 0usize;
        let mut leading_break = false;
        let floor = col + 1;
        let mut line_start = match self.block_breaks(&mut p, &mut indent, &mut trailing, floor) {
            Ok(l) => l,
            Err(b) => {
                self.buf = s;
                return Err(b);
            }
        };
        let mut leading_blank = false;
        // `p` is at column `indent` exactly when the line is part of the scalar.
        while p - line_start == indent && p < self.src.len() {
            let trailing_blank = matches!(self.src[p], b' ' | b'\t');
            if !literal && !leading_blank && !trailing_blank && leading_break {
                if trailing == 0 {
                    s.push(' ');
                }
            } else if leading_break {
                s.push('\n');
            }
            leading_break = false;
            push_breaks(&mut s, trailing);
            trailing = 0;
            leading_blank = trailing_blank;
            let e = self.line_end(p);
            s.push_str(&self.text[p..e]);
            p = e;
            if p < self.src.len() {
                leading_break = true;
                p += 1;
            }
            line_start = match self.block_breaks(&mut p, &mut indent, &mut trailing, floor) {
                Ok(l) => l,
                Err(b) => {
                    self.buf = s;
                    return Err(b);
                }
            };
        }
        if chomping != -1 && leading_break {
            s.push('\n');
        }
        if chomping == 1 {
            push_breaks(&mut s, trailing);
        }
        let node = Node::string(s.as_str());
        self.buf = s;
        // The line that ended the scalar is read again as ordinary content.
        self.pos = line_start;
        Ok(node)
    }

    /// go-yaml's `yaml_parser_scan_block_scalar_breaks`: from a line start `p`, skips
    /// indentation and empty lines (counted into `trailing`), leaving `p` on the next line's
    /// content or short indentation; settles an automatic indentation. Returns the start of
    /// the line `p` is left on.
    fn block_breaks(
        &self,
        p: &mut usize,
        indent: &mut usize,
        trailing: &mut usize,
        floor: usize,
    ) -> R<usize> {
        let mut max_indent = 0usize;
        let mut line_start;
        loop {
            line_start = *p;
            let spaces = self.skip_spaces(line_start);
            let q = if *indent == 0 {
                spaces
            } else {
                spaces.min(line_start + *indent)
            };
            let col = q - line_start;
            max_indent = max_indent.max(col);
            *p = q;
            let c = self.byte(q);
            if (*indent == 0 || col < *indent) && c == b'\t' {
                return Err(bail!());
            }
            if c != b'\n' {
                break;
            }
            *trailing += 1;
            *p = q + 1;
        }
        if *indent == 0 {
            *indent = max_indent.max(floor);
        }
        Ok(line_start)
    }
}

/// The offset of the first `:`, `#` or line break at or after `from`, or the end of `src`.
#[inline]
fn find_special(src: &[u8], mut from: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Bytes of `x` that are zero get their high bit set; the lowest set bit is always exact
    // (borrows only spoil the bytes above a zero byte).
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    while let Some(chunk) = src.get(from..from + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = zero(w ^ (u64::from(b':') * LO))
            | zero(w ^ (u64::from(b'#') * LO))
            | zero(w ^ (u64::from(b'\n') * LO));
        if hits != 0 {
            return from + (hits.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while let Some(&c) = src.get(from) {
        if matches!(c, b':' | b'#' | b'\n') {
            return from;
        }
        from += 1;
    }
    src.len()
}

fn push_breaks(s: &mut String, n: usize) {
    for _ in 0..n {
        s.push('\n');
    }
}

/// Whether two keys share their text (go-yaml v3 reports them; v2 keeps the last).
fn has_duplicates(entries: &[(Scalar, Node)]) -> bool {
    let n = entries.len();
    if n <= 24 {
        for i in 1..n {
            let k = &entries[i].0.text;
            if entries[..i].iter().any(|(o, _)| o.text == *k) {
                return true;
            }
        }
        return false;
    }
    let mut seen = std::collections::HashSet::with_capacity(n);
    !entries.iter().all(|(k, _)| seen.insert(k.text.as_str()))
}

#[cfg(test)]
mod tests;
