"""Reading a YAML document with the line of every field, and typed getters that collect every problem.

PyYAML's ``safe_load`` returns plain values and forgets where they came from. Here the document is composed
once into nodes (``yaml.SafeLoader``), each field path (``hazard.epicentre.lat``, ``release[2].share``) is
mapped to its 1-based line, and the same nodes are then constructed into values, so the result equals
``yaml.safe_load(text)`` while an error can name its line. Duplicate keys, which ``safe_load`` silently
resolves to the last one, are reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Problem:
    """One bad field of a document.

    Attributes:
        line: 1-based line of the field (of its parent mapping when the field is missing).
        path: field path, ``.name`` for mapping members and ``[i]`` for list items (``"scenario"`` for the
            document itself).
        reason: what is wrong, in English (``"must be in -90..90, got 143.2"``).
    """

    line: int
    path: str
    reason: str

    def message(self, source: str) -> str:
        """``"<source>:<line>: <path>: <reason>"``, the convention of the core's line-numbered files."""
        return f"{source}:{self.line}: {self.path}: {self.reason}"


class ScenarioError(ValueError):
    """A scenario document with one or more problems; the message lists them all, one per line.

    Attributes:
        source: the document's name in messages (a file name).
        problems: every problem found, in document order.
    """

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: p.line))
        super().__init__("\n".join(p.message(source) for p in self.problems))


def child(path: str, key: str | int) -> str:
    """Path of a member (``a.b``) or list item (``a[0]``) below ``path`` (``""`` is the root)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@dataclass
class Document:
    """A parsed YAML document: its value, the line of every path, and the problems found so far.

    Attributes:
        data: the constructed value (as ``yaml.safe_load`` gives it).
        lines: 1-based line of each field path.
        raw: source text of each plain scalar (``02:30`` is the integer 150 in YAML 1.1; its text is kept).
        problems: problems collected by the getters.
    """

    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: str) -> int:
        """Line of ``path``, else of its nearest listed ancestor, else 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.lines.get("", 1)

    def fail(self, path: str, reason: str) -> None:
        """Record a problem at ``path``."""
        self.problems.append(Problem(self.line(path), path or "scenario", reason))

    # --- typed getters: each returns None (after recording the problem) when the value is unusable ---

    def mapping(self, value: object, path: str, keys: tuple[str, ...]) -> Mapping[str, Any] | None:
        """``value`` as a mapping whose keys are all in ``keys`` (an unknown key is a problem of its own)."""
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
            return None
        for key in value:
            if key not in keys:
                self.fail(child(path, str(key)), "unknown field")
        return value

    def items(self, value: object, path: str, *, empty: bool = False) -> list[Any] | None:
        """``value`` as a list (non-empty unless ``empty``)."""
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return None
        if not value and not empty:
            self.fail(path, "must not be empty")
            return None
        return value

    def text(self, value: object, path: str) -> str | None:
        """A non-empty string."""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be a non-empty string")
            return None
        return value.strip()

    def number(
        self, value: object, path: str, low: float | None = None, high: float | None = None
    ) -> float | None:
        """A finite number (not a boolean), optionally in ``low..high``."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(path, "must be a number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                self.fail(path, f"must be >= {low:g}, got {value:g}")
            else:
                self.fail(path, f"must be in {low:g}..{high:g}, got {value:g}")
            return None
        return float(value)

    def integer(self, value: object, path: str, low: int = 0) -> int | None:
        """An integer (not a boolean) >= ``low``."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, "must be an integer")
            return None
        if value < low:
            self.fail(path, f"must be >= {low}, got {value}")
            return None
        return value

    def choice(self, value: object, path: str, allowed: tuple[str, ...]) -> str | None:
        """One of ``allowed``."""
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return value


def _walk(node: yaml.Node, path: str, doc: Document) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_path = child(path, key)
            if key in seen:
                doc.problems.append(Problem(key_node.start_mark.line + 1, key_path, "duplicate key"))
            seen.add(key)
            doc.lines[key_path] = key_node.start_mark.line + 1
            _walk(value_node, key_path, doc)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, child(path, i), doc)
    elif isinstance(node, yaml.ScalarNode) and node.style is None:
        doc.raw[path] = str(node.value)


def read_yaml(text: str, source: str) -> Document:
    """Parse ``text`` (one YAML document, safe tags only) with the line of each field.

    Raises:
        ScenarioError: the text is not well-formed YAML (the message names the line PyYAML stopped at).
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = f"not valid YAML: {exc.problem or exc.context}"
        raise ScenarioError(source, [Problem(line, "scenario", reason)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(source, [Problem(1, "scenario", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    doc = Document(data)
    if node is not None:
        _walk(node, "", doc)
    return doc
