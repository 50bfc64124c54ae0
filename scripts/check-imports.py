#!/usr/bin/env python3
"""The app crate's layers (src/lib.rs): each top-level module may use only modules of the layers
below its own. Reads every `crate::<module>` path in the code of src/ (comments left out) and
prints each use that goes sideways or up. Exit status 1 if there is one.

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

PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)")
# `use crate::{a, b::c}`: the first name of each path in the braces.
GROUP = re.compile(r"\bcrate::\{([^}]*)\}")
LINE_COMMENT = re.compile(r"//.*$")
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def module_of(src: Path, file: Path) -> str:
    return file.relative_to(src).parts[0].removesuffix(".rs")


def code_of(text: str) -> str:
    text = BLOCK_COMMENT.sub("", text)
    text = STRING.sub('""', text)
    return "\n".join(LINE_COMMENT.sub("", line) for line in text.splitlines())


def main() -> int:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
    problems = []
    for file in sorted(src.rglob("*.rs")):
        module = module_of(src, file)
        if module in ROOTS:
            continue
        if module not in LAYER:
            problems.append(f"{file}: module `{module}` is in no layer (scripts/check-imports.py)")
            continue
        for number, line in enumerate(code_of(file.read_text()).splitlines(), 1):
            grouped = [
                name.strip().split("::")[0]
                for group in GROUP.findall(line)
                for name in group.split(",")
                if name.strip()
            ]
            for used in PATH.findall(line) + grouped:
                if used == module:
                    continue
                if used not in LAYER:
                    problems.append(f"{file}:{number}: `crate::{used}` is in no layer")
                elif LAYER[used] >= LAYER[module]:
                    problems.append(
                        f"{file}:{number}: `{module}` uses `{used}`, which is not below it"
                    )
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
