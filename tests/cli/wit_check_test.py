#!/usr/bin/env python3
"""`wasmops wit --check` against jco's own WIT parser (`jco types`, wit-parser inside).

(a) Valid packages, accepted by both (`ok` lines name every package; jco generates types):
    - folders assembled at test time from the WASI WIT that jco ships (lib/wit/builtin/0.2.12):
      wasi:http as the root with cli, clocks, filesystem, io, random, sockets as deps/ folders,
      and wasi:cli with its dependencies as deps/ single files;
    - tests/data/wit/valid/*: hand-written packages covering every construct.
(b) tests/data/wit/invalid/*.wit, one error each, `// expect LINE:COL` on the first line:
    we reject each with exit 1 and `FILE:LINE:COL: error:` at that place (text and --json);
    jco rejects each too, except those marked `(jco accepts: ...)`, which jco must accept.
Also: a missing path and a non-.wit file are clear errors (exit non-zero, no diagnostics).
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import jco_or_skip  # noqa: E402

SKIP = 77
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(f"{what}\n{detail}")


def jco_types(jco, preopen, path, out, world=None):
    """True when jco's wit-parser accepts PATH; the message otherwise. jco exits 0 on some failures."""
    cmd = ["node", "--import", str(preopen), str(jco), "types", str(path), "-o", str(out), "--all-features"]
    if world:
        cmd += ["-n", world]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    text = r.stdout + r.stderr
    if r.returncode == 0 and "Error" not in text and "Generated Type Files" in text:
        return True, text
    return False, text


def wasmops(binary, *args):
    return subprocess.run([str(binary), "wit", "--check", *map(str, args)], capture_output=True, text=True, timeout=60)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    jco = pathlib.Path(jco)
    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    node_modules = jco.parents[3]
    # jco's WASI tools start with no preopens and cannot read the WIT path without this.
    preopen = work / "preopen.mjs"
    preopen.write_text(
        f"const base = {json.dumps(str(node_modules) + '/')};\n"
        "for (const p of ['@bytecodealliance/preview2-shim',\n"
        "  '@bytecodealliance/jco/node_modules/@bytecodealliance/preview2-shim',\n"
        "  '@bytecodealliance/jco-transpile/node_modules/@bytecodealliance/preview2-shim']) {\n"
        "  try { (await import(base + p + '/dist/nodejs/filesystem.js'))._setPreopens({ '/': '/' }); } catch {}\n"
        "}\n")

    builtin = jco.parents[1] / "lib/wit/builtin/0.2.12"
    valid = []  # (folder, world for jco, expected package names)
    if builtin.is_dir():
        http = work / "wasi-http"
        (http / "deps").mkdir(parents=True)
        shutil.copy(builtin / "wasi-http/package.wit", http / "package.wit")
        for dep in ["cli", "clocks", "filesystem", "io", "random", "sockets"]:
            (http / "deps" / dep).mkdir()
            shutil.copy(builtin / f"wasi-{dep}/package.wit", http / "deps" / dep / "package.wit")
        valid.append((http, "proxy", ["wasi:http@0.2.12", "wasi:cli@0.2.12", "wasi:clocks@0.2.12",
                                       "wasi:filesystem@0.2.12", "wasi:io@0.2.12", "wasi:random@0.2.12",
                                       "wasi:sockets@0.2.12"]))
        cli = work / "wasi-cli"
        (cli / "deps").mkdir(parents=True)
        shutil.copy(builtin / "wasi-cli/package.wit", cli / "package.wit")
        for dep in ["clocks", "filesystem", "io", "random", "sockets"]:
            shutil.copy(builtin / f"wasi-{dep}/package.wit", cli / "deps" / f"{dep}.wit")
        valid.append((cli, "command", ["wasi:cli@0.2.12", "wasi:clocks@0.2.12", "wasi:filesystem@0.2.12",
                                       "wasi:io@0.2.12", "wasi:random@0.2.12", "wasi:sockets@0.2.12"]))
    else:
        check("jco ships WASI 0.2.12 WIT under lib/wit/builtin", False, str(builtin))
    for folder in sorted((root / "tests/data/wit/valid").iterdir()):
        names = [re.search(r"^package ([^;{ ]+)", f.read_text(), re.M) for f in sorted(folder.rglob("*.wit"))]
        worlds = re.findall(r"^world ([a-z0-9-]+)", "".join(f.read_text() for f in folder.glob("*.wit")), re.M)
        valid.append((folder, worlds[-1] if worlds else None, [m.group(1) for m in names if m]))

    agree = 0
    for folder, world, packages in valid:
        r = wasmops(args.wasmops, folder)
        ok_lines = re.findall(r"^ok  (\S+)  \((\d+) interfaces?, (\d+) worlds?\)$", r.stdout, re.M)
        ours = r.returncode == 0 and sorted(n for n, _, _ in ok_lines) == sorted(packages)
        check(f"wasmops accepts {folder.name} ({len(packages)} packages)", ours, r.stdout + r.stderr)
        theirs, text = jco_types(jco, preopen, folder, work / "types" / folder.name, world)
        check(f"jco types accepts {folder.name}", theirs, text[-2000:])
        agree += ours and theirs

    invalid = sorted((root / "tests/data/wit/invalid").glob("*.wit"))
    rejected_both = jco_accepts_as_marked = 0
    for f in invalid:
        first = f.read_text().splitlines()[0]
        m = re.match(r"// expect (\d+):(\d+)", first)
        if not m:
            check(f"{f.name}: first line names the expected LINE:COL", False, first)
            continue
        line, col = m.groups()
        r = wasmops(args.wasmops, f)
        located = re.search(rf"^{re.escape(str(f))}:{line}:{col}: error: \S", r.stderr, re.M)
        check(f"wasmops rejects {f.name} at {line}:{col}", r.returncode == 1 and located is not None, r.stderr)
        rj = wasmops(args.wasmops, "--json", f)
        try:
            doc = json.loads(rj.stdout)
            diag = doc["diagnostics"][0]
            json_ok = (rj.returncode == 1 and doc["ok"] is False and doc["packages"] == []
                       and diag["file"] == str(f) and (diag["line"], diag["column"]) == (int(line), int(col))
                       and diag["message"])
        except (ValueError, KeyError, IndexError):
            json_ok = False
        check(f"wasmops --json locates {f.name}", json_ok, rj.stdout + rj.stderr)
        accepted, text = jco_types(jco, preopen, f, work / "types-invalid" / f.stem)
        if "(jco accepts" in first:
            check(f"jco accepts {f.name} as its comment says", accepted, text[-1500:])
            jco_accepts_as_marked += accepted
        else:
            check(f"jco rejects {f.name}", not accepted and "contains no worlds" not in text, text[-1500:])
            rejected_both += (not accepted) and r.returncode == 1 and located is not None

    missing = wasmops(args.wasmops, work / "no-such-folder")
    check("a missing path is an error", missing.returncode != 0 and "no such file" in missing.stderr, missing.stderr)
    other = work / "notes.txt"
    other.write_text("package a:b;\n")
    r = wasmops(args.wasmops, other)
    check("a file that is not .wit is a usage error", r.returncode == 2 and ".wit" in r.stderr, r.stderr)

    print(f"valid packages accepted by both: {agree}/{len(valid)}; invalid files rejected by both at the "
          f"expected place: {rejected_both}/{len(invalid)}; accepted by jco as marked: {jco_accepts_as_marked}")
    if failures:
        print(f"{len(failures)} failure(s):\n" + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
