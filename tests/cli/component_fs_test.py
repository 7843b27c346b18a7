#!/usr/bin/env python3
"""`wasmops run --dir` of a wasi:cli component that uses wasi:filesystem@0.2.

tests/data/components/programs/fs_roundtrip.c is built with clang for wasm32-wasi and adapted with
`jco new --wasi-command` (its preview1 calls become wasi:filesystem calls through the adapter).
Run on a fresh directory it creates, writes, reads back, appends, lists, renames and deletes
files and a directory; the test checks its output and what is left on the host, and that
"../" does not leave the preopen. Run on a read-only preopen its first create is refused and
nothing changes. Exits 77 (skipped) when jco is not installed.
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import command_component, jco_or_skip  # noqa: E402

SKIP = 77

EXPECTED = """create: ok
write: ok
close: ok
reopen: ok
read: ok
content: hello from a component
append: ok
stat: ok
size: 28
mkdir: ok
rename: ok
list .: dir
list dir: moved.txt
unlink: ok
rmdir: ok
create keep: ok
list .: keep.txt
escape: Operation not permitted
failures: 0
"""


def fail(msg):
    raise SystemExit(f"FAIL: {msg}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    core, comp = command_component(a.clang, jco, root / "tests/data/components/programs/fs_roundtrip.c", work)
    cache = ["--cache-dir", str(work / "cache")]

    with tempfile.TemporaryDirectory() as tmp:
        sandbox = pathlib.Path(tmp, "sandbox")
        sandbox.mkdir()
        r = subprocess.run([a.wasmops, "run", *cache, "--dir", f"{sandbox}::/", str(comp)],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0 or r.stdout != EXPECTED:
            fail(f"read-write run exited {r.returncode}\n--- stdout\n{r.stdout}--- expected\n{EXPECTED}--- stderr\n{r.stderr}")
        left = sorted(os.listdir(sandbox))
        if left != ["keep.txt"] or (sandbox / "keep.txt").read_text() != "kept\n":
            fail(f"the sandbox holds {left}")
        if os.listdir(tmp) != ["sandbox"]:
            fail(f"the guest wrote next to its preopen: {os.listdir(tmp)}")
        print("ok: read-write preopen: create, write, read, append, stat, list, rename, unlink, rmdir; no escape")

        frozen = pathlib.Path(tmp, "frozen")
        frozen.mkdir()
        r = subprocess.run([a.wasmops, "run", *cache, "--dir", f"{frozen}::/:ro", str(comp)],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 1 or not r.stdout.startswith("create: Operation not permitted\n"):
            fail(f"read-only run exited {r.returncode}\n--- stdout\n{r.stdout}--- stderr\n{r.stderr}")
        if os.listdir(frozen):
            fail(f"a read-only preopen changed: {os.listdir(frozen)}")
        print("ok: read-only preopen: the first create is refused, nothing changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
