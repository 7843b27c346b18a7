#!/usr/bin/env python3
"""The engine against itself: sightglass measured regions of several engine
variants in one run, to price one engine change at a time (the cost of the
epoch checks, the gain of guard pages) on the same machine and load.

Variants (each a sightglass_runner binary plus an environment):
  baseline  --baseline-runner PATH: a runner built from an earlier commit
            (e.g. before epoch checks were in every artifact), bounds checks
  bounds    this build with WASMOPS_GUARD_PAGES=0: explicit bounds checks
  guard     this build as it runs by default: guard-page memories

Usage (from the repository root):
  python3 bench/engine_variants.py [--build build/release] [--shared ../shared]
      [--baseline-runner PATH] [--tier optimized] [--filter REGEX] [--runs 5]
      [--work DIR] [--markdown FILE]

Per benchmark and variant: one cold run (compiles into the variant's own
cache; not counted), then --runs runs, the variants alternating run by run so
that background load hits them alike. Outputs are checked as in
bench/sightglass.py. Prints medians per benchmark and geomean ratios.
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sightglass as sgl  # noqa: E402  (select_benchmarks, check_output, geomean, fmt_ms, machine_note)


def run_variant(runner, env, tier, cache, b, sg, work, label, timeout):
    out_dir = os.path.join(work, "out", label)
    os.makedirs(out_dir, exist_ok=True)
    so, se = (os.path.join(out_dir, f"{b['name']}.{k}") for k in ("stdout", "stderr"))
    wasm = os.path.join(sg, b["path"])
    cmd = [runner, "--tier", tier, "--cache-dir", cache, wasm, os.path.dirname(wasm), so, se]
    full_env = dict(os.environ)
    full_env.update(env)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    res = None
    for line in reversed(p.stdout.strip().splitlines()):
        try:
            res = json.loads(line)
            break
        except ValueError:
            continue
    if res is None:
        return None, f"exit {p.returncode}: {p.stderr[-300:]}"
    for kind, path in (("stdout", so), ("stderr", se)):
        if os.path.exists(path):
            verdict = sgl.check_output(path, b.get(f"expected_{kind}"), sg)
            if verdict.startswith("mismatch"):
                return None, f"{kind} {verdict}"
    if not res.get("ok") or res.get("measured_ns") is None:
        return None, res.get("error") or "no measured region"
    return res["measured_ns"] / 1e6, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--baseline-runner")
    ap.add_argument("--tier", default="optimized")
    ap.add_argument("--filter", default=".")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--work")
    ap.add_argument("--markdown")
    a = ap.parse_args()
    a.work = a.work or os.path.join(a.build, "engine-variants")
    sg = os.path.join(a.shared, "bench", "sightglass")
    with open(os.path.join(sg, "MANIFEST.json")) as f:
        runnable, _ = sgl.select_benchmarks(json.load(f))
    runnable = [b for b in runnable if re.search(a.filter, b["name"])]
    bin_dir = os.path.join(a.work, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    current = os.path.join(bin_dir, "sightglass_runner")
    shutil.copy2(os.path.join(a.build, "bench", "sightglass_runner"), current)
    variants = []
    if a.baseline_runner:
        base = os.path.join(bin_dir, "sightglass_runner.baseline")
        shutil.copy2(a.baseline_runner, base)
        variants.append(("baseline", base, {}))
    variants += [("bounds", current, {"WASMOPS_GUARD_PAGES": "0"}), ("guard", current, {})]
    results = {}
    for b in runnable:
        rec = {label: [] for label, _, _ in variants}
        errors = {}
        for label, runner, env in variants:
            cache = os.path.join(a.work, "cache", label, b["name"])
            _, err = run_variant(runner, env, a.tier, cache, b, sg, a.work, label, a.timeout)  # cold: compiles
            if err:
                errors[label] = err
        for _ in range(a.runs):
            for label, runner, env in variants:
                if label in errors:
                    continue
                cache = os.path.join(a.work, "cache", label, b["name"])
                ms, err = run_variant(runner, env, a.tier, cache, b, sg, a.work, label, a.timeout)
                if err:
                    errors[label] = err
                else:
                    rec[label].append(ms)
        results[b["name"]] = {"median": {k: (statistics.median(v) if v else None) for k, v in rec.items()},
                              "errors": errors}
        print(f"{b['name']}: " + ", ".join(f"{k} {sgl.fmt_ms(v)}" for k, v in results[b["name"]]["median"].items())
              + (f"  errors: {errors}" if errors else ""), flush=True)
    labels = [label for label, _, _ in variants]
    pairs = [(x, y) for x, y in (("bounds", "baseline"), ("guard", "bounds"), ("guard", "baseline")) if y in labels]
    m = sgl.machine_note()
    lines = [f"Engine variants, {a.tier} tier, {time.strftime('%Y-%m-%d')}; {m['cpu']}, nproc {m['nproc']}, "
             f"commit {m['commit']}, load average at start {m['loadavg_start'][0]:.2f}",
             f"`python3 bench/engine_variants.py --tier {a.tier} --runs {a.runs}"
             + (f" --filter '{a.filter}'" if a.filter != "." else "") + (" --baseline-runner ..." if a.baseline_runner else "") + "`",
             "", "| ratio of measured-region medians | geomean | benchmarks |", "|---|---|---|"]
    for x, y in pairs:
        ratios = [r["median"][x] / r["median"][y] for r in results.values()
                  if r["median"].get(x) and r["median"].get(y) and r["median"][y] >= sgl.SUB_MS]
        g = sgl.geomean(ratios)
        lines.append(f"| {x} ÷ {y} | {g:.3f} | {len(ratios)} |" if g else f"| {x} ÷ {y} | – | 0 |")
    lines += ["", "| benchmark | " + " | ".join(f"{l} ms" for l in labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for name, r in results.items():
        lines.append(f"| {name} | " + " | ".join(sgl.fmt_ms(r["median"][l]) for l in labels) + " |")
    failed = {n: r["errors"] for n, r in results.items() if r["errors"]}
    if failed:
        lines += ["", "Failed: " + "; ".join(f"{n}: {e}" for n, e in failed.items())]
    text = "\n".join(lines)
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
