#!/usr/bin/env python3
"""`wasmops run COMPONENT --invoke 'f(args)'` against the same calls made through `jco transpile` under Node.

tests/data/components/abi.wat (assembled by `jco parse`) exports functions over every kind of
value. Each case is one call, written once in WAVE (ours) and once in JavaScript (the peer's);
our printed WAVE result is parsed and brought to the shape jco gives in JavaScript, and the two
must be equal. Then the errors: a trap inside the guest, an argument of the wrong type, an
unknown export, imports the host does not provide (named, with their version); a
guest that never returns is stopped by --timeout (exit 124).
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import jco_or_skip, run  # noqa: E402

SKIP = 77
SHAPES = "wasmops:abi/shapes@0.1.0#"

# (WAVE call, JavaScript call, how our result reads in JavaScript)
CASES = [
    ("add(3, 4)", "m.add(3, 4)", "plain"),
    ("add(4294967295, 2)", "m.add(4294967295, 2)", "plain"),
    ("negate(-9000000000)", "m.negate(-9000000000n)", "bigint"),
    ("half(5.5)", "m.half(5.5)", "plain"),
    ("not(true)", "m.not(true)", "plain"),
    ("next-char('a')", "m.nextChar('a')", "plain"),
    ("next-char('\u00e9')", "m.nextChar('\u00e9')", "plain"),
    ('greet("w\u00f6rld \U0001F30D")', "m.greet('w\u00f6rld \U0001F30D')", "plain"),
    ("sum([1, 2, 3, 40])", "m.sum(new Uint32Array([1, 2, 3, 40]))", "plain"),
    ("reverse([1, 2, 3])", "m.reverse(new Uint32Array([1, 2, 3]))", "plain"),
    ("reverse([])", "m.reverse(new Uint32Array([]))", "plain"),
    ('flip((7, "x"))', "m.flip([7, 'x'])", "plain"),
    ("maybe-double(some(21))", "m.maybeDouble(21)", "option"),
    ("maybe-double(none)", "m.maybeDouble(undefined)", "option"),
    ("checked-div(7, 2)", "m.checkedDiv(7, 2)", "result"),
    ("checked-div(1, 0)", "m.checkedDiv(1, 0)", "result"),
    (SHAPES + "swap({x: 1, y: -2})", "m.shapes.swap({x: 1, y: -2})", "plain"),
    (SHAPES + "area(circle(2))", "m.shapes.area({tag: 'circle', val: 2})", "plain"),
    (SHAPES + "area(rect({x: 3, y: 5}))", "m.shapes.area({tag: 'rect', val: {x: 3, y: 5}})", "plain"),
    (SHAPES + "area(%none)", "m.shapes.area({tag: 'none'})", "plain"),
    (SHAPES + "next-color(blue)", "m.shapes.nextColor('blue')", "enum"),
    (SHAPES + "toggle-write({read, exec})", "m.shapes.toggleWrite({read: true, exec: true})", "flags"),
    (SHAPES + "toggle-write({write})", "m.shapes.toggleWrite({write: true})", "flags"),
]


class Wave:
    """A reader of the WAVE values wasmops prints: numbers, strings, chars, lists, tuples,
    records, flags, and cases (`name` or `name(payload)`, which covers enums, variants,
    options and results)."""

    TOKEN = re.compile(r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<chr>'(?:[^'\\]|\\.)*')|(?P<num>-?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf))(?![\w-])|(?P<id>%?[a-z][a-z0-9-]*)|(?P<p>[\[\](){},:]))""")

    def __init__(self, text):
        self.tokens = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = self.TOKEN.match(text, pos)
            if not m:
                raise SystemExit(f"FAIL: cannot read WAVE {text!r} at {pos}")
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, want=None):
        tok = self.peek()
        if want is not None and tok[1] != want:
            raise SystemExit(f"FAIL: WAVE: expected {want!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def seq(self, close):
        items = []
        while self.peek()[1] != close:
            items.append(self.value())
            if self.peek()[1] == ",":
                self.take(",")
        self.take(close)
        return items

    def value(self):
        kind, text = self.take()
        if kind in ("str", "chr"):
            return json.loads('"' + text[1:-1].replace("\\'", "'") + '"')
        if kind == "num":
            return float(text) if re.search(r"[.eEn]", text) else int(text)
        if text == "[":
            return self.seq("]")
        if text == "(":
            return self.seq(")")
        if text == "{":
            fields, flags = {}, []
            while self.peek()[1] != "}":
                name = self.take()[1].lstrip("%")
                if self.peek()[1] == ":":
                    self.take(":")
                    fields[name] = self.value()
                else:
                    flags.append(name)
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("}")
            return {"flags": flags} if flags else fields
        if kind == "id":
            name = text.lstrip("%")
            if name in ("true", "false"):
                return name == "true"
            if self.peek()[1] == "(":
                self.take("(")
                payload = self.value()
                self.take(")")
                return {"case": name, "val": payload}
            return {"case": name}
        raise SystemExit(f"FAIL: WAVE: unexpected {text!r}")


def as_javascript(value, how):
    """Our value in the shape jco gives it in JavaScript."""
    if how == "bigint":
        return str(value)
    if how == "option":
        return value.get("val") if value["case"] == "some" else None
    if how == "result":
        return value["val"] if value["case"] == "ok" else {"err": value["val"]}
    if how == "enum":
        return value["case"]
    if how == "flags":
        return sorted(value.get("flags", []))
    return json.loads(json.dumps(value))  # tuples as lists, as JSON has them


def peer_value(entry, how):
    if "trap" in entry:
        raise SystemExit(f"FAIL: the jco peer trapped: {entry['trap']}")
    if "err" in entry:
        return {"err": entry["err"]}
    if how == "flags":
        return sorted(k for k, v in entry["value"].items() if v)
    return entry["value"]


def wasmops(args, bin_):
    return subprocess.run([bin_, *args], capture_output=True, text=True, timeout=120)


def expect_failure(bin_, args, *needles):
    r = wasmops(args, bin_)
    if r.returncode == 0:
        raise SystemExit(f"FAIL: wasmops {' '.join(args)} succeeded:\n{r.stdout}")
    if r.returncode < 0 or r.returncode > 2:
        raise SystemExit(f"FAIL: wasmops {' '.join(args)} exited {r.returncode} (a crash?)\n{r.stderr}")
    for n in needles:
        if n not in r.stderr:
            raise SystemExit(f"FAIL: wasmops {' '.join(args)}: stderr lacks {n!r}:\n{r.stderr}")
    if r.stdout:
        raise SystemExit(f"FAIL: wasmops {' '.join(args)} printed a result on failure: {r.stdout!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    work = pathlib.Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    abi = work / "abi.wasm"
    run(["node", jco, "parse", str(root / "tests/data/components/abi.wat"), "-o", str(abi)])
    run(["node", jco, "transpile", str(abi), "-o", str(work / "abi-js"), "--quiet"])
    calls = work / "calls.json"
    calls.write_text(json.dumps([js for _, js, _ in CASES]))
    peer = json.loads(run(["node", str(root / "tests/cli/component_invoke_peer.mjs"), str(work / "abi-js/abi.js"), str(calls)]))
    cache = ["--cache-dir", str(work / "cache")]
    for (wave, js, how), theirs in zip(CASES, peer):
        r = wasmops(["run", *cache, str(abi), "--invoke", wave], a.wasmops)
        if r.returncode != 0:
            raise SystemExit(f"FAIL: wasmops run --invoke {wave!r} exited {r.returncode}:\n{r.stderr}")
        ours = as_javascript(Wave(r.stdout).value(), how)
        expected = peer_value(theirs, how)
        if ours != expected:
            raise SystemExit(f"FAIL: {wave}: wasmops printed {r.stdout.strip()!r} ({ours!r}); {js} gives {expected!r}")
        print(f"ok: {wave} -> {r.stdout.strip()}")

    expect_failure(a.wasmops, ["run", *cache, str(abi), "--invoke", "boom()"], "trap", "unreachable")
    expect_failure(a.wasmops, ["run", *cache, str(abi), "--invoke", 'add("three", 4)'], "u32")
    expect_failure(a.wasmops, ["run", *cache, str(abi), "--invoke", "add(1)"], "argument 'b'")
    r = wasmops(["run", *cache, "--timeout", "300ms", str(abi), "--invoke", "spin()"], a.wasmops)
    if r.returncode != 124 or "timed out after 300ms" not in r.stderr:
        raise SystemExit(f"FAIL: spin() with --timeout exited {r.returncode}:\n{r.stderr}")
    r = wasmops(["run", *cache, "--invoke", "add(2, 3)", str(abi)], a.wasmops)
    if r.returncode != 0 or r.stdout != "5\n":
        raise SystemExit(f"FAIL: --invoke before FILE exited {r.returncode}: {r.stdout!r} {r.stderr}")
    expect_failure(a.wasmops, ["run", *cache, str(abi), "--invoke", "nope()"], "no exported function 'nope'", "greet")
    expect_failure(a.wasmops, ["run", *cache, str(abi)], "--invoke")

    with tempfile.TemporaryDirectory() as tmp:
        imports = {
            "log.wat": ('(component (import "log" (func (param "msg" string))))', ["import 'log'"]),
            "logger.wat": ('(component (import "wasmops:test/logger@0.2.3" (instance (export "log" (func (param "msg" string))))))',
                           ["import 'wasmops:test/logger@0.2.3'", "0.2.3"]),
        }
        for name, (text, needles) in imports.items():
            wat = pathlib.Path(tmp, name)
            wat.write_text(text)
            wasm = wat.with_suffix(".wasm")
            run(["node", jco, "parse", str(wat), "-o", str(wasm)])
            expect_failure(a.wasmops, ["run", *cache, str(wasm), "--invoke", "f()"], *needles)
    print(f"ok: {len(CASES)} calls agree with jco transpile; errors are reported")
    return 0


if __name__ == "__main__":
    sys.exit(main())
