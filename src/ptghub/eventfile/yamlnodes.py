"""Field paths in the YAML node tree of an event file: how they are written, their lines.

A field path (``Loc``) is what pydantic reports, ``('teams', 3, 'kind')``; lines are found
by walking the YAML node tree along the path, so they point at what was written.
"""

from __future__ import annotations

import re

import yaml

Loc = tuple[int | str, ...]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_path(loc: Loc) -> str:
    """``('teams', 3, 'kind')`` as ``teams[3].kind``; keys that are not plain are quoted."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            path += f".{part}" if path else part
        elif part != "[key]":  # pydantic's marker of an error in a mapping's key
            path += f"[{part!r}]"
    return path


def line_of(root: yaml.Node | None, loc: Loc) -> int:
    """The line of ``loc`` in the node tree: of its key in a mapping, of its item in a list.

    Where the path leaves the tree (a missing field), the line of the last node found.
    """
    node, line = root, (root.start_mark.line + 1 if root else 1)
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            matches = [(k, v) for k, v in node.value if _scalar(k) == str(part)]
            if not matches:
                break
            key, node = matches[-1]  # the value that a duplicated key ends up with
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _scalar(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def duplicate_keys(root: yaml.Node | None) -> list[tuple[int, Loc, str]]:
    """(line, path, message) of each key written twice in a mapping (YAML keeps the last)."""
    found: list[tuple[int, Loc, str]] = []
    seen: set[int] = set()  # ids of the nodes walked: an alias repeats a node
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name, line = _scalar(key), key.start_mark.line + 1
                if name is None or name == "<<":
                    continue
                if name in first:
                    found.append(
                        (line, (*loc, name), f"duplicate key (first on line {first[name]})")
                    )
                else:
                    first[name] = line
                stack.append((value, (*loc, name)))
    return found
