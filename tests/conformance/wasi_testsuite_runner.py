#!/usr/bin/env python3
"""Conformance runner: the WASI preview1 test suite (wasi-testsuite) through `wasmops run`.

Usage: wasi_testsuite_runner.py --wasmops PATH --suite DIR [--expected-failures TSV]
         [--filter SUBSTR] [--jobs N] [--timeout SEC] [--tier fast|optimized]
         [--adapt JCO] [--verbose] [--keep]

With --adapt JCO (the path of npm jco's jco.js, or `npm`: the one
scripts/install-npm-deps.sh installs, its last output line), every program is first made
a WASI 0.2 command component with `node JCO new X.wasm --wasi-command` (the
preview1 adapter inside jco), and the component runs instead of the module:
the same expectations, through the WASI 0.2 host. Exit status 77 (skipped)
when JCO is not there.

DIR is the shared folder conformance/wasi-testsuite; its README.md is the
specification this runner follows, and its run-node.mjs (the reference
runner on Node's node:wasi) is mirrored here:

- Discovery: every *.wasm in DIR/tests/<lang>/testsuite/wasm32-wasip1 is one
  test, named "<lang>/<name>"; its spec is the .json next to it (defaults
  without one). Operation-based specs beyond run/wait/read are SKIPped.
- Running: `wasmops run --tier T --cache-dir C [--dir ROOT::/] [--env K=V]...
  FILE ARGS...`, where FILE (the absolute .wasm path) becomes argv[0], the
  environment is exactly the spec's `env`, and stdin is an empty pipe that is
  already closed. ROOT is a private, writable copy of the suite's fixture
  folder, one per test, so tests can run in parallel; the `*.cleanup` sweep
  still runs before and after each test, as upstream requires.
- Checking: exit status equals `exit_code`, stdout/stderr begin with the
  expected text, and a trap ("wasmops: error: FILE: trap: ..." as the last
  stderr line) is always a failure.

Every module is compiled once up front (`wasmops compile` into the run's
shared artifact cache, in parallel), so the per-test timeout (5 s, as
upstream) measures running only.

Output: PASS / FAIL / XFAIL / XPASS / SKIP per test, then a totals line.
Exit status 0 only when every test not listed in the expected-failures file
passes, no listed test passes, the list names no unknown test, and the
original (read-only) fixture folders are unchanged. A missing suite folder
is a failure, as for the spec suite runners.
"""
import argparse
import concurrent.futures
import dataclasses
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

SUITE_GLOB = os.path.join("tests", "*", "testsuite", "wasm32-wasip1")
NODE_BASELINE = "node20-baseline.txt"
DEFAULT_EXPECTED = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "wasi-testsuite-expected-failures.tsv")
# `wasmops compile` of the biggest module takes well under a second; this only
# guards against a hung compiler.
COMPILE_TIMEOUT_S = 300
# The last stderr line `wasmops run` prints when the guest traps.
TRAP_LINE = re.compile(r"^wasmops: error: .*: trap(?: during instantiation)?: ")


# ---------------------------------------------------------------- test specs

@dataclasses.dataclass
class Spec:
    """One test case: what to run and what to expect (README "Fields")."""
    label: str               # "<lang>/<name>"
    wasm: str                # absolute path of the test program
    args: list = dataclasses.field(default_factory=list)
    env: dict = dataclasses.field(default_factory=dict)
    root: str = None         # absolute host path of the fixture folder, or None
    exit_code: int = 0
    stdout: str = None       # expected beginning of stdout, None = not checked
    stderr: str = None
    skip: str = None         # why the runner cannot run this spec
    error: str = None        # the spec file could not be read: a failure


def discover_tests(suite_dir):
    """Every *.wasm of every wasm32-wasip1 suite, sorted: the README's discovery rule."""
    wasms = []
    for suite in sorted(glob.glob(os.path.join(suite_dir, SUITE_GLOB))):
        wasms += sorted(glob.glob(os.path.join(suite, "*.wasm")))
    return wasms


def label_for(wasm):
    """tests/<lang>/testsuite/<target>/<name>.wasm -> "<lang>/<name>", as run-node.mjs names tests."""
    lang = os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(wasm))))
    return f"{lang}/{os.path.splitext(os.path.basename(wasm))[0]}"


def load_spec(wasm):
    """Reads the .json next to `wasm` (legacy format, or the run/wait/read subset of
    the operation-based one), exactly as run-node.mjs's loadSpec does."""
    spec = Spec(label=label_for(wasm), wasm=wasm)
    json_path = os.path.splitext(wasm)[0] + ".json"
    if not os.path.exists(json_path):
        return spec
    with open(json_path, encoding="utf-8") as f:
        raw = json.load(f)
    run = wait = raw
    reads = []
    if any(k in raw for k in ("operations", "proposals", "world", "servers")):
        spec.skip = operation_spec_skip_reason(raw)
        ops = raw.get("operations") or [{"type": "run"}, {"type": "wait"}]
        runs = [o for o in ops if o.get("type") == "run"]
        waits = [o for o in ops if o.get("type") == "wait"]
        run = runs[0] if runs else {}
        wait = waits[0] if waits else {}
        reads = [o for o in ops if o.get("type") == "read"]
    else:
        reads = [{"id": k, "payload": raw[k]} for k in ("stdout", "stderr") if raw.get(k) is not None]
    spec.args = list(run.get("args") or [])
    spec.env = dict(run.get("env") or {})
    if run.get("root"):
        spec.root = os.path.normpath(os.path.join(os.path.dirname(wasm), run["root"]))
    if wait.get("exit_code") is not None:
        spec.exit_code = wait["exit_code"]
    for r in reads:
        stream = r.get("id") or "stdout"
        setattr(spec, stream, (getattr(spec, stream) or "") + (r.get("payload") or ""))
    return spec


def operation_spec_skip_reason(raw):
    """Why an operation-based spec needs more than this runner has (None when it fits)."""
    reason = None
    ops = raw.get("operations") or [{"type": "run"}, {"type": "wait"}]
    if raw.get("proposals"):
        reason = "needs proposals " + ",".join(raw["proposals"])
    if raw.get("world") and raw["world"] != "wasi:cli/command":
        reason = f"world {raw['world']}"
    if raw.get("servers"):
        reason = "needs host servers"
    other = [o.get("type") for o in ops if o.get("type") not in ("run", "wait", "read")]
    if other:
        reason = f"unsupported operation {other[0]}"
    if sum(o.get("type") == "run" for o in ops) != 1 or sum(o.get("type") == "wait" for o in ops) != 1:
        reason = "not exactly one run/wait"
    return reason


def load_spec_or_error(wasm):
    """load_spec, but a broken .json becomes a failing test instead of a crash."""
    try:
        return load_spec(wasm)
    except (OSError, ValueError, AttributeError, TypeError) as e:
        return Spec(label=label_for(wasm), wasm=wasm, error=f"unreadable spec: {e}")


def load_expected_failures(path):
    """`<lang>/<name>\\t<reason>` lines ('#' comments): the failures we accept for now."""
    expected = {}
    if not path or not os.path.exists(path):
        return expected
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            label, _, reason = line.partition("\t")
            expected[label.strip()] = reason.strip()
    return expected


def load_node_baseline(suite_dir):
    """label -> passed? from the README's Node 20 reference run, for the totals line."""
    result = {}
    try:
        with open(os.path.join(suite_dir, NODE_BASELINE), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(PASS|FAIL) (\S+?)(?::|$)", line)
                if m:
                    result[m.group(2)] = m.group(1) == "PASS"
    except OSError:
        pass
    return result


# ------------------------------------------------------------ fixture folders

def remove_cleanup_entries(folder):
    """The README's sweep: delete every file, folder or symlink named `*.cleanup`
    at any depth. Symlinks are unlinked, never followed; returns how many went."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        if e.name.endswith(".cleanup"):
            if e.is_dir(follow_symlinks=False):
                remove_tree(e.path)
            else:
                os.unlink(e.path)
            removed += 1
        elif e.is_dir(follow_symlinks=False):
            removed += remove_cleanup_entries(e.path)
    return removed


def copy_fixture(src, dst):
    """A private copy of a fixture folder for one test. The shared original is
    read-only; the copy gets owner write permission (like a git checkout) so
    the tests can create and delete their `*.cleanup` entries in it."""
    shutil.copytree(src, dst, symlinks=True)
    for folder, dirs, files in os.walk(dst):
        os.chmod(folder, os.stat(folder).st_mode | 0o700)
        for name in files:
            p = os.path.join(folder, name)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | 0o600)


def remove_tree(path):
    """rmtree that also gets through folders a test left without write permission."""
    def retry(func, p, _exc):
        parent = os.path.dirname(p)
        if os.path.isdir(parent) and not os.path.islink(parent):
            os.chmod(parent, 0o700)
        if os.path.isdir(p) and not os.path.islink(p):
            os.chmod(p, 0o700)
            shutil.rmtree(p, ignore_errors=True)
        else:
            func(p)
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)


def snapshot_tree(top):
    """relative path -> (kind, size, mtime_ns, mode, link target) of everything under
    `top`: enough to notice any write to the original fixture folders."""
    snap = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            p = os.path.join(folder, name)
            st = os.lstat(p)
            link = os.readlink(p) if os.path.islink(p) else None
            kind = "link" if link is not None else "dir" if os.path.isdir(p) else "file"
            size = st.st_size if kind == "file" else 0
            snap[os.path.relpath(p, top)] = (kind, size, st.st_mtime_ns, st.st_mode, link)
    return snap


def describe_changes(before, after):
    """Human-readable differences between two snapshot_tree results."""
    changes = [f"new {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"gone {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


# ------------------------------------------------------------------- running

@dataclasses.dataclass
class Outcome:
    """What running one test gave: no reasons means it passed."""
    reasons: list
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    notes: list = dataclasses.field(default_factory=list)
    skip: str = None


def run_process(cmd, cwd, timeout):
    """Runs `cmd` with stdin an empty pipe that is already closed (README: upstream
    gives a pipe and writes nothing). On timeout the whole process group is
    killed. Returns (exit status or None on timeout, stdout bytes, stderr bytes)."""
    p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(input=b"", timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out, err


def precompile(wasmops, tier, cache_dir, wasms, jobs):
    """`wasmops compile` every module into the run's shared cache, in parallel, so
    the per-test timeout does not include compilation. wasm -> error or None."""
    def compile_one(wasm):
        cmd = [wasmops, "compile", "--tier", tier, "--cache-dir", cache_dir, wasm]
        try:
            rc, _, err = run_process(cmd, cache_dir, COMPILE_TIMEOUT_S)
        except OSError as e:
            return f"could not start wasmops: {e}"
        if rc is None:
            return f"compile timed out after {COMPILE_TIMEOUT_S}s"
        if rc != 0:
            return f"compile failed (exit {rc}): {tail_lines(err.decode('utf-8', 'replace'))}"
        return None
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return dict(zip(wasms, pool.map(compile_one, wasms)))


def adapt(args, wasms):
    """`jco new X.wasm --wasi-command` for each program, in parallel, into the
    run's folder. wasm -> (component path, None) or (None, error)."""
    folder = os.path.join(args.work_dir, "adapted")
    os.makedirs(folder, exist_ok=True)

    def adapt_one(wasm):
        out = os.path.join(folder, label_for(wasm).replace("/", "__") + ".wasm")
        cmd = ["node", args.adapt, "new", wasm, "--wasi-command", "-o", out]
        try:
            rc, _, err = run_process(cmd, folder, COMPILE_TIMEOUT_S)
        except OSError as e:
            return None, f"could not start node: {e}"
        if rc != 0:
            return None, f"jco new failed (exit {rc}): {tail_lines(err.decode('utf-8', 'replace'))}"
        return out, None
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        return dict(zip(wasms, pool.map(adapt_one, wasms)))


def npm_jco():
    """jco.js as scripts/install-npm-deps.sh installs it ('' when it cannot: offline)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "install-npm-deps.sh")
    r = subprocess.run([script], capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if l.endswith("jco.js")]
    return lines[-1] if r.returncode == 0 and lines else ""


def run_command(args, spec, root_copy):
    """The `wasmops run` command line for one test (the wasmtime-style interface)."""
    cmd = [args.wasmops, "run", "--tier", args.tier, "--cache-dir", args.cache_dir]
    if root_copy:
        cmd += ["--dir", f"{root_copy}::/"]
    for key, value in spec.env.items():
        cmd += ["--env", f"{key}={value}"]
    return cmd + [args.program.get(spec.wasm, spec.wasm)] + spec.args


def run_test(args, spec):
    """Runs one test in its own temp folder (holding its copy of the fixture, also
    its working directory) and checks the result against the spec."""
    if spec.skip:
        return Outcome(reasons=[], skip=spec.skip)
    if spec.error:
        return Outcome(reasons=[spec.error])
    work = os.path.join(args.work_dir, "tests", spec.label.replace("/", "__"))
    os.makedirs(work)
    root_copy = None
    notes = []
    if spec.root:
        root_copy = os.path.join(work, os.path.basename(spec.root))
        copy_fixture(spec.root, root_copy)
        remove_cleanup_entries(root_copy)
    t0 = time.monotonic()
    try:
        rc, out, err = run_process(run_command(args, spec, root_copy), work, args.timeout)
    except OSError as e:
        return Outcome(reasons=[f"could not start wasmops: {e}"])
    seconds = time.monotonic() - t0
    if root_copy:
        left = remove_cleanup_entries(root_copy)
        if left and args.verbose:
            notes.append(f"removed {left} *.cleanup entries the test left behind")
    stdout, stderr = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    reasons = check_result(spec, rc, stdout, stderr, args.timeout)
    if spec.root:
        reasons += original_root_changes(spec.root, args.root_snapshots, args.reported_roots)
    return Outcome(reasons=reasons, stdout=stdout, stderr=stderr, seconds=seconds, notes=notes)


REPORT_LOCK = threading.Lock()


def original_root_changes(root, snapshots, reported):
    """A failure reason if the shared original of the fixture folder changed since
    the run began: the test had only its copy, so this is a sandbox escape (by
    this test, or with --jobs > 1 possibly by one running alongside it). Only
    the first test to notice it gets the reason; the final check fails the run."""
    changes = describe_changes(snapshots[root], snapshot_tree(root))
    with REPORT_LOCK:
        if not changes or root in reported:
            return []
        reported.add(root)
    return [f"the ORIGINAL fixture {root} changed during the run (this test or a "
            f"concurrent one): {'; '.join(changes)}"]


def check_result(spec, rc, stdout, stderr, timeout):
    """The README's checks; returns the reasons the test failed (empty = passed)."""
    if rc is None:
        return [f"timeout after {timeout:g}s"]
    if rc < 0:
        return [f"wasmops killed by {signal.Signals(-rc).name}"]
    reasons = []
    lines = [l for l in stderr.splitlines() if l.strip()]
    trapped = bool(lines) and TRAP_LINE.match(lines[-1])
    if trapped:
        reasons.append(f"trapped (exit code {rc}), expected exit code {spec.exit_code}")
    elif rc != spec.exit_code:
        reasons.append(f"exit code {rc}, expected {spec.exit_code}")
    # Upstream reads exactly len(expected) characters, so only the beginning counts.
    for stream, got in (("stdout", stdout), ("stderr", stderr)):
        want = getattr(spec, stream)
        if want is not None and got[:len(want)] != want:
            reasons.append(f"{stream} {json.dumps(got[:200])}, expected {json.dumps(want)}")
    return reasons


def tail_lines(text, n=4):
    """The last n non-empty lines, on one line: where a panic or assert message and
    wasmops's trap line are."""
    lines = [l for l in text.strip().splitlines()
             if l.strip() and not l.startswith("note: run with `RUST_BACKTRACE")]
    out = " | ".join(lines[-n:])
    return f"... | {out}" if len(lines) > n else out


def failure_text(outcome, verbose):
    """The reason shown after FAIL: what went wrong plus the end of stderr."""
    text = "; ".join(outcome.reasons)
    if not verbose:
        detail = tail_lines(outcome.stderr)
        return f"{text}; stderr: {detail}" if detail else text
    for stream, got in (("stderr", outcome.stderr), ("stdout", outcome.stdout)):
        if got.strip():
            text += f"\n    {stream}:\n" + "\n".join("    | " + l for l in got.rstrip().splitlines())
    return text


# --------------------------------------------------------------------- report

class Tally:
    """Classifies outcomes against the expected-failures list and prints one line each."""

    def __init__(self, expected, verbose):
        self.expected = expected
        self.verbose = verbose
        self.counts = {"PASS": 0, "FAIL": 0, "XFAIL": 0, "XPASS": 0, "SKIP": 0}

    def report(self, spec, outcome):
        listed = spec.label in self.expected
        if outcome.skip:
            status, text = "SKIP", outcome.skip
        elif not outcome.reasons:
            status, text = ("XPASS", "listed as an expected failure but passed") if listed else ("PASS", "")
        elif listed:
            status, text = "XFAIL", self.expected[spec.label]
            if self.verbose:
                text += f"\n    actual: {failure_text(outcome, True)}"
        else:
            status, text = "FAIL", failure_text(outcome, self.verbose)
        self.counts[status] += 1
        timing = f" ({outcome.seconds:.2f}s)" if self.verbose and not outcome.skip else ""
        print(f"{status} {spec.label}{timing}{': ' + text if text else ''}", flush=True)
        for note in outcome.notes:
            print(f"  note: {note}", flush=True)

    def ok(self):
        return self.counts["FAIL"] == 0 and self.counts["XPASS"] == 0

    def totals(self, total, baseline):
        c = self.counts
        line = (f"{total} tests: {c['PASS']} passed, {c['FAIL']} failed, "
                f"{c['XFAIL']} expected failures")
        if c["XPASS"]:
            line += f", {c['XPASS']} unexpected passes"
        if c["SKIP"]:
            line += f", {c['SKIP']} skipped"
        if baseline:
            line += f" (Node 20 baseline: {sum(baseline)}/{len(baseline)})"
        return line


# ----------------------------------------------------------------------- main

def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wasmops", required=True, help="the wasmops CLI binary")
    ap.add_argument("--suite", required=True, help="the shared conformance/wasi-testsuite folder")
    ap.add_argument("--expected-failures", default=DEFAULT_EXPECTED, help="TSV of accepted failures")
    ap.add_argument("--filter", default="", help='only tests whose "<lang>/<name>" contains SUBSTR')
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="tests run at once")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per test, running only")
    ap.add_argument("--tier", default="fast", choices=["fast", "optimized"])
    ap.add_argument("--adapt", default="", help="npm jco's jco.js: run each program as an adapted WASI 0.2 component")
    ap.add_argument("--verbose", action="store_true", help="full stderr/stdout of failures, timings")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (fixture copies, cache)")
    return ap.parse_args()


def check_listed_tests_exist(expected, labels, filt):
    """A listed test that no longer exists keeps the list from being honest."""
    stale = [l for l in sorted(expected) if filt in l and l not in labels]
    for label in stale:
        print(f"FAIL {label}: listed in the expected-failures file, but there is no such test")
    return not stale


def snapshot_suites(suite_dir):
    """Snapshot of every suite folder (programs, specs, fixtures) under the shared folder."""
    return {s: snapshot_tree(s) for s in sorted(glob.glob(os.path.join(suite_dir, SUITE_GLOB)))}


def check_originals_unchanged(before, suite_dir):
    """Compares the original suite folders with their state at the start of the run:
    tests must only ever touch their private copies."""
    after = snapshot_suites(suite_dir)
    changes = []
    for suite in sorted(before.keys() | after.keys()):
        rel = os.path.relpath(suite, suite_dir)
        changes += [f"{rel}: {c}" for c in describe_changes(before.get(suite, {}), after.get(suite, {}))]
    entries = sum(len(s) for s in before.values())
    if changes:
        print(f"FAIL original fixture folders changed during the run: {'; '.join(changes)}")
        return False
    print(f"fixture check: the original suite folders are unchanged ({entries} entries)")
    return True


def main():
    args = parse_args()
    if not (os.path.isfile(args.wasmops) and os.access(args.wasmops, os.X_OK)):
        print(f"wasi-testsuite: error: {args.wasmops} is not an executable")
        return 2
    args.wasmops = os.path.abspath(args.wasmops)
    if args.adapt == "npm":
        args.adapt = npm_jco()
    if args.adapt and not os.path.isfile(args.adapt):
        print(f"SKIP: no jco at {args.adapt!r} (scripts/install-npm-deps.sh installs it)")
        return 77
    suite_dir = os.path.abspath(args.suite)
    wasms = discover_tests(suite_dir)
    if not wasms:
        print(f"FAIL missing {suite_dir} or its {SUITE_GLOB} (the shared conformance data)")
        return 1
    specs = [load_spec_or_error(wasm) for wasm in wasms]
    labels = {s.label for s in specs}
    specs = [s for s in specs if args.filter in s.label]
    expected = load_expected_failures(args.expected_failures)
    node = load_node_baseline(suite_dir)
    baseline = [node[s.label] for s in specs if s.label in node]

    originals = snapshot_suites(suite_dir)
    args.root_snapshots = {s.root: snapshot_tree(s.root) for s in specs if s.root}
    args.reported_roots = set()
    args.work_dir = tempfile.mkdtemp(prefix="wasi-testsuite-")
    args.cache_dir = os.path.join(args.work_dir, "cache")
    os.makedirs(args.cache_dir)
    tally = Tally(expected, args.verbose)
    args.program = {}  # program -> what runs instead (its adapted component)
    try:
        t0 = time.monotonic()
        runnable = [s.wasm for s in specs if not (s.skip or s.error)]
        adapt_errors = {}
        if args.adapt:
            for wasm, (component, error) in adapt(args, runnable).items():
                if error:
                    adapt_errors[wasm] = error
                else:
                    args.program[wasm] = component
        compile_errors = precompile(args.wasmops, args.tier, args.cache_dir,
                                    [args.program[w] for w in runnable if w in args.program] if args.adapt else runnable,
                                    args.jobs)
        compile_errors = {w: compile_errors.get(args.program.get(w, w)) or adapt_errors.get(w) for w in runnable}
        t1 = time.monotonic()

        def run_or_report_compile_error(spec):
            error = compile_errors.get(spec.wasm)
            if error:
                return Outcome(reasons=[error])
            try:
                return run_test(args, spec)
            except OSError as e:  # e.g. a fixture folder that cannot be copied
                return Outcome(reasons=[f"runner error: {e}"])

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for spec, outcome in zip(specs, pool.map(run_or_report_compile_error, specs)):
                tally.report(spec, outcome)
        t2 = time.monotonic()
    finally:
        if args.keep:
            print(f"kept {args.work_dir}")
        else:
            remove_tree(args.work_dir)
    lists_ok = check_listed_tests_exist(expected, labels, args.filter)
    originals_ok = check_originals_unchanged(originals, suite_dir)
    print(tally.totals(len(specs), baseline))
    print(f"time: {t2 - t0:.1f}s ({'adapt and ' if args.adapt else ''}compile {t1 - t0:.1f}s, run {t2 - t1:.1f}s; "
          f"{args.jobs} jobs, tier {args.tier}{', as components' if args.adapt else ''})")
    return 0 if tally.ok() and lists_ok and originals_ok else 1


if __name__ == "__main__":
    sys.exit(main())
