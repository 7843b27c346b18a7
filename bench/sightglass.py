#!/usr/bin/env python3
"""Runtime benchmarks on sightglass: wasmops (optimized and fast tier) side by
side with Node's WebAssembly (default lazy tiering and eager TurboFan), in the
same run, on every benchmark of ../shared/bench/sightglass/MANIFEST.json that
is a core module needing nothing beyond WebAssembly 2.0 + WASI preview1 +
bench imports and has its inputs.

Usage (from the repository root):
  python3 bench/sightglass.py [--build build/release] [--shared ../shared]
      [--filter REGEX] [--runs 3] [--tiers optimized,fast] [--skip-node]
      [--skip-hyperfine] [--hyperfine-runs N] [--work DIR] [--reuse-cache]
      [--markdown FILE]

Per benchmark, for each wasmops tier: one cold run from an empty artifact
cache (its compile_ms is the tier's compile time; not counted otherwise),
then --runs runs with the artifact cached. wasmops runs go through
BUILD/bench/sightglass_runner (embedding API), Node runs through
run-node.mjs (with --no-wasm-lazy-compilation --no-liftoff for eager
TurboFan); the configurations alternate run by run so that background load
hits them alike. Outputs are checked against the expected files. Whole
process: hyperfine -N (1 warm-up) of `sightglass_runner --tier T --cache-dir C
M DIR OUT ERR` (artifact cached; it writes and checks the outputs as
run-node.mjs does) and of `node run-node.mjs M`. `wasmops run` cannot run
these modules (it provides no bench.start/bench.end); --hyperfine-cli times
`wasmops run --tier T --cache-dir C --dir DIR::. M` instead, for a CLI that does.

Writes WORK/results-<time>.json (WORK defaults to BUILD/sightglass-bench,
outside the source tree) and prints markdown tables for docs/perf.md.
Exit status 0 when every run passed, 1 otherwise.
"""
import argparse
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EAGER_FLAGS = ["--no-wasm-lazy-compilation", "--no-liftoff"]
SUB_MS = 1.0  # measured regions below this (in the peer) stay out of the geomean


# ---------------------------------------------------------------- manifest

def select_benchmarks(manifest):
    """(runnable, excluded): runnable = core module, needs nothing beyond
    WebAssembly 2.0 + WASI preview1 + bench, all inputs present; or a component
    that needs nothing beyond the Component Model and WASI 0.2 (cm-online-stats).
    Node cannot run components (run-node.mjs): their Node columns stay empty,
    and bench/components.py times them through jco transpile instead."""
    runnable, excluded = [], []
    for b in manifest["benchmarks"]:
        if b["kind"] == "component" and all(n.startswith(("component-model", "wasi-0.2")) for n in b.get("needs") or []) \
                and not b.get("inputs_missing"):
            runnable.append(b)  # sightglass_runner runs it on the component layer with the WASI 0.2 host
        elif b["kind"] != "core":
            excluded.append((b["name"], f"{b['kind']}: " + ", ".join(b.get("needs") or [b["kind"]])))
        elif b.get("needs"):
            excluded.append((b["name"], "needs " + ", ".join(b["needs"])))
        elif b.get("inputs_missing"):
            missing = ", ".join(f"{m['file']} ({m['why']})" for m in b["inputs_missing"])
            excluded.append((b["name"], "input missing: " + missing))
        else:
            bad = [i for i in b["imports"] if i.split(".")[0] not in ("bench", "wasi_snapshot_preview1")]
            if bad:
                excluded.append((b["name"], "imports " + ", ".join(bad)))
            else:
                runnable.append(b)
    return runnable, excluded


# ---------------------------------------------------------------- output checks

def lines(text):
    """Rust str::lines: split on \\n, no empty last element, strip \\r."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def check_output(actual_path, expected_rel, sg):
    """'match', 'mismatch: line N: ...' or 'no-expected'."""
    if not expected_rel:
        return "no-expected"
    with open(actual_path, encoding="utf-8", errors="replace") as f:
        actual = lines(f.read())
    with open(os.path.join(sg, expected_rel), encoding="utf-8", errors="replace") as f:
        expected = lines(f.read())
    if actual == expected:
        return "match"
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a != e:
            return f"mismatch: line {i + 1}: got {a[:80]!r}, expected {e[:80]!r}"
    return f"mismatch: {len(actual)} lines, expected {len(expected)}"


# ---------------------------------------------------------------- one run

def run_json(cmd, timeout):
    """Runs cmd, returns (last JSON line of stdout or None, returncode, stderr tail)."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout", f"timed out after {timeout} s"
    result = None
    for line in reversed(p.stdout.strip().splitlines()):
        try:
            result = json.loads(line)
            break
        except ValueError:
            continue
    return result, p.returncode, p.stderr[-600:]


def failure_text(res, rc, err):
    if res is None:
        what = "timed out" if rc == "timeout" else (f"killed by signal {-rc}" if rc < 0 else f"exit status {rc}, no JSON")
        return f"{what}; stderr: {err.strip()[-300:]}"
    parts = []
    if res.get("error"):
        parts.append(res["error"])
    if res.get("exit_code") not in (0, None):
        parts.append(f"guest exit code {res['exit_code']}")
    for k in ("stdout_check", "stderr_check"):
        if str(res.get(k, "")).startswith("mismatch"):
            parts.append(f"{k.split('_')[0]} {res[k]}")
    return "; ".join(parts) or f"not ok (status {rc})"


class Runner:
    def __init__(self, a, sg):
        self.a, self.sg = a, sg
        # Copies of the binaries: others may rebuild the tree during a long
        # run, which would mix engine versions and invalidate cached artifacts.
        bin_dir = os.path.join(a.work, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        self.runner = os.path.join(bin_dir, "sightglass_runner")
        self.cli = os.path.join(bin_dir, "wasmops")
        shutil.copy2(os.path.join(a.build, "bench", "sightglass_runner"), self.runner)
        if a.hyperfine_cli:
            shutil.copy2(os.path.join(a.build, "apps", "wasmops", "wasmops"), self.cli)
        self.node_script = os.path.join(sg, "run-node.mjs")

    def cache_dir(self, tier, b):
        return os.path.join(self.a.work, "cache", tier, b["name"])

    def wasmops(self, tier, b):
        """One sightglass_runner run; checks outputs against the manifest."""
        out_dir = os.path.join(self.a.work, "out", tier)
        os.makedirs(out_dir, exist_ok=True)
        so, se = (os.path.join(out_dir, f"{b['name']}.{k}") for k in ("stdout", "stderr"))
        wasm = os.path.join(self.sg, b["path"])
        cmd = [self.runner, "--tier", tier, "--cache-dir", self.cache_dir(tier, b), wasm, os.path.dirname(wasm), so, se]
        res, rc, err = run_json(cmd, self.a.timeout)
        if res is not None:
            # Independent check against the manifest's expected files.
            for kind, path in (("stdout", so), ("stderr", se)):
                if os.path.exists(path):
                    verdict = check_output(path, b.get(f"expected_{kind}"), self.sg)
                    if verdict.startswith("mismatch"):
                        res[f"{kind}_check"] = verdict
                        res["ok"] = False
            if res.get("measured_ns") is not None:
                res["measured_ms"] = res["measured_ns"] / 1e6
            if not res.get("ok") and os.path.exists(se):
                with open(se, errors="replace") as f:
                    tail = f.read()[-300:].strip()
                if tail:
                    res["guest_stderr_tail"] = tail
        return res, rc, err

    def node(self, eager, b):
        cmd = ["node"] + (EAGER_FLAGS if eager else []) + [self.node_script, os.path.join(self.sg, b["path"])]
        return run_json(cmd, self.a.timeout)


# ---------------------------------------------------------------- statistics

def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_ms(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    if x >= 0.01:
        return f"{x:.3f}"
    return f"{x:.4f}"


def fmt_ratio(x):
    return "–" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


# ---------------------------------------------------------------- hyperfine

def hyperfine(a, commands, export):
    """commands: {label: argv}; returns {label: {median_ms, exit_codes}}."""
    cmd = ["hyperfine", "-N", "-i", "--runs", str(a.hyperfine_runs), "--warmup", "1", "--style", "none",
           "--export-json", export]
    for argv in commands.values():
        cmd.append(shlex.join(argv))
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       timeout=a.timeout * (a.hyperfine_runs + 1) * len(commands), check=False)
        with open(export) as f:
            data = json.load(f)
    except (subprocess.TimeoutExpired, OSError, ValueError) as e:
        return {label: {"error": str(e)} for label in commands}
    out = {}
    for label, r in zip(commands, data["results"]):
        out[label] = {"median_ms": r["median"] * 1000, "times_ms": [t * 1000 for t in r["times"]],
                      "exit_codes": r.get("exit_codes")}
    return out


# ---------------------------------------------------------------- main

def machine_note():
    cpu = "?"
    try:
        m = re.search(r"Model name:\s*(.*)", subprocess.run(["lscpu"], capture_output=True, text=True).stdout)
        cpu = m.group(1).strip() if m else cpu
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("node") else None
    v8 = subprocess.run(["node", "-p", "process.versions.v8"], capture_output=True, text=True).stdout.strip() \
        if node else None
    git = lambda *args: subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "nproc": os.cpu_count(), "kernel": platform.release(), "node": node, "v8": v8,
            "commit": git("rev-parse", "--short", "HEAD"), "dirty_files": len(git("status", "--porcelain").splitlines()),
            "work_tree_status": git("status", "--porcelain").splitlines(),
            "loadavg_start": os.getloadavg()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(REPO, "build", "release"))
    ap.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    ap.add_argument("--filter", default=None, help="regex on benchmark names")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tiers", default="optimized,fast")
    ap.add_argument("--skip-node", action="store_true")
    ap.add_argument("--skip-hyperfine", action="store_true")
    ap.add_argument("--hyperfine-runs", type=int, default=None, help="default: --runs")
    ap.add_argument("--hyperfine-cli", action="store_true",
                    help="time `wasmops run` instead of sightglass_runner (needs a CLI that provides bench.*)")
    ap.add_argument("--work", default=None, help="cache, outputs, results (default BUILD/sightglass-bench)")
    ap.add_argument("--reuse-cache", action="store_true", help="keep cached artifacts: no cold compile")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per run")
    ap.add_argument("--markdown", default=None, help="also write the markdown tables to this file")
    ap.add_argument("--report", default=None, metavar="RESULTS.json",
                    help="only print the tables of an earlier (possibly partial) results file")
    a = ap.parse_args()
    if a.report:
        with open(a.report) as f:
            data = json.load(f)
        meta, results = data["meta"], data["benchmarks"]
        tiers = [c.split("-", 1)[1] for c in meta["configs"] if c.startswith("wasmops-")]
        meta.setdefault("elapsed_s", 0)
        meta.setdefault("loadavg_end", [float("nan")])
        print(markdown(meta, results, summarize(results, meta["configs"], tiers), data["excluded"],
                       meta["configs"], tiers))
        return 0
    a.build = os.path.abspath(a.build)
    a.work = os.path.abspath(a.work or os.path.join(a.build, "sightglass-bench"))
    a.hyperfine_runs = a.hyperfine_runs or a.runs
    tiers = [t for t in a.tiers.split(",") if t]
    if any(t not in ("optimized", "fast") for t in tiers):
        ap.error("--tiers: optimized and/or fast")
    if not a.skip_hyperfine and not shutil.which("hyperfine"):
        ap.error("hyperfine not found (apt-get install -y hyperfine, or --skip-hyperfine)")
    sg = os.path.abspath(os.path.join(a.shared, "bench", "sightglass"))
    with open(os.path.join(sg, "MANIFEST.json")) as f:
        manifest = json.load(f)

    runnable, excluded = select_benchmarks(manifest)
    print(f"runnable: {len(runnable)} benchmarks; not runnable here ({len(excluded)}):", file=sys.stderr)
    for name, why in excluded:
        print(f"  {name}: {why}", file=sys.stderr)
    odd = [b["name"] for b in runnable if not b.get("runnable_node")]
    if odd:
        print(f"note: runnable here but not with run-node.mjs per MANIFEST: {odd}", file=sys.stderr)
    if a.filter:
        runnable = [b for b in runnable if re.search(a.filter, b["name"])]

    configs = [f"wasmops-{t}" for t in tiers] + ([] if a.skip_node else ["node-default", "node-eager"])
    os.makedirs(a.work, exist_ok=True)
    r = Runner(a, sg)
    started = time.time()
    meta = machine_note()
    meta.update({"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "argv": sys.argv[1:],
                 "runs": a.runs, "hyperfine_runs": a.hyperfine_runs, "configs": configs})
    results = {}
    out_path = os.path.join(a.work, time.strftime("results-%Y%m%d-%H%M%S.json"))
    for n, b in enumerate(runnable, 1):
        rec = {"path": b["path"], "runs": {c: [] for c in configs}, "cold": {}, "failures": [],
               "loadavg": os.getloadavg()[0]}
        results[b["name"]] = rec
        # Cold compile per tier (empty cache), not counted in the medians.
        for t in tiers:
            if not a.reuse_cache:
                shutil.rmtree(r.cache_dir(t, b), ignore_errors=True)
            res, rc, err = r.wasmops(t, b)
            rec["cold"][t] = res or {"ok": False}
            if not res or not res.get("ok"):
                rec["failures"].append(f"wasmops-{t} (cold run): {failure_text(res, rc, err)}")
        # A tier whose cold run could not compile is not run again.
        dead = {f"wasmops-{t}" for t in tiers if rec["cold"][t].get("compile_ms") is None}
        # Node's WebAssembly has no Component Model: components run in wasmops only.
        if b["kind"] == "component":
            dead |= {c for c in configs if c.startswith("node-")}
        for i in range(a.runs):
            for c in configs:
                if c in dead:
                    continue
                if c.startswith("wasmops-"):
                    res, rc, err = r.wasmops(c.split("-", 1)[1], b)
                else:
                    res, rc, err = r.node(c == "node-eager", b)
                rec["runs"][c].append(res or {"ok": False, "error": failure_text(res, rc, err)})
                if not res or not res.get("ok"):
                    rec["failures"].append(f"{c} run {i + 1}: {failure_text(res, rc, err)}")
        rec["median"] = {c: {k: median([x.get(k) for x in rec["runs"][c]])
                             for k in ("compile_ms", "instantiate_ms", "measured_ms", "total_ms")} for c in configs}
        rec["ok"] = {c: bool(rec["runs"][c]) and all(x.get("ok") for x in rec["runs"][c]) for c in configs}
        for t in tiers:
            rec["ok"][f"wasmops-{t}"] = rec["ok"][f"wasmops-{t}"] and bool(rec["cold"][t].get("ok"))
        rec["compile_cold_ms"] = {t: rec["cold"][t].get("compile_ms") for t in tiers}
        rec["checks"] = {c: [rec["runs"][c][0].get("stdout_check"), rec["runs"][c][0].get("stderr_check")]
                         for c in configs if rec["runs"][c]}
        if not a.skip_hyperfine:
            wasm = os.path.join(sg, b["path"])
            if a.hyperfine_cli:
                cmds = {f"wasmops-{t}": [r.cli, "run", "--tier", t, "--cache-dir", r.cache_dir(t, b),
                                         "--dir", os.path.dirname(wasm) + "::.", wasm] for t in tiers}
            else:  # the runner as a whole process: writes and checks the outputs as run-node.mjs does
                hf_out = os.path.join(a.work, "out", "hyperfine")
                os.makedirs(hf_out, exist_ok=True)
                cmds = {f"wasmops-{t}": [r.runner, "--tier", t, "--cache-dir", r.cache_dir(t, b), wasm,
                                         os.path.dirname(wasm), os.path.join(hf_out, f"{b['name']}.{t}.stdout"),
                                         os.path.join(hf_out, f"{b['name']}.{t}.stderr")] for t in tiers}
            if not a.skip_node and b["kind"] != "component":
                cmds["node-default"] = ["node", r.node_script, wasm]
            rec["hyperfine"] = hyperfine(a, cmds, os.path.join(a.work, "hyperfine-last.json"))
            for label, h in rec["hyperfine"].items():
                if h.get("error") or any(h.get("exit_codes") or []):
                    rec["failures"].append(f"hyperfine {label}: {h.get('error') or 'exit codes ' + str(h['exit_codes'])}")
            for t in tiers:  # the CLI must have found the runner's artifact (same cache key)
                arts = [f for _, _, fs in os.walk(r.cache_dir(t, b)) for f in fs if f.endswith(".so")]
                want = b.get("core_modules_inside", 1) if b["kind"] == "component" else 1  # at most; equal modules share one
                if not 1 <= len(arts) <= want:
                    rec["failures"].append(f"hyperfine wasmops-{t}: {len(arts)} artifacts in the cache (expected {want})")
        m = rec["median"]
        print(f"[{n}/{len(runnable)}] {b['name']}: " + ", ".join(
            f"{c} {fmt_ms(m[c]['measured_ms'])}" for c in configs) +
            (f"  FAIL: {rec['failures']}" if rec["failures"] else ""), file=sys.stderr, flush=True)
        with open(out_path, "w") as f:  # so far (a long run that is stopped keeps what it measured)
            json.dump({"meta": meta, "excluded": excluded, "benchmarks": results}, f, indent=1)

    summary = summarize(results, configs, tiers)
    meta["elapsed_s"] = round(time.time() - started)
    meta["loadavg_end"] = os.getloadavg()
    with open(out_path, "w") as f:
        json.dump({"meta": meta, "excluded": excluded, "summary": summary, "benchmarks": results}, f, indent=1)
    text = markdown(meta, results, summary, excluded, configs, tiers)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)
    print(text)
    print(f"results: {out_path}", file=sys.stderr)
    return 0 if all(not rec["failures"] for rec in results.values()) else 1


def summarize(results, configs, tiers):
    s = {"measured": {}, "process": {}, "total": {}, "compile": {}}
    peers = [p for p in ("node-eager", "node-default") if p in configs]
    for t in tiers:
        c = f"wasmops-{t}"
        for p in peers:
            ratios, sub_ms, skipped = {}, [], []
            for name, rec in results.items():
                mine, theirs = rec["median"][c]["measured_ms"], rec["median"][p]["measured_ms"]
                if not (rec["ok"][c] and rec["ok"][p]) or mine is None or theirs is None:
                    skipped.append(name)
                elif theirs < SUB_MS:
                    sub_ms.append(name)
                elif mine > 0:
                    ratios[name] = mine / theirs
            s["measured"][f"{c}/{p}"] = {"geomean": geomean(list(ratios.values())), "n": len(ratios),
                                         "ratios": ratios, "sub_ms": sub_ms, "skipped": skipped}
            tot = [rec["median"][c]["total_ms"] / rec["median"][p]["total_ms"] for rec in results.values()
                   if rec["ok"][c] and rec["ok"][p] and rec["median"][p]["total_ms"]]
            s["total"][f"{c}/{p}"] = {"geomean": geomean(tot), "n": len(tot)}
        hf = [rec["hyperfine"][c]["median_ms"] / rec["hyperfine"]["node-default"]["median_ms"]
              for rec in results.values() if "node-default" in rec.get("hyperfine", {})
              and "median_ms" in rec["hyperfine"].get(c, {}) and "median_ms" in rec["hyperfine"]["node-default"]]
        s["process"][f"{c}/node-default"] = {"geomean": geomean(hf), "n": len(hf)}
        cold = {name: rec["compile_cold_ms"][t] for name, rec in results.items() if rec["compile_cold_ms"].get(t)}
        if cold:
            worst = max(cold, key=cold.get)
            entry = {"median_ms": statistics.median(cold.values()), "max_ms": cold[worst], "max_name": worst,
                     "n": len(cold), "total_s": sum(cold.values()) / 1000}
            eager = {n: results[n]["median"]["node-eager"]["compile_ms"] for n in cold
                     if "node-eager" in configs and results[n]["median"]["node-eager"]["compile_ms"]}
            if eager:
                entry["node_eager_median_ms"] = statistics.median(eager.values())
                entry["node_eager_max_ms"] = max(eager.values())
                entry["ratio_geomean"] = geomean([cold[n] / eager[n] for n in eager])
            s["compile"][t] = entry
    return s


def markdown(meta, results, summary, excluded, configs, tiers):
    L = []
    has = lambda c: c in configs
    L.append(f"Run {meta['date']}: {len(results)} benchmarks, {meta['runs']} runs each (medians), "
             f"hyperfine {meta['hyperfine_runs']} runs + 1 warm-up; machine {meta['cpu']}, {meta['nproc']} cores, "
             f"Linux {meta['kernel']}; Node {meta['node']} (V8 {meta['v8']}); wasmops at {meta['commit']} "
             f"({meta['dirty_files']} files modified in the work tree); load average at start "
             f"{meta['loadavg_start'][0]:.1f}, at end {meta['loadavg_end'][0]:.1f}; took {meta['elapsed_s'] / 60:.0f} min.\n")
    L.append("| ratio (geomean) | value | benchmarks |")
    L.append("|---|---:|---:|")
    for key, v in summary["measured"].items():
        L.append(f"| measured region, {key.replace('/', ' ÷ ')} | {fmt_ratio(v['geomean'])} | {v['n']} |")
    for key, v in summary["process"].items():
        L.append(f"| whole process (hyperfine), {key.replace('/', ' ÷ ')} | {fmt_ratio(v['geomean'])} | {v['n']} |")
    for key, v in summary["total"].items():
        L.append(f"| in-process total (compile/load → exit), {key.replace('/', ' ÷ ')} | {fmt_ratio(v['geomean'])} | {v['n']} |")
    for t, v in summary["compile"].items():
        extra = (f"; Node eager TurboFan median {v['node_eager_median_ms']:.1f} ms, max {v['node_eager_max_ms']:.0f} ms; "
                 f"geomean ratio {v['ratio_geomean']:.0f}×") if "ratio_geomean" in v else ""
        L.append(f"| {t} tier cold compile: median {v['median_ms'] / 1000:.2f} s, max {v['max_ms'] / 1000:.1f} s "
                 f"({v['max_name']}), total {v['total_s']:.0f} s{extra} | | {v['n']} |")
    for key, v in summary["measured"].items():
        if v["sub_ms"]:
            L.append(f"\nKept out of the `{key}` measured geomean (peer's measured region under 1 ms, "
                     f"{len(v['sub_ms'])}): " + ", ".join(v["sub_ms"]) + ".")
        if v["skipped"]:
            L.append(f"\nNo `{key}` ratio (failed, or no measured region): " + ", ".join(v["skipped"]) + ".")

    # Per-benchmark table.
    cols = [("benchmark", None)]
    for t in tiers:
        cols.append((f"{t} compile s", lambda rec, t=t: fmt_ms((rec["compile_cold_ms"].get(t) or 0) / 1000 or None)))
    if has("node-eager"):
        cols.append(("TF compile ms", lambda rec: fmt_ms(rec["median"]["node-eager"]["compile_ms"])))
    for c in configs:
        cols.append((f"{c.replace('wasmops-', '').replace('node-', 'node ')} measured",
                     lambda rec, c=c: fmt_ms(rec["median"][c]["measured_ms"])))
    for t in tiers:
        for p in ("node-eager", "node-default"):
            if has(p):
                key = f"wasmops-{t}/{p}"

                def ratio(rec, key=key, p=p):
                    name = rec["name"]
                    v = summary["measured"][key]
                    if name in v["ratios"]:
                        return fmt_ratio(v["ratios"][name])
                    mine = rec["median"][key.split("/")[0]]["measured_ms"]
                    theirs = rec["median"][p]["measured_ms"]
                    return fmt_ratio(mine / theirs) + " †" if name in v["sub_ms"] and theirs else "–"
                cols.append((f"{t[:3]} ÷ {'TF' if p == 'node-eager' else 'default'}", ratio))
    if tiers and has("node-default"):
        cols.append((f"{tiers[0][:3]} total ms", lambda rec: fmt_ms(rec["median"][f"wasmops-{tiers[0]}"]["total_ms"])))
        cols.append(("node total ms", lambda rec: fmt_ms(rec["median"]["node-default"]["total_ms"])))
    if any("hyperfine" in rec for rec in results.values()):
        for label in [f"wasmops-{t}" for t in tiers] + (["node-default"] if has("node-default") else []):
            cols.append((f"{label.replace('wasmops-', '').replace('node-default', 'node')} process ms",
                         lambda rec, label=label: fmt_ms(rec.get("hyperfine", {}).get(label, {}).get("median_ms"))))
    cols.append(("check", lambda rec: check_cell(rec)))
    L.append("\n| " + " | ".join(c for c, _ in cols) + " |")
    L.append("|---|" + "---:|" * (len(cols) - 2) + "---|")
    for name, rec in results.items():
        rec["name"] = name
        L.append(f"| {name} | " + " | ".join(f(rec) for _, f in cols[1:]) + " |")
    failures = [(n, f) for n, rec in results.items() for f in rec["failures"]]
    L.append("\nFailures: " + ("none." if not failures else ""))
    for n, f in failures:
        L.append(f"- {n}: {f}")
    L.append("\nNot runnable here (outside the set): " + "; ".join(f"{n} ({why})" for n, why in excluded) + ".")
    return "\n".join(L) + "\n"


def check_cell(rec):
    if rec["failures"]:
        return "FAIL"
    checks = [c for pair in rec["checks"].values() for c in pair]
    if all(c == "no-expected" for c in checks):
        return "ok (not checked)"
    if any(c == "no-expected" for c in checks):
        return "ok (stdout)" if all(p[0] == "match" for p in rec["checks"].values()) else "ok (stderr)"
    return "ok"


if __name__ == "__main__":
    sys.exit(main())
