#!/usr/bin/env python3
"""Instantiation: wasmops (fresh Store + instance per iteration, copy-on-write
memory from a pooled reservation) next to Node's `new WebAssembly.Instance`
on the same files, in the same run.

Usage (from the repository root):
  python3 bench/instantiate.py [--build build/release] [--iterations 20000] [--rounds 3] [--markdown FILE]

Modules, generated here (DESIGN.md §8 of the issue: a 1-page memory with a
64 KiB data segment, and a 16 MiB memory with a 16 MiB data segment), each
exporting its memory. The rounds alternate the two engines; each reports
p50/p99 of per-iteration times; the table shows the median over rounds.
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_encoding import leb128, section, sleb128  # noqa: E402

NODE_SCRIPT = r"""
const fs = require('fs');
const [file, iterations] = [process.argv[2], Number(process.argv[3])];
const mod = new WebAssembly.Module(fs.readFileSync(file));
const times = [];
let check = 0;
for (let i = 0; i < iterations + 100; i++) {
  const t0 = process.hrtime.bigint();
  const inst = new WebAssembly.Instance(mod, {});
  const t1 = process.hrtime.bigint();
  const mem = new Uint8Array(inst.exports.memory.buffer);
  check += mem[mem.length >> 1];
  mem[0] = i & 255;
  if (i >= 100) times.push(Number(t1 - t0));
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.floor(p * (times.length - 1))];
console.log(JSON.stringify({instantiate_ns_p50: pct(0.5), instantiate_ns_p99: pct(0.99), check}));
"""


def module(pages, data_bytes):
    """A module with one memory of `pages` pages, exported as "memory", and one
    active data segment of `data_bytes` non-zero bytes at offset 0."""
    data = bytes((i * 31 + 7) & 0xff or 1 for i in range(data_bytes))
    mem = section(5, leb128(1) + b"\x00" + leb128(pages))
    exp = section(7, leb128(1) + leb128(6) + b"memory" + b"\x02" + leb128(0))
    seg = leb128(1) + b"\x00" + b"\x41\x00\x0b" + leb128(len(data)) + data
    return b"\x00asm\x01\x00\x00\x00" + mem + exp + section(11, seg)


def distinct_module(i):
    """A small module of its own: a memory with 4 bytes of data and three
    functions whose constants depend on `i` (so every artifact differs)."""
    typ = section(1, leb128(1) + b"\x60\x01\x7f\x01\x7f")           # (i32) -> i32
    fns = section(3, leb128(3) + b"\x00\x00\x00")
    mem = section(5, leb128(1) + b"\x00\x01")
    exp = section(7, leb128(2) + leb128(6) + b"memory" + b"\x02\x00" + leb128(1) + b"f" + b"\x00\x00")
    bodies = b""
    for k in range(3):
        body = b"\x00" + b"\x20\x00" + b"\x41" + sleb128(i * 3 + k + 1) + b"\x6a" + b"\x0b"  # local.get 0; i32.const c; i32.add
        bodies += leb128(len(body)) + body
    code = section(10, leb128(3) + bodies)
    data = section(11, leb128(1) + b"\x00\x41\x00\x0b" + leb128(4) + struct.pack("<I", i))
    return b"\x00asm\x01\x00\x00\x00" + typ + fns + mem + exp + code + data


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {p.stderr.strip()[-400:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--iterations", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--live", type=int, default=10000)
    ap.add_argument("--distinct", type=int, default=1000)
    ap.add_argument("--markdown")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wasmops-instantiate-")
    cases = [("1 page, 64 KiB data segment", module(1, 65536), a.iterations),
             ("256 pages, 16 MiB data segment", module(256, 16 << 20), max(200, a.iterations // 50))]
    bench = os.path.join(a.build, "bench", "instantiate_bench")
    node_js = os.path.join(work, "instantiate.js")
    with open(node_js, "w") as f:
        f.write(NODE_SCRIPT)
    rows, density = [], None
    for label, wasm, iters in cases:
        path = os.path.join(work, f"m{len(rows)}.wasm")
        with open(path, "wb") as f:
            f.write(wasm)
        ours, node = [], []
        for _ in range(a.rounds):
            ours.append(run_json([bench, "--tier", "optimized", "--cache-dir", os.path.join(work, "cache"),
                                  "--iterations", str(iters), path]))
            node.append(run_json(["node", node_js, path, str(iters)]))
        med = lambda rs, k: statistics.median(r[k] for r in rs)
        rows.append((label, iters, ours[0]["memory_image"], med(ours, "instantiate_ns_p50"), med(ours, "instantiate_ns_p99"),
                     med(ours, "destroy_ns_p50"), med(node, "instantiate_ns_p50"), med(node, "instantiate_ns_p99")))
        print(label, rows[-1], flush=True)
        if density is None:  # 10,000 live instances of the 1-page module
            density = run_json([bench, "--tier", "optimized", "--cache-dir", os.path.join(work, "cache"),
                                "--iterations", "100", "--live", str(a.live), path])
    # 1,000 distinct compiled modules loaded at once (each a few functions
    # and its own constants): first run compiles (fast tier) into the cache,
    # the second loads every artifact from it.
    distinct = []
    for i in range(a.distinct):
        path = os.path.join(work, f"d{i}.wasm")
        with open(path, "wb") as f:
            f.write(distinct_module(i))
        distinct.append(path)
    code = None
    if distinct:
        cache = os.path.join(work, "cache-distinct")
        cold = run_json([bench, "--load-all", "--tier", "fast", "--cache-dir", cache] + distinct)
        code = run_json([bench, "--load-all", "--tier", "fast", "--cache-dir", cache] + distinct)
        code["cold_seconds"] = cold["seconds"]
    node_v = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/Model name: *//p'"], capture_output=True, text=True).stdout.strip()
    L = [f"Instantiation, {time.strftime('%Y-%m-%d')}; {cpu}, nproc {os.cpu_count()}, Node {node_v}, "
         f"load average at start {os.getloadavg()[0]:.2f}",
         f"`python3 bench/instantiate.py --iterations {a.iterations} --rounds {a.rounds}` (medians over rounds)", "",
         "| module | iterations | CoW image | wasmops p50 | wasmops p99 | wasmops destroy p50 | Node p50 | Node p99 | Node ÷ wasmops (p50) |",
         "|---|---|---|---|---|---|---|---|---|"]
    us = lambda ns: f"{ns / 1000:.2f} µs"
    for label, iters, image, p50, p99, d50, n50, n99 in rows:
        L.append(f"| {label} | {iters} | {'yes' if image else 'no'} | {us(p50)} | {us(p99)} | {us(d50)} | {us(n50)} | {us(n99)} | {n50 / p50:.1f}× |")
    L += ["", f"Density: {density['live']} instances of the 1-page module alive in one process (one store each, one "
          f"page written in each): created in {density['live_seconds']:.3f} s "
          f"({density['live'] / density['live_seconds']:.0f} instances/s); resident set +"
          f"{density['live_rss_delta_bytes'] / (1 << 20):.1f} MiB ({density['live_rss_delta_bytes'] / density['live'] / 1024:.1f} KiB "
          f"per instance); mappings +{density['live_maps_delta']}."]
    if code:
        L += ["", f"Code density: {code['modules']} distinct modules (fast tier) loaded from the artifact cache "
              f"({code['cached']} cached) and instantiated once each, all alive in one process: {code['seconds']:.2f} s "
              f"({code['seconds'] / code['modules'] * 1000:.2f} ms per module; compiling them first took "
              f"{code['cold_seconds']:.1f} s); resident set +{code['rss_delta_bytes'] / (1 << 20):.1f} MiB "
              f"({code['rss_delta_bytes'] / code['modules'] / 1024:.0f} KiB per module); mappings +{code['maps_delta']}."]
    text = "\n".join(L)
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
