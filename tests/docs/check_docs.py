#!/usr/bin/python3
"""Runs the commands shown in README.md and docs/**/*.md and checks their output.

    tests/docs/check_docs.py PLACEDEF [--root DIR] [--data DIR] [FILE.md ...]

A checked example is a fenced block opened with ```sh in which a line starts
with "$ ": that line (with its continuation lines while a line ends in "\")
is a command, and the lines after it, up to the next "$ " line or the end of
the block, are its output as shown. Blocks without a "$ " line are not run.

Each command runs with bash from the repository root, stdout and stderr merged
into one pipe (so the notes and warnings the CLI writes on stderr come before
what it writes on stdout when both are buffered). Before it runs:
  - `build/engine/placedef` is replaced by PLACEDEF;
  - `out/` (at the start of a word) is replaced by a temporary folder, shared by
    every command of one run, so examples may read what an earlier one wrote;
  - `../shared/data/uk` is replaced by --data when given.
The replacements are undone in the output before it is compared.

The output shown must match the real output line by line. Numbers must agree to
the precision shown: the real number, rounded to the decimals shown, equals the
number shown. A line "..." stands for any number of lines, and "..." inside a
line for any text (timings, for instance). Trailing blank lines are ignored.
A command must exit with status 0; show a failure as `cmd; echo "exit code $?"`.

A command that names ../shared/data/uk (or another data set beside it, such as
../shared/data/sardinia) is skipped, with a line "SKIPPED: ...", when that
folder is absent, and so are the commands after it in its block
(they read what it wrote). When every command is skipped the script exits
with 77 (ctest's SKIP_RETURN_CODE); otherwise it exits 1 on any mismatch and 0
when all checked commands match.
"""
import argparse
import decimal
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

PLACEDEF = "build/engine/placedef"
DATA = "../shared/data/uk"
# Any data set beside it (../shared/data/sardinia): a command that reads one is skipped when it is absent.
SHARED_DATA_RE = re.compile(r"\.\./shared/data/\w+")
SLOW_SECONDS = 10
TIMEOUT_SECONDS = 120
SKIP_EXIT = 77

# A number: not glued to a word or another number on its left (so the digits
# of a code such as E05014944 or of "km2" stay text).
NUMBER = r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
NUMBER_RE = re.compile(NUMBER)
OUT_RE = re.compile(r"(?<![\w./-])out/")


class Example:
    def __init__(self, path, line, command, shown, block):
        self.path, self.line, self.command, self.shown = path, line, command, shown
        self.block = block  # (path, first line of its fenced block)


def examples_in(path, root):
    """Every command of a ```sh block in the file, with the output shown after it."""
    found = []
    relative = os.path.relpath(path, root)
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if not fence.startswith("```"):
            i += 1
            continue
        language = fence[3:].strip()
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        if language == "sh":
            found.extend(commands_in(lines[i + 1:end], relative, i + 2))
        i = end + 1
    return found


def commands_in(block, path, first_line):
    found = []
    j = 0
    while j < len(block):
        if not block[j].startswith("$ "):
            j += 1
            continue
        line = first_line + j
        parts = [block[j][2:]]
        while parts[-1].endswith("\\") and j + 1 < len(block):
            j += 1
            parts.append(block[j])
        j += 1
        shown = []
        while j < len(block) and not block[j].startswith("$ "):
            shown.append(block[j])
            j += 1
        found.append(Example(path, line, "\n".join(parts), strip_blank_tail(shown), (path, first_line)))
    return found


def strip_blank_tail(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_pattern(shown):
    """A regex for a shown line (numbers and "..." made loose) and its numbers."""
    pattern, numbers, at = [], [], 0
    for match in re.finditer(NUMBER + r"|\.\.\.", shown):
        pattern.append(re.escape(shown[at:match.start()]))
        if match.group() == "...":
            pattern.append(".*?")
        else:
            pattern.append("(" + NUMBER + ")")
            numbers.append(match.group())
        at = match.end()
    pattern.append(re.escape(shown[at:]))
    return re.compile("".join(pattern)), numbers


def agrees(shown, real):
    """The real number rounded to the shown number's precision is the shown number."""
    try:
        expected, actual = decimal.Decimal(shown), decimal.Decimal(real)
    except decimal.InvalidOperation:
        return shown == real
    quantum = decimal.Decimal(1).scaleb(expected.as_tuple().exponent)
    return abs(actual - expected) <= quantum / 2


def line_matches(shown, real):
    pattern, numbers = line_pattern(shown)
    match = pattern.fullmatch(real)
    if not match:
        return False
    return all(agrees(s, r) for s, r in zip(numbers, match.groups()))


def lines_match(shown, real):
    """Shown lines against real ones; a "..." line stands for any lines."""
    memo = {}

    def match(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(shown):
            result = j == len(real)
        elif shown[i].strip() == "...":
            result = any(match(i + 1, k) for k in range(j, len(real) + 1))
        else:
            result = j < len(real) and line_matches(shown[i], real[j]) and match(i + 1, j + 1)
        memo[(i, j)] = result
        return result

    return match(0, 0)


def first_difference(shown, real):
    """The first shown line that does not match the real line at its place (a hint only)."""
    j = 0
    for i, line in enumerate(shown):
        if line.strip() == "...":
            return None
        if j >= len(real):
            return f"shown line {i + 1} has no real line: {line!r}"
        if not line_matches(line, real[j]):
            return f"shown line {i + 1}: {line!r}\n  real line {j + 1}: {real[j]!r}"
        j += 1
    if j < len(real):
        return f"real line {j + 1} is not shown: {real[j]!r}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("placedef", help="the placedef executable to run in place of " + PLACEDEF)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="repository root (default: two folders above this script)")
    parser.add_argument("--data", help="full data folder to use in place of " + DATA)
    parser.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/**/*.md)")
    args = parser.parse_intermixed_args()

    root = os.path.abspath(args.root)
    placedef = os.path.abspath(args.placedef)
    if not os.access(placedef, os.X_OK):
        print(f"error: {placedef} is not an executable", file=sys.stderr)
        return 2
    data = os.path.abspath(args.data) if args.data else None
    have_data = os.path.isdir(data or os.path.join(root, DATA))
    files = [os.path.abspath(f) for f in args.files] or (
        [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "**", "*.md"), recursive=True)))

    examples = [example for path in files for example in examples_in(path, root)]
    work = tempfile.mkdtemp(prefix="pdef-docs-")
    out = os.path.join(work, "out")
    os.makedirs(out)
    failed = skipped = checked = 0
    skipped_blocks = set()
    start = time.monotonic()
    try:
        for example in examples:
            where = f"{example.path}:{example.line}"
            missing = [folder for folder in SHARED_DATA_RE.findall(example.command)
                       if not (have_data if folder == DATA else os.path.isdir(os.path.join(root, folder)))]
            if missing or example.block in skipped_blocks:
                reason = "needs the full data" if missing else "follows a command that needs the full data"
                print(f"SKIPPED: {where}: {reason} ({(missing or [data or DATA])[0]} not found)")
                skipped_blocks.add(example.block)
                skipped += 1
                continue
            command = example.command.replace(PLACEDEF, placedef)
            command = OUT_RE.sub(out + "/", command)
            if data:
                command = command.replace(DATA, data)
            began = time.monotonic()
            try:
                run = subprocess.run(["bash", "-c", command], cwd=root, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT_SECONDS)
                text, status = run.stdout.decode("utf-8", "replace"), run.returncode
            except subprocess.TimeoutExpired:
                text, status = f"(no end after {TIMEOUT_SECONDS} s)", -1
            seconds = time.monotonic() - began
            text = text.replace(out + "/", "out/").replace(out, "out").replace(placedef, PLACEDEF)
            if data:
                text = text.replace(data, DATA)
            real = strip_blank_tail(text.splitlines())
            checked += 1
            slow = f" (slow: {seconds:.1f} s)" if seconds > SLOW_SECONDS else ""
            if status == 0 and lines_match(example.shown, real):
                print(f"ok {where}{slow}")
                continue
            failed += 1
            print(f"FAIL {where}: $ {example.command}")
            if status != 0:
                print(f"  exit status {status}")
            hint = first_difference(example.shown, real)
            if hint:
                print("  " + hint)
            print("  real output:")
            for line in real:
                print("    " + line)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{checked} commands checked, {failed} failed, {skipped} skipped, "
          f"in {time.monotonic() - start:.1f} s ({len(files)} files)")
    if checked == 0 and skipped:
        print("SKIPPED: every command needs the full data")
        return SKIP_EXIT
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
