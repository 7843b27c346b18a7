#!/usr/bin/env python3
"""Compile time and peak memory of both wasmops tiers for every sightglass
module the engine runs (core, WebAssembly 2.0), with Node's eager TurboFan
compile of the same bytes measured in the same run as the peer.

Usage: bench/compile_sightglass.py --wasmops BUILD/apps/wasmops/wasmops
       [--shared ../shared] [--out docs/perf-compile.md] [--limit N] [--only NAME,NAME]
Each compile starts from an empty artifact cache. Peak memory is the largest
resident set of any process of the compile (wasmops or the C compiler).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MEASURE = r'''
import resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
ms = (time.perf_counter() - t) * 1000
print(p.returncode, ms, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
if p.returncode: sys.stderr.write(p.stderr.decode()[-500:])
'''

NODE = r'''
const fs = require("fs");
const bytes = fs.readFileSync(process.argv[1]);
const t = process.hrtime.bigint();
new WebAssembly.Module(bytes);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
console.log(ms.toFixed(1), Math.round(process.memoryUsage().rss / 1024));
'''


def measure(cmd):
    out = subprocess.run([sys.executable, "-c", MEASURE] + cmd, capture_output=True, text=True)
    rc, ms, kib = out.stdout.split()
    return int(rc), float(ms), int(kib), out.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated module names (a before/after subset)")
    a = ap.parse_args()
    sg = os.path.join(a.shared, "bench", "sightglass")
    manifest = json.load(open(os.path.join(sg, "MANIFEST.json")))
    mods = [b for b in manifest["benchmarks"] if b["kind"] == "core" and b.get("wabt_validates_as_wasm2")]
    if a.only:
        wanted = set(a.only.split(","))
        mods = [b for b in mods if b["name"] in wanted]
    if a.limit:
        mods = mods[: a.limit]
    rows = []
    failures = []
    for b in mods:
        path = os.path.join(sg, b["path"])
        row = {"name": b["name"], "size": b["size_bytes"], "simd": "simd128" in b.get("wasm2_features_used", [])}
        for tier in ("fast", "optimized"):
            cache = tempfile.mkdtemp(prefix="wasmops-bench-")
            rc, ms, kib, err = measure([a.wasmops, "compile", "--tier", tier, "--cache-dir", cache, path])
            shutil.rmtree(cache, ignore_errors=True)
            row[tier] = (ms, kib) if rc == 0 else None
            if rc:
                failures.append(f"{b['name']} ({tier}): {err.strip()}")
        node = subprocess.run(["node", "--no-wasm-lazy-compilation", "--no-liftoff", "-e", NODE, path],
                              capture_output=True, text=True)
        try:
            nms, nkib = node.stdout.split()
            row["node"] = (float(nms), int(nkib))
        except ValueError:
            row["node"] = None
        rows.append(row)
        print(b["name"], row.get("fast"), row.get("optimized"), row.get("node"), flush=True)

    def cell(v, i, fmt):
        return fmt.format(v[i]) if v else "failed"

    lines = []
    cpu = "?"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines.append(f"## Compile time and peak memory, sightglass ({time.strftime('%Y-%m-%d')})\n")
    lines.append(f"Machine: {os.cpu_count()} cores, {cpu}. Command: `python3 bench/compile_sightglass.py --wasmops "
                 f"build/release/apps/wasmops/wasmops` (each compile from an empty cache; one run each: compare "
                 f"ratios, not absolute times, on this noisy VM). Peer in the same run: Node "
                 f"{subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()} "
                 f"`new WebAssembly.Module` with `--no-wasm-lazy-compilation --no-liftoff` (eager TurboFan), time "
                 f"inside the process; its memory is the whole Node process.\n")
    lines.append("| module | bytes | SIMD | fast ms | fast peak MiB | optimized ms | optimized peak MiB | node TurboFan ms | node RSS MiB |")
    lines.append("|---|---:|:-:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        lines.append(f"| {r['name']} | {r['size']} | {'yes' if r['simd'] else ''} | {cell(r['fast'], 0, '{:.0f}')} | "
                     f"{cell(r['fast'], 1, '{:.0f}') if not r['fast'] else '{:.0f}'.format(r['fast'][1] / 1024)} | "
                     f"{cell(r['optimized'], 0, '{:.0f}')} | "
                     f"{'failed' if not r['optimized'] else '{:.0f}'.format(r['optimized'][1] / 1024)} | "
                     f"{cell(r['node'], 0, '{:.1f}')} | {'-' if not r['node'] else '{:.0f}'.format(r['node'][1] / 1024)} |")
    ok = [r for r in rows if r["fast"] and r["optimized"] and r["node"]]
    if ok:
        med = lambda xs: statistics.median(xs)
        lines.append("")
        lines.append(f"Medians over {len(ok)} modules: fast {med([r['fast'][0] for r in ok]):.0f} ms, optimized "
                     f"{med([r['optimized'][0] for r in ok]):.0f} ms, Node TurboFan {med([r['node'][0] for r in ok]):.1f} ms; "
                     f"total fast {sum(r['fast'][0] for r in ok) / 1000:.1f} s, optimized "
                     f"{sum(r['optimized'][0] for r in ok) / 1000:.1f} s, Node {sum(r['node'][0] for r in ok) / 1000:.1f} s; "
                     f"largest peak: fast {max(r['fast'][1] for r in ok) / 1024:.0f} MiB, optimized "
                     f"{max(r['optimized'][1] for r in ok) / 1024:.0f} MiB.")
    if failures:
        lines.append("\nFailures:\n" + "\n".join("- " + f for f in failures))
    text = "\n".join(lines) + "\n"
    if a.out:
        with open(a.out, "a") as f:
            f.write("\n" + text)
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
