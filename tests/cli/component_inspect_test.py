#!/usr/bin/env python3
"""Real components through the component decoder.

Builds components with npm's jco (installed by scripts/install-npm-deps.sh):
  - examples/hello (C, clang --target=wasm32-wasi) adapted by `jco new --wasi-command`,
    unstripped and stripped;
  - every tests/data/components/*.wat assembled by `jco parse`;
  - the components among the sightglass benchmarks in ../shared (other producers:
    Kotlin, the cm-online-stats composition), when that folder is there.
Then, for each one:
  - `wasmops inspect --json` lists the same imports and exports (names and kinds) as
    `jco wit` prints for its world, and the same function types wherever it resolves one;
  - `wasmops inspect` (text) succeeds;
  - component_prefix_check decodes it and every proper prefix (all but the unstripped
    hello, which would take minutes): each prefix fails with a located error or, cut
    between sections, decodes.
Exits 77 (skipped) when jco is not installed (WASMOPS_OFFLINE=1 or no npm).
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import build_components, jco_or_skip, run, shared_components  # noqa: E402

SKIP = 77


# `jco wit` world lines: `import NAME;`, `import NAME: func(...) -> T;`, same for export.
WORLD_LINE = re.compile(r"^\s+(import|export) ([^:;\s]+(?::[^:;\s/]+/[^;\s]+)?)(?:: (.*))?;$")


# An inline interface: `import bench: interface {` ... `  }`.
INLINE_INTERFACE = re.compile(r"^  (import|export) ([^:;\s]+): interface \{$")


def wit_world(wit_text):
    imports, exports = {}, {}
    in_world = in_inline = False
    for line in wit_text.splitlines():
        if line.startswith("world "):
            in_world = True
            continue
        if in_world and line.startswith("}"):
            break
        if not in_world:
            continue
        if in_inline:
            in_inline = line != "  }"
            continue
        m = INLINE_INTERFACE.match(line)
        if m:
            (imports if m.group(1) == "import" else exports)[m.group(2)] = ("instance", None)
            in_inline = True
            continue
        m = WORLD_LINE.match(line)
        if not m:
            continue
        direction, name, rest = m.groups()
        if rest is None:
            kind, type_ = "instance", None
        elif rest.startswith("func(") or rest.startswith("async func("):
            kind, type_ = "func", rest
        else:
            raise SystemExit(f"FAIL: unexpected world line from jco wit: {line!r}")
        (imports if direction == "import" else exports)[name] = (kind, type_)
    return imports, exports


def check_component(wasmops, jco, path):
    report = json.loads(run([wasmops, "inspect", "--json", str(path)]))
    if report.get("kind") != "component" or "imports" not in report:
        raise SystemExit(f"FAIL: {path}: inspect --json did not decode the component: {report}")
    run([wasmops, "inspect", str(path)])
    wit = run(["node", jco, "wit", str(path)])
    want_imports, want_exports = wit_world(wit)
    got_imports = {i["name"]: (i["kind"], i.get("type")) for i in report["imports"]}
    got_exports = {e["name"]: (e["kind"], e.get("type")) for e in report["exports"]}
    typed = 0
    for what, want, got in (("imports", want_imports, got_imports), ("exports", want_exports, got_exports)):
        if set(want) != set(got):
            raise SystemExit(f"FAIL: {path}: {what} differ\n  jco wit: {sorted(want)}\n  wasmops: {sorted(got)}")
        for name, (kind, type_) in want.items():
            got_kind, got_type = got[name]
            if got_kind != kind:
                raise SystemExit(f"FAIL: {path}: {what} {name}: kind {got_kind}, jco wit says {kind}")
            if got_type is not None:
                if got_type != type_:
                    raise SystemExit(f"FAIL: {path}: {what} {name}: type '{got_type}', jco wit says '{type_}'")
                typed += 1
    print(f"{path.name}: {len(want_imports)} imports, {len(want_exports)} exports agree with jco wit "
          f"({typed} function types compared); {len(report['modules'])} core modules")
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--prefix-check", required=True)
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

    built = build_components(root, jco, args.clang, work)
    shared = shared_components(args.shared)
    reports = {p.name: check_component(args.wasmops, jco, p) for p in built + shared}

    # The C command: the adapter's WASI 0.2 imports, `wasi:cli/run` exported, 4 core modules
    # (../shared/notes/component-toolchains.md), and the C module inside with its own size.
    hello = reports["hello.comp.wasm"]
    if [e["name"] for e in hello["exports"]] != ["wasi:cli/run@0.2.12"]:
        raise SystemExit(f"FAIL: hello exports {hello['exports']}")
    run_export = hello["exports"][0]["interface"]
    if run_export != {"namespace": "wasi", "package": "cli", "name": "run", "version": "0.2.12"}:
        raise SystemExit(f"FAIL: hello export interface {run_export}")
    sizes = [m["size"] for m in hello["modules"]]
    core_size = (work / "hello.wasm").stat().st_size
    if len(sizes) != 4 or core_size not in sizes:
        raise SystemExit(f"FAIL: hello modules {sizes}, expected 4 including the {core_size}-byte C module")
    if hello["canon"].get("lift") != 1 or hello["canon"].get("lower", 0) < 1:
        raise SystemExit(f"FAIL: hello canon {hello['canon']}")

    prefix_files = [p for p in built + shared if p.name != "hello.comp.wasm"]
    print(run([args.prefix_check, *map(str, prefix_files)]), end="")
    print(f"ok: {len(built)} components built, {len(shared)} from ../shared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
