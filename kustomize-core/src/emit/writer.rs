//! go-yaml v2's emitter, reduced to what `yaml.Marshal` of JSON-shaped data needs: block
//! mappings and sequences, `{}`/`[]` for empty ones, and scalars in the style v2 picks.
//!
//! The emitter's observable state is kept as v2 keeps it (current column counted in characters,
//! indentation, and its `whitespace`/`indention` flags) because line folding at 80 columns and
//! the placement of `- ` both depend on it.

/// Width past which v2 folds long scalars at spaces.
const BEST_WIDTH: usize = 80;
/// Indentation step.
const BEST_INDENT: isize = 2;
/// Longest key (in bytes) v2 writes as an implicit `key: value`; longer ones use `? key`.
const MAX_SIMPLE_KEY_LEN: usize = 128;

/// The emitter's output state.
pub(crate) struct Writer<'o> {
    pub(crate) out: &'o mut Vec<u8>,
    /// Characters (not bytes) since the last line break.
    pub(crate) column: usize,
    /// Current indentation; -1 before the root node.
    pub(crate) indent: isize,
    /// The last thing written was whitespace (or nothing on this line).
    pub(crate) whitespace: bool,
    /// Only indentation has been written on this line so far.
    pub(crate) indention: bool,
}

/// The scalar styles v2 can choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// What v2's `yaml_emitter_analyze_scalar` learns about a string.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Analysis {
    /// Number of characters.
    pub(crate) chars: usize,
    /// Contains any line break (`\n`, `\r`, NEL, LS, PS).
    pub(crate) multiline: bool,
    /// Contains `\n` (v2 then asks for a literal block).
    pub(crate) newline: bool,
    pub(crate) block_plain_allowed: bool,
    pub(crate) single_quoted_allowed: bool,
    pub(crate) block_allowed: bool,
    /// Contains a character go-yaml v2 does not read back from JSON as itself (DEL, C1
    /// controls, U+FFFE, U+FFFF; see `reread` in the parent module).
    pub(crate) reread_changes: bool,
}

/// What one pass over a scalar found, before v2 decides which styles it allows.
struct Findings {
    line_breaks: bool,
    leading_space: bool,
    leading_break: bool,
    trailing_space: bool,
    trailing_break: bool,
    break_space: bool,
    space_break: bool,
    special: bool,
    block_indicators: bool,
}

impl Findings {
    /// go-yaml v2's `yaml_emitter_analyze_scalar` conclusions from its findings.
    fn conclude(self, chars: usize, newline: bool, reread_changes: bool) -> Analysis {
        let plain_spoiled = self.leading_space
            || self.leading_break
            || self.trailing_space
            || self.trailing_break
            || self.line_breaks
            || self.break_space
            || self.space_break
            || self.special
            || self.block_indicators;
        let quote_spoiled = self.break_space || self.space_break || self.special;
        Analysis {
            chars,
            multiline: self.line_breaks,
            newline,
            block_plain_allowed: !plain_spoiled,
            single_quoted_allowed: !quote_spoiled,
            block_allowed: !(self.trailing_space || self.space_break || self.special),
            reread_changes,
        }
    }
}

/// Characters in UTF-8 bytes (bytes that do not continue a character).
fn char_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c & 0xC0 != 0x80).count()
}

fn is_break_char(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// v2's `is_printable`: which characters may appear unescaped. Note that it excludes every
/// character outside the Basic Multilingual Plane (emoji are escaped as `\U0001F600`).
fn is_printable(c: char) -> bool {
    let c = c as u32;
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (0xA0..=0xD7FF).contains(&c)
        || ((0xE000..=0xFFFD).contains(&c) && c != 0xFEFF)
}

/// Visible ASCII other than `:` and `#`: characters that, past the first position, change
/// nothing in v2's analysis of a block scalar.
static QUIET: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x21;
    while c <= 0x7E {
        t[c] = c != b':' as usize && c != b'#' as usize;
        c += 1;
    }
    t
};

/// Length of the run of [`QUIET`] bytes at the start of `b`, eight bytes at a time where it can.
fn quiet_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes equal to zero / below `n` (exact as a yes-or-no answer for bytes below 0x80).
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let has_below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let loud = (x & HIGH)
            | has_below(x, 0x21)
            | has_zero(x ^ (ONES * 0x7F))
            | has_zero(x ^ (ONES * u64::from(b':')))
            | has_zero(x ^ (ONES * u64::from(b'#')));
        if loud != 0 {
            break;
        }
        i += 8;
    }
    i + b[i..].iter().take_while(|&&c| QUIET[c as usize]).count()
}

/// Length of the run at the start of `b` of printable ASCII other than `:` and `#`, spaces
/// included: within such a run only its first and last bytes can change v2's analysis.
fn prose_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let has_below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let loud = (x & HIGH)
            | has_below(x, 0x20)
            | has_zero(x ^ (ONES * 0x7F))
            | has_zero(x ^ (ONES * u64::from(b':')))
            | has_zero(x ^ (ONES * u64::from(b'#')));
        if loud != 0 {
            break;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .take_while(|&&c| c == b' ' || QUIET[c as usize])
        .count()
}

/// Analyses `s` the way v2 does before choosing a style.
pub(crate) fn analyze(s: &str) -> Analysis {
    let b = s.as_bytes();
    if b.is_empty() {
        return Analysis {
            chars: 0,
            multiline: false,
            newline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
            reread_changes: false,
        };
    }
    // Fast path for the common case: a single word of visible ASCII, where only the first
    // character and a `---`/`...` start can matter.
    let run = quiet_run(b);
    if run == b.len() {
        let indicator = match b[0] {
            b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' => true,
            b'-' | b'?' => b.len() == 1,
            _ => false,
        };
        let marker = b.starts_with(b"---") || b.starts_with(b"...");
        return Analysis {
            chars: b.len(),
            multiline: false,
            newline: false,
            block_plain_allowed: !(indicator || marker),
            single_quoted_allowed: true,
            block_allowed: true,
            reread_changes: false,
        };
    }
    analyze_full(s, run)
}

/// The general analysis; `b[..run]` is already known to be quiet.
fn analyze_full(s: &str, run: usize) -> Analysis {
    let b = s.as_bytes();
    let len = b.len();
    let mut block_indicators = len >= 3 && (b.starts_with(b"---") || b.starts_with(b"..."));
    // The first character is an indicator by itself, or (`?`, `:`, `-`) before whitespace.
    let first_followed_by_whitespace = len == 1 || b[1] == b' ' || b[1] == b'\t';
    match b[0] {
        b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
        b'?' | b':' | b'-' if first_followed_by_whitespace => block_indicators = true,
        _ => {}
    }
    let mut special = false;
    let mut line_breaks = false;
    let mut newline = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;
    let mut preceded_by_whitespace = true;
    let mut reread_changes = false;
    let mut chars = 0usize;
    let mut i = 0;
    loop {
        // Runs of printable ASCII without `:` and `#` (spaces included): inside one, a space
        // follows and precedes only spaces and ordinary characters, so only the run's ends
        // matter (as the per-character rules below would find).
        let run = if i == 0 {
            run + prose_run(&b[run..])
        } else {
            prose_run(&b[i..])
        };
        if run > 0 {
            let first_space = b[i] == b' ';
            let last_space = b[i + run - 1] == b' ';
            if first_space {
                leading_space |= i == 0;
                break_space |= previous_break;
            }
            i += run;
            chars += run;
            trailing_space |= last_space && i == len;
            previous_space = last_space;
            previous_break = false;
            preceded_by_whitespace = last_space;
        }
        if i >= len {
            break;
        }
        let byte = b[i];
        let (c, w) = if byte < 0x80 {
            (byte as char, 1)
        } else {
            // `s` is valid UTF-8, so a character starts here.
            let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
            (c, c.len_utf8())
        };
        chars += 1;
        if i > 0 {
            match c {
                ':' if i + w >= len || b[i + w] == b' ' || b[i + w] == b'\t' => {
                    block_indicators = true
                }
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
            reread_changes |= matches!(c, '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}');
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + w == len {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break_char(c) {
            line_breaks = true;
            if c == '\n' {
                newline = true;
            }
            if i == 0 {
                leading_break = true;
            }
            if i + w == len {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || c == '\0' || is_break_char(c);
        i += w;
        if i >= len {
            break;
        }
    }
    Findings {
        line_breaks,
        leading_space,
        leading_break,
        trailing_space,
        trailing_break,
        break_space,
        space_break,
        special,
        block_indicators,
    }
    .conclude(chars, newline, reread_changes)
}

/// v2's choice of style for a string: what `stringv` asks for (`literal` for text with `\n`,
/// plain when the YAML 1.1 resolver would read it back as a string, double quotes otherwise),
/// corrected by `yaml_emitter_select_scalar_style`.
pub(crate) fn select_style(a: &Analysis, plain_reads_back: bool, simple_key: bool) -> Style {
    let mut style = if a.newline {
        Style::Literal
    } else if plain_reads_back {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (a.chars == 0 && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

impl<'o> Writer<'o> {
    /// A writer at the start of a document.
    pub(crate) fn new(out: &'o mut Vec<u8>) -> Self {
        Writer {
            out,
            column: 0,
            indent: -1,
            whitespace: true,
            indention: true,
        }
    }

    #[inline]
    fn put(&mut self, c: u8) {
        self.out.push(c);
        self.column += 1;
    }

    #[inline]
    fn put_break(&mut self) {
        self.out.push(b'\n');
        self.column = 0;
    }

    #[inline]
    fn write_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        self.column += 1;
    }

    /// A line break inside a scalar: `\n` as itself, other break characters copied raw.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.write_char(c);
            self.column = 0;
        }
    }

    /// v2's `yaml_emitter_write_indent`.
    pub(crate) fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        if self.column < indent {
            let n = indent - self.column;
            self.out.resize(self.out.len() + n, b' ');
            self.column = indent;
        }
        self.whitespace = true;
        self.indention = true;
    }

    /// v2's `yaml_emitter_write_indicator` for ASCII indicators.
    pub(crate) fn write_indicator(
        &mut self,
        indicator: &[u8],
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        self.out.extend_from_slice(indicator);
        self.column += indicator.len();
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Enters a nested block collection or scalar (v2's `yaml_emitter_increase_indent`); returns
    /// the indentation to restore.
    pub(crate) fn increase_indent(&mut self, flow: bool, indentless: bool) -> isize {
        let saved = self.indent;
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
        saved
    }

    /// A plain scalar with no spaces or breaks (numbers, booleans, `null`).
    pub(crate) fn write_plain_token(&mut self, text: &[u8]) {
        if !self.whitespace {
            self.put(b' ');
        }
        self.out.extend_from_slice(text);
        self.column += text.len();
        self.whitespace = false;
        self.indention = false;
    }

    /// Writes a mapping key and its `:` (as `? key` / `:` when it cannot be a simple key: too
    /// long or spanning lines). `plain_reads_back` says whether the key's text, written plain,
    /// reads back as the same string.
    pub(crate) fn write_key(&mut self, key: &str, plain_reads_back: bool) {
        let a = analyze(key);
        if !a.multiline && key.len() <= MAX_SIMPLE_KEY_LEN {
            let style = select_style(&a, plain_reads_back, true);
            self.write_scalar(key, &a, style, true);
            self.write_indicator(b":", false, false, false);
        } else {
            self.write_indicator(b"?", true, false, true);
            let style = select_style(&a, plain_reads_back, false);
            self.write_scalar(key, &a, style, false);
            self.write_indent();
            self.write_indicator(b":", true, false, true);
        }
    }

    /// An empty flow collection, `{}` or `[]`.
    pub(crate) fn write_empty_flow(&mut self, open: u8, close: u8) {
        self.write_indicator(&[open], true, true, false);
        self.write_indicator(&[close], false, false, false);
    }

    /// Writes `value` in `style`; `analysis` is `analyze(value)`.
    pub(crate) fn write_scalar(
        &mut self,
        value: &str,
        analysis: &Analysis,
        style: Style,
        simple_key: bool,
    ) {
        let saved = self.increase_indent(true, false);
        match style {
            Style::Plain => self.write_plain(value, analysis, !simple_key),
            Style::SingleQuoted => self.write_single_quoted(value, !simple_key),
            Style::DoubleQuoted => self.write_double_quoted(value, !simple_key),
            Style::Literal => self.write_literal(value),
        }
        self.indent = saved;
    }

    fn write_plain(&mut self, value: &str, analysis: &Analysis, allow_breaks: bool) {
        if !self.whitespace {
            self.put(b' ');
        }
        // A fold needs a space past column 80; short scalars are copied as they are.
        if !allow_breaks || self.column + analysis.chars <= BEST_WIDTH + 1 {
            self.out.extend_from_slice(value.as_bytes());
            self.column += analysis.chars;
            self.whitespace = false;
            self.indention = false;
            return;
        }
        // v2 never writes text with line breaks plain, so only spaces matter: a space past
        // column 80 that follows a non-space and precedes a non-space becomes a line break.
        let b = value.as_bytes();
        let mut spaces = false;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b' ' {
                if !spaces && self.column > BEST_WIDTH && b.get(i + 1).is_some_and(|&n| n != b' ') {
                    self.write_indent();
                } else {
                    self.put(b' ');
                }
                spaces = true;
                i += 1;
            } else {
                let end = memchr::memchr(b' ', &b[i..]).map_or(b.len(), |p| i + p);
                let word = &b[i..end];
                self.out.extend_from_slice(word);
                self.column += char_count(word);
                spaces = false;
                i = end;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator(b"'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let len = value.len();
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < len {
            // Runs of visible ASCII other than the quote are copied as they are.
            let run = bytes[i..]
                .iter()
                .take_while(|&&b| b > b' ' && b < 0x7F && b != b'\'')
                .count();
            if run > 0 {
                if breaks {
                    self.write_indent();
                }
                self.out.extend_from_slice(&bytes[i..i + run]);
                self.column += run;
                self.indention = false;
                spaces = false;
                breaks = false;
                i += run;
                continue;
            }
            let c = value[i..].chars().next().unwrap_or('\u{FFFD}');
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < len
                    && value.as_bytes()[i + 1] != b' '
                {
                    self.write_indent();
                } else {
                    self.write_char(c);
                }
                spaces = true;
            } else if is_break_char(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put(b'\'');
                }
                self.write_char(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += c.len_utf8();
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator(b"\"", true, false, false);
        // v2 checks for a byte order mark at the start of the value instead of at each
        // character, so a value that starts with one gets every character escaped.
        let escape_all = value.starts_with('\u{FEFF}');
        let mut spaces = false;
        let len = value.len();
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < len {
            // Runs of visible ASCII that needs no escape are copied as they are.
            let run = if escape_all {
                0
            } else {
                bytes[i..]
                    .iter()
                    .take_while(|&&b| b > b' ' && b < 0x7F && b != b'"' && b != b'\\')
                    .count()
            };
            if run > 0 {
                self.out.extend_from_slice(&bytes[i..i + run]);
                self.column += run;
                spaces = false;
                i += run;
                continue;
            }
            let c = value[i..].chars().next().unwrap_or('\u{FFFD}');
            if escape_all || !is_printable(c) || is_break_char(c) || c == '"' || c == '\\' {
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < len {
                    self.write_indent();
                    if value.as_bytes()[i + 1] == b' ' {
                        self.put(b'\\');
                    }
                } else {
                    self.write_char(c);
                }
                spaces = true;
            } else {
                self.write_char(c);
                spaces = false;
            }
            i += c.len_utf8();
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_escape(&mut self, c: char) {
        self.put(b'\\');
        let short = match c {
            '\0' => Some(b'0'),
            '\u{7}' => Some(b'a'),
            '\u{8}' => Some(b'b'),
            '\t' => Some(b't'),
            '\n' => Some(b'n'),
            '\u{b}' => Some(b'v'),
            '\u{c}' => Some(b'f'),
            '\r' => Some(b'r'),
            '\u{1b}' => Some(b'e'),
            '"' => Some(b'"'),
            '\\' => Some(b'\\'),
            '\u{85}' => Some(b'N'),
            '\u{a0}' => Some(b'_'),
            '\u{2028}' => Some(b'L'),
            '\u{2029}' => Some(b'P'),
            _ => None,
        };
        if let Some(e) = short {
            self.put(e);
            return;
        }
        let v = c as u32;
        let (letter, digits) = if v <= 0xFF {
            (b'x', 2)
        } else if v <= 0xFFFF {
            (b'u', 4)
        } else {
            (b'U', 8)
        };
        self.put(letter);
        for k in (0..digits).rev() {
            let d = ((v >> (k * 4)) & 0xF) as u8;
            self.put(if d < 10 { b'0' + d } else { b'A' + d - 10 });
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator(b"|", true, false, false);
        // Block scalar header: an indentation indicator when the text starts with a space or a
        // break, then the chomping indicator that preserves the trailing breaks exactly.
        let mut chars = value.chars();
        let first = chars.clone().next();
        if first.is_some_and(|c| c == ' ' || is_break_char(c)) {
            self.write_indicator(&[b'0' + BEST_INDENT as u8], false, false, false);
        }
        let last = chars.next_back();
        let before_last = chars.next_back();
        let chomp = match (last, before_last) {
            (None, _) => Some(b'-'),
            (Some(l), _) if !is_break_char(l) => Some(b'-'),
            (Some(_), None) => Some(b'+'),
            (Some(_), Some(p)) if is_break_char(p) => Some(b'+'),
            _ => None,
        };
        if let Some(ch) = chomp {
            self.write_indicator(&[ch], false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\n' {
                self.put_break();
                self.indention = true;
                breaks = true;
                i += 1;
                continue;
            }
            if breaks {
                self.write_indent();
            }
            // Copy up to the next line break in one go; only LS/PS (the other breaks that may
            // appear in a literal block) need the slow path.
            let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |p| i + p);
            let line = &value[i..end];
            if line.is_ascii() {
                self.out.extend_from_slice(line.as_bytes());
                self.column += line.len();
                breaks = false;
                self.indention = false;
            } else {
                for c in line.chars() {
                    if is_break_char(c) {
                        self.write_break(c);
                        self.indention = true;
                        breaks = true;
                    } else {
                        if breaks {
                            self.write_indent();
                        }
                        self.write_char(c);
                        self.indention = false;
                        breaks = false;
                    }
                }
            }
            i = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style_of(s: &str, simple_key: bool) -> Style {
        let a = analyze(s);
        select_style(
            &a,
            !crate::gosem::scalar::yaml11_needs_quotes(s),
            simple_key,
        )
    }

    #[test]
    fn quiet_run_matches_bytewise_scan() {
        let alphabet: &[u8] = b"aZ09-_./ :#\t\n\x7f\x20\x21\x7e\xc3\xa9";
        let mut seed = 12345u32;
        for len in 0..40 {
            for _ in 0..50 {
                let s: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        alphabet[(seed >> 16) as usize % alphabet.len()]
                    })
                    .collect();
                let naive = s.iter().take_while(|&&c| QUIET[c as usize]).count();
                assert_eq!(quiet_run(&s), naive, "{s:?}");
            }
        }
        assert_eq!(quiet_run(b"abcdefghijklmnop:q"), 16);
        assert_eq!(quiet_run(b"abcdefgh ijklmnop"), 8);
    }

    /// v2's analysis character by character, as a reference for [`analyze`]'s runs.
    fn analyze_reference(s: &str) -> Analysis {
        let b = s.as_bytes();
        let len = b.len();
        if len == 0 {
            return analyze(s);
        }
        let mut block_indicators = b.starts_with(b"---") || b.starts_with(b"...");
        let first_followed_by_whitespace = len == 1 || b[1] == b' ' || b[1] == b'\t';
        match b[0] {
            b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
            b'?' | b':' | b'-' if first_followed_by_whitespace => block_indicators = true,
            _ => {}
        }
        let (mut special, mut line_breaks, mut newline) = (false, false, false);
        let (mut leading_space, mut leading_break) = (false, false);
        let (mut trailing_space, mut trailing_break) = (false, false);
        let (mut break_space, mut space_break) = (false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let mut reread_changes = false;
        let mut chars = 0;
        for (i, c) in s.char_indices() {
            let w = c.len_utf8();
            chars += 1;
            if i > 0 {
                match c {
                    ':' if i + w >= len || b[i + w] == b' ' || b[i + w] == b'\t' => {
                        block_indicators = true
                    }
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if !is_printable(c) {
                special = true;
                reread_changes |= matches!(c, '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}');
            }
            if c == ' ' {
                leading_space |= i == 0;
                trailing_space |= i + w == len;
                break_space |= previous_break;
                previous_space = true;
                previous_break = false;
            } else if is_break_char(c) {
                line_breaks = true;
                newline |= c == '\n';
                leading_break |= i == 0;
                trailing_break |= i + w == len;
                space_break |= previous_space;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = c == ' ' || c == '\t' || c == '\0' || is_break_char(c);
        }
        Findings {
            line_breaks,
            leading_space,
            leading_break,
            trailing_space,
            trailing_break,
            break_space,
            space_break,
            special,
            block_indicators,
        }
        .conclude(chars, newline, reread_changes)
    }

    /// v2's quoted writers character by character, as references for the copied runs.
    fn quoted_reference(value: &str, single: bool, allow_breaks: bool, column: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = Writer::new(&mut out);
        w.column = column;
        w.indent = 4;
        w.whitespace = true;
        w.indention = false;
        let len = value.len();
        let mut spaces = false;
        let mut breaks = false;
        let quote = if single { b"'" } else { b"\"" };
        w.write_indicator(quote, true, false, false);
        let escape_all = !single && value.starts_with('\u{FEFF}');
        for (i, c) in value.char_indices() {
            let next_space = value.as_bytes().get(i + 1) == Some(&b' ');
            if !single
                && (escape_all || !is_printable(c) || is_break_char(c) || c == '"' || c == '\\')
            {
                w.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && w.column > BEST_WIDTH && i > 0 && i + 1 < len {
                    if single && next_space {
                        w.write_char(c);
                    } else {
                        w.write_indent();
                        if !single && next_space {
                            w.put(b'\\');
                        }
                    }
                } else {
                    w.write_char(c);
                }
                spaces = true;
            } else if single && is_break_char(c) {
                if !breaks && c == '\n' {
                    w.put_break();
                }
                w.write_break(c);
                w.indention = true;
                breaks = true;
            } else {
                if single {
                    if breaks {
                        w.write_indent();
                    }
                    if c == '\'' {
                        w.put(b'\'');
                    }
                    w.indention = false;
                }
                w.write_char(c);
                spaces = false;
                breaks = false;
            }
        }
        w.write_indicator(quote, false, false, false);
        out
    }

    /// Random strings over characters that matter to the analysis and the quoted writers.
    fn random_strings(mut f: impl FnMut(&str)) {
        let alphabet = [
            "a", "Z", "0", "-", ".", "?", " ", "  ", ":", "#", "'", "\"", "\\", "\t", "\n", "\r",
            "é", "\u{85}", "\u{2028}", "\u{7F}", "\u{FEFF}", "😀", "word ", "---", "x: ", " #",
        ];
        let mut seed = 0x2545_F491u32;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 8) as usize % n
        };
        for len in 0..60 {
            for _ in 0..200 {
                let s: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
                f(&s);
            }
        }
    }

    #[test]
    fn analyze_matches_per_character_reference() {
        random_strings(|s| {
            assert_eq!(
                format!("{:?}", analyze(s)),
                format!("{:?}", analyze_reference(s)),
                "{s:?}"
            );
        });
    }

    #[test]
    fn quoted_writers_match_per_character_reference() {
        random_strings(|s| {
            for single in [true, false] {
                for allow_breaks in [true, false] {
                    for column in [0, 70, 85] {
                        let mut out = Vec::new();
                        let mut w = Writer::new(&mut out);
                        w.column = column;
                        w.indent = 4;
                        w.whitespace = true;
                        w.indention = false;
                        if single {
                            w.write_single_quoted(s, allow_breaks);
                        } else {
                            w.write_double_quoted(s, allow_breaks);
                        }
                        let expected = quoted_reference(s, single, allow_breaks, column);
                        assert_eq!(
                            String::from_utf8_lossy(&out),
                            String::from_utf8_lossy(&expected),
                            "{s:?} single={single} allow_breaks={allow_breaks} column={column}"
                        );
                    }
                }
            }
        });
    }

    #[test]
    fn styles() {
        assert_eq!(style_of("plain", false), Style::Plain);
        assert_eq!(style_of("x: y", false), Style::SingleQuoted);
        assert_eq!(style_of("- dash", false), Style::SingleQuoted);
        assert_eq!(style_of("-dash", false), Style::Plain);
        assert_eq!(style_of(" leading", false), Style::SingleQuoted);
        assert_eq!(style_of("trailing ", false), Style::SingleQuoted);
        assert_eq!(style_of("tab\tinside", false), Style::DoubleQuoted);
        assert_eq!(style_of("a\nb", false), Style::Literal);
        assert_eq!(style_of("a\nb", true), Style::DoubleQuoted);
        assert_eq!(style_of("a \nb", false), Style::DoubleQuoted);
        assert_eq!(style_of("a\n b", false), Style::Literal);
        assert_eq!(style_of("a\nb ", false), Style::DoubleQuoted);
        assert_eq!(style_of("yes", false), Style::DoubleQuoted);
        assert_eq!(style_of("", true), Style::DoubleQuoted);
        assert_eq!(style_of("a #b", false), Style::SingleQuoted);
        assert_eq!(style_of("a#b", false), Style::Plain);
        assert_eq!(style_of("x:", false), Style::SingleQuoted);
        assert_eq!(style_of("---x", false), Style::SingleQuoted);
        assert_eq!(style_of("emoji 😀", false), Style::DoubleQuoted);
        assert_eq!(style_of("a\u{2028}b", false), Style::SingleQuoted);
        assert_eq!(style_of("=value", false), Style::Plain);
        assert_eq!(style_of("@x", false), Style::SingleQuoted);
    }
}
