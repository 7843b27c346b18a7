#!/usr/bin/env python3
"""Writes the fuzz_component seed corpus into OUT_DIR (generated, never committed):
  - small hand-built components, one per section kind and encoding family
    (the same forms tests/binary/ComponentDecoderTest.cpp decodes);
  - the two tiny committed component seeds of fuzz_binary (tests/fuzz/corpus/component*.wasm);
  - when jco is installed (scripts/install-npm-deps.sh): tests/data/components/*.wat assembled
    by `jco parse`, and examples/hello adapted by `jco new --wasi-command` (stripped, ~56 KB).
    tests/fuzz/make-component-corpus.py OUT_DIR
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
HEADER = b"\x00asm\x0d\x00\x01\x00"
MODULE = b"\x00asm\x01\x00\x00\x00"


def uleb(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def name(s):
    return uleb(len(s)) + s.encode()


def section(sid, payload):
    return bytes([sid]) + uleb(len(payload)) + payload


def vec(items):
    return uleb(len(items)) + b"".join(items)


def component(*sections):
    return HEADER + b"".join(sections)


def hand_built():
    seeds = {}
    seeds["empty"] = HEADER
    seeds["module"] = component(section(1, MODULE + section(1, vec([b"\x60\x00\x00"]))))
    seeds["core_instances"] = component(section(2, vec([b"\x00" + uleb(0) + vec([name("wasi") + b"\x12" + uleb(0)]),
                                                        b"\x01" + vec([name("f") + b"\x00" + uleb(0)])])))
    seeds["core_types"] = component(section(3, vec([
        b"\x50" + vec([b"\x01\x60\x01\x7f\x00", b"\x00" + name("m") + name("f") + b"\x00" + uleb(0),
                       b"\x03" + name("g") + b"\x02\x00\x01", b"\x02\x10\x01" + uleb(1) + uleb(0)]),
        b"\x60\x00\x00", b"\x00\x50\x00\x60\x00\x00", b"\x4e" + vec([b"\x5f" + vec([b"\x7f\x01"])])])))
    seeds["types"] = component(section(7, vec([
        b"\x73", b"\x72" + vec([name("x") + b"\x7a", name("y") + b"\x7a"]),
        b"\x71" + vec([name("a") + b"\x01\x79\x00", name("b") + b"\x00\x00"]),
        b"\x70\x01", b"\x6f" + vec([b"\x7f", b"\x74"]), b"\x6e" + vec([name("r"), name("w")]),
        b"\x6d" + vec([name("e")]), b"\x6b\x73", b"\x6a\x01\x79\x01\x73", b"\x3f\x7f\x01" + uleb(4),
        b"\x69\x09", b"\x68\x09", b"\x40" + vec([name("s") + b"\x73"]) + b"\x00\x79", b"\x43\x00\x01\x00",
        b"\x67\x7d" + uleb(4), b"\x66\x01\x79", b"\x65\x00", b"\x63\x73\x79", b"\x64"])))
    seeds["instance_types"] = component(section(7, vec([
        b"\x42" + vec([b"\x01\x40\x00\x01\x00", b"\x04\x00" + name("f") + b"\x01\x00",
                       b"\x02\x03\x02\x01\x00", b"\x04\x00" + name("r") + b"\x03\x01"]),
        b"\x41" + vec([b"\x03\x00" + name("i") + b"\x05\x00", b"\x00\x50\x00"])])))
    seeds["aliases"] = component(section(6, vec([b"\x01\x00" + uleb(2) + name("f"),
                                                 b"\x00\x02\x01" + uleb(0) + name("mem"),
                                                 b"\x03\x02" + uleb(1) + uleb(5), b"\x00\x11\x02" + uleb(1) + uleb(0)])))
    seeds["canon"] = component(section(8, vec([
        b"\x00\x00" + uleb(3) + vec([b"\x01", b"\x03" + uleb(0), b"\x04" + uleb(1), b"\x05" + uleb(2)]) + uleb(5),
        b"\x01\x00" + uleb(1) + vec([b"\x02"]), b"\x02" + uleb(9), b"\x03" + uleb(9), b"\x04" + uleb(9),
        b"\x09\x01\x00" + vec([]), b"\x20\x01" + uleb(0), b"\x0a\x7f" + uleb(0), b"\x0f" + uleb(1) + vec([b"\x06"]),
        b"\x27" + uleb(0) + uleb(0), b"\x1f", b"\x24"])))
    seeds["imports_exports"] = component(
        section(10, vec([b"\x00" + name("wasi:cli/environment@0.2.12") + b"\x05" + uleb(0),
                         b"\x01" + name("foo") + b"\x01" + uleb(4),
                         b"\x02" + name("bar") + vec([b"\x00" + name("a:b/c"), b"\x01" + name("1.2")]) + b"\x03\x00" + uleb(2)])),
        section(11, vec([b"\x00" + name("run") + b"\x01" + uleb(0) + b"\x01\x01" + uleb(4),
                         b"\x00" + name("m") + b"\x00\x11" + uleb(0) + b"\x00"])))
    seeds["instances_start_values"] = component(
        section(5, vec([b"\x00" + uleb(0) + vec([name("a") + b"\x05" + uleb(1)]),
                        b"\x01" + vec([b"\x00" + name("f") + b"\x01" + uleb(2)])])),
        section(9, uleb(4) + vec([uleb(0), uleb(1)]) + uleb(1)),
        section(12, vec([b"\x79" + uleb(1) + b"\x2a"])),
        section(0, name("producers") + b"\x00"),
        section(0, name("component-type:world") + b"\x01\x02\x03"))
    seeds["nested"] = component(section(4, component(section(4, component(section(1, MODULE))))))
    return seeds


def find_jco():
    r = subprocess.run([str(ROOT / "scripts/install-npm-deps.sh")], capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if l.endswith("jco.js")]
    return lines[-1] if r.returncode == 0 and lines and pathlib.Path(lines[-1]).is_file() else None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for stem, data in hand_built().items():
        (out / f"seed_{stem}.wasm").write_bytes(data)
    for f in (ROOT / "tests/fuzz/corpus").glob("component*.wasm"):
        shutil.copy(f, out / f"seed_{f.name}")
    jco = find_jco()
    if not jco:
        print("make-component-corpus: jco not installed; hand-built seeds only", file=sys.stderr)
    else:
        for wat in sorted((ROOT / "tests/data/components").glob("*.wat")):
            subprocess.run(["node", jco, "parse", str(wat), "-o", str(out / f"seed_{wat.stem}.wasm")], check=True)
        with tempfile.TemporaryDirectory() as tmp:
            core = pathlib.Path(tmp) / "hello.wasm"
            subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-s", str(ROOT / "examples/hello/hello.c"), "-o",
                            str(core)], check=True)
            subprocess.run(["node", jco, "new", str(core), "--wasi-command", "-o", str(out / "seed_hello.wasm")],
                           check=True)
    print(f"make-component-corpus: {len(list(out.iterdir()))} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
