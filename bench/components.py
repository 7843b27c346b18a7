#!/usr/bin/env python3
"""Component figures for docs/perf.md (issue 19 item 11), wasmops next to its peers in one run:

1. whole-process `wasmops run` of the C hello world as a core module and as a WASI 0.2 command component
   (`jco new --wasi-command`), artifacts cached, both tiers, next to `jco run` of the same component
   on Node (hyperfine); and in-process compile / instantiate / total of each through sightglass_runner;
2. cm-online-stats (../shared/bench/sightglass): sightglass_runner's measured region (bench.start ->
   bench.end) in both tiers, next to the same component through `jco transpile` on Node;
3. canonical-ABI round trips of a 1 MB string and of a list of 100,000 records
   (bench/components/roundtrip.wat): through the C++ API (component_abi_bench), through
   `wasmops run --invoke @FILE` (whole process), and through `jco transpile` on Node.

Usage: bench/components.py [--build build/release] [--shared ../shared] [--runs 30]
Prints a JSON summary; needs clang, hyperfine, node and jco (scripts/install-npm-deps.sh).
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


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def jco_path():
    out = sh([os.path.join(ROOT, "scripts/install-npm-deps.sh")])
    return [l for l in out.splitlines() if l.endswith("jco.js")][-1]


def hyperfine(commands, runs, export):
    args = ["hyperfine", "-N", "--warmup", "3", "--runs", str(runs), "--export-json", export]
    subprocess.run(args + commands, check=True, stdout=subprocess.DEVNULL)
    with open(export) as f:
        return [{"command": r["command"], "median_ms": r["median"] * 1e3, "min_ms": r["min"] * 1e3} for r in json.load(f)["results"]]


def node_modules(jco):
    # jco.js lives in <prefix>/node_modules/@bytecodealliance/jco/dist/.
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(jco)))))


def transpile(jco, wasm, out, extra=()):
    sh(["node", jco, "transpile", wasm, "-o", out, "-q", *extra])
    os.symlink(node_modules(jco), os.path.join(out, "node_modules"))


CM_DRIVER = """
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
_setPreopens({ '.': process.argv[2] });
const t0 = process.hrtime.bigint();
const m = await import('./cm-online-stats.js');
const t1 = process.hrtime.bigint();
const bench = await import('./bench.js');
m.run.run();
console.error(JSON.stringify({ instantiate_ms: Number(t1 - t0) / 1e6, measured_ms: bench.measured() }));
"""
BENCH_JS = """
let t0 = null, t1 = null;
export function start() { if (t0 === null) t0 = process.hrtime.bigint(); }
export function end() { t1 = process.hrtime.bigint(); }
export function measured() { return t0 !== null && t1 !== null ? Number(t1 - t0) / 1e6 : null; }
"""
ABI_DRIVER = """
const m = await import('./roundtrip.js');
const runs = Number(process.argv[2]);
const big = 'x'.repeat(1000000);
const points = Array.from({ length: 100000 }, (_, i) => ({ x: i, y: -i, label: i & 255 }));
const out = { engine: 'node ' + process.version + ' (jco transpile)', runs };
for (const [name, f, arg] of [['string_1mb', (a) => m.echoString(a), big],
                              ['records_100k', (a) => m.records.echoPoints(a), points]]) {
  const ms = [];
  for (let r = 0; r < runs; ++r) {
    const t0 = process.hrtime.bigint();
    const back = f(arg);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (back.length !== arg.length) throw new Error(name + ': the value came back different');
  }
  ms.sort((a, b) => a - b);
  out[name] = { median_ms: ms[ms.length >> 1], min_ms: ms[0] };
}
console.log(JSON.stringify(out));
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build/release"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    wasmops = os.path.join(a.build, "apps/wasmops/wasmops")
    runner = os.path.join(a.build, "bench/sightglass_runner")
    abi_bench = os.path.join(a.build, "bench/component_abi_bench")
    jco = jco_path()
    result = {}
    work = tempfile.mkdtemp(prefix="wasmops-components-bench-")
    try:
        cache = os.path.join(work, "cache")
        hello, hello_c = os.path.join(work, "hello.wasm"), os.path.join(work, "hello.comp.wasm")
        sh(["clang", "--target=wasm32-wasi", "-O2", os.path.join(ROOT, "examples/hello/hello.c"), "-o", hello])
        sh(["node", jco, "new", hello, "--wasi-command", "-o", hello_c])

        # 1. hello: whole process, then in process.
        for tier in ("fast", "optimized"):
            for f in (hello, hello_c):
                sh([wasmops, "compile", "--tier", tier, "--cache-dir", cache, f])
            base = [wasmops, "run", "--tier", tier, "--cache-dir", cache]
            result[f"hello_whole_process_{tier}"] = hyperfine(
                [" ".join(base + [hello]), " ".join(base + [hello_c]), f"node {jco} run {hello_c}"], a.runs,
                os.path.join(work, f"hello-{tier}.json"))
            inproc = {}
            for label, f in (("module", hello), ("component", hello_c)):
                runs = [json.loads(subprocess.run([runner, "--tier", tier, "--cache-dir", cache, "--no-check", f, work,
                                                   os.devnull, os.devnull], capture_output=True, text=True).stdout)
                        for _ in range(a.runs)]
                inproc[label] = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in ("instantiate_ms", "total_ms")}
            result[f"hello_in_process_{tier}"] = inproc

        # 2. cm-online-stats.
        cm_dir = os.path.join(a.shared, "bench/sightglass/benchmarks/cm-online-stats")
        cm = os.path.join(cm_dir, "cm-online-stats.wasm")
        for tier in ("fast", "optimized"):
            # sightglass_runner exits 1 on a failure but still prints its JSON (with "ok" and the checks).
            out = subprocess.run([runner, "--tier", tier, "--cache-dir", cache, cm, cm_dir, os.path.join(work, "cm.out"),
                                  os.path.join(work, "cm.err")], capture_output=True, text=True).stdout
            r = json.loads(out)
            if not r.get("ok"):
                raise SystemExit(f"cm-online-stats failed in the {tier} tier: {out}")
            result[f"cm_online_stats_{tier}"] = {k: r[k] for k in ("compile_ms", "instantiate_ms", "measured_ms", "ok", "stdout_check")}
        cm_js = os.path.join(work, "cm-js")
        transpile(jco, cm, cm_js, ["--map", "bench=./bench.js"])
        with open(os.path.join(cm_js, "bench.js"), "w") as f:
            f.write(BENCH_JS)
        with open(os.path.join(cm_js, "drive.mjs"), "w") as f:
            f.write(CM_DRIVER)
        node = subprocess.run(["node", "drive.mjs", cm_dir], cwd=cm_js, capture_output=True, text=True, check=True)
        expected = open(os.path.join(cm_dir, "cm-online-stats.stdout.expected")).read()
        result["cm_online_stats_node"] = dict(json.loads(node.stderr.strip().splitlines()[-1]), output_matches=node.stdout == expected)

        # 3. canonical-ABI round trips.
        rt = os.path.join(work, "roundtrip.wasm")
        sh(["node", jco, "parse", os.path.join(HERE, "components/roundtrip.wat"), "-o", rt])
        for tier in ("fast", "optimized"):
            result[f"abi_cpp_{tier}"] = json.loads(sh([abi_bench, "--tier", tier, "--runs", str(a.runs), rt]))
        rt_js = os.path.join(work, "rt-js")
        transpile(jco, rt, rt_js)
        with open(os.path.join(rt_js, "drive.mjs"), "w") as f:
            f.write(ABI_DRIVER)
        result["abi_node"] = json.loads(sh(["node", "drive.mjs", str(a.runs)], cwd=rt_js))
        big = os.path.join(work, "string.wave")
        with open(big, "w") as f:
            f.write('echo-string("' + "x" * 1000000 + '")')
        records = os.path.join(work, "records.wave")
        with open(records, "w") as f:
            f.write("wasmops:bench/records@0.1.0#echo-points([" +
                    ", ".join(f"{{x: {i}, y: {-i}, label: {i & 255}}}" for i in range(100000)) + "])")
        sh([wasmops, "compile", "--tier", "optimized", "--cache-dir", cache, rt])
        base = f"{wasmops} run --tier optimized --cache-dir {cache} {rt} --invoke "
        result["abi_invoke_whole_process"] = hyperfine([base + "@" + big, base + "@" + records], max(5, a.runs // 3),
                                                       os.path.join(work, "invoke.json"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
