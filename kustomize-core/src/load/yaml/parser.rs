//! The parser: tokens to events, with go-yaml's (libyaml's) state machine, so that every error it
//! raises, and the mark it raises it at, matches.

use super::scanner::{Mark, RawError, Result, ScalarStyle, Scanner, Stage, TokenKind};
use compact_str::CompactString;
use std::borrow::Cow;

/// A node's properties: anchor and resolved tag (`tag:yaml.org,2002:int`, `!Foo`, `!`).
#[derive(Debug, Default)]
pub(crate) struct PropsData {
    pub anchor: Option<CompactString>,
    pub tag: Option<CompactString>,
}

/// Properties are rare; boxing them keeps events small.
pub(crate) type Props = Option<Box<PropsData>>;

#[derive(Debug)]
pub(crate) enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        name: CompactString,
        mark: Mark,
    },
    Scalar {
        props: Props,
        value: CompactString,
        style: ScalarStyle,
        mark: Mark,
    },
    SequenceStart {
        props: Props,
        mark: Mark,
    },
    SequenceEnd,
    MappingStart {
        props: Props,
        mark: Mark,
    },
    MappingEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

/// The parser over one stream.
pub(crate) struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(CompactString, CompactString)>,
}

fn parser_error(problem: impl Into<Cow<'static, str>>, problem_mark: Mark) -> Box<RawError> {
    Box::new(RawError {
        stage: Stage::Parser,
        context_mark: None,
        problem_mark: Some(problem_mark),
        problem: problem.into(),
    })
}

fn parser_error_context(
    context_mark: Mark,
    problem: impl Into<Cow<'static, str>>,
    problem_mark: Mark,
) -> Box<RawError> {
    Box::new(RawError {
        stage: Stage::Parser,
        context_mark: Some(context_mark),
        problem_mark: Some(problem_mark),
        problem: problem.into(),
    })
}

/// A cheap copy of the parts of a token the state machine branches on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective,
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
    Alias,
    Anchor,
    Tag,
    Scalar,
}

#[inline]
fn kind_of(k: &TokenKind) -> Kind {
    match k {
        TokenKind::StreamStart => Kind::StreamStart,
        TokenKind::StreamEnd => Kind::StreamEnd,
        TokenKind::VersionDirective { .. } => Kind::VersionDirective,
        TokenKind::TagDirective(_) => Kind::TagDirective,
        TokenKind::DocumentStart => Kind::DocumentStart,
        TokenKind::DocumentEnd => Kind::DocumentEnd,
        TokenKind::BlockSequenceStart => Kind::BlockSequenceStart,
        TokenKind::BlockMappingStart => Kind::BlockMappingStart,
        TokenKind::BlockEnd => Kind::BlockEnd,
        TokenKind::FlowSequenceStart => Kind::FlowSequenceStart,
        TokenKind::FlowSequenceEnd => Kind::FlowSequenceEnd,
        TokenKind::FlowMappingStart => Kind::FlowMappingStart,
        TokenKind::FlowMappingEnd => Kind::FlowMappingEnd,
        TokenKind::BlockEntry => Kind::BlockEntry,
        TokenKind::FlowEntry => Kind::FlowEntry,
        TokenKind::Key => Kind::Key,
        TokenKind::Value => Kind::Value,
        TokenKind::Alias(_) => Kind::Alias,
        TokenKind::Anchor(_) => Kind::Anchor,
        TokenKind::Tag(_) => Kind::Tag,
        TokenKind::Scalar { .. } => Kind::Scalar,
    }
}

impl<'a> Parser<'a> {
    pub fn new(scanner: Scanner<'a>) -> Self {
        Parser {
            scanner,
            state: State::StreamStart,
            states: Vec::with_capacity(32),
            marks: Vec::with_capacity(32),
            tag_directives: Vec::new(),
        }
    }

    /// The whole text being parsed.
    pub fn source(&self) -> &'a [u8] {
        self.scanner.source()
    }

    #[inline]
    fn peek(&mut self) -> Result<(Kind, Mark)> {
        let t = self.scanner.peek()?;
        Ok((kind_of(&t.kind), t.start))
    }

    #[inline]
    fn skip(&mut self) -> Option<TokenKind> {
        self.scanner.skip_token().map(|t| t.kind)
    }

    #[inline]
    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    /// The next event.
    pub fn next_event(&mut self) -> Result<Event> {
        match self.state {
            State::StreamStart => self.parse_stream_start(),
            State::ImplicitDocumentStart => self.parse_document_start(true),
            State::DocumentStart => self.parse_document_start(false),
            State::DocumentContent => self.parse_document_content(),
            State::DocumentEnd => self.parse_document_end(),
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.parse_block_sequence_entry(true),
            State::BlockSequenceEntry => self.parse_block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.parse_indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.parse_block_mapping_key(true),
            State::BlockMappingKey => self.parse_block_mapping_key(false),
            State::BlockMappingValue => self.parse_block_mapping_value(),
            State::FlowSequenceFirstEntry => self.parse_flow_sequence_entry(true),
            State::FlowSequenceEntry => self.parse_flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => self.parse_flow_sequence_entry_mapping_key(),
            State::FlowSequenceEntryMappingValue => self.parse_flow_sequence_entry_mapping_value(),
            State::FlowSequenceEntryMappingEnd => self.parse_flow_sequence_entry_mapping_end(),
            State::FlowMappingFirstKey => self.parse_flow_mapping_key(true),
            State::FlowMappingKey => self.parse_flow_mapping_key(false),
            State::FlowMappingValue => self.parse_flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.parse_flow_mapping_value(true),
            State::End => Ok(Event::StreamEnd),
        }
    }

    fn parse_stream_start(&mut self) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if kind != Kind::StreamStart {
            return Err(parser_error("did not find expected <stream-start>", mark));
        }
        self.state = State::ImplicitDocumentStart;
        self.skip();
        Ok(Event::StreamStart)
    }

    fn parse_document_start(&mut self, implicit: bool) -> Result<Event> {
        let (mut kind, _) = self.peek()?;
        if !implicit {
            while kind == Kind::DocumentEnd {
                self.skip();
                (kind, _) = self.peek()?;
            }
        }
        if implicit
            && !matches!(
                kind,
                Kind::VersionDirective | Kind::TagDirective | Kind::DocumentStart | Kind::StreamEnd
            )
        {
            self.process_directives()?;
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            Ok(Event::DocumentStart)
        } else if kind != Kind::StreamEnd {
            self.process_directives()?;
            let (kind, mark) = self.peek()?;
            if kind != Kind::DocumentStart {
                return Err(parser_error("did not find expected <document start>", mark));
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.skip();
            Ok(Event::DocumentStart)
        } else {
            self.state = State::End;
            self.skip();
            Ok(Event::StreamEnd)
        }
    }

    fn parse_document_content(&mut self) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if matches!(
            kind,
            Kind::VersionDirective
                | Kind::TagDirective
                | Kind::DocumentStart
                | Kind::DocumentEnd
                | Kind::StreamEnd
        ) {
            self.pop_state();
            return Ok(empty_scalar(mark));
        }
        self.parse_node(true, false)
    }

    fn parse_document_end(&mut self) -> Result<Event> {
        let (kind, _) = self.peek()?;
        if kind == Kind::DocumentEnd {
            self.skip();
        }
        self.tag_directives.clear();
        self.state = State::DocumentStart;
        Ok(Event::DocumentEnd)
    }

    fn process_directives(&mut self) -> Result<()> {
        let mut have_version = false;
        loop {
            let t = self.scanner.peek()?;
            let mark = t.start;
            match &t.kind {
                TokenKind::VersionDirective { major, minor } => {
                    if have_version {
                        return Err(parser_error("found duplicate %YAML directive", mark));
                    }
                    if *major != 1 || *minor != 1 {
                        return Err(parser_error("found incompatible YAML document", mark));
                    }
                    have_version = true;
                }
                TokenKind::TagDirective(d) => {
                    if self.tag_directives.iter().any(|(h, _)| *h == d.0) {
                        return Err(parser_error("found duplicate %TAG directive", mark));
                    }
                    let entry = (d.0.clone(), d.1.clone());
                    self.tag_directives.push(entry);
                }
                _ => break,
            }
            self.skip();
        }
        for (h, p) in [("!", "!"), ("!!", "tag:yaml.org,2002:")] {
            if !self.tag_directives.iter().any(|(dh, _)| dh == h) {
                self.tag_directives
                    .push((CompactString::const_new(h), CompactString::const_new(p)));
            }
        }
        Ok(())
    }

    fn parse_node(&mut self, block: bool, indentless_sequence: bool) -> Result<Event> {
        let t = self.scanner.peek()?;
        if let TokenKind::Alias(_) = t.kind {
            let mark = t.start;
            self.pop_state();
            let Some(TokenKind::Alias(name)) = self.skip() else {
                return Err(unreachable_token());
            };
            return Ok(Event::Alias { name, mark });
        }
        let mut start_mark = t.start;
        let mut props = PropsData::default();
        let mut tag_handle: Option<(CompactString, CompactString)> = None;
        let mut tag_mark = start_mark;
        let (mut kind, mut mark) = (kind_of(&t.kind), t.start);
        if kind == Kind::Anchor {
            if let Some(TokenKind::Anchor(a)) = self.skip() {
                props.anchor = Some(a);
            }
            (kind, mark) = self.peek()?;
            if kind == Kind::Tag {
                tag_mark = mark;
                if let Some(TokenKind::Tag(t)) = self.skip() {
                    tag_handle = Some(*t);
                }
                (kind, mark) = self.peek()?;
            }
        } else if kind == Kind::Tag {
            start_mark = mark;
            tag_mark = mark;
            if let Some(TokenKind::Tag(t)) = self.skip() {
                tag_handle = Some(*t);
            }
            (kind, mark) = self.peek()?;
            if kind == Kind::Anchor {
                if let Some(TokenKind::Anchor(a)) = self.skip() {
                    props.anchor = Some(a);
                }
                (kind, mark) = self.peek()?;
            }
        }
        if let Some((handle, suffix)) = tag_handle {
            if handle.is_empty() {
                props.tag = Some(suffix);
            } else {
                let prefix = self
                    .tag_directives
                    .iter()
                    .find(|(h, _)| *h == handle)
                    .map(|(_, p)| p.clone());
                match prefix {
                    Some(p) => {
                        let mut full = p;
                        full.push_str(&suffix);
                        props.tag = Some(full);
                    }
                    None => {
                        return Err(parser_error_context(
                            start_mark,
                            "found undefined tag handle",
                            tag_mark,
                        ))
                    }
                }
            }
        }
        let props: Props = (props.anchor.is_some() || props.tag.is_some()).then(|| Box::new(props));
        if indentless_sequence && kind == Kind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Ok(Event::SequenceStart {
                props,
                mark: start_mark,
            });
        }
        match kind {
            Kind::Scalar => {
                self.pop_state();
                let Some(TokenKind::Scalar { value, style }) = self.skip() else {
                    return Err(unreachable_token());
                };
                Ok(Event::Scalar {
                    props,
                    value,
                    style,
                    mark: start_mark,
                })
            }
            Kind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                Ok(Event::SequenceStart {
                    props,
                    mark: start_mark,
                })
            }
            Kind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                Ok(Event::MappingStart {
                    props,
                    mark: start_mark,
                })
            }
            Kind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                Ok(Event::SequenceStart {
                    props,
                    mark: start_mark,
                })
            }
            Kind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                Ok(Event::MappingStart {
                    props,
                    mark: start_mark,
                })
            }
            _ if props.is_some() => {
                // An anchor or tag with no content: an empty plain scalar.
                self.pop_state();
                Ok(Event::Scalar {
                    props,
                    value: CompactString::default(),
                    style: ScalarStyle::Plain,
                    mark: start_mark,
                })
            }
            _ => Err(parser_error_context(
                start_mark,
                "did not find expected node content",
                mark,
            )),
        }
    }

    fn parse_block_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, mark) = self.peek()?;
            self.marks.push(mark);
            self.skip();
        }
        let (kind, mark) = self.peek()?;
        if kind == Kind::BlockEntry {
            self.skip();
            let (kind, _) = self.peek()?;
            if kind != Kind::BlockEntry && kind != Kind::BlockEnd {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        if kind == Kind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip();
            return Ok(Event::SequenceEnd);
        }
        let context = self.marks.pop().unwrap_or(mark);
        Err(parser_error_context(
            context,
            "did not find expected '-' indicator",
            mark,
        ))
    }

    fn parse_indentless_sequence_entry(&mut self) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if kind == Kind::BlockEntry {
            self.skip();
            let (kind, _) = self.peek()?;
            if !matches!(
                kind,
                Kind::BlockEntry | Kind::Key | Kind::Value | Kind::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Ok(empty_scalar(mark));
        }
        self.pop_state();
        Ok(Event::SequenceEnd)
    }

    fn parse_block_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, mark) = self.peek()?;
            self.marks.push(mark);
            self.skip();
        }
        let (kind, mark) = self.peek()?;
        if kind == Kind::Key {
            self.skip();
            let (kind, _) = self.peek()?;
            if !matches!(kind, Kind::Key | Kind::Value | Kind::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Ok(empty_scalar(mark));
        }
        if kind == Kind::BlockEnd {
            self.pop_state();
            self.marks.pop();
            self.skip();
            return Ok(Event::MappingEnd);
        }
        let context = self.marks.pop().unwrap_or(mark);
        Err(parser_error_context(
            context,
            "did not find expected key",
            mark,
        ))
    }

    fn parse_block_mapping_value(&mut self) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if kind == Kind::Value {
            self.skip();
            let (kind, _) = self.peek()?;
            if !matches!(kind, Kind::Key | Kind::Value | Kind::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::BlockMappingKey;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, mark) = self.peek()?;
            self.marks.push(mark);
            self.skip();
        }
        let (mut kind, mut mark) = self.peek()?;
        if kind != Kind::FlowSequenceEnd {
            if !first {
                if kind == Kind::FlowEntry {
                    self.skip();
                    (kind, mark) = self.peek()?;
                } else {
                    let context = self.marks.pop().unwrap_or(mark);
                    return Err(parser_error_context(
                        context,
                        "did not find expected ',' or ']'",
                        mark,
                    ));
                }
            }
            if kind == Kind::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.skip();
                return Ok(Event::MappingStart { props: None, mark });
            } else if kind != Kind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip();
        Ok(Event::SequenceEnd)
    }

    fn parse_flow_sequence_entry_mapping_key(&mut self) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if !matches!(kind, Kind::Value | Kind::FlowEntry | Kind::FlowSequenceEnd) {
            self.states.push(State::FlowSequenceEntryMappingValue);
            return self.parse_node(false, false);
        }
        self.skip();
        self.state = State::FlowSequenceEntryMappingValue;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_value(&mut self) -> Result<Event> {
        let (kind, mut mark) = self.peek()?;
        if kind == Kind::Value {
            self.skip();
            let (kind, m) = self.peek()?;
            mark = m;
            if kind != Kind::FlowEntry && kind != Kind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntryMappingEnd);
                return self.parse_node(false, false);
            }
        }
        self.state = State::FlowSequenceEntryMappingEnd;
        Ok(empty_scalar(mark))
    }

    fn parse_flow_sequence_entry_mapping_end(&mut self) -> Result<Event> {
        self.peek()?;
        self.state = State::FlowSequenceEntry;
        Ok(Event::MappingEnd)
    }

    fn parse_flow_mapping_key(&mut self, first: bool) -> Result<Event> {
        if first {
            let (_, mark) = self.peek()?;
            self.marks.push(mark);
            self.skip();
        }
        let (mut kind, mark) = self.peek()?;
        if kind != Kind::FlowMappingEnd {
            if !first {
                if kind == Kind::FlowEntry {
                    self.skip();
                    (kind, _) = self.peek()?;
                } else {
                    let context = self.marks.pop().unwrap_or(mark);
                    return Err(parser_error_context(
                        context,
                        "did not find expected ',' or '}'",
                        mark,
                    ));
                }
            }
            if kind == Kind::Key {
                self.skip();
                let (kind, mark) = self.peek()?;
                if !matches!(kind, Kind::Value | Kind::FlowEntry | Kind::FlowMappingEnd) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Ok(empty_scalar(mark));
            } else if kind != Kind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.pop_state();
        self.marks.pop();
        self.skip();
        Ok(Event::MappingEnd)
    }

    fn parse_flow_mapping_value(&mut self, empty: bool) -> Result<Event> {
        let (kind, mark) = self.peek()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(mark));
        }
        if kind == Kind::Value {
            self.skip();
            let (kind, mark) = self.peek()?;
            if kind != Kind::FlowEntry && kind != Kind::FlowMappingEnd {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
            self.state = State::FlowMappingKey;
            return Ok(empty_scalar(mark));
        }
        self.state = State::FlowMappingKey;
        Ok(empty_scalar(mark))
    }
}

fn empty_scalar(mark: Mark) -> Event {
    Event::Scalar {
        props: None,
        value: CompactString::default(),
        style: ScalarStyle::Plain,
        mark,
    }
}

/// The state machine only consumes a token after peeking its kind; a mismatch is a bug.
fn unreachable_token() -> Box<RawError> {
    Box::new(RawError {
        stage: Stage::Parser,
        context_mark: None,
        problem_mark: None,
        problem: Cow::Borrowed("internal error: token changed under the parser"),
    })
}
