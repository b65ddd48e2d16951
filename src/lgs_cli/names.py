"""Text normalisation shared by name matching and search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

_V = TypeVar("_V")

_WS = re.compile(r"\s+")
# C0/C1 controls (except tab and newline; a carriage return can overwrite what a
# terminal shows), bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9),
# zero-width characters, the Unicode line/paragraph separators and the BOM.
_UNSAFE = re.compile(
    # controls, bidi marks, zero-width and invisible format characters (word joiner, interlinear
    # annotation, tags): shown escaped, so that no text from the minutes hides or reorders what is printed
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# What Word and e-mail put where a space or a hyphen belongs, looking the same
# (non-breaking, figure and narrow spaces; the hyphen and non-breaking hyphen), and
# the soft hyphen, an invisible break point: read as a space, a hyphen, nothing.
_TYPOGRAPHY = (("\u00a0", " "), ("\u2007", " "), ("\u202f", " "), ("\u2010", "-"), ("\u2011", "-"), ("\u00ad", ""))


_TYPOGRAPHY_BYTES = tuple(char.encode("utf-8") for char, _ in _TYPOGRAPHY)


def has_typography(text: str) -> bool:
    return any(char in text for char, _ in _TYPOGRAPHY)


def has_typography_bytes(data: bytes) -> bool:
    """:func:`has_typography` of the UTF-8 text of these bytes (best given only the bytes
    outside ASCII, :func:`non_ascii`: a search of a few hundred bytes)."""
    return any(code in data for code in _TYPOGRAPHY_BYTES)


def plain_typography(text: str) -> str:
    """Non-breaking spaces and hyphens as plain ones, soft hyphens dropped: a marker,
    an ID, a date or a name pasted from Word reads as what it shows."""
    for char, plain in _TYPOGRAPHY:
        if char in text:
            text = text.replace(char, plain)
    return text


def strip_note(name: str) -> tuple[str, str | None]:
    """"Sandor Eriksson (RGK)" -> ("Sandor Eriksson", "RGK").

    The note is everything from the first "(" to a ")" that ends the name.
    (String operations, not a regular expression: a pattern such as
    ``^(.*?)\\s*\\((.*)\\)\\s*$`` takes quadratic time on a long name full of "(".)
    """
    stripped = name.rstrip()
    if stripped.endswith(")"):
        open_at = stripped.find("(")
        if open_at >= 0 and open_at < len(stripped) - 1:
            head = stripped[:open_at].strip()
            if head:
                return head, stripped[open_at + 1:-1].strip() or None
    return name.strip(), None


_NAME_KEYS: dict[str, str] = {}
_NAME_KEYS_MAX = 65536  # names in the minutes repeat: a run looks up the same few hundred again and again


def name_key(text: str) -> str:
    """Key for comparing names: NFC, case-folded, single spaces, no dots at the end."""
    found = _NAME_KEYS.get(text)
    if found is None:
        found = _WS.sub(" ", nfc(text)).strip().strip(".").casefold()
        if len(text) <= MEMO_MAX_CHARS:  # a hostile file's long "names" are answered, not kept
            if len(_NAME_KEYS) >= _NAME_KEYS_MAX:
                _NAME_KEYS.clear()
            _NAME_KEYS[text] = found
    return found


def fold(text: str) -> str:
    """Key for forgiving search: case- and accent-insensitive ("vald" finds "våld")."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("æ", "ae").replace("ø", "o").replace("ß", "ss")


def unique_folded(text: str, candidates: dict[str, str]) -> str | None:
    """The one value of ``candidates`` (name -> value) whose name equals ``text``
    ignoring accents and case ("vaxjo" for "Växjö"); None when none or several do."""
    wanted = fold(" ".join(text.split()))
    hits = {value for name, value in candidates.items() if fold(name) == wanted}
    return hits.pop() if len(hits) == 1 else None


def has_unsafe_chars(text: str) -> bool:
    return bool(_UNSAFE.search(text))


# The bytes of printable ASCII, tab, line feed and carriage return: never unsafe.
_SAFE_ASCII = bytes([9, 10, 13, *range(0x20, 0x7F)])


def non_ascii(data: bytes) -> bytes:
    """The bytes of ``data`` without the printable ASCII, tab, line feed and carriage
    return: in minutes, a few hundred bytes (ä, å, ö, –), still whole UTF-8 sequences."""
    return data.translate(None, _SAFE_ASCII)


def may_have_unsafe_chars(data: bytes, rest: bytes | None = None) -> bool:
    """False when the text of these UTF-8 bytes (decoded, its line endings made
    LF, NFC-normalised) has no character :func:`has_unsafe_chars` finds; True
    when it may have one. Without the ASCII that cannot be one (``rest``:
    :func:`non_ascii` of ``data``, when it is at hand), what is left is searched
    instead of the whole text."""
    if rest is None:
        rest = non_ascii(data)
    if not rest:
        return False
    try:
        return has_unsafe_chars(rest.decode("utf-8"))
    except UnicodeDecodeError:
        return True


def sanitize(text: str) -> str:
    """Make text from the minutes safe for a terminal: control, escape and bidi
    characters become visible ``\\x..``/``\\u....`` escapes."""

    def repl(match: re.Match[str]) -> str:
        ch = match.group(0)
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return _UNSAFE.sub(repl, text)


def sanitize_path(text: str) -> str:
    """:func:`sanitize`, and a line break (in a file's name) shown as ``\\n``: one
    finding, one line."""
    return sanitize(text).replace("\n", "\\n")


# What Markdown (CommonMark, GitHub's) would act on inside a line of text:
# emphasis, code, links and images ("[" and "]"), HTML and autolinks ("<"),
# table cells, strikethrough, mentions; escaped with "\\". (Characters special only
# at the start of a line, "#", "+", "-", are never there: lgs writes a marker first.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~@&])")


# GitHub makes links of bare URLs and of "www." (its autolink extension, started by
# the ":" of "https://" and by "www."): an escaped ":" or "." starts none.
_AUTOLINK = re.compile(r"(?i)((?:https?|ftp):)(?=//)|(www)\.")  # also inside a word: GitHub links "_www.x"


def md_escape(text: str) -> str:
    """Text from the minutes as inert Markdown on one line: no links (bare URLs
    included), HTML, entities, mentions or emphasis; control characters shown
    escaped (:func:`sanitize`)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(sanitize(text).split()))
    return _AUTOLINK.sub(lambda m: f"{m.group(1)[:-1]}\\:" if m.group(1) else f"{m.group(2)}\\.", escaped)


# What json_safe escapes: what sanitize does, and lone surrogates (a file name that
# is not UTF-8 holds them, decoded with "surrogateescape"; written raw they would be
# bytes that are no UTF-8, which no JSON reader takes).
_JSON_UNSAFE = re.compile(_UNSAFE.pattern[:-1] + "\ud800-\udfff]")


def json_safe(json_text: str) -> str:
    """Write the characters :func:`sanitize` escapes, and lone surrogates, as
    ``\\uXXXX`` in serialised JSON: the same data when parsed, but nothing a
    terminal would act on, and valid UTF-8. (Such characters can only occur inside
    JSON strings, where the escape is valid.) Every JSON lgs writes goes through it."""
    return _JSON_UNSAFE.sub(_json_escape, json_text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def json_ascii(json_text: str) -> str:
    """Serialised JSON with every character outside ASCII as its ``\\uXXXX`` escape
    (only strings hold any): the same data, for an output that cannot hold them."""
    return _NON_ASCII.sub(_json_escape, json_text) if not json_text.isascii() else json_text


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # (a tag character: JSON writes it as a surrogate pair)
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"



_NUM = re.compile(r"(\d+)")


def natural_key(text: str | None) -> tuple[tuple[int, int | str], ...]:
    """"A10" after "A2"; item "4a" after "4" and before "12"."""
    parts = _NUM.split(text or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p)


MEMO_ENTRIES = 4096  # per function: with MEMO_MAX_CHARS, at most ≈ 2 MB of texts each
MEMO_MAX_CHARS = 200  # longer texts are not kept: a hostile file's long lines cannot fill memory


class TextMemo(dict[Any, _V]):
    """The answers of a pure function whose last argument is a text, kept for the
    run. Look one up by subscription, ``memo[text]`` (``memo[arg, text]`` for a
    function of more arguments): a known text costs one dict lookup and no call
    (≈ 50 ns; a call through a Python wrapper costs ≈ 170 ns, and the parser makes
    about a hundred a file). Calling the memo like the function works too.

    Bounded: a text longer than :data:`MEMO_MAX_CHARS` is answered but not kept (a
    hostile file's long lines cannot fill memory), and the memo starts again empty
    when it holds :data:`MEMO_ENTRIES` answers. ``misses`` counts the answers made."""

    __slots__ = ("func", "misses")

    def __init__(self, func: Callable[..., _V]) -> None:
        super().__init__()
        self.func = func
        self.misses = 0

    def __missing__(self, key: Any) -> _V:
        args = key if isinstance(key, tuple) else (key,)
        value = self.func(*args)
        self.misses += 1
        if len(args[-1]) <= MEMO_MAX_CHARS:
            if len(self) >= MEMO_ENTRIES:
                self.clear()
            self[key] = value
        return value

    def __call__(self, *args: Any) -> _V:
        return self[args if len(args) > 1 else args[0]]


def text_memo(func: Callable[..., _V]) -> TextMemo[_V]:
    """Decorator: the function as a :class:`TextMemo` (minutes repeat their texts from
    meeting to meeting: the members' "Name, Organisation", owners, headings,
    front-matter lines)."""
    return TextMemo(func)
