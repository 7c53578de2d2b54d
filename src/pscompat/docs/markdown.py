"""Split a platyPS markdown file into front matter, ``##`` sections and ``###`` subsections.

platyPS docs are a fixed outline, not free markdown, so a line-based splitter that knows code
fences is enough; no markdown library is needed (and none is loaded on the help path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Subsection:
    """One ``### title`` block: its title and the raw lines below it."""

    title: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One ``## TITLE`` block: lines before the first ``###`` (``intro``) and its subsections."""

    title: str
    intro: list[str] = field(default_factory=list)
    subsections: list[Subsection] = field(default_factory=list)

    @property
    def all_lines(self) -> list[str]:
        out = list(self.intro)
        for sub in self.subsections:
            out.append(f"### {sub.title}")
            out.extend(sub.lines)
        return out


@dataclass
class Document:
    front_matter: dict[str, str]
    title: str
    sections: dict[str, Section]


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """``---`` delimited ``key: value`` lines at the top (values may be empty)."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return {}, lines
    meta: dict[str, str] = {}
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line.strip() == "---":
            return meta, lines[index + 1:]
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip()] = value.strip()
    return {}, lines  # no closing '---': not front matter


def parse_document(text: str) -> Document:
    """Outline of a platyPS doc. Headings inside code fences are content, not headings."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta, body = split_front_matter(text.split("\n"))
    title = ""
    sections: dict[str, Section] = {}
    current: Section | None = None
    in_fence = False
    for line in body:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# ") and not title and current is None:
            title = line[2:].strip()
            continue
        elif not in_fence and line.startswith("## "):
            name = line[3:].strip().upper()
            current = sections.setdefault(name, Section(name))
            continue
        elif not in_fence and line.startswith("### ") and current is not None:
            current.subsections.append(Subsection(line[4:].strip()))
            continue
        if current is None:
            continue
        if current.subsections:
            current.subsections[-1].lines.append(line)
        else:
            current.intro.append(line)
    return Document(meta, title, sections)


def code_blocks(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Fenced blocks as (info string, content) and the lines outside any fence."""
    blocks: list[tuple[str, str]] = []
    outside: list[str] = []
    inside: list[str] | None = None
    info = ""
    for line in lines:
        match = _FENCE.match(line)
        if match and inside is None:
            inside = []
            info = line.strip()[3:].strip()
        elif match and inside is not None:
            blocks.append((info, "\n".join(inside)))
            inside = None
        elif inside is not None:
            inside.append(line)
        else:
            outside.append(line)
    if inside is not None:  # unclosed fence: keep what we have
        blocks.append((info, "\n".join(inside)))
    return blocks, outside


def paragraph_text(lines: list[str]) -> str:
    """Lines joined as written, with leading/trailing blank lines and trailing spaces removed."""
    cleaned = [line.rstrip() for line in lines]
    while cleaned and not cleaned[0].strip():
        cleaned.pop(0)
    while cleaned and not cleaned[-1].strip():
        cleaned.pop()
    text = "\n".join(cleaned)
    return re.sub(r"\n{3,}", "\n\n", text)
