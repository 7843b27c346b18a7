#!/usr/bin/env python3
"""`wasmops validate` on components, end to end.

- An invalid component written here (an export of a func index that does not
  exist): exit 1, the located message in text and JSON.
- The real components that cli.component_inspect builds with jco (hello adapted
  by `jco new`, stripped and not, and tests/data/components/kitchen.wat) and the
  component benchmarks among ../shared's sightglass modules, when there: valid.
Exits 77 (skipped) when none of the real components has been built.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--components", required=True, help="folder where cli.component_inspect builds components")
    ap.add_argument("--shared", default="")
    a = ap.parse_args()
    failures = []

    # header; export section: 1 export, name "f" (0x00 prefix), sort func, index 5, no ascription
    bad = bytes([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00, 0x0B, 0x07, 0x01, 0x00, 0x01, 0x66, 0x01, 0x05, 0x00])
    with tempfile.TemporaryDirectory() as d:
        path = pathlib.Path(d) / "bad.wasm"
        path.write_bytes(bad)
        r = run([a.wasmops, "validate", str(path)])
        want = f"  {path}:0xb: export section, item 0: func index 5 out of bounds (0 defined)\n"
        if r.returncode != 1 or r.stdout != f"{path}: invalid\n" + want:
            failures.append(f"invalid component: exit {r.returncode}, stdout {r.stdout!r}")
        r = run([a.wasmops, "validate", "--json", str(path)])
        doc = json.loads(r.stdout) if r.stdout else {}
        err = doc.get("files", [{}])[0].get("errors", [{}])
        if r.returncode != 1 or err != [{"code": "Invalid", "offset": 11,
                                         "message": "export section, item 0: func index 5 out of bounds (0 defined)"}]:
            failures.append(f"invalid component --json: exit {r.returncode}, stdout {r.stdout!r}")

    real = [p for p in sorted(pathlib.Path(a.components).glob("*.wasm"))
            if p.read_bytes()[:8] == b"\0asm\x0d\0\x01\0"]
    if a.shared:
        for p in sorted(pathlib.Path(a.shared, "bench").rglob("*.wasm")):
            with open(p, "rb") as f:
                if f.read(8) == b"\0asm\x0d\0\x01\0":
                    real.append(p)
    for p in real:
        r = run([a.wasmops, "validate", str(p)])
        ok = r.returncode == 0 and r.stdout == f"{p}: valid\n"
        # Nested core modules beyond WebAssembly 2.0 (Kotlin's GC) are the core validator's "unsupported".
        if not ok and "beyond WebAssembly 2.0" in r.stdout and r.returncode == 1:
            print(f"{p.name}: unsupported core features (accepted)")
            continue
        if not ok:
            failures.append(f"{p}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        else:
            print(f"{p.name}: valid")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    if not any(p.parent == pathlib.Path(a.components) for p in real):
        print("skipped the jco components: build them with `ctest -R cli.component_inspect` first")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
