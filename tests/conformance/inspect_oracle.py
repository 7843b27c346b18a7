#!/usr/bin/env python3
"""Oracle test: `wasmops inspect --json` against wabt's `wasm-objdump -h -x`.

Usage: inspect_oracle.py --wasmops PATH --shared DIR [--limit N] [--objdump PATH] [--jobs N]

Modules: every core module under DIR/bench/sightglass/benchmarks and every
`module` command of DIR/conformance/spec/{tests,tests-draft1}/*/*.json.
Components, and the few core modules wabt 1.0.32 cannot read (see
NOT_FOR_WABT), are only checked on the wasmops side.

For each module the two tools' views are compared: sections (id/name, payload
start, size, count; custom section names), types, imports, exports, function
counts, code bodies, tables, memories, globals, start function, data and
element segments, and what objdump decodes of the "name" (module name,
function / local name counts) and "target_features" sections. Representation differences handled here:

- objdump's `start=` is the payload offset; our `offset` is that of the id
  byte. The relation is checked on the file's bytes: byte[offset] is the id,
  the LEB128 at offset+1 is `size`, and the payload starts right after it
  (this is exact also for non-minimal LEB128 encodings).
- objdump prints names with printf("%.*s"), so a name is cut at its first NUL.
- objdump writes "nil" for an empty result list; wasmops writes "()".

Prints `inspect oracle: N modules, N checks, N mismatches`; exit status 1 on
any mismatch, 77 (CTest SKIP_RETURN_CODE) when wasm-objdump or the shared data
is missing.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

SKIP = 77
EXPECTED_WABT = "1.0.32"

# Valid modules that wabt 1.0.32 cannot read: checked with wasmops only.
# file name -> feature wasmops must report ("" = no feature requirement).
NOT_FOR_WABT = {
    "splay.wasm": "gc",  # GC proposal types
    "elem.68.wasm": "",  # wabt: "expected ref.null or ref.func in passive element segment"
}

OBJDUMP_SECTION = {
    0: "Custom", 1: "Type", 2: "Import", 3: "Function", 4: "Table", 5: "Memory", 6: "Global",
    7: "Export", 8: "Start", 9: "Elem", 10: "Code", 11: "Data", 12: "DataCount", 13: "Tag",
}

SECTION_LINE = re.compile(
    r'^ *(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)'
    r'(?: count: (\d+)| start: (\d+)| "(.*)")?$', re.S)
DETAILS_HEADER = re.compile(r'^(\w+)(?:\[(\d+)\])?:$')


# ---------------------------------------------------------------- helpers

def od(name):
    """A name as objdump prints it (printf "%.*s" stops at NUL)."""
    cut = name.find("\0")
    return name if cut < 0 else name[:cut]


def read_leb_u32(data, pos):
    result = shift = 0
    start = pos
    while True:
        if pos >= len(data) or pos - start >= 5:
            return None, pos
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def od_functype(text):
    """'(i32, f32) -> nil' -> (['i32','f32'], [])"""
    m = re.match(r'^\((.*)\) -> (.*)$', text)
    if not m:
        return None
    params = [t for t in m.group(1).split(", ") if t]
    res = m.group(2)
    if res == "nil":
        results = []
    elif res.startswith("("):
        results = [t for t in res[1:-1].split(", ") if t]
    else:
        results = [res]
    return params, results


def ours_functype(params, results):
    return f"({', '.join(params)}) -> ({', '.join(results)})"


# ---------------------------------------------------------------- objdump parsing

def parse_objdump(text):
    """Returns (section header list, {section name: [entry text]}, {section: header count})."""
    head, _, details = text.partition("\nSection Details:\n")
    _, _, head = head.partition("\nSections:\n")

    # Header lines; a custom section name holding a newline continues a line.
    lines = []
    for line in head.split("\n"):
        if re.match(r'^ *\w+ start=0x', line) or not lines:
            lines.append(line)
        else:
            lines[-1] += "\n" + line
    sections = []
    for line in lines:
        if not line.strip():
            continue
        line = line.rstrip("\n")
        m = SECTION_LINE.match(line)
        if not m:
            sections.append({"unparsed": line})
            continue
        sections.append({
            "name": m.group(1), "start": int(m.group(2), 16), "end": int(m.group(3), 16),
            "size": int(m.group(4), 16),
            "count": int(m.group(5)) if m.group(5) is not None else None,
            "start_func": int(m.group(6)) if m.group(6) is not None else None,
            "custom": m.group(7),
        })

    # Details: " - " starts an entry, deeper "  - " lines are sub-entries
    # (ignored), anything else continues the previous entry (a name with a
    # newline in it).
    # Each custom section gets its own block in customs: {"entries", "sub"}.
    # wasm-objdump 1.0.32 prints no newline after a global whose initialiser
    # is not a plain number (ref.func, ref.null, v128.const):
    # " - global[0] funcref mutable=0 <f> - global[1] v128 mutable=1Export[1]:".
    # Put each global and the next section's header back on their own lines.
    details = re.sub(r"(?<=[^\n]) - global\[", "\n - global[", details)
    details = re.sub(r"(?<=\S)((?:Type|Import|Function|Table|Memory|Global|Export|Start|Elem|Code|Data|DataCount|Tag|Custom)"
                     r"(?:\[\d+\])?:)$", r"\n\1", details, flags=re.M)
    entries, counts, customs = {}, {}, []
    current = target = sub = None
    last_top = False
    for line in details.split("\n"):
        m = DETAILS_HEADER.match(line)
        if m:
            current = m.group(1)
            if current == "Custom":
                customs.append({"entries": [], "sub": []})
                target, sub = customs[-1]["entries"], customs[-1]["sub"]
            else:
                target, sub = entries.setdefault(current, []), None
            counts[current] = int(m.group(2)) if m.group(2) is not None else None
            last_top = False
        elif current is None:
            continue
        elif line.startswith(" - "):
            target.append(line)
            last_top = True
        elif line.startswith("  - ") or line.startswith("   - "):
            if sub is not None:
                sub.append(line)
            last_top = False
        elif last_top:
            target[-1] += "\n" + line
    for k in entries:
        entries[k] = [e.rstrip("\n") for e in entries[k]]
    for block in customs:
        block["entries"] = [e.rstrip("\n") for e in block["entries"]]
        first = block["entries"][0] if block["entries"] else ""
        m = re.match(r'^ - name: "(.*)"$', first, re.S)
        block["name"] = m.group(1) if m else None
    return sections, entries, counts, customs


# ---------------------------------------------------------------- comparison

class Checker:
    def __init__(self, rel):
        self.rel = rel
        self.checks = 0
        self.mismatches = []

    def eq(self, what, ours, theirs):
        self.checks += 1
        if ours != theirs:
            self.mismatches.append(f"{self.rel}: {what}: wasmops {ours!r}, objdump {theirs!r}")
            return False
        return True

    def ok(self, what, cond, detail=""):
        self.checks += 1
        if not cond:
            self.mismatches.append(f"{self.rel}: {what}" + (f": {detail}" if detail else ""))
        return cond


def run_wasmops(wasmops, path):
    p = subprocess.run([wasmops, "inspect", "--json", path], capture_output=True, timeout=120)
    if p.returncode != 0:
        return None, f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()[:200]}"
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, f"bad JSON: {e}"


def check_without_wabt(wasmops, path, rel, kind, feature):
    c = Checker(rel)
    j, err = run_wasmops(wasmops, path)
    if not c.ok("wasmops inspect", j is not None, err):
        return c
    c.eq("kind", j.get("kind"), kind)
    if feature:
        c.ok(f"feature {feature} reported", feature in j.get("features", []), str(j.get("features")))
    return c


def check_module(wasmops, objdump, path, rel):
    c = Checker(rel)
    j, err = run_wasmops(wasmops, path)
    if not c.ok("wasmops inspect", j is not None, err):
        return c
    p = subprocess.run([objdump, "-h", "-x", path], capture_output=True, timeout=120)
    if not c.ok("wasm-objdump", p.returncode == 0, p.stderr.decode(errors="replace").strip()[:200]):
        return c
    with open(path, "rb") as f:
        data = f.read()
    sections, entries, counts, customs = parse_objdump(p.stdout.decode("utf-8", errors="surrogateescape"))
    c.eq("kind", j["kind"], "module")
    c.eq("file size", j["size"], len(data))
    for name in ("Type", "Import", "Function", "Table", "Memory", "Global", "Export", "Elem", "Code", "Data", "Tag"):
        if counts.get(name) is not None:  # the entry split agrees with objdump's own count
            c.eq(f"objdump {name}[N] entries parsed", len(entries[name]), counts[name])

    # ---- sections
    ours = j["sections"]
    c.eq("section count", len(ours), len(sections))
    expected_offset = 8
    for i, (s, t) in enumerate(zip(ours, sections)):
        what = f"section {i} ({s['name']})"
        if not c.ok(what + " objdump header parsed", "unparsed" not in t, repr(t.get("unparsed"))):
            continue
        c.eq(what + " kind", OBJDUMP_SECTION.get(s["id"], f"id {s['id']}"), t["name"])
        c.eq(what + " offset follows previous section", s["offset"], expected_offset)
        c.eq(what + " id byte at offset", data[s["offset"]] if s["offset"] < len(data) else None, s["id"])
        size, payload = read_leb_u32(data, s["offset"] + 1)
        c.eq(what + " size LEB128 at offset+1", s["size"], size)
        c.eq(what + " payload start", payload, t["start"])
        c.eq(what + " size", s["size"], t["size"])
        c.eq(what + " payload end", payload + s["size"], t["end"])
        expected_offset = payload + s["size"]
        if s["id"] == 0:
            c.eq(what + " custom name", od(s["name"]), t["custom"])
        elif s["id"] == 8:
            c.eq(what + " start function", (j["start"] or {}).get("index"), t["start_func"])
        else:
            c.eq(what + " count", s.get("count"), t["count"])
    c.eq("sections end at end of file", expected_offset, len(data))
    custom_json = [(s["name"], s["offset"], s["size"]) for s in j["custom_sections"]]
    c.eq("custom_sections matches sections", custom_json,
         [(s["name"], s["offset"], s["size"]) for s in ours if s["id"] == 0])

    # ---- types
    od_types = []
    for e in entries.get("Type", []):
        m = re.match(r'^ - type\[(\d+)\] (.*)$', e, re.S)
        od_types.append(od_functype(m.group(2)) if m else None)
    c.eq("type count", len(j["types"]), len(od_types))
    for i, (ty, ot) in enumerate(zip(j["types"], od_types)):
        if c.ok(f"type {i} is a func type objdump can read", ty["kind"] == "func" and ot is not None, ty.get("text")):
            c.eq(f"type {i}", (ty["params"], ty["results"]), ot)

    def type_text(idx):
        if idx is None or idx >= len(od_types) or od_types[idx] is None:
            return None
        return ours_functype(*od_types[idx])

    # ---- imports
    imports = j["imports"]
    od_imports = entries.get("Import", [])
    c.eq("import count", len(imports), len(od_imports))
    func_sigs = []  # objdump's type index of each function, imports first
    n_imp = {"func": 0, "table": 0, "memory": 0, "global": 0, "tag": 0}
    tables, memories, globals_ = j["tables"], j["memories"], j["globals"]
    for i, (imp, e) in enumerate(zip(imports, od_imports)):
        what = f"import {i} ({imp['module']}.{imp['name']})"
        suffix = f" <- {od(imp['module'])}.{od(imp['name'])}"
        if not c.ok(what + " module.field", e.endswith(suffix), repr(e)):
            continue
        body = e[: -len(suffix)]
        kind = imp["kind"]
        k = n_imp.get(kind, 0)
        n_imp[kind] = k + 1
        if kind == "func":
            m = re.match(r'^ - func\[(\d+)\] sig=(\d+)(?: <.*>)?$', body, re.S)
            if c.ok(what + " objdump func import", m is not None, repr(e)):
                func_sigs.append(int(m.group(2)))
                c.eq(what + " func index", k, int(m.group(1)))
                c.eq(what + " sig", imp.get("type_index"), int(m.group(2)))
                tt = type_text(int(m.group(2)))
                c.eq(what + " type", imp.get("type"), f"type {m.group(2)} {tt}" if tt else None)
        elif kind == "table":
            m = re.match(r'^ - table\[(\d+)\] type=(\S+) initial=(\d+)(?: max=(\d+))?$', body)
            if c.ok(what + " objdump table import", m is not None, repr(e)):
                c.eq(what + " table index", k, int(m.group(1)))
                t = tables[k] if k < len(tables) else {}
                c.eq(what + " table imported", t.get("imported"), True)
                c.eq(what + " table element", t.get("element"), m.group(2))
                c.eq(what + " table min", t.get("min"), int(m.group(3)))
                c.eq(what + " table max", t.get("max"), int(m.group(4)) if m.group(4) else None)
        elif kind == "memory":
            m = re.match(r'^ - memory\[(\d+)\] pages: initial=(\d+)(?: max=(\d+))?$', body)
            if c.ok(what + " objdump memory import", m is not None, repr(e)):
                c.eq(what + " memory index", k, int(m.group(1)))
                mem = memories[k] if k < len(memories) else {}
                c.eq(what + " memory imported", mem.get("imported"), True)
                c.eq(what + " memory min", mem.get("min"), int(m.group(2)))
                c.eq(what + " memory max", mem.get("max"), int(m.group(3)) if m.group(3) else None)
        elif kind == "global":
            m = re.match(r'^ - global\[(\d+)\] (\S+) mutable=([01])$', body)
            if c.ok(what + " objdump global import", m is not None, repr(e)):
                c.eq(what + " global index", k, int(m.group(1)))
                g = globals_[k] if k < len(globals_) else {}
                c.eq(what + " global imported", g.get("imported"), True)
                c.eq(what + " global type", g.get("type"), m.group(2))
                c.eq(what + " global mutable", g.get("mutable"), m.group(3) == "1")
        else:
            m = re.match(r'^ - (\w+)\[', body)
            c.eq(what + " kind", kind, m.group(1) if m else None)

    # ---- functions and code
    od_funcs = entries.get("Function", [])
    for e in od_funcs:
        m = re.match(r'^ - func\[(\d+)\] sig=(\d+)', e)
        func_sigs.append(int(m.group(2)) if m else None)
    c.eq("imported functions", j["functions"]["imported"], n_imp["func"])
    c.eq("defined functions", j["functions"]["defined"], len(od_funcs))
    if "Function" in counts:
        c.eq("defined functions (Function[N])", j["functions"]["defined"], counts["Function"])
    code_sizes = []
    for e in entries.get("Code", []):
        m = re.match(r'^ - func\[(\d+)\] size=(\d+)', e)
        code_sizes.append(int(m.group(2)) if m else 0)
    c.eq("code bodies", j["code"]["bodies"], len(code_sizes))
    c.eq("code bytes", j["code"]["bytes"], sum(code_sizes))

    # ---- exports
    exports = j["exports"]
    od_exports = entries.get("Export", [])
    c.eq("export count", len(exports), len(od_exports))
    for i, (ex, e) in enumerate(zip(exports, od_exports)):
        what = f"export {i} ({ex['name']})"
        m = re.match(r'^ - (\w+)\[(\d+)\]', e)
        if not c.ok(what + " objdump export", m is not None, repr(e)):
            continue
        c.eq(what + " kind", ex["kind"], m.group(1))
        c.eq(what + " index", ex["index"], int(m.group(2)))
        c.ok(what + " name", e.endswith(f' -> "{od(ex["name"])}"'), repr(e))
        if ex["kind"] == "func":
            idx = ex["index"]
            sig = func_sigs[idx] if idx < len(func_sigs) else None
            c.eq(what + " type", ex.get("type"), type_text(sig))

    # ---- tables
    od_tables = entries.get("Table", [])
    c.eq("table count", len(tables), n_imp["table"] + len(od_tables))
    for e in od_tables:
        m = re.match(r'^ - table\[(\d+)\] type=(\S+) initial=(\d+)(?: max=(\d+))?(?: <.*>)?$', e, re.S)
        if not c.ok("objdump table", m is not None, repr(e)):
            continue
        k = int(m.group(1))
        what = f"table {k}"
        t = tables[k] if k < len(tables) else {}
        c.eq(what + " imported", t.get("imported"), False)
        c.eq(what + " element", t.get("element"), m.group(2))
        c.eq(what + " min", t.get("min"), int(m.group(3)))
        c.eq(what + " max", t.get("max"), int(m.group(4)) if m.group(4) else None)

    # ---- memories
    od_mems = entries.get("Memory", [])
    c.eq("memory count", len(memories), n_imp["memory"] + len(od_mems))
    for e in od_mems:
        m = re.match(r'^ - memory\[(\d+)\] pages: initial=(\d+)(?: max=(\d+))?(?: <.*>)?$', e, re.S)
        if not c.ok("objdump memory", m is not None, repr(e)):
            continue
        k = int(m.group(1))
        what = f"memory {k}"
        mem = memories[k] if k < len(memories) else {}
        c.eq(what + " imported", mem.get("imported"), False)
        c.eq(what + " min", mem.get("min"), int(m.group(2)))
        c.eq(what + " max", mem.get("max"), int(m.group(3)) if m.group(3) else None)
        c.eq(what + " shared", mem.get("shared"), False)
        c.eq(what + " memory64", mem.get("memory64"), False)

    # ---- globals
    od_globals = entries.get("Global", [])
    c.eq("global count", len(globals_), n_imp["global"] + len(od_globals))
    for e in od_globals:
        m = re.match(r'^ - global\[(\d+)\] (\S+) mutable=([01])', e)
        if not c.ok("objdump global", m is not None, repr(e)):
            continue
        k = int(m.group(1))
        what = f"global {k}"
        g = globals_[k] if k < len(globals_) else {}
        c.eq(what + " imported", g.get("imported"), False)
        c.eq(what + " type", g.get("type"), m.group(2))
        c.eq(what + " mutable", g.get("mutable"), m.group(3) == "1")

    # ---- tags
    c.eq("tag count", j["tags"], n_imp["tag"] + len(entries.get("Tag", [])))

    # ---- start
    od_start = None
    for e in entries.get("Start", []):
        m = re.match(r'^ - start function: (\d+)(?: <.*>)?$', e, re.S)
        if c.ok("objdump start", m is not None, repr(e)):
            od_start = int(m.group(1))
    c.eq("start function", (j["start"] or {}).get("index"), od_start)

    # ---- data segments
    ds = j["data_segments"]
    active = passive = nbytes = 0
    od_datas = entries.get("Data", [])
    for e in od_datas:
        m = re.match(r'^ - segment\[(\d+)\](?: <.*?>)? (?:memory=(\d+)|(passive)) size=(\d+)(?: - init .*)?$', e, re.S)
        if not c.ok("objdump data segment", m is not None, repr(e)):
            continue
        if m.group(3):
            passive += 1
        else:
            active += 1
        nbytes += int(m.group(4))
    c.eq("data segment count", ds["count"], len(od_datas))
    c.eq("data segment bytes", ds["bytes"], nbytes)
    c.eq("data segments active/passive", (ds["active"], ds["passive"]), (active, passive))
    od_dc = None
    for e in entries.get("DataCount", []):
        m = re.match(r'^ - data count: (\d+)$', e)
        if c.ok("objdump data count", m is not None, repr(e)):
            od_dc = int(m.group(1))
    c.eq("data count section", ds.get("data_count"), od_dc)

    # ---- element segments
    es = j["element_segments"]
    modes = [0, 0, 0]  # active, passive, declarative
    nelems = 0
    od_elems = entries.get("Elem", [])
    for e in od_elems:
        m = re.match(r'^ - segment\[(\d+)\] flags=(\d+) table=(\d+) count=(\d+)(?: - init .*)?$', e, re.S)
        if not c.ok("objdump elem segment", m is not None, repr(e)):
            continue
        flags = int(m.group(2))
        modes[0 if not flags & 1 else (2 if flags & 2 else 1)] += 1
        nelems += int(m.group(4))
    c.eq("element segment count", es["count"], len(od_elems))
    c.eq("element count", es["elements"], nelems)
    c.eq("element segments active/passive/declarative",
         [es["active"], es["passive"], es["declarative"]], modes)

    # ---- custom sections: objdump decodes "name" and "target_features"
    c.eq("custom section blocks", [od(s["name"]) for s in ours if s["id"] == 0], [b["name"] for b in customs])
    names = [b for b in customs if b["name"] == "name"]
    if names:
        block = names[0]
        module_name, funcs, local_funcs = None, set(), set()
        for e in block["entries"][1:]:
            m = re.match(r'^ - module <(.*)>$', e, re.S)
            if m:
                module_name = m.group(1)
                continue
            m = re.match(r'^ - func\[(\d+)\] local\[(\d+)\] <', e)
            if m:
                local_funcs.add(int(m.group(1)))
                continue
            m = re.match(r'^ - func\[(\d+)\] <', e)
            if m:
                funcs.add(int(m.group(1)))
        ns = j["name_section"] or {}
        c.ok("name section decoded", j["name_section"] is not None)
        c.eq("name section module name", od(ns["module"]) if ns.get("module") is not None else None, module_name)
        c.eq("name section function names", ns.get("function_names"), len(funcs))
        c.eq("name section functions with local names", ns.get("local_names"), len(local_funcs))
    features = [b for b in customs if b["name"] == "target_features"]
    if features:
        od_features = []
        for e in features[0]["sub"]:
            m = re.match(r'^  - \[(.)\] (.*)$', e)
            od_features.append((m.group(1), m.group(2)) if m else e)
        ours_features = [(f["prefix"], f["name"]) for f in (j["target_features"] or [])]
        c.eq("target features", ours_features, od_features)
    return c


# ---------------------------------------------------------------- module set

def module_set(shared):
    """[(path, mode)] with mode 'core', 'component' or a NOT_FOR_WABT entry."""
    out = []
    bench = os.path.join(shared, "bench", "sightglass", "benchmarks")
    for path in sorted(glob.glob(os.path.join(bench, "**", "*.wasm"), recursive=True)):
        with open(path, "rb") as f:
            head = f.read(8)
        if head[4:8] == b"\x0d\x00\x01\x00":
            out.append((path, "component"))
        else:
            out.append((path, "core"))
    spec = os.path.join(shared, "conformance", "spec")
    for sub in ("tests", "tests-draft1"):
        for js in sorted(glob.glob(os.path.join(spec, sub, "*", "*.json"))):
            with open(js, encoding="utf-8") as f:
                commands = json.load(f)["commands"]
            for cmd in commands:
                if cmd.get("type") == "module" and cmd.get("filename", "").endswith(".wasm"):
                    out.append((os.path.join(os.path.dirname(js), cmd["filename"]), "core"))
    return [(p, "nowabt" if mode == "core" and os.path.basename(p) in NOT_FOR_WABT else mode)
            for p, mode in out]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--shared", required=True, help="folder holding bench/ and conformance/")
    ap.add_argument("--limit", type=int, default=0, help="check only N modules, spread over the set")
    ap.add_argument("--objdump", default=shutil.which("wasm-objdump"))
    ap.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 1))
    args = ap.parse_args()

    if not (os.path.isfile(args.wasmops) and os.access(args.wasmops, os.X_OK)):
        print(f"inspect oracle: error: {args.wasmops} is not an executable")
        return 2
    if not args.objdump:
        print("inspect oracle: SKIP: wasm-objdump (wabt) not found")
        return SKIP
    if not os.path.isdir(os.path.join(args.shared, "conformance", "spec")):
        print(f"inspect oracle: SKIP: no shared data under {args.shared}")
        return SKIP
    version = subprocess.run([args.objdump, "--version"], capture_output=True, text=True).stdout.strip()
    if version != EXPECTED_WABT:
        print(f"note: wasm-objdump {version}; this oracle was written against wabt {EXPECTED_WABT}")

    t0 = time.monotonic()
    modules = module_set(args.shared)
    if args.limit and args.limit < len(modules):
        n = len(modules)
        modules = [modules[i * n // args.limit] for i in range(args.limit)]

    def task(item):
        path, mode = item
        rel = os.path.relpath(path, args.shared)
        try:
            if mode == "component":
                return check_without_wabt(args.wasmops, path, rel, "component", "")
            if mode == "nowabt":
                return check_without_wabt(args.wasmops, path, rel, "module", NOT_FOR_WABT[os.path.basename(path)])
            return check_module(args.wasmops, args.objdump, path, rel)
        except Exception as e:  # a parser crash is a test failure, not a traceback
            c = Checker(rel)
            c.ok("oracle error", False, f"{type(e).__name__}: {e}")
            return c

    checks, mismatches, counts = 0, [], {"core": 0, "component": 0, "nowabt": 0}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for (path, mode), c in zip(modules, pool.map(task, modules)):
            counts[mode] += 1
            checks += c.checks
            mismatches.extend(c.mismatches)

    for m in mismatches[:20]:
        print("MISMATCH " + m)
    if len(mismatches) > 20:
        print(f"... and {len(mismatches) - 20} more")
    print(f"({counts['core']} compared with wasm-objdump, {counts['component']} components and "
          f"{counts['nowabt']} modules wabt cannot read checked with wasmops only; "
          f"{time.monotonic() - t0:.1f}s)")
    print(f"inspect oracle: {len(modules)} modules, {checks} checks, {len(mismatches)} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
