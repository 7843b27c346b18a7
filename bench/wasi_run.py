#!/usr/bin/env python3
"""WASI `run` figures for docs/perf.md, wasmops next to Node in one run:

1. whole-process time of a C hello world (`wasmops run hello.wasm`, artifact
   cached, both tiers) against Node running the same module through node:wasi,
   measured with hyperfine;
2. the per-call cost of a cheap WASI call (clock_time_get) from guest code.

Usage: bench/wasi_run.py --wasmops build/release/apps/wasmops/wasmops [--runs 200]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build(src, out):
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-Wl,--strip-debug", src, "-o", out], check=True)


def hyperfine(commands, runs, export):
    args = ["hyperfine", "-N", "--warmup", "10", "--runs", str(runs), "--export-json", export]
    subprocess.run(args + commands, check=True, stdout=subprocess.DEVNULL)
    with open(export) as f:
        return json.load(f)["results"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--calls", type=int, default=1000000)
    a = ap.parse_args()
    wasmops = os.path.abspath(a.wasmops)
    if not shutil.which("hyperfine") or not shutil.which("node"):
        print("needs hyperfine and node (scripts/install-deps.sh)")
        return 1
    node_runner = os.path.join(HERE, "wasi", "node_wasi.mjs")
    with tempfile.TemporaryDirectory() as tmp:
        hello = os.path.join(tmp, "hello.wasm")
        clock = os.path.join(tmp, "clock_calls.wasm")
        build(os.path.join(ROOT, "examples", "hello", "hello.c"), hello)
        build(os.path.join(HERE, "wasi", "clock_calls.c"), clock)
        cache = os.path.join(tmp, "cache")
        for tier in ("fast", "optimized"):
            for m in (hello, clock):
                subprocess.run([wasmops, "compile", "--tier", tier, "--cache-dir", cache, m], check=True, capture_output=True)
        cmds = [f"{wasmops} run --tier optimized --cache-dir {cache} {hello}",
                f"{wasmops} run --tier fast --cache-dir {cache} {hello}",
                f"node {node_runner} {hello}"]
        results = hyperfine(cmds, a.runs, os.path.join(tmp, "hf.json"))
        print("| command | mean ± σ (ms) | min (ms) |\n|---|---:|---:|")
        for r in results:
            cmd = r["command"].replace(wasmops, "wasmops").replace(cache, "CACHE").replace(hello, "hello.wasm").replace(node_runner, "bench/wasi/node_wasi.mjs")
            print(f"| `{cmd}` | {r['mean']*1000:.2f} ± {r['stddev']*1000:.2f} | {r['min']*1000:.2f} |")
        print()
        print("| runtime | clock_time_get per call |\n|---|---:|")
        for name, cmd in (("wasmops optimized", [wasmops, "run", "--tier", "optimized", "--cache-dir", cache, clock, str(a.calls)]),
                          ("wasmops fast", [wasmops, "run", "--tier", "fast", "--cache-dir", cache, clock, str(a.calls)]),
                          ("node:wasi", ["node", node_runner, clock, str(a.calls)])):
            best = None
            for _ in range(5):
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                ns = float(out.split()[0])
                best = ns if best is None else min(best, ns)
            print(f"| {name} | {best:.1f} ns (best of 5, {a.calls} calls) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
