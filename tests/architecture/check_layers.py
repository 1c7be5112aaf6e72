#!/usr/bin/env python3
"""The one-way rule of docs/architecture.md, checked on the includes.

Modules are layered core -> io -> geometry -> overlay -> scoring -> catchment ->
clustering -> render -> study -> pipeline, with the front ends (api, cli) on
top. A source or header of a module may include the public headers and the
internal (non-detail) headers of its own module and of the modules below it,
and the detail/ headers of its own module only. The linker catches most calls
that go the wrong way; this catches the includes, which the linker cannot see
when the header is inline.

    check_layers.py REPO_ROOT     prints each violation; exit 1 when any
    check_layers.py --self-test   the check finds wrong-way and detail includes
                                  in a small tree made for it
"""
import pathlib
import re
import sys

ORDER = ["core", "io", "geometry", "overlay", "scoring", "catchment", "clustering", "render", "study",
         "pipeline", "api", "cli"]
RANK = {name: i for i, name in enumerate(ORDER)}
# Public headers (engine/include/placedef) and the module each belongs to.
PUBLIC = {
    "error": "core", "problems": "core", "layer": "core", "table": "core", "shapes": "core",
    "stopwatch": "core", "choice": "core", "text": "core", "cancel": "core",
    "io": "io", "geometry": "geometry", "overlay": "overlay", "scoring": "scoring",
    "catchment": "catchment", "clustering": "clustering", "render": "render", "study": "study",
    "pipeline": "pipeline", "pdef_c": "api",
}
# Each module's declarations live in its own inline namespace, placedef::<module>
# (`overlays` for the overlay module, whose main function is `overlay`).
NAMESPACE = {module: module for module in ORDER}
NAMESPACE["overlay"] = "overlays"
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def module_of(path, root):
    relative = path.relative_to(root).as_posix()
    if relative.startswith("engine/include/placedef/"):
        return PUBLIC.get(path.stem)
    if relative.startswith("engine/cli/"):
        return "cli"
    match = re.match(r"engine/src/([a-z_]+)/", relative)
    return match.group(1) if match else None


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        root = pathlib.Path(folder)
        for name, text in {
            "engine/include/placedef/overlay.hpp": '#include "placedef/layer.hpp"\ninline namespace overlays {\n',
            "engine/src/io/bad_up.cpp": '#include "placedef/overlay.hpp"\n',          # io -> overlay: up
            "engine/src/scoring/bad_detail.cpp": '#include "geometry/detail/x.hpp"\n',  # another's detail
            "engine/src/scoring/good.cpp": '#include "placedef/overlay.hpp"\n#include "scoring/detail/y.hpp"\n',
        }.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        found = check(root)
    expected = ["bad_up.cpp:1", "bad_detail.cpp:1"]
    missing = [e for e in expected if not any(e in v for v in found)]
    extra = [v for v in found if not any(e in v for e in expected)]
    print("self-test:", "ok" if not missing and not extra else f"missing {missing}, unexpected {extra}")
    return 1 if missing or extra else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    violations = check(root)
    for violation in violations:
        print(violation)
    print(f"{len(violations)} violations")
    return 1 if violations else 0


def check(root):
    files = [p for p in (root / "engine").rglob("*") if p.suffix in (".cpp", ".hpp", ".h", ".c")]
    violations = []
    unknown = sorted(p.stem for p in (root / "engine/include/placedef").glob("*.h*") if p.stem not in PUBLIC)
    print(f"{len(files)} files checked")
    if unknown:
        violations.append("public headers without a module in check_layers.py: " + ", ".join(unknown))
    for path in sorted(files):
        own = module_of(path, root)
        if own is None or own not in RANK:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        public = path.relative_to(root).as_posix().startswith("engine/include/placedef/") and path.suffix == ".hpp"
        if public and f"inline namespace {NAMESPACE[own]} {{" not in text:
            violations.append(f"{path.relative_to(root)}: declares nothing in inline namespace {NAMESPACE[own]} "
                              f"(placedef::{NAMESPACE[own]}, the {own} module's namespace)")
        for number, line in enumerate(text.splitlines(), 1):
            match = INCLUDE.match(line)
            if not match:
                continue
            target = match.group(1)
            parts = target.split("/")
            if parts[0] == "placedef":
                other = PUBLIC.get(pathlib.Path(parts[-1]).stem)
            elif parts[0] in RANK:
                other = parts[0]
                if "detail" in parts[1:-1] and other != own:
                    violations.append(f"{path.relative_to(root)}:{number}: {own} includes {target}, "
                                      f"a detail header of {other}")
                    continue
            else:
                continue  # a header beside the file (the CLI's own), or a system header
            if other is not None and RANK[other] > RANK[own]:
                violations.append(f"{path.relative_to(root)}:{number}: {own} includes {target} "
                                  f"of {other}, a module above it")
    return violations


if __name__ == "__main__":
    sys.exit(main())
