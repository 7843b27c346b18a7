#!/usr/bin/env python3
"""Golden CLI test: runs one case and compares stdout and exit status.

A case is tests/cli/cases/NAME.cmd: one line of arguments to wasmops (shell
words). Beside it: NAME.stdout (expected stdout, exact), NAME.exit (expected
exit status, default 0), optionally NAME.stderr (text that stderr must
contain). Commands run in the fixture folder, so paths in output are stable.
Set UPDATE_GOLDEN=1 to rewrite the expected files from the actual output.
"""
import argparse
import os
import shlex
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--cwd", required=True, help="folder with the compiled fixtures")
    ap.add_argument("--inputs", required=True, help="folder with committed binary inputs")
    ap.add_argument("case")
    a = ap.parse_args()

    base = a.case[: -len(".cmd")]
    with open(a.case) as f:
        args = shlex.split(f.read().strip().replace("@INPUTS@", a.inputs))
    import tempfile
    with tempfile.TemporaryDirectory() as cache:
        # Never the user's cache; no background optimized builds into a cache that is about to go.
        env = dict(os.environ, XDG_CACHE_HOME=cache, WASMOPS_BACKGROUND_COMPILE="0")
        proc = subprocess.run([a.wasmops] + args, cwd=a.cwd, capture_output=True, text=True, timeout=120, env=env)

    expected_exit = 0
    if os.path.exists(base + ".exit"):
        expected_exit = int(open(base + ".exit").read().strip())
    stdout_path = base + ".stdout"
    if os.environ.get("UPDATE_GOLDEN"):
        with open(stdout_path, "w") as f:
            f.write(proc.stdout.replace(a.inputs, "@INPUTS@"))
        if proc.returncode != 0:
            with open(base + ".exit", "w") as f:
                f.write(f"{proc.returncode}\n")
        print(f"updated {stdout_path}")
        return 0

    ok = True
    if proc.returncode != expected_exit:
        print(f"exit status {proc.returncode}, expected {expected_exit}")
        ok = False
    expected = open(stdout_path).read().replace("@INPUTS@", a.inputs) if os.path.exists(stdout_path) else ""
    if proc.stdout != expected:
        import difflib
        print("stdout differs:")
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), proc.stdout.splitlines(True), "expected", "actual"))
        ok = False
    if os.path.exists(base + ".stderr"):
        for needle in open(base + ".stderr").read().splitlines():
            if needle and needle.replace("@INPUTS@", a.inputs) not in proc.stderr:
                print(f"stderr lacks {needle!r}; stderr was:\n{proc.stderr}")
                ok = False
    if "Sanitizer" in proc.stderr or "runtime error" in proc.stderr:
        print(proc.stderr)
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
