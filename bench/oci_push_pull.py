#!/usr/bin/env python3
"""Push and pull time of a 10 MiB wasm artifact against a local registry:
`wasmops push`/`wasmops pull` side by side with `skopeo copy` of the same
artifact, in one run, against the same registry process.

  python3 bench/oci_push_pull.py [--wasmops BIN] [--runs 5] [--size BYTES]
                                 [--markdown FILE] [--json FILE]

Registry: Debian's docker-registry (distribution 2.8) on 127.0.0.1 with a free
port and filesystem storage in a temporary folder, started exactly as the
tests do (tests/oci/registry_fixture.py). Nothing outside temporary folders is
written, except skopeo's own blob-info cache (/var/lib/containers/cache as
root), which it always updates.

Artifact: a valid core module (checked with `wasmops validate`) of exactly
--size bytes, almost all of it one active data segment of pseudo-random
(incompressible) bytes. A core module rather than a component because
`wasmops validate` cannot validate components yet; the OCI path is the same
for both (one config blob, one `application/wasm` layer, one manifest).
Every push gets its own variant of the module (a different 32-byte nonce at
the start of the data), so no blob is ever already in the registry.

Operations, each timed as the wall time of the whole client process
(start-up included, as a user sees it), runs alternating which tool goes
first, medians reported:

  push cold  wasmops push REG/bench/wN:v1 VARIANT  (fresh XDG_CACHE_HOME: no
             cross-repository mount is possible) /
             skopeo copy oci:LAYOUT:v1 docker://REG/bench/sN:v1
             LAYOUT holds the same kind of artifact, produced by wasmops push
             to a second (staging) registry and `skopeo copy` from there to
             an OCI layout, so its manifest is byte for byte what wasmops
             pushes (checked: same digest).
  push warm  the same command again: the repository has both blobs, only
             HEADs and the manifest PUT remain.
  pull cold  wasmops pull -o NEWDIR REG/bench/wN:v1 with an empty
             XDG_CACHE_HOME / skopeo copy docker://REG/bench/wN:v1
             oci:NEWDIR:v1. Both pull the artifact wasmops pushed.
  pull warm  the same again: wasmops with its content store filled (only the
             manifest is fetched), skopeo into the same OCI layout (it skips
             blobs the layout already has).

Correctness: every wasmops pull's file and every skopeo layout's layer blob
must hash to the original file's sha256; every wasmops push must print the
digest reference the manifest in the registry has.
"""
import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "oci"))
from registry_fixture import Registry  # noqa: E402  (start logic shared with the tests)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wasm_encoding import leb128, section  # noqa: E402

MiB = 1 << 20
OPS = ["push cold", "push warm", "pull cold", "pull warm"]
TOOLS = ["wasmops", "skopeo"]
SOURCE_DATE_EPOCH = "1764028800"  # 2025-11-25: stable digests


def module_bytes(total, data):
    """A core module of exactly `total` bytes: one memory large enough for one
    active data segment at offset 0 holding `data` (cut or padded to fit)."""
    n = total
    while True:
        pages = (n + 0xFFFF) // 0x10000
        memory = section(5, b"\x01" + b"\x00" + leb128(pages))  # one memory, min only
        head = b"\x01" + b"\x00" + b"\x41\x00\x0b" + leb128(n)  # one active segment, memory 0, i32.const 0
        size = 8 + len(memory) + 1 + len(leb128(len(head) + n)) + len(head) + n
        if size == total:
            break
        n -= size - total
    body = bytes(data[:n]) + bytes(max(0, n - len(data)))
    return b"\0asm\x01\0\0\0" + memory + section(11, head + body)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(MiB), b""):
            h.update(chunk)
    return h.hexdigest()


def tool_version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError as e:
        return f"unavailable ({e})"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def proc_cpu_ms(pid):
    """User + system CPU time of a process so far (ms), from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="wasmops-oci-bench-")
        # A private copy of the binary: other builds of the tree may replace
        # build/release/apps/wasmops/wasmops while the benchmark runs.
        self.wasmops = os.path.join(self.tmp, "wasmops")
        shutil.copy2(args.wasmops, self.wasmops)
        self.env = dict(os.environ)
        self.env["DOCKER_CONFIG"] = self.path("docker")
        self.env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
        self.env.pop("REGISTRY_AUTH_FILE", None)
        self.env.pop("XDG_CACHE_HOME", None)
        self.counter = 0
        self.samples = {(op, tool): [] for op in OPS for tool in TOOLS}  # (wall ms, client CPU ms, registry CPU ms)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def fresh_dir(self, prefix):
        self.counter += 1
        d = self.path(f"{prefix}-{self.counter}")
        os.makedirs(d)
        return d

    def run(self, argv, env=None, registry=None):
        """Runs argv; returns (wall ms, CPU ms of the child, CPU ms of the registry, stdout)."""
        reg_before = proc_cpu_ms(registry.proc.pid) if registry else 0.0
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env or self.env, timeout=300)
        wall = (time.perf_counter() - t0) * 1000
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = ((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)) * 1000
        reg = (proc_cpu_ms(registry.proc.pid) - reg_before) if registry else 0.0
        if proc.returncode != 0:
            log = registry.read_log()[-3000:] if registry else ""
            raise RuntimeError(f"{' '.join(argv)}: exit {proc.returncode}\nstdout: {proc.stdout}\n"
                               f"stderr: {proc.stderr}\nregistry log:\n{log}")
        return wall, cpu, reg, proc.stdout

    def cache_env(self, cache):
        env = dict(self.env)
        env["XDG_CACHE_HOME"] = cache
        return env

    # -- artifact -------------------------------------------------------------

    def make_variants(self):
        size = self.args.size
        rng = random.Random(20261125)
        base = bytearray(rng.randbytes(size))
        self.variants = {}
        for label in [f"w{i}" for i in range(self.args.runs)] + [f"s{i}" for i in range(self.args.runs)]:
            data = bytearray(base)
            data[:32] = hashlib.sha256(label.encode()).digest()
            path = self.path(f"{label}.wasm")
            blob = module_bytes(size, data)
            assert len(blob) == size
            with open(path, "wb") as f:
                f.write(blob)
            self.variants[label] = (path, hashlib.sha256(blob).hexdigest())
        paths = [p for p, _ in self.variants.values()]
        proc = subprocess.run([self.wasmops, "validate", *paths], capture_output=True, text=True, env=self.env)
        if proc.returncode != 0:
            raise RuntimeError(f"wasmops validate failed:\n{proc.stdout}{proc.stderr}")

    def stage_skopeo_layouts(self):
        """For every sN variant: wasmops push to a staging registry, then skopeo
        copy from there into an OCI layout (the source of the timed skopeo
        pushes). The staging registry is stopped before the timed runs."""
        self.layouts = {}
        with Registry() as staging:
            for i in range(self.args.runs):
                label = f"s{i}"
                path, _ = self.variants[label]
                env = self.cache_env(self.fresh_dir("cache-stage"))
                out = self.run([self.wasmops, "push", "-q", f"{staging.host}/bench/{label}:v1", path], env=env)[3]
                digest = out.strip().rsplit("@", 1)[1]
                layout = self.path(f"layout-{label}")
                self.run(["skopeo", "copy", "-q", "--src-tls-verify=false",
                          f"docker://{staging.host}/bench/{label}:v1", f"oci:{layout}:v1"])
                with open(os.path.join(layout, "index.json")) as f:
                    index = json.load(f)
                got = index["manifests"][0]["digest"]
                if got != digest:
                    raise RuntimeError(f"skopeo changed the manifest: {got} != {digest}")
                self.layouts[label] = layout

    # -- timed operations ------------------------------------------------------

    def record(self, op, tool, sample):
        self.samples[(op, tool)].append(sample[:3])

    def wasmops_push(self, reg, i, cache):
        path, _ = self.variants[f"w{i}"]
        ref = f"{reg.host}/bench/w{i}:v1"
        s = self.run([self.wasmops, "push", "-q", ref, path], env=self.cache_env(cache), registry=reg)
        digest_ref = s[3].strip()
        if not re.fullmatch(re.escape(f"{reg.host}/bench/w{i}@") + r"sha256:[0-9a-f]{64}", digest_ref):
            raise RuntimeError(f"unexpected push output: {s[3]!r}")
        return s, digest_ref

    def skopeo_push(self, reg, i):
        return self.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", f"oci:{self.layouts[f's{i}']}:v1",
                         f"docker://{reg.host}/bench/s{i}:v1"], registry=reg)

    def wasmops_pull(self, reg, i, cache):
        out = self.fresh_dir("pull-wasmops")
        s = self.run([self.wasmops, "pull", "-q", "-o", out, f"{reg.host}/bench/w{i}:v1"],
                     env=self.cache_env(cache), registry=reg)
        got = sha256_file(os.path.join(out, f"w{i}.wasm"))
        if got != self.variants[f"w{i}"][1]:
            raise RuntimeError(f"wasmops pull of w{i}: sha256 {got} != {self.variants[f'w{i}'][1]}")
        return s

    def skopeo_pull(self, reg, i, layout):
        s = self.run(["skopeo", "copy", "-q", "--src-tls-verify=false", f"docker://{reg.host}/bench/w{i}:v1",
                      f"oci:{layout}:v1"], registry=reg)
        want = self.variants[f"w{i}"][1]
        blob = os.path.join(layout, "blobs", "sha256", want)
        if not os.path.exists(blob) or sha256_file(blob) != want:
            raise RuntimeError(f"skopeo pull of w{i}: layer blob sha256:{want} missing or corrupt")
        return s

    def one_run(self, reg, i):
        order = TOOLS if i % 2 == 0 else TOOLS[::-1]
        push_cache = self.fresh_dir("cache-push")
        for op in ("push cold", "push warm"):
            for tool in order:
                if tool == "wasmops":
                    s, digest_ref = self.wasmops_push(reg, i, push_cache)
                    self.record(op, tool, s)
                    self.check_manifest(reg, i, digest_ref)
                else:
                    self.record(op, tool, self.skopeo_push(reg, i))
        pull_cache = self.fresh_dir("cache-pull")
        layout = self.path(f"pulled-layout-w{i}")
        for op in ("pull cold", "pull warm"):
            for tool in order:
                if tool == "wasmops":
                    self.record(op, tool, self.wasmops_pull(reg, i, pull_cache))
                else:
                    self.record(op, tool, self.skopeo_pull(reg, i, layout))

    def check_manifest(self, reg, i, digest_ref):
        import urllib.request
        req = urllib.request.Request(f"http://{reg.host}/v2/bench/w{i}/manifests/v1", method="HEAD")
        req.add_header("Accept", "application/vnd.oci.image.manifest.v1+json")
        with urllib.request.urlopen(req, timeout=10) as r:
            got = r.headers.get("Docker-Content-Digest")
        if got != digest_ref.rsplit("@", 1)[1]:
            raise RuntimeError(f"registry has {got} for bench/w{i}:v1, wasmops printed {digest_ref}")

    # -- report ----------------------------------------------------------------

    def table(self):
        size_mb = self.args.size / 1e6
        lines = ["| operation | wasmops ms, median (min–max) | skopeo ms, median (min–max) | ratio wasmops/skopeo "
                 "| wasmops MB/s | skopeo MB/s | client CPU ms, wasmops / skopeo | registry CPU ms (mean), wasmops / skopeo |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for op in OPS:
            w = self.samples[(op, "wasmops")]
            s = self.samples[(op, "skopeo")]
            wm = statistics.median(x[0] for x in w)
            sm = statistics.median(x[0] for x in s)

            def cell(xs, m):
                return f"{m:.0f} ({min(x[0] for x in xs):.0f}–{max(x[0] for x in xs):.0f})"

            def rate(m):
                return f"{size_mb / (m / 1000):.0f}" if "cold" in op else "—"

            def med(xs, k):
                return statistics.median(x[k] for x in xs)

            def mean(xs, k):  # the registry's CPU time comes in 10 ms clock ticks: a mean says more
                return statistics.fmean(x[k] for x in xs)

            lines.append(f"| {op} | {cell(w, wm)} | {cell(s, sm)} | {wm / sm:.2f} | {rate(wm)} | {rate(sm)} "
                         f"| {med(w, 1):.0f} / {med(s, 1):.0f} | {mean(w, 2):.0f} / {mean(s, 2):.0f} |")
        return "\n".join(lines)

    def main(self):
        a = self.args
        info = {
            "wasmops": tool_version([self.wasmops, "--version"]),
            "wasmops_sha256": sha256_file(self.wasmops)[:16],
            "skopeo": tool_version(["skopeo", "--version"]),
            "docker-registry": tool_version([shutil.which("docker-registry") or "/usr/bin/docker-registry",
                                             "--version"]),
            "cores": os.cpu_count(),
            "size": a.size,
            "runs": a.runs,
        }
        print(f"# {info['wasmops']} (binary sha256 {info['wasmops_sha256']}…), {info['skopeo']}, "
              f"{info['docker-registry']}", file=sys.stderr)
        self.make_variants()
        print(f"# {2 * a.runs} module variants of {a.size} bytes validated", file=sys.stderr)
        self.stage_skopeo_layouts()
        info["load_before"] = loadavg()
        with Registry() as reg:
            for i in range(a.runs):
                self.one_run(reg, i)
                print(f"# run {i + 1}/{a.runs} done (load {loadavg()})", file=sys.stderr)
        info["load_after"] = loadavg()
        table = self.table()
        summary = (f"{a.runs} runs, artifact {a.size} bytes ({a.size / MiB:.1f} MiB); MB/s = 10^6 bytes/s of "
                   f"wall time; load average before {info['load_before']}, after {info['load_after']} "
                   f"on {info['cores']} cores; every pull verified (sha256 of the file / the layout's layer blob)")
        print(table)
        print()
        print(summary)
        if a.markdown:
            with open(a.markdown, "w") as f:
                f.write(table + "\n\n" + summary + "\n")
        if a.json:
            with open(a.json, "w") as f:
                json.dump({"info": info,
                           "samples": {f"{op}/{tool}": v for (op, tool), v in self.samples.items()},
                           "sample_fields": ["wall_ms", "client_cpu_ms", "registry_cpu_ms"]}, f, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--wasmops", default=os.path.join(ROOT, "build/release/apps/wasmops/wasmops"))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--size", type=int, default=10 * MiB, help="module size in bytes (default 10 MiB)")
    p.add_argument("--markdown", help="also write the table to this file")
    p.add_argument("--json", help="write every sample to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args()
    if not shutil.which("skopeo"):
        sys.exit("skopeo is not installed (scripts/install-deps.sh installs it)")
    bench = Bench(args)
    try:
        bench.main()
    finally:
        if args.keep:
            print(f"# kept {bench.tmp}", file=sys.stderr)
        else:
            shutil.rmtree(bench.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
