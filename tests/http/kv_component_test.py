#!/usr/bin/env python3
"""A real component over the key-value host interfaces.

tests/data/components/kv_counter.wat (imports wasi:keyvalue/store and /atomics at 0.2.0-draft2, exports
`bump: func() -> s64` and `hold: func() -> u32`) is assembled with `jco parse`, then
tests/http/KvComponentCheck.cpp links it once and instantiates it per call, each instance's store bound to
the key-value host: twice over one SQLite file (the counter reads 1, then 2), once holding a bucket (open in
its own binding only), and once without access to "default" (a trap).
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "cli"))
from real_components import jco_or_skip, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checker", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return 77
    work = pathlib.Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    component = work / "kv_counter.wasm"
    run(["node", jco, "parse", str(root / "tests/data/components/kv_counter.wat"), "-o", str(component)])
    r = subprocess.run([a.checker, str(component), str(work)], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    if r.returncode != 0 or r.stdout.strip() != "ok":
        print(f"FAIL: kv_component_check exited {r.returncode}")
        return 1
    print("PASS: the counter persisted across two instances (1, 2); a held bucket stayed in its instance; "
          "an instance without access trapped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
