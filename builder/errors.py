"""Problems found in the content, as data: collected everywhere, printed once by the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, with enough context for an editor to fix it.

    `field` is a path in the YAML document such as `blocs[2].code` (empty for the
    whole file); `line` and `column` are 1-based (0 when unknown).
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"
    # a warning about official data the editor has not changed since `catalogue import`:
    # reported, but `--strict` lets it pass (the school cannot correct France compétences' data)
    officiel: bool = False

    def fails(self, strict: bool) -> bool:
        """Whether this problem stops the build: errors always; warnings with `--strict`,
        unless they are about official data left as imported."""
        return self.severity == "error" or (strict and not self.officiel)

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        label = "" if self.severity == "error" else ("warning (official data, as imported): " if self.officiel else "warning: ")
        field = f"{self.field}: " if self.field else ""
        return visible(f"{where}: {label}{field}{self.message}")


    def format_github(self) -> str:
        """A GitHub Actions workflow command: the problem shows on the line of the pull request's diff."""
        def escape(text: str, in_property: bool = False) -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return text.replace(":", "%3A").replace(",", "%2C") if in_property else text

        kind = "error" if self.severity == "error" else ("notice" if self.officiel else "warning")
        where = [f"file={escape(self.path, True)}"]
        if self.line:
            where += [f"line={self.line}", f"col={self.column or 1}"]
        if self.field:
            where.append(f"title={escape(self.field, True)}")
        return visible(f"::{kind} {','.join(where)}::{escape(self.message)}")


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = sorted(problems)


class BuildError(Exception):
    """A failure of the build itself (templates, output folder), not of the content."""


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


def visible(text: str) -> str:
    """Control characters and lone surrogates written as `\\u0000`, so that a message is
    always one printable line (and can be encoded, whatever the editor's file held)."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def display_path(path: Path, root: Path) -> str:
    """The path as an editor sees it: relative to the project root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def describe(value: object) -> str:
    """Describe a found value for an error message: `"BC3"`, `9`, `a list`, `nothing`."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__


def field_path(loc: tuple[str | int, ...]) -> str:
    """`("blocs", 2, "code")` -> `blocs[2].code`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part)
            if not re.fullmatch(r"[^\s.\[\]\"]+", name):  # a key with spaces or dots: quoted
                name = '"' + name.replace('"', '\\"') + '"'
            out += ("." if out else "") + name
    return out
