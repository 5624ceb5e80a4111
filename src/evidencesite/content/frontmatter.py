"""Reading a content file: bytes -> text -> front matter + Markdown body."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidencesite.content.model import SourceLocation
from evidencesite.content.strict_yaml import YamlResult, load_yaml
from evidencesite.diagnostics import Diagnostic, error

MAX_FILE_BYTES = 1_000_000
FENCE = "---"


@dataclass(frozen=True)
class SplitFile:
    front_matter: str
    body: str
    body_line: int


def read_text(path: Path, shown: str,
              max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, Diagnostic | None]:
    """The file's text with BOM removed and line endings normalised, or the problem."""
    if path.is_symlink():
        return None, error(SourceLocation(shown), "symlink",
                           "symbolic links are not allowed in content",
                           "replace the link with the file itself")
    size = path.stat().st_size
    if size > max_bytes:
        return None, error(SourceLocation(shown), "file-too-large",
                           f"file is {size} bytes; the limit is {max_bytes}",
                           "split it into several entries or shorten it")
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, error(SourceLocation(shown, line, column), "encoding",
                           f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                           "save the file as UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, error(SourceLocation(shown, line, 1), "encoding",
                           "the file contains a NUL character", "remove it")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str, shown: str) -> tuple[SplitFile | None, Diagnostic | None]:
    if not text.strip():
        return None, error(SourceLocation(shown, 1, 1), "front-matter",
                           "the file is empty",
                           "start the file with `---`, the fields, and `---`")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return None, error(SourceLocation(shown, 1, 1), "front-matter",
                           "the file does not start with front matter",
                           "did you forget to add `---` on the first line?")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return SplitFile("\n".join(lines[1:index]) + "\n",
                             "\n".join(lines[index + 1:]), index + 2), None
    return None, error(SourceLocation(shown, 1, 1), "front-matter",
                       "the front matter is never closed",
                       "add a line with `---` after the last field")


def parse_front_matter(split: SplitFile, shown: str) -> YamlResult:
    result = load_yaml(split.front_matter, shown, first_line=2)
    if result.problems or isinstance(result.data, dict):
        return result
    kind = "nothing" if result.data is None else type(result.data).__name__
    return YamlResult(None, {}, (error(
        SourceLocation(shown, 2, 1), "front-matter",
        f"front matter must be a mapping of fields, found {kind}",
        "write one `field: value` per line"),))
