//! The fast path against the exact reader: it must answer for the YAML Kubernetes manifests are
//! made of, decline what it is not sure of, and never differ from the exact reader.

use super::super::{compare_readers, Schema};
use std::path::{Path, PathBuf};

/// Asserts that the fast path answers for every piece of `src` and agrees with the exact reader.
fn same_as(src: &str, schema: Schema) {
    let pieces = compare_readers(src.as_bytes(), schema);
    assert!(!pieces.is_empty(), "no pieces in {src:?}");
    for p in pieces {
        let Some(fast) = p.fast else {
            panic!("the fast path declined {src:?}");
        };
        match p.exact {
            Ok(exact) => assert_eq!(fast, exact, "{src:?}"),
            Err(e) => {
                panic!("the fast path answered {fast:?}, the exact reader failed: {e} for {src:?}")
            }
        }
    }
}

fn same(src: &str) {
    same_as(src, Schema::Core);
}

/// Asserts that the fast path declines `src` (a single piece).
fn declines_as(src: &str, schema: Schema) {
    let pieces = compare_readers(src.as_bytes(), schema);
    assert_eq!(pieces.len(), 1, "{src:?}");
    if let Some(fast) = &pieces[0].fast {
        panic!("the fast path answered {fast:?} for {src:?}");
    }
}

fn declines(src: &str) {
    declines_as(src, Schema::Core);
}

/// Whenever the fast path answers, the exact reader gives the same node. Returns the bytes of
/// pieces answered and of all pieces.
fn agree(src: &[u8], schema: Schema, what: &str) -> (usize, usize) {
    let mut answered = 0;
    let mut total = 0;
    for p in compare_readers(src, schema) {
        total += p.len;
        if let Some(fast) = p.fast {
            answered += p.len;
            match p.exact {
                Ok(exact) => assert!(fast == exact, "{what}: fast {fast:?}\nexact {exact:?}"),
                Err(e) => {
                    panic!("{what}: the fast path answered where the exact reader failed: {e}")
                }
            }
        }
    }
    (answered, total)
}

#[test]
fn typical_manifests() {
    same(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n    \
         tier: \"frontend\"\n  annotations:\n    note: 'it''s here'\nspec:\n  replicas: 3\n  \
         template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        \
         args:\n        - --port=8080\n        - -v\n        ports:\n        - containerPort: 80\n          \
         protocol: TCP\n        resources: {}\n        env: []\n",
    );
    same("---\na: 1\n---\nb: [x, \"y\", 'z', 1.5, true, null]\n---\n# only a comment\n---\n");
    same("--- # leading marker\nkind: List\nitems:\n- a\n-\n- - x\n  - y\n- k: v\n  k2:\n  - z\n");
    assert!(compare_readers(b"", Schema::Core).is_empty());
    same("# nothing\n\n   \n");
    same(
        "a:\nb: ~\nc: null\nd: 0x1F\ne: 012\nf: 1_000\ng: .inf\nh: 2001-12-14\ni: -1.5e3\nj: +12\n",
    );
    same("'quoted key': 1\n\"k2\" : v\n\"1\": x\n2: y\ntrue: z\n");
    declines("\"1\": x\n1: y\n");
    same("a: b#c\nd: e # comment\nf: g:h\ni: http://x.y/z # c\nj: a  b   \nk: 'x' # c\n");
    same("  indented: root\n  second: 2\n");
    same("a: {  }\nb: [  ]\nc: [ a , b ]\n");
    same(r#"a: "\t\n\\\"\x41\u00e9\U0001F600\0\e\N\_\L\P\ \'""#);
    same("a: 'é—✓'\nb: plain é — text\n");
    same("a: x\n# c\n  # indented comment\n\nb: y\n");
    same("- a\n# between\n- b\n");
}

#[test]
fn multi_line_scalars() {
    same("a: plain text\n  continued here\n\n  after an empty line\n\n\n  two\nb: 1\n");
    same("- item\n  more\n- k: v\n    w # comment\n  j: 'single\n    ''quoted''\n\n    text'\n");
    same("a: \"double\\\n    escaped break \\t\n    folded\\\n\n    x\"\nb: c\n");
    same("description: ScheduledSparkApplication is the Schema for the\n  API.\nc: d\n");
    same("a: x\n  :y\n  - z\n  [w]\n");
    same("a: 'x  \n   y'\n");
    same("a: b\t\nc: d \t \n  e\t\n");
    same("- a\n  b\n");
    same("a:\n    own line\n  folded\nb:\n  'q'\nc:\n  |\n   x\nd:\n  []\ne:\n  - x\n-f: 1\n");
    same("-\n  own\n- \n  \"q\"\n");
    declines("a: x\n  y: z\n");
    declines("a: x\n  y # c\n  z\n");
}

#[test]
fn block_scalars() {
    for header in [
        "|", "|-", "|+", ">", ">-", ">+", "|2", "|2-", "|-2", ">1+", "|+3",
    ] {
        for body in [
            "  one\n  two\n",
            "  one\n\n  two\n\n\nb: 1\n",
            "\n\n  one\n    more\n  two\n   \nb: 1\n",
            "  one\n  two",
            "   spaced\n  less\n",
            "  a\n    b\n  c\n\n  d\n",
            "  a \n  \tb\n  c\t\n",
            "    a\n   \n      \n  b: 1\n",
            "  # not a comment\n  x\n# comment\nb: 2\n",
        ] {
            let src = format!("a: {header}\n{body}");
            let pieces = compare_readers(src.as_bytes(), Schema::Core);
            for p in pieces {
                if let Some(fast) = p.fast {
                    assert_eq!(Ok(fast), p.exact, "{src:?}");
                }
            }
        }
    }
    same("a: |\n  line\n  # hash\n\n  end\nb: >\n  folded\n  text\n\n  para\n   more\n  back\n");
    same("- |\n  item\n- >-\n  x\n  y\n- k: |+\n    keep\n\n  j: 1\n");
    same("a:\n- |\n  indentless\nb: c\n");
    same("a: |\n    text\n  # a comment shorter than the text\nb: 1\n");
}

#[test]
fn yaml11_configs() {
    same_as(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- a.yaml\n\
         - ../base\nnamespace: kf\nimages:\n- name: x\n  newTag: \"1.0\"\n",
        Schema::Yaml11,
    );
    same_as("a: 2001-12-14\nb: yes\nc: 1\n", Schema::Yaml11);
    declines_as("yes: 1\n", Schema::Yaml11);
    declines_as("1: a\n", Schema::Yaml11);
    declines_as("a: 1\n---\nb: 2\n", Schema::Yaml11);
}

#[test]
fn declines_what_it_does_not_know() {
    for src in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: {b: 1}\n",
        "a: [b, [c]]\n",
        "a: [b,]\n",
        "a: [b\n  , c]\n",
        "a: multi\nline\n",
        "a: 'multi\nline'\n",
        "a: \"esc\\\n\taped\"\n",
        "'multi\n  line': key\n",
        "a: 1\na: 2\n",
        "~: 1\n",
        "null: 1\n",
        "<<: {a: 1}\n",
        "? a\n: b\n",
        "---\n",
        "a: 1\n...\n",
        "%YAML 1.1\na: 1\n",
        "a:\n  b: 1\n c: 2\n",
        "scalar root\n",
        "\"quoted root\"\n",
        "a:\tb\n",
        "\tb: 1\n",
        "a:\n\t- b\n",
        "a: b: c\n",
        "a: - b\n",
        "a: \"x\"y\n",
        "a: []#c\n",
        "a: |\n  x\n \ty\n",
        "a: |0\n  x\n",
        "a: |",
        "a: x\r\nb: y\r",
        "a: \"\\/\"\n",
        "a: \"\\ud800\"\n",
        "\u{FEFF}\u{FEFF}a: 1\n",
        "a: x\u{85}b\n",
        "a: :x\n",
        "a: ?x\n",
        "a: @x\n",
        "a: x\n  # c\n  y\n",
    ] {
        declines(src);
    }
}

/// Edge cases the fuzzer found or that sit on a boundary of the subset.
#[test]
fn regressions() {
    same("a: b\n\n   \n");
    same("- a\n-\n");
    same("-");
    same("a:");
    same("a: |\n  x");
    same("a: |\n");
    same("a: >-\n\n");
}

/// Whenever the fast path answers for a piece of `src`, under either schema, the exact reader
/// accepts it and builds the same node. Returns how many pieces the fast path answered.
fn agrees(src: &str) -> usize {
    let mut answered = 0;
    for schema in [Schema::Core, Schema::Yaml11] {
        for p in compare_readers(src.as_bytes(), schema) {
            let Some(fast) = p.fast else {
                continue;
            };
            answered += 1;
            match p.exact {
                Ok(exact) => assert_eq!(fast, exact, "{schema:?} {src:?}"),
                Err(e) => {
                    panic!("{schema:?}: fast answered {fast:?}, exact failed: {e} for {src:?}")
                }
            }
        }
    }
    answered
}

/// Hand-written inputs on the edges of what the fast path reads: each must give the exact
/// reader's node whenever the fast path answers (many are meant to be declined).
#[test]
fn agrees_on_tricky_inputs() {
    let long_word = "x".repeat(5000);
    let long_words = "word ".repeat(400);
    let long_key = "k".repeat(1100);
    let cases: Vec<String> = [
        // Multi-line plain scalars: folding, empty lines, comments, indentation limits.
        "a: one\n  two\n   three\n\n\n  four\n",
        "a: one\n two\nb: c\n",
        "a: one\ntwo\n",
        "- one\n two\n- three\n",
        "- one\n  two\n -x\n",
        "a:\n  b: one\n   two\n  c: d\n",
        "a: one # c\n  two\n",
        "a: one\n  # c\n",
        "a: one\n  two # c\nb: 1\n",
        "a: one\n  two: three\n",
        "a: one\n  - two\n",
        "a: one\n  two\n  ---\n",
        "a: one\n---\n",
        "a: one\n  ...\n",
        "a: one\n\t two\n",
        "a: one\n  \ttwo\n",
        "a: one\t\n  two \t\n",
        "a: one\n  two\t# c\n",
        "a: 1\n  2\n",
        "a: true\n  false\n",
        "a: ~\n  x\n",
        "a: x\n  y\n\n",
        "a: x\n  y\n  \n",
        "key with spaces: value with spaces\n  continued\n",
        // Multi-line quoted scalars.
        "a: 'one\n  two'\n",
        "a: 'one\n\n  two'\n",
        "a: 'one  \n  two  '\n",
        "a: 'one\ntwo'\n",
        "a: 'one\n two'\n",
        "- 'one\n two'\n",
        "- 'one\n  two'\n",
        "a: \"one\n  two\"\n",
        "a: \"one\\\n  two\"\n",
        "a: \"one \\\n  two\"\n",
        "a: \"one\\\n\n  two\"\n",
        "a: \"one\\ \n  two\"\n",
        "a: \"\\\n\"\n",
        "a: \"a\\tb\\\\c\\\"d\\x41\\u263A\\U0001F600\"\n",
        "a: \"\\x4\"\n",
        "a: \"\\u00e\"\n",
        "a: \"\\q\"\n",
        "a: \"\\\t\"\n",
        "a: 'it''s'\n",
        "a: 'it''\n  ''s'\n",
        "a: 'x' y\n",
        "a: 'x'#c\n",
        "a: 'x' #c\n",
        "a: 'x\n",
        "a: \"x\n",
        "'a\n  b': c\n",
        "\"a\": b\n\"c\" : d\n",
        "\"a\":b\n",
        "'a' :\n  - x\n",
        // Block scalars with indicators and odd bodies.
        "a: |\n  x\n",
        "a: |1\n  x\n",
        "a: |2\n   x\n  y\n",
        "a: |2\n  x\n   y\n",
        "a: >2-\n   x\n  y\n",
        "a: |9\n  x\n",
        "a: |10\n  x\n",
        "a: |-2\n  x\n",
        "a: |+-\n  x\n",
        "a: |x\n  x\n",
        "a: | # c\n  x\n",
        "a: |#c\n  x\n",
        "a: |  \n  x\n",
        "a: |\n\n\n  x\n\n\n",
        "a: |\n     \n  x\n",
        "a: |\n  x\n     \n",
        "a: >\n  x\n\n   y\n  z\n",
        "a: >\n  x\n  \ty\n",
        "a: >\n   x\n  y\n",
        "a: |\n  x\n y\n",
        "- |\n x\n- >\n  y\n",
        "- |\n  x\n -\n",
        "a:\n  - |\n    x\n  - y\n",
        "a: |\n  x\n\tb: 1\n",
        "a: |\n\tx\n",
        "a: >-\n",
        "a: |+\n\n",
        "a: |+\n  x\n\n\nb: 1\n",
        // Comments everywhere.
        "# c\na: b # c\n# c\n  # c\nc: d\n",
        "a: b# not a comment\n",
        "a: b #c\n  d\n",
        "a: #c\n  b\n",
        "a: #c\n  - b\n",
        "a:#c\n",
        "- #c\n  a\n",
        "-#c\n",
        "a: [] # c\nb: {} #c\n",
        "a: [x, y] # c\n",
        // Anchors, aliases, tags, merge keys.
        "a: &x b\nc: *x\n",
        "a: &x\n  b: c\nd:\n  <<: *x\n",
        "a: !!str 1\n",
        "a: !custom x\n",
        "a: b&c\n",
        "a: b*c\n",
        "a: b!c\n",
        "<<: x\n",
        // Flow collections.
        "a: [x, y, z]\n",
        "a: [ x , 'y' , \"z\" ]\n",
        "a: [x,y]\n",
        "a: [x y]\n",
        "a: [x, [y]]\n",
        "a: [x, {y: z}]\n",
        "a: [x: y]\n",
        "a: [x,]\n",
        "a: [,x]\n",
        "a: [x\n  ]\n",
        "a: [\n  x]\n",
        "a: [x] y\n",
        "a: [x]]\n",
        "a: [-x, +y, .z, x-y]\n",
        "a: [1, 1.5, true, null, ~, 0x1F]\n",
        "a: [a/b, a_b, a.b]\n",
        "a: [é]\n",
        "a: {x: y}\n",
        "a: {}\n",
        "a: { }\n",
        "a: {} x\n",
        "- []\n- {}\n- [x]\n",
        "[x, y]\n",
        "{x: y}\n",
        // CRLF and other line breaks.
        "a: b\r\nc: d\r\n",
        "a: b\r\n  c\r\n",
        "a: |\r\n  x\r\n  y\r\n",
        "a: 'x\r\n  y'\r\n",
        "a: b\rc: d\n",
        "a: b\r",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "a: x\u{2029}y\n",
        "a: 'x\u{2028}y'\n",
        // Tabs.
        "a:\tb\n",
        "a: b\tc\n",
        "a: \tb\n",
        "a:\n\tb: c\n",
        "\ta: b\n",
        "a: b\n\t\n",
        "a: b\n \t\nc: d\n",
        "a: 'b\tc'\n",
        "a: \"b\tc\"\n",
        "- \tx\n",
        "-\tx\n",
        "a: |\n  \tx\n",
        // Byte order marks.
        "\u{FEFF}a: b\n",
        "\u{FEFF}\u{FEFF}a: b\n",
        "a: \u{FEFF}b\n",
        "a: b\u{FEFF}\n",
        "\u{FEFF}---\na: b\n",
        // Document markers and directives.
        "---\na: b\n",
        "--- \na: b\n",
        "---  # c\na: b\n",
        "--- a: b\n",
        "--- |\n  x\n",
        "--- >\n x\n",
        "---a: b\n",
        "a: b\n---\nc: d\n",
        "a: b\n--- # c\nc: d\n",
        "a: b\n--- x\nc: d\n",
        "a: b\n...\n",
        "a: b\n... # c\n",
        "a: b\n...\nc: d\n",
        "...\n",
        "%YAML 1.2\n---\na: b\n",
        "%TAG ! tag:x,2000:\n---\na: b\n",
        "a: ---\n",
        "a: ...\n",
        "a:\n---\n",
        " ---\n",
        "- ---\n",
        "---\n---\n",
        "---\n...\n",
        "--- # only\n",
        // Keys with colons and odd characters.
        "a:b: c\n",
        "a:b:c: d\n",
        "http://x: y\n",
        "a: b:c\n",
        "a: b: c\n",
        "a: :b\n",
        "a:: b\n",
        "::: x\n",
        "a :b\n",
        "a : b\n",
        "a  : b\n",
        "a\t: b\n",
        "a:\t\n",
        "? a\n: b\n",
        "?a: b\n",
        "-a: b\n",
        "- a: b\n  c: d\n- e\n",
        "- - a\n  - b\n- - c\n",
        "- - a: b\n    c: d\n",
        "a:\n- b\n- c\nd: e\n",
        "a:\n  - b\n  - c\n d: e\n",
        "a:\n- b\n -c\n",
        "a: b\nb: c\na: d\n",
        "1: a\n01: b\n",
        "true: a\nyes: b\n",
        "~: a\n",
        "'': a\n",
        "\"\": a\n",
        ": a\n",
        "a: b\n c: d\n",
        "a:\n  b: c\n    d: e\n",
        "a:\n    b: c\n  d: e\n",
        "a: @b\n",
        "a: `b\n",
        "a: %b\n",
        "a: b%c\n",
        "a: -\n",
        "a: - b\n",
        "a: -b\n",
        "a: ?\n",
        "a: ? b\n",
        "a: ?b\n",
        "a: ,b\n",
        "a: b,c\n",
        "a: [b]c\n",
        "a: b]\n",
        "a: b}\n",
        "a: |b\n",
        "a: >b\n",
        "a: b|c\n",
        "a: #\n",
        // Scalars that resolve to other types.
        "a: 0o17\nb: 0b11\nc: 1_000\nd: 1e3\ne: .5\nf: -.inf\ng: .NaN\nh: 2001-12-14t21:59:43.10-05:00\ni: Yes\nj: NO\nk: on\nl: 0x_1\nm: +0\nn: -0\n",
        "a: 12345678901234567890123\nb: 1.7976931348623157e309\n",
        // Roots that are not mappings.
        "x\n",
        "- x\n",
        "'x'\n",
        "|\n x\n",
        "",
        "\n\n",
        "# only\n",
        "  # only\n",
        "-\n",
        "- \n",
        ":\n",
        // Unicode text.
        "a: é\nb: 日本語\nc: 😀\nd: 'ü'\n",
        "é: a\n",
        "a: \u{A0}b\n",
        "a: b\u{A0}\n",
        "a: \u{7F}\n",
        "a: \u{1}\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("a: {long_word}\n"),
        format!("a: {long_word}\n  {long_word}\n"),
        format!("a: {long_words}\n"),
        format!("a: '{long_words}'\n"),
        format!("{long_key}: x\n"),
        format!("'{long_key}': x\n"),
        format!("a: [{long_word}, {long_word}]\n"),
        format!("a: |\n  {long_word}\n"),
        format!("{}a: b\n", "- ".repeat(300)),
        format!("{}x\n", (0..250).map(|i| format!("{}k:\n", " ".repeat(i))).collect::<String>()),
    ])
    .collect();
    let mut answered = 0;
    for case in &cases {
        answered += agrees(case);
        // Indented as a whole, and as a sequence item.
        let indented: String = case.lines().map(|l| format!("  {l}\n")).collect();
        answered += agrees(&indented);
        let item: String = case
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{}{l}\n", if i == 0 { "- " } else { "  " }))
            .collect();
        answered += agrees(&item);
        // After a key, as its nested value.
        let nested: String = case.lines().map(|l| format!("  {l}\n")).collect();
        answered += agrees(&format!("k:\n{nested}"));
        // Without the final line break, and with CRLF.
        answered += agrees(case.trim_end_matches('\n'));
        answered += agrees(&case.replace('\n', "\r\n"));
    }
    assert!(
        answered > 500,
        "the fast path answered only {answered} times"
    );
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// Every YAML file of the repository's test data (and of the shared corpora, when present): the
/// fast path agrees with the exact reader under both schemas wherever it answers.
#[test]
fn agrees_on_every_test_file() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots = vec![core.join("testdata"), core.join("../testdata")];
    let shared = core.join("../../../shared/corpus");
    let shared = if shared.is_dir() {
        shared
    } else {
        PathBuf::from("/work/shared/corpus")
    };
    let corpora: Vec<PathBuf> = std::fs::read_dir(&shared)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    roots.extend(corpora.iter().cloned());
    for root in roots {
        let mut files = Vec::new();
        yaml_files(&root, &mut files);
        let (mut answered, mut total) = (0, 0);
        for file in &files {
            let Ok(src) = std::fs::read(file) else {
                continue;
            };
            let what = file.display().to_string();
            let (a, t) = agree(&src, Schema::Core, &what);
            answered += a;
            total += t;
            agree(&src, Schema::Yaml11, &what);
        }
        let share = if total == 0 {
            1.0
        } else {
            answered as f64 / total as f64
        };
        eprintln!(
            "{}: {} files, fast path answered {answered} of {total} bytes ({:.2}%)",
            root.display(),
            files.len(),
            share * 100.0
        );
        if root.ends_with("kubeflow-v1.10.2") {
            assert!(
                share >= 0.95,
                "fast path coverage on Kubeflow fell to {share}"
            );
        }
    }
}

/// A small deterministic mutation fuzzer: lines of manifest-like YAML shuffled, re-indented and
/// spliced with YAML's special characters; the fast path must agree whenever it answers.
#[test]
fn agrees_on_mutated_documents() {
    let seeds = [
        "a: b\nc:\n  d: e\n  f:\n  - g\n  - h: i\n    j: |\n      text\n      more\n\n    k: >-\n      \
         folded\n      line\n",
        "- a\n- 'b''c'\n- \"d\\te\"\n- [x, y]\n- {}\n-\n  - z\n# c\nkey: value # c\n",
        "k: v\nlist:\n- name: x\n  value: \"1\"\n- name: y\n  value: 2\nempty:\nlast: ~\n",
    ];
    let pieces: &[&str] = &[
        " ", "  ", "-", "- ", ":", ": ", "#", " #", "'", "\"", "|", ">", "[", "]", "{", "}", ",",
        "\n", "\t", "&a", "*a", "!", "?", "---", "...", "\\", "1", "x", "é", "+", "0", "~",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut answered = 0;
    for round in 0..4000 {
        let seed = seeds[round % seeds.len()];
        let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
        for _ in 0..1 + next(3) {
            let i = next(lines.len());
            match next(5) {
                0 => lines[i].insert(0, ' '),
                1 => {
                    if lines[i].starts_with(' ') {
                        lines[i].remove(0);
                    }
                }
                2 => {
                    let j = next(lines.len());
                    lines.swap(i, j);
                }
                _ => {
                    let mut at = next(lines[i].len() + 1);
                    while !lines[i].is_char_boundary(at) {
                        at -= 1;
                    }
                    lines[i].insert_str(at, pieces[next(pieces.len())]);
                }
            }
        }
        let src = lines.join("\n") + "\n";
        for schema in [Schema::Core, Schema::Yaml11] {
            for p in compare_readers(src.as_bytes(), schema) {
                if let Some(fast) = p.fast {
                    answered += 1;
                    match p.exact {
                        Ok(exact) => assert_eq!(fast, exact, "{src:?}"),
                        Err(e) => panic!("fast answered {fast:?}, exact failed: {e} for {src:?}"),
                    }
                }
            }
        }
    }
    assert!(
        answered > 1000,
        "the fast path answered only {answered} times"
    );
}

/// Where the fast path declines in the shared Kubeflow corpus, by bytes (a tool, not a check:
/// `cargo test -p kustomize-core bail_sites -- --ignored --nocapture`).
#[test]
#[ignore]
fn bail_sites() {
    use super::super::{input, normalize_crlf, split_documents};
    use std::collections::BTreeMap;
    let mut files = Vec::new();
    yaml_files(
        Path::new("/work/shared/corpus/kubeflow-v1.10.2"),
        &mut files,
    );
    let mut sites: BTreeMap<u32, (usize, usize, String)> = BTreeMap::new();
    for file in &files {
        let Ok(src) = std::fs::read(file) else {
            continue;
        };
        let text = normalize_crlf(&src);
        let Ok(pieces) = split_documents(&text) else {
            continue;
        };
        for piece in pieces {
            let t = input::decode(piece);
            if t.reader_error.is_some() {
                continue;
            }
            if let Err((line, at)) = super::explain(&t.text, Schema::Core) {
                let e = sites.entry(line).or_default();
                e.0 += 1;
                e.1 += piece.len();
                if e.2.is_empty() {
                    let from = t.text[..at.min(t.text.len())]
                        .rfind('\n')
                        .map_or(0, |i| i + 1);
                    let mut to = (at + 120).min(t.text.len());
                    while !t.text.is_char_boundary(to) {
                        to -= 1;
                    }
                    e.2 = format!("{}: {:?}", file.display(), &t.text[from..to]);
                }
            }
        }
    }
    let mut v: Vec<_> = sites.into_iter().collect();
    v.sort_by_key(|(_, (_, bytes, _))| std::cmp::Reverse(*bytes));
    for (line, (n, bytes, example)) in v {
        eprintln!("fast.rs:{line}: {n} pieces, {bytes} bytes; e.g. {example}");
    }
}
