#!/usr/bin/env python3
"""Generates the printer's differential fixtures.

Each fixture set is a directory with
  kustomization.yaml   resources: [resources.yaml]
  resources.yaml       the input, ConfigMaps named cm-0001, cm-0002, ... (kustomize sorts them
                       by name, so its output keeps file order)
  nodes.json           the same resources as the printer's Node model sees them: every scalar as
                       [tag, text] (tag: s str, i int, f float, b bool, n null, t timestamp,
                       x binary), mappings as {"m": [[key, value], ...]}, sequences as {"q": [...]}
  expected.yaml        what kustomize v5.8 prints for the set (recorded with --oracle)
  expected-error.txt   instead of expected.yaml for sets kustomize refuses: its error message

Usage: generate.py [--oracle PATH_TO_KUSTOMIZE]   (deterministic; run from anywhere)
Without --oracle only the inputs are rewritten.
"""

import json
import os
import random
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# The model: scalars are (tag, text); mappings are ("m", [(key, value)]); sequences ("q", [..]).


def S(text):
    return ("s", text)


def M(*pairs):
    entries = [(k if isinstance(k, tuple) else S(k), v) for k, v in pairs]
    texts = [k[1] for k, _ in entries]
    assert len(set(texts)) == len(texts), "duplicate keys in %r" % texts
    if all(k[0] == "s" for k, _ in entries):
        bad = unordered(texts)
        assert not bad, "go-yaml v2 orders these keys differently from run to run: %r" % (bad,)
    return ("m", entries)


def _is_letter(c):
    return unicodedata.category(c).startswith("L")


def _is_digit(c):
    return unicodedata.category(c) == "Nd"


def go_less(a, b):
    """go-yaml v2's keyList.Less on two strings (int64 arithmetic wraps as in Go)."""
    def wrap(n):
        return (n + 2**63) % 2**64 - 2**63
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = _is_letter(a[i]), _is_letter(b[i])
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and _is_digit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _is_digit(a[ai]):
            an = wrap(an * 10 + ord(a[ai]) - ord("0"))
            ai += 1
        bi = i
        while bi < len(b) and _is_digit(b[bi]):
            bn = wrap(bn * 10 + ord(b[bi]) - ord("0"))
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def ordered_subset(keys):
    """The keys, less those that would make go-yaml v2's order ambiguous."""
    out = []
    for k in keys:
        if not unordered(out + [k]):
            out.append(k)
    return out


def unordered(keys):
    """Keys on which go_less is not a strict total order (then Go's output depends on its random
    map iteration order, and no fixture can record it)."""
    for a in keys:
        for b in keys:
            if a != b and go_less(a, b) == go_less(b, a):
                return (a, b)
            for c in keys:
                if go_less(a, b) and go_less(b, c) and not go_less(a, c):
                    return (a, b, c)
    return None


def Q(*items):
    return ("q", list(items))


def plain(text):
    """A plain (unquoted) scalar: its tag is what go-yaml v3 resolves it to."""
    return (resolve_v3(text), text, "plain")


def tagged(tag, text):
    """An explicitly tagged scalar, written `!!tag "text"`."""
    return (tag, text, "tagged")


# ---------------------------------------------------------------------------------------------
# go-yaml v3's resolution of plain scalars (to know the tags of `plain(...)` values).

_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _go_uint(s):
    if not s:
        return None
    base, digits = 10, s
    if s[0] == "0":
        if len(s) >= 3 and s[1] in "bB":
            base, digits = 2, s[2:]
        elif len(s) >= 3 and s[1] in "oO":
            base, digits = 8, s[2:]
        elif len(s) >= 3 and s[1] in "xX":
            base, digits = 16, s[2:]
        else:
            base, digits = 8, s[1:]
    n = 0
    for c in digits:
        d = int(c, 36) if c.isascii() and c.isalnum() else 99
        if d >= base:
            return None
        n = n * base + d
    return n if n < 2**64 else None


def _go_int(s):
    neg = s[:1] == "-"
    rest = s[1:] if s[:1] in "+-" else s
    u = _go_uint(rest)
    if u is None:
        return None
    v = -u if neg else u
    return v if -(2**63) <= v < 2**63 else None


def _finite(s):
    try:
        f = float(s)
    except ValueError:
        return None
    return f if f not in (float("inf"), float("-inf")) else None


def _ts(s):
    m = re.match(r"^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(.*)$", s)
    if not m:
        return False
    y, mo, d, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
    if not 1 <= mo <= 12:
        return False
    dim = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31,
           30, 31, 30, 31][mo - 1]
    if not 1 <= d <= dim:
        return False
    if rest == "":
        return True
    clock = r"([0-9][0-9]?):([0-9][0-9]?):([0-9][0-9]?)(?:[.,][0-9]+)?"
    for pat in (r"^[Tt]" + clock + r"(?:Z|[+-][0-9][0-9]:[0-9][0-9])$", r"^ +" + clock + r"$"):
        c = re.match(pat, rest)
        if c and int(c[1]) < 24 and int(c[2]) < 60 and int(c[3]) < 60:
            z = re.search(r"[+-]([0-9][0-9]):([0-9][0-9])$", rest)
            if z and (int(z[1]) > 24 or int(z[2]) > 60):
                return False
            return True
    return False


def resolve_v3(s):
    words = {"true": "b", "True": "b", "TRUE": "b", "false": "b", "False": "b", "FALSE": "b",
             "": "n", "~": "n", "null": "n", "Null": "n", "NULL": "n",
             ".nan": "f", ".NaN": "f", ".NAN": "f", ".inf": "f", ".Inf": "f", ".INF": "f",
             "+.inf": "f", "+.Inf": "f", "+.INF": "f", "-.inf": "f", "-.Inf": "f", "-.INF": "f"}
    if s and s[0] not in "+-0123456789yYnNtTfFoO~.":
        return "s"
    if s in words:
        return words[s]
    if s.startswith("."):
        body = s
        if re.match(r"^\.[0-9_]*[0-9][0-9_]*([eE][-+]?[0-9][0-9_]*)?$", body) and \
                not re.search(r"(^|[^0-9])_|_($|[^0-9])", body) and \
                _finite(body.replace("_", "")) is not None:
            return "f"
        return "s"
    if s[0] in "+-0123456789":
        if _ts(s):
            return "t"
        p = s.replace("_", "")
        if _go_int(p) is not None or _go_uint(p) is not None:
            return "i"
        if _FLOAT_RE.match(p) and _finite(p) is not None:
            return "f"
    return "s"


# ---------------------------------------------------------------------------------------------
# Writing YAML input and the JSON node description.


def dq(text):
    """A YAML double-quoted scalar holding exactly `text`."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or 0x7F <= o <= 0x9F:
            out.append("\\x%02X" % o)
        elif o in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF) or 0xD800 <= o <= 0xDFFF:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar_yaml(sc):
    tag, text = sc[0], sc[1]
    how = sc[2] if len(sc) > 2 else "quoted"
    if how == "plain":
        return text
    if how == "tagged":
        name = {"s": "str", "i": "int", "f": "float", "b": "bool", "n": "null", "t": "timestamp",
                "x": "binary"}[tag]
        return "!!%s %s" % (name, dq(text))
    assert tag == "s"
    # Simple words are written plain, as people write them; the rest double-quoted.
    if _SIMPLE.fullmatch(text) and resolve_v3(text) == "s":
        return text
    return dq(text)


_SIMPLE = re.compile(r"[A-Za-z_/][A-Za-z0-9 ._/-]*[A-Za-z0-9._/]|[A-Za-z]")


def is_coll(v):
    return v[0] in ("m", "q") and isinstance(v[1], list)


def emit(v, indent, out, first_prefix):
    """Writes value `v` whose first line starts after `first_prefix` (already on the line)."""
    pad = " " * indent
    if v[0] == "m" and isinstance(v[1], list):
        if not v[1]:
            out.append(first_prefix + "{}\n")
            return
        for i, (k, val) in enumerate(v[1]):
            prefix = first_prefix if i == 0 else pad
            key = scalar_yaml(k)
            if is_coll(val) and val[1]:
                if val[0] == "m":
                    out.append(prefix + key + ":\n")
                    emit(val, indent + 2, out, " " * (indent + 2))
                else:
                    out.append(prefix + key + ":\n")
                    emit(val, indent, out, pad)
            else:
                emit(val, indent + 2, out, prefix + key + ": ")
        return
    if v[0] == "q" and isinstance(v[1], list):
        if not v[1]:
            out.append(first_prefix + "[]\n")
            return
        for i, item in enumerate(v[1]):
            prefix = first_prefix if i == 0 else pad
            emit(item, indent + 2, out, prefix + "- ")
        return
    out.append(first_prefix + scalar_yaml(v) + "\n")


def to_json(v):
    if v[0] == "m" and isinstance(v[1], list):
        return {"m": [[to_json(k), to_json(val)] for k, val in v[1]]}
    if v[0] == "q" and isinstance(v[1], list):
        return {"q": [to_json(i) for i in v[1]]}
    return [v[0], v[1]]


def resource(n, *pairs):
    return M(("apiVersion", S("v1")), ("kind", S("ConfigMap")),
             ("metadata", M(("name", S("cm-%04d" % n)))), *pairs)


# ---------------------------------------------------------------------------------------------
# The cases.

WORDS = ["y", "yes", "n", "no", "true", "false", "on", "off", "null", "nil", "none", "t", "f",
         "nan", "inf", "infinity", "ok", "enabled"]


def case_variants(w):
    vs = {w, w.lower(), w.upper(), w.capitalize(), w.swapcase().capitalize()}
    if len(w) > 1:
        vs.add(w[0].upper() + w[1:].lower()[:-1] + w[-1].upper())
        vs.add("".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(w)))
    return sorted(vs)


NUMBERISH = [
    "0", "1", "-1", "+1", "01", "012", "08", "09", "0o12", "0O12", "0x1F", "0X1f", "0x", "0b101",
    "0B11", "-0b11", "0b", "0o", "0x_1F", "1_000", "1__0", "_1", "1_", "+1_000", "-0", "+0",
    "1.0", "1.", ".5", "-.5", "+.5", "0.5", "1e3", "1E3", "1e+3", "1e-3", "1.5e-7", "1e", "1e+",
    ".5e3", ".5_5", "._5", ".5_", "1e400", "-1e400", ".1e999", "1e-400", "0x1p3", "1.2.3", "v1",
    "1:20", "1:60", "12:30:45", "-1:20", "190:20:30.15", "1:2:3.5", "1_0:20", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "18446744073709551616", "100000000000000000000", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
    ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".iNf", ".nan", ".NaN", ".NAN", "inf", "-inf",
    "+inf", "nan", "NaN", "Infinity", "-", "+", "--", "-- ", ".", "..", "...", "+-1", "1-1",
    "0.0", "-0.0", "00", "0_0", "1__", "2001-12-14", "2001-12-14T21:59:43Z",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14  21:59:43",
    "2001-1-2", "2001-12-14T21:59:43", "2001-13-14", "2001-02-29", "2000-02-29", "1900-02-29",
    "2001-12-14T24:00:00Z", "2001-12-14T21:59:43+24:00", "2001-12-14T21:59:43+25:00",
    "2001-12-14 21:59:43,5", "20011-12-14", "2001-12-14 ", "2001-12-14T1:2:3.123456789012Z",
]

TYPED_PLAIN = [
    "0", "1", "-1", "+1", "012", "08", "0o12", "0x1F", "0X1f", "0b101", "-0b11", "0x_1F",
    "1_000", "1__0", "1_", "-0", "+0", "1.0", "1.", ".5", "-.5", "+.5", "1e3", "1e+3", "1e-3",
    "1.5e-7", ".5e3", ".5_5", "1e-400", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "18446744073709551615", "18446744073709551616",
    "100000000000000000000", "1e21", "1e20", "1e19", "-1e19", "123456789.5", "1234567.5",
    "123456.5", "0.000001", "0.0000001", "0.1", "0.2", "0.3", "100.25", "3.14159265358979323846",
    "1.7976931348623157e308", "5e-324", "2.5e-5", "-2.5", "0.0", "-0.0", "00", "09.5",
    "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
    "2001-12-14", "2001-12-14T21:59:43Z", "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10", "2001-1-2T3:4:5Z", "2001-12-14T21:59:43+00:00",
    "2001-12-14T21:59:43.123456789012-05:30", "2001-12-14T21:59:43.000-00:00",
    "2001-12-14 21:59:43,5", "0001-01-01", "9999-12-31T23:59:59.999999999Z",
    "2001-12-14T21:59:43+23:59", "2001-12-14T21:59:43-01:60",
    "yes", "no", "on", "off", "y", "n", "0x1p3", "1e400", ".iNf", "1.2.3",
]

INDICATORS = ["#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`",
              "?", ":", "-", ".", "=", "~", "<", "\\", "/", "^", "$", "(", ")", ";", "+", "_"]


def indicator_strings():
    out = []
    for c in INDICATORS:
        out += [c, c + "a", c + " a", "a" + c, "a" + c + "b", "a " + c, "a " + c + " b",
                "a" + c + " b", c + c]
    out += ["---", "--- x", "---x", "...", "... x", "...x", "- ", " -", "-\t", "a:", "a: ",
            "a:b", "a :b", "a\t#b", "a#", "a #", "? x", "?x", ": x", ":x", "x:\ty", "<<",
            "<< x", "http://example.com/a?b=c#d", "key=value", "a,b", "{a: 1}", "[1, 2]",
            "*alias", "&anchor x", "!tag x", "%TAG", "@at", "`tick`", "'single'", '"double"',
            "it's", 'say "hi"', "back\\slash", "C:\\path\\to", "a  b", "a   b  c",
            " ", "  ", " a", "a ", " a ", "\ta", "a\t", "a\tb"]
    return out


def unicode_strings():
    return [
        "café", "naïve", "ünïcødé ✓", "日本語", "中文字符", "한국어", "Ελληνικά", "кириллица",
        "עברית", "العربية", "e\u0301", "a\u0308\u0301", "\u0301a", "zero\u200bwidth",
        "zw\u200dj", "\u200b", "\ufeffbom", "mid\ufeffbom", "bom\ufeff", "\ufeff",
        "nb\u00a0sp", "\u00a0", "soft\u00adhyphen", "😀", "hi 😀 there", "👍🏽", "👨‍👩‍👧",
        "𠀀 ext-b", "\U0001F1FA\U0001F1F8", "a\u2028b", "a \u2028 b", "a\u2029b", "\u2028",
        "a\u2028", "\u2028a", "a\u0085b", "a \u0085 b", "a\u0085\u0085b", "\u0085a", "a\u0085",
        "a\u0085\u2028b", "a\u2028\u0085b", "a\u0085 \u0085b", "\ue000 private", "\ufffd",
        "\uffef", "x\u00adx", "\u0600arabic-number-sign", "\u202eRTL override",
        "ℌ𝔢𝔩𝔩𝔬", "Ⅻ roman", "½ fraction", "²", "٣ arabic digit", "a٣", "€100", "£", "¥",
        "™", "©", "Ω", "µ", "ß", "ﬁ ligature", "Ａ fullwidth", "ｶﾀｶﾅ", "\u3000ideographic space",
        "a\u3000b", "\u2003em space", "tab\u2009thin",
    ]


def control_strings():
    out = []
    for o in list(range(0x00, 0x20)):
        out.append("c" + chr(o) + "d")
    out += ["\x00", "\x07bell", "a\x1b[31mred\x1b[0m", "\r", "a\rb", "a\r\nb", "a\r\nb\r\n",
            "\ra", "a\r", "\x0b\x0c", "\x08\x08"]
    return out


def multiline_strings():
    return [
        "a\nb", "a\nb\n", "a\nb\n\n", "a\nb\n\n\n", "\n", "\n\n", "\n\n\n", "\na", "\na\n",
        "\n\na", " a\nb", "  a\n  b\n", "a\n b", "a\n  b\n", "a \nb", "a\n \n", "a\nb ",
        "a\n\nb", "a\n\n\nb\n", "a\n\tb", "\ta\nb", "a\t\nb", "line with trailing\nspaces  \nhere",
        "#!/bin/sh\necho hi\n", "key: value\nother: - x\n", "- a\n- b\n", "---\na: 1\n",
        "a\n---\nb\n", "a\n...\n", "{\n  \"json\": true\n}\n", "a\u2028b\nc\n", "a\nb\u2028\n",
        "é\nü\n", "😀\nx\n", "a\n\u0085b", "\ufeffa\nb", "a\nb\ufeff", "x\x07\ny", "'\n'",
        '"\n"', "a\\\nb", "a\r\nb\r\n", "first line\n\n\n\nlast line\n",
        "  indented first\nnot\n", "\n  leading blank then indent\n", "\n\n  x\n\n",
        "trailing\n\n\n\n", "a" * 100 + "\n" + "b " * 60 + "\n",
        "config:\n  nested:\n    - item # comment\n",
    ]


def long_strings(rng):
    out = []
    for n in (70, 75, 78, 79, 80, 81, 82, 85, 90, 100, 120, 160, 200, 300):
        out.append("x" * n)
        out.append(("word " * (n // 5 + 1))[:n].rstrip())
        out.append(("ab " * (n // 3 + 1))[:n].strip())
    for i in range(40):
        words = []
        total = rng.randint(60, 260)
        length = 0
        while length < total:
            w = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 14)))
            words.append(w)
            length += len(w) + 1
        sep = [" "] * len(words)
        if i % 5 == 1:
            sep = [rng.choice([" ", " ", " ", "  ", "   "]) for _ in words]
        s = "".join(w + sp for w, sp in zip(words, sep)).rstrip()
        if i % 7 == 2:
            s = "a: " + s  # single quotes
        if i % 7 == 3:
            s = "\t" + s  # double quotes
        if i % 7 == 4:
            s = s + " é ü ß"  # non-ASCII columns
        if i % 7 == 5:
            s = s.replace(" ", "  ", 3) + " 😀"  # double quotes with escapes
        if i % 7 == 6:
            s = "it's " + s + " '"
        out.append(s)
    # Spaces right at the fold boundary.
    for k in range(75, 86):
        out.append("a" * k + " " + "b" * 10)
        out.append("a" * k + "  " + "b" * 10)
        out.append("\t" + "a" * k + "  " + "b" * 10)
        out.append("\t" + "a" * k + " " + "b" * 10 + " ")
        out.append("a" * k + " ")
        out.append("- " + "a" * k + " b")
    return out


KEY_STRINGS = [
    "a", "A", "_a", "-a", "a-b", "a.b", "a_b", "a/b", "a~b", "1", "01", "001", "1a", "a1", "a01",
    "a001", "a1b", "a10", "a2", "a9", "a10b", "a010", "x0", "x00", "x0y", "x00y", "B", "b", "Ä",
    "ä", "é", "ω", "日", "0", "00", "10", "9", "99", "100", "1.5", "1e3", "0x1F", "y", "n", "yes",
    "No", "true", "~", "null", "", " ", " a", "a ", "a: b", "a:b", "- a", "-", "?", "#a", "a #b",
    "[x]", "{x}", "*a", "&a", "!a", "|", ">", "'q'", '"q"', "%a", "@a", "`a`", "a\tb", "\u00e9t\u00e9",
    "k\u0301", "٣", "a٣", "a٣b", "Ⅻ", "²", "ａ", "😀", "a😀", "\ufeffk", "k\u2028k",
    "x\ny", "x\n", "key with spaces", "UPPER", "lower", "MiXeD", "$ref", "x-kubernetes-foo",
]


def key_sets(rng):
    sets = []
    keys = list(KEY_STRINGS)
    for i in range(0, len(keys), 12):
        sets.append(keys[i:i + 12])
    # Shuffled sets that stress the natural order.
    pool = ["a%d" % i for i in (1, 2, 3, 10, 11, 20, 100)] + \
           ["a0%d" % i for i in (1, 2, 10)] + ["b", "B", "_", "-", "a", "A", "a-1", "a.1",
                                                 "a_1", "ab", "aB", "a b", "ä", "z", "Z"]
    for _ in range(6):
        rng.shuffle(pool)
        sets.append(pool[:14])
    digits = ["x%d" % n for n in (0, 7, 8, 9, 10, 19, 99, 100, 101, 1000, 65535, 65536)]
    digits += ["x%02d" % n for n in (0, 7, 10)] + ["x%03d" % n for n in (7, 70)]
    digits += ["x" + "9" * 20, "x" + "9" * 19, "x18446744073709551616", "x1x2", "x1x10", "x10x1"]
    digits = list(dict.fromkeys(digits))
    rng.shuffle(digits)
    sets.append(digits)
    return sets


def build_main(rng):
    """Resources that kustomize prints; returns a list of (name, model)."""
    docs = []

    def add(*pairs):
        docs.append(resource(len(docs) + 1, *pairs))

    # YAML 1.1 words and their case variants, as string values and keys.
    for w in WORDS:
        vs = case_variants(w)
        add(("data", M(*[("v%d" % i, S(v)) for i, v in enumerate(vs)])),
            ("keys", M(*[(v, S(v)) for v in vs])))
    # Number-like strings: values (quoted input, so strings) and keys.
    for i in range(0, len(NUMBERISH), 10):
        chunk = NUMBERISH[i:i + 10]
        add(("data", M(*[("s%02d" % j, S(v)) for j, v in enumerate(chunk)])),
            ("keys", M(*[(v, S("k")) for v in ordered_subset(chunk)])),
            ("list", Q(*[S(v) for v in chunk])))
    # The same texts as plain scalars: whatever go-yaml v3 makes of them.
    for i in range(0, len(TYPED_PLAIN), 8):
        chunk = TYPED_PLAIN[i:i + 8]
        add(("spec", M(*[("p%02d" % j, plain(v)) for j, v in enumerate(chunk)])),
            ("list", Q(*[plain(v) for v in chunk])))
    # Explicit tags.
    add(("spec", M(("i1", tagged("i", "0x10")), ("i2", tagged("i", "12")), ("f1", tagged("f", "1")),
                   ("f2", tagged("f", "1e3")), ("f3", tagged("f", "-7")), ("s1", tagged("s", "12")),
                   ("s2", tagged("s", "true")), ("s3", tagged("s", "~")), ("b1", tagged("b", "True")),
                   ("n1", tagged("n", "")), ("n2", tagged("n", "~")),
                   ("t1", tagged("t", "2001-12-14")), ("t2", tagged("t", "2001-12-14 1:2:3")))))
    add(("binary", M(("b1", tagged("x", "aGVsbG8gd29ybGQ=")), ("b2", tagged("x", "/w==")),
                     ("b3", tagged("x", "4oJB")), ("b4", tagged("x", "7aCA")),
                     ("b5", tagged("x", "9JCAgA==")), ("b6", tagged("x", "wIA=")),
                     ("b7", tagged("x", "aGVs\nbG8=")), ("b8", tagged("x", "")),
                     ("b9", tagged("x", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")),
                     ("b10", tagged("x", "bXVsdGkKbGluZQo=")), ("b11", tagged("x", "eWVz")),
                     ("b12", tagged("x", "w6nDqA==")), ("b13", tagged("x", "IGxlYWRpbmc=")),
                     ("b14", tagged("x", "8J+YgA==")))))
    # Indicators, quotes and spaces.
    strs = indicator_strings()
    for i in range(0, len(strs), 12):
        chunk = strs[i:i + 12]
        add(("data", M(*[("v%02d" % j, S(v)) for j, v in enumerate(chunk)])),
            ("list", Q(*[S(v) for v in chunk])))
    # Unicode.
    strs = unicode_strings()
    for i in range(0, len(strs), 8):
        chunk = strs[i:i + 8]
        add(("data", M(*[("u%02d" % j, S(v)) for j, v in enumerate(chunk)])),
            ("deep", M(("x", M(("y", Q(*[S(v) for v in chunk])))))))
    # Control characters (those go-yaml v2 can read back).
    strs = control_strings()
    for i in range(0, len(strs), 8):
        chunk = strs[i:i + 8]
        add(("data", M(*[("c%02d" % j, S(v)) for j, v in enumerate(chunk)])))
    # Multi-line text, at several depths.
    strs = multiline_strings()
    for i in range(0, len(strs), 4):
        chunk = strs[i:i + 4]
        add(("data", M(*[("m%02d" % j, S(v)) for j, v in enumerate(chunk)])),
            ("spec", M(("list", Q(*[S(v) for v in chunk])),
                       ("nested", Q(M(("k", S(chunk[0])), ("l", Q(S(chunk[-1])))))))))
    # Long lines around the 80-column fold, at several indentations.
    strs = long_strings(rng)
    for i in range(0, len(strs), 4):
        chunk = strs[i:i + 4]
        add(("data", M(*[("l%02d" % j, S(v)) for j, v in enumerate(chunk)])),
            ("spec", M(("a", M(("bb", M(("ccc", Q(*[S(v) for v in chunk])))))),
                       ("seq", Q(Q(S(chunk[0]), Q(S(chunk[1]))), M(("k" * 30, S(chunk[2]))))))))
    # Keys: quoting, order, long keys, multi-line keys.
    for ks in key_sets(rng):
        ks = ordered_subset(ks)
        add(("data", M(*[(k, S("v")) for k in ks])),
            ("nested", M(("m", M(*[(k, Q(S(k))) for k in ks[:6]])))))
    for n in (60, 79, 80, 81, 100, 126, 127, 128, 129, 130, 200):
        data = M(("k" * n, S("v")),
                 ("é" * (n // 2) + "x" * (n % 2), S("v")),
                 (("word " * 40)[:n].strip() + "!", S("v")),
                 ("q" * (n - 3) + ": x", Q(S("a"), M(("b", S("c"))))),
                 ("multi\nline " + "z" * n, M(("x", S("y")))))
        inner = M(("k" * n, Q(S("a"))), ("x" * n + " long", M()), ("\t" + "t" * n, Q()))
        add(("data", data), ("spec", M(("inner", inner))))
    # Deep nesting, empty collections and nulls.
    deep = S("leaf " * 20)
    for d in range(16):
        deep = M(("level%d" % d, deep), ("seq%d" % d, Q(S("x%d" % d), Q(), M())))
    mixed = S("a long leaf that is folded because it is deeply indented: " + "word " * 12)
    for d in range(16):
        mixed = Q(mixed, S("s%d" % d)) if d % 2 else M(("m%d" % d, mixed), ("n", S("x")))
    add(("spec", deep), ("mixed", mixed), ("seqs", Q(Q(Q(Q(Q(Q(S("deep multi\nline\n")))))))))
    add(("spec", M(("emptymap", M()), ("emptylist", Q()),
                   ("nulls", Q(plain("null"), plain("~"), plain(""), S(""))),
                   ("nested", Q(Q(plain("1"), plain("2")), M(("a", plain("1"))), Q(), M(), Q(Q()),
                                Q(M()), Q(Q(Q(S("x")))))),
                   ("m", M(("e", M()), ("l", Q()), ("n", plain("null")), ("s", S("")))))),
        ("empty", M()), ("none", plain("")))
    # Non-string keys: the resource's own keys keep their text, nested ones their Go value.
    root_keys = [(plain("1"), S("one")), (plain("0x1F"), S("hex")), (plain("true"), S("t")),
                 (plain("1.5"), S("f")), (plain("2001-01-01"), S("d")),
                 (tagged("x", "aGk="), S("bin"))]
    add(*root_keys)
    add(("spec", ("m", [(plain("10"), S("a")), (plain("2"), S("b")), (S("a"), S("c")),
                        (plain("0x1F"), S("d")), (plain("-5"), S("e")),
                        (plain("18446744073709551615"), S("f")),
                        (plain("2001-12-14t21:59:43.10-05:00"), S("g")),
                        (tagged("x", "aGk="), S("h")), (plain("1_000"), S("i"))])))
    add(("spec", ("m", [(tagged("x", "aGk="), S("only binary"))])),
        ("list", Q(("m", [(plain("7"), S("x")), (S("y"), S("z"))]))))
    # Random mixtures.
    pool = (strs[:40] + multiline_strings()[:20] + unicode_strings()[:30] + indicator_strings()[:60]
            + NUMBERISH[:40])
    for _ in range(150):
        entries = []
        for j in range(rng.randint(3, 9)):
            kind = rng.random()
            if kind < 0.55:
                v = S(rng.choice(pool))
            elif kind < 0.7:
                v = plain(rng.choice(TYPED_PLAIN))
            elif kind < 0.85:
                v = Q(*[S(rng.choice(pool)) for _ in range(rng.randint(0, 3))])
            else:
                v = M(*[("k%d" % x, S(rng.choice(pool))) for x in range(rng.randint(0, 3))])
            entries.append((rng.choice(KEY_STRINGS[:60]) + "-%d" % j, v))
        keep = set(ordered_subset([k for k, _ in entries]))
        add(("data", M(*[e for e in entries if e[0] in keep])))
    return docs


def build_errors():
    """Single-resource sets kustomize refuses: (set name, model)."""
    cases = {
        "del": M(("data", M(("a", S("a\x7fb"))))),
        "c1": M(("data", M(("a", S("a\x9fb"))))),
        "fffe": M(("data", M(("a", S("a\ufffeb"))))),
        "del-key": M(("data", M(("a\x7f", S("b"))))),
        "inf": M(("spec", M(("a", plain(".inf"))))),
        "neg-inf": M(("spec", M(("a", plain("-.Inf"))))),
        "nan": M(("spec", M(("a", plain(".nan"))))),
        "float-key": M(("spec", ("m", [(plain("1.5"), S("a"))]))),
        "bool-key": M(("spec", ("m", [(plain("true"), S("a"))]))),
        "null-key": M(("spec", ("m", [(plain("~"), S("a"))]))),
        "dup-key": M(("data", ("m", [(S("a"), S("x")), (S("a"), S("y"))]))),
        "dup-int-str": M(("spec", ("m", [(plain("1"), S("x")), (S("1"), S("y"))]))),
        "bad-int": M(("spec", M(("a", tagged("i", "abc"))))),
        "bad-float": M(("spec", M(("a", tagged("f", "1.2.3"))))),
        "bad-bool": M(("spec", M(("a", tagged("b", "yes"))))),
        "bad-binary": M(("spec", M(("a", tagged("x", "aGk"))))),
        "bad-timestamp": M(("spec", M(("a", tagged("t", "2001-13-01"))))),
        "uint-float": M(("spec", M(("a", tagged("f", "18446744073709551615"))))),
        "tz-24": M(("spec", M(("a", plain("2001-12-14T21:59:43+24:00"))))),
        "tz-23-60": M(("spec", M(("a", plain("2001-12-14T21:59:43-23:60"))))),
        "tz-key": M(("spec", ("m", [(plain("2001-12-14T21:59:43+24:00"), S("a"))]))),
        "nel-key": M(("data", M(("k\u0085k", S("v"))))),
        "nel-root-key": M(("k\u0085k", S("v"))),
    }
    out = []
    for name, body in cases.items():
        out.append((name, resource(1, *body[1])))
    return out


def write_set(path, docs):
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "kustomization.yaml"), "w", encoding="utf-8") as f:
        f.write("resources:\n- resources.yaml\n")
    parts = []
    for d in docs:
        lines = []
        emit(d, 0, lines, "")
        parts.append("".join(lines))
    with open(os.path.join(path, "resources.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("---\n".join(parts))
    with open(os.path.join(path, "nodes.json"), "w", encoding="utf-8") as f:
        json.dump([to_json(d) for d in docs], f, ensure_ascii=True, indent=None)
        f.write("\n")


def run_oracle(oracle, path):
    for stale in ("expected.yaml", "expected-error.txt"):
        p = os.path.join(path, stale)
        if os.path.exists(p):
            os.remove(p)
    r = subprocess.run([oracle, path], capture_output=True)
    if r.returncode == 0:
        with open(os.path.join(path, "expected.yaml"), "wb") as f:
            f.write(r.stdout)
    else:
        with open(os.path.join(path, "expected-error.txt"), "wb") as f:
            f.write(r.stderr)


def main(argv):
    oracle = None
    if argv[:1] == ["--oracle"]:
        oracle = argv[1]
    rng = random.Random(20240601)
    docs = build_main(rng)
    # Split into sets of at most 100 resources (one oracle call each).
    sets = []
    for i in range(0, len(docs), 100):
        chunk = docs[i:i + 100]
        # Renumber so each set starts at cm-0001 and stays sorted.
        renamed = []
        for j, d in enumerate(chunk):
            pairs = list(d[1])
            pairs[2] = (pairs[2][0], M(("name", S("cm-%04d" % (j + 1)))))
            renamed.append(("m", pairs))
        sets.append(("main-%02d" % (i // 100 + 1), renamed))
    for name, model in build_errors():
        sets.append(("error-" + name, [model]))
    for name, docs_ in sets:
        path = os.path.join(HERE, name)
        write_set(path, docs_)
        if oracle:
            run_oracle(oracle, path)
    total = sum(len(d) for n, d in sets if n.startswith("main"))
    print("%d sets, %d printable resources, %d error sets" %
          (len(sets), total, len(build_errors())))


if __name__ == "__main__":
    main(sys.argv[1:])
