#!/usr/bin/env python3
"""`wasmops run` without --tier: the first run uses the fast tier and starts a
background build of the optimized artifact; once that is in the cache, the
next run loads it instead of compiling anything."""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def artifacts(wasmops, cache):
    out = subprocess.run([wasmops, "cache", "ls", "--cache-dir", cache], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--module", required=True, help="a WASI command that prints 'hi'")
    a = ap.parse_args()
    env = dict(os.environ)
    env.pop("WASMOPS_BACKGROUND_COMPILE", None)
    with tempfile.TemporaryDirectory() as cache:
        first = subprocess.run([a.wasmops, "run", "--cache-dir", cache, a.module], capture_output=True, text=True, env=env, timeout=120)
        if first.returncode != 0 or first.stdout != "hi\n":
            print(f"first run failed: {first.returncode} {first.stdout!r} {first.stderr!r}")
            return 1
        # The background build is detached; give it up to two minutes on a loaded machine.
        deadline = time.monotonic() + 120
        while len(artifacts(a.wasmops, cache)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        keys = artifacts(a.wasmops, cache)
        if len(keys) != 2:
            print(f"expected the fast and the optimized artifact, cache has {keys}")
            return 1
        # Now the optimized artifact is used: removing the fast one must not make the run compile it again.
        fast = subprocess.run([a.wasmops, "run", "--tier", "fast", "--cache-dir", cache, a.module], capture_output=True, text=True, env=env)
        before = set(artifacts(a.wasmops, cache))
        subprocess.run([a.wasmops, "cache", "clear", "--cache-dir", cache], check=True, capture_output=True)
        # Rebuild only the optimized one explicitly, then run without --tier: nothing new may appear.
        subprocess.run([a.wasmops, "compile", "--tier", "optimized", "--cache-dir", cache, a.module], check=True, capture_output=True)
        opt_keys = set(artifacts(a.wasmops, cache))
        second = subprocess.run([a.wasmops, "run", "--cache-dir", cache, a.module], capture_output=True, text=True, env=env, timeout=120)
        time.sleep(0.5)
        after = set(artifacts(a.wasmops, cache))
        if second.returncode != 0 or second.stdout != "hi\n" or after != opt_keys or fast.returncode != 0:
            print(f"second run: {second.returncode} {second.stdout!r}; cache before {sorted(before)}, optimized {sorted(opt_keys)}, after {sorted(after)}")
            return 1
    print("ok: fast first, optimized built in the background, then used")
    return 0


if __name__ == "__main__":
    sys.exit(main())
