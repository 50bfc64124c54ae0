#!/usr/bin/env python3
"""The app crate's layers (src/lib.rs): each top-level module may use only modules of the layers
listed before its own. Reads every path that names another top-level module in the code of src/
(`crate::x`, `use crate::{x, y::z}` over any number of lines, `super::…` that climbs to the
crate's root; comments, strings and character literals left out) and prints each use that goes
sideways or up. Exit status 1 if there is one. Layering inside a top-level module (between
`components::comments` and `components::paged`, say) is not checked.

    scripts/check-imports.py [src]
"""

import re
import sys
from pathlib import Path

# Bottom first. A module uses only modules of earlier layers.
LAYERS = [
    ["i18n", "storage", "tasks", "typing"],
    ["route", "format"],
    ["feeds"],
    ["api"],
    ["page_data"],
    ["head", "share", "saved", "pwa", "routing"],
    ["components"],
    ["pages"],
    ["app", "render"],
    ["start"],
]
LAYER = {module: i for i, layer in enumerate(LAYERS) for module in layer}
# The crate's roots: they declare the modules and may name any of them.
ROOTS = {"lib", "main"}

RAW_STRING = re.compile(r'r(#*)"')
CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}|.))'")


def code_of(text: str) -> str:
    """`text` with comments, strings and character literals blanked out; line breaks stay where
    they were, so line numbers still hold."""
    out = []
    i, n = 0, len(text)

    def blank(end: int) -> int:
        out.append("".join(c if c == "\n" else " " for c in text[i:end]))
        return end

    while i < n:
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = blank(n if end < 0 else end)
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = blank(j)
        elif (m := RAW_STRING.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            close = '"' + m.group(1)
            end = text.find(close, m.end())
            i = blank(n if end < 0 else end + len(close))
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = blank(j + 1)
        elif text[i] == "'" and (m := CHAR.match(text, i)):
            i = blank(m.end())
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def module_path(src: Path, file: Path) -> list[str]:
    """`src/components/comments/form.rs` → components, comments, form; `x/mod.rs` → x."""
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] == "mod":
        parts.pop()
    return parts


def top_level_names(group: str) -> list[str]:
    """The first name of each path in the braces of `use crate::{…}` (nested braces skipped)."""
    names, depth, current = [], 0, ""
    for c in group:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            names.append(current)
            current = ""
        elif depth == 0:
            current += c
    names.append(current)
    return [name.strip().split("::")[0].split(" as ")[0].strip() for name in names if name.strip()]


def braces_from(code: str, start: int) -> str:
    depth, j = 0, start
    while j < len(code):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return code[start + 1 : j]
        j += 1
    return code[start + 1 :]


PATH = re.compile(r"\b(crate::|(?:super::)+)(\{|[A-Za-z_][A-Za-z0-9_]*)")


def uses(code: str, path: list[str]):
    """(offset, top-level module) for each path in `code` that names a top-level module."""
    for m in PATH.finditer(code):
        head, rest = m.group(1), m.group(2)
        if head != "crate::":
            # In `a/b.rs` (module a::b) `super` is `a` and `super::super` the crate's root: only
            # a climb to the root names a top-level module. Inside an inline module (`mod
            # tests`) a `super` climbs one module less than the file's path says, so a path
            # that seems to reach the root counts only if it names a top-level module.
            if head.count("super::") != len(path):
                continue
        names = top_level_names(braces_from(code, m.end() - 1)) if rest == "{" else [rest]
        for name in names:
            if head != "crate::" and name not in LAYER:
                continue
            if name and name[0].islower() and name not in ("self", "super", "crate"):
                yield m.start(), name


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    problems = []
    for file in sorted(src.rglob("*.rs")):
        path = module_path(src, file)
        module = path[0]
        if module in ROOTS:
            continue
        if module not in LAYER:
            problems.append(f"{file}: module `{module}` is in no layer (scripts/check-imports.py)")
            continue
        code = code_of(file.read_text(encoding="utf-8"))
        for offset, used in uses(code, path):
            line = code.count("\n", 0, offset) + 1
            if used == module:
                continue
            if used not in LAYER:
                problems.append(f"{file}:{line}: `{used}` is in no layer")
            elif LAYER[used] >= LAYER[module]:
                problems.append(f"{file}:{line}: `{module}` uses `{used}`, which is not below it")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
