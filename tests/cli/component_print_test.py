#!/usr/bin/env python3
"""`wasmops print` of real components, with npm jco (wasm-tools print/parse) as the peer.

For every component of real_components.py: `wasmops print` succeeds, `jco parse` reads the
text back, and the binary it gives equals the one `jco parse` gives from `jco print`'s own
text, custom sections (names, producers) removed from both at every nesting level. So the
text says everything the component holds, in its order. Components whose nested modules
use features past WebAssembly 2.0 (kotlin-richards: GC) are refused with a located error
naming the module. Bad input (a truncated component) gets a located error, exit 1.
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import build_components, jco_or_skip, run, shared_components  # noqa: E402

SKIP = 77


def uleb(b, i):
    value = shift = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def encode_uleb(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def without_customs(b):
    """A module or component binary with its custom sections dropped, nested ones too."""
    out = bytearray(b[:8])
    component = b[4:6] != b"\x01\x00"
    i = 8
    while i < len(b):
        section = b[i]
        size, j = uleb(b, i + 1)
        payload = b[j:j + size]
        i = j + size
        if section == 0:
            continue
        if component and section in (1, 4):  # a nested core module or component
            payload = without_customs(payload)
        out.append(section)
        out += encode_uleb(len(payload))
        out += payload
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", help="../shared: its sightglass components are printed too")
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    work = pathlib.Path(args.work)
    components = build_components(root, jco, args.clang, work) + shared_components(args.shared)
    same = refused = 0
    for path in components:
        ours = work / (path.stem + ".ours.wat")
        r = subprocess.run([args.wasmops, "print", str(path), "-o", str(ours)], capture_output=True, text=True)
        if path.stem == "kotlin-richards":  # its nested module uses GC, which the core printer (wabt) cannot read
            if r.returncode != 1 or "cannot print nested core module 0" not in r.stderr or ":0x" not in r.stderr:
                raise SystemExit(f"FAIL: {path.name}: expected a located refusal, got {r.returncode}: {r.stderr}")
            refused += 1
            continue
        if r.returncode != 0:
            raise SystemExit(f"FAIL: wasmops print {path.name} exited {r.returncode}: {r.stderr}")
        theirs = work / (path.stem + ".jco.wat")
        theirs.write_text(run(["node", jco, "print", str(path)]))
        ours_bin, theirs_bin = work / (path.stem + ".ours.wasm"), work / (path.stem + ".jco.wasm")
        run(["node", jco, "parse", str(ours), "-o", str(ours_bin)])
        run(["node", jco, "parse", str(theirs), "-o", str(theirs_bin)])
        a, b = without_customs(ours_bin.read_bytes()), without_customs(theirs_bin.read_bytes())
        if a != b:
            raise SystemExit(f"FAIL: {path.name}: our text parses to {len(a)} bytes, jco's to {len(b)}; they differ")
        print(f"{path.name}: our text gives the same {len(a)}-byte component as jco print's")
        same += 1

    # Bad input: a component cut in its first section.
    cut = work / "truncated.wasm"
    cut.write_bytes(components[0].read_bytes()[:20])
    r = subprocess.run([args.wasmops, "print", str(cut)], capture_output=True, text=True)
    if r.returncode != 1 or "truncated.wasm:0x" not in r.stderr:
        raise SystemExit(f"FAIL: truncated component: exit {r.returncode}, {r.stderr}")
    print(f"ok: {same} components print as jco prints them, {refused} refused with a located error, "
          f"a truncated one rejected: {r.stderr.strip()}")
    return 0 if same >= 4 else 1


if __name__ == "__main__":
    sys.exit(main())
