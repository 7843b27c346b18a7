#!/usr/bin/env python3
"""`wasmops wit` against jco's own WIT decoder and type generator.

Builds the components component_inspect_test.py builds (hello adapted by `jco new`,
tests/data/components/*.wat via `jco parse`, the sightglass components in ../shared)
and for each one checks:
  - the root package and world `wasmops wit` prints equal `jco wit`'s output exactly
    (jco 1.35 prints only that part), and `inspect` shows the same world, and
    `inspect --json`'s "wit" is the whole `wasmops wit` text;
  - jco's own WIT parser accepts the whole output (interfaces included):
    `jco types OUR.wit --world-name root` succeeds;
  - where `jco transpile` can translate the component, the TypeScript declarations it
    writes for every interface (and for the world) equal those `jco types` writes from
    our WIT (where the aliases of `use`d types sit aside): the interface bodies (types,
    uses, resources) are the component's.
Also: a core module and a text file are refused with exit 1 and a message.
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import adapt, jco_or_skip, run  # noqa: E402

SKIP = 77


def root_world(text):
    """The root package and its world: everything up to the world's closing brace."""
    end = text.find("\n}\n")
    if end < 0:
        raise SystemExit(f"FAIL: no world block in:\n{text}")
    return text[: end + 3]


def preopen_module(work, jco):
    # jco's WASI tools see no files without a preopen (../shared/notes/component-toolchains.md).
    node_modules = pathlib.Path(jco).resolve().parents[3]
    path = work / "preopen.mjs"
    path.write_text(
        f"const base = {json.dumps(str(node_modules) + '/')};\n"
        "for (const p of ['@bytecodealliance/preview2-shim',\n"
        "  '@bytecodealliance/jco/node_modules/@bytecodealliance/preview2-shim',\n"
        "  '@bytecodealliance/jco-transpile/node_modules/@bytecodealliance/preview2-shim']) {\n"
        "  try { (await import(base + p + '/dist/nodejs/filesystem.js'))._setPreopens({ '/': '/' }); } catch {}\n"
        "}\n")
    return path


USE_LINE = re.compile(r"^export type \S+ = import\('[^']+'\)\.\S+;$")


def same_declarations(a, b):
    """Equal, except that the aliases of other interfaces' types (WIT `use`s) may move:
    WIT prints every `use` before an interface's own types, so `jco types` sees them first
    while the component may list them later."""
    la, lb = a.read_text().splitlines(), b.read_text().splitlines()
    uses_a = sorted(l for l in la if USE_LINE.match(l))
    uses_b = sorted(l for l in lb if USE_LINE.match(l))
    return uses_a == uses_b and [l for l in la if not USE_LINE.match(l)] == [l for l in lb if not USE_LINE.match(l)]


def declarations(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*.d.ts"))


def check(wasmops, jco, preopen, work, path):
    ours = run([wasmops, "wit", str(path)])
    theirs = run(["node", jco, "wit", str(path)])
    if root_world(ours) != theirs.rstrip("\n") + "\n":
        raise SystemExit(f"FAIL: {path}: world differs\n--- jco wit\n{theirs}\n--- wasmops wit\n{ours}")
    text = run([wasmops, "inspect", str(path)])
    if root_world(ours) not in text:
        raise SystemExit(f"FAIL: {path}: inspect does not show the world\n{text}")
    report = json.loads(run([wasmops, "inspect", "--json", str(path)]))
    if report.get("wit") != ours:
        raise SystemExit(f"FAIL: {path}: inspect --json wit differs from wasmops wit")

    stem = path.name.replace(".wasm", "")
    wit_file = work / f"{stem}.wit"
    wit_file.write_text(ours)
    types_dir, transpiled = work / f"{stem}-types", work / f"{stem}-js"
    run(["node", "--import", str(preopen), jco, "types", str(wit_file), "--world-name", "root",
         "--name", "root", "-q", "-o", str(types_dir)])
    r = subprocess.run(["node", jco, "transpile", str(path), "--name", "root", "-q", "-o", str(transpiled)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        lines = r.stderr.strip().splitlines()
        cause = [i + 1 for i, l in enumerate(lines) if l.strip() == "Caused by:" and i + 1 < len(lines)]
        reason = lines[cause[0]].strip() if cause else (lines[0] if lines else "?")
        print(f"{path.name}: world equals jco wit; jco parses our WIT; jco transpile cannot translate it ({reason[:80]})")
        return 0
    want = declarations(transpiled)
    if not want or want != declarations(types_dir):
        raise SystemExit(f"FAIL: {path}: declaration files differ: transpile {want}, types {declarations(types_dir)}")
    for rel in want:
        if not same_declarations(transpiled / rel, types_dir / rel):
            raise SystemExit(f"FAIL: {path}: {rel} differs between jco transpile (component) and jco types (our WIT)\n"
                             f"--- transpile\n{(transpiled / rel).read_text()}\n--- types\n{(types_dir / rel).read_text()}")
    print(f"{path.name}: world equals jco wit; {len(want)} TypeScript declaration files from our WIT equal jco transpile's")
    return len(want)


def refused(wasmops, path, needle):
    r = subprocess.run([wasmops, "wit", str(path)], capture_output=True, text=True)
    if r.returncode != 1 or needle not in r.stderr or r.stdout:
        raise SystemExit(f"FAIL: wit {path}: exit {r.returncode}, stderr {r.stderr!r}, expected exit 1 and {needle!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", help="../shared: its sightglass components are checked too")
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    preopen = preopen_module(work, jco)

    built = []
    # Only the stripped hello: the unstripped one has the same world.
    core = work / "hello.s.wasm"
    run([args.clang, "--target=wasm32-wasi", "-O2", "-s", str(root / "examples/hello/hello.c"), "-o", str(core)])
    built.append(adapt(jco, core, work / "hello.s.comp.wasm"))
    for wat in sorted((root / "tests/data/components").glob("*.wat")):
        out = work / (wat.stem + ".wasm")
        run(["node", jco, "parse", str(wat), "-o", str(out)])
        built.append(out)
    if args.shared and pathlib.Path(args.shared, "bench/sightglass/benchmarks").is_dir():
        for f in sorted(pathlib.Path(args.shared, "bench/sightglass/benchmarks").glob("*/*.wasm")):
            with open(f, "rb") as fh:
                if fh.read(8) == b"\x00asm\x0d\x00\x01\x00":
                    built.append(f)

    compared = sum(check(args.wasmops, jco, preopen, work, p) for p in built)
    if compared == 0:
        raise SystemExit("FAIL: no component could be compared with jco transpile's declarations")

    refused(args.wasmops, core, "core module")
    text = work / "not-wasm.txt"
    text.write_text("hello\n")
    refused(args.wasmops, text, "not-wasm.txt")
    print(f"ok: {len(built)} components; {compared} declaration files compared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
