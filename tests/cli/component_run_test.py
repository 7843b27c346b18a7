#!/usr/bin/env python3
"""`wasmops run COMPONENT [ARGS...]`: WASI 0.2 command components (wasi:cli/run) made from the project's
own C programs by npm jco's preview1 adapter (`jco new --wasi-command`).

Programs: tests/data/components/programs/echo_upper.c (arguments, environment, stdin, stdout, stderr, exit
status), files.rs (Rust, Debian's rustc 1.63 for wasm32-wasi: files in a preopened directory), spin.c.
Peers: the same program as a core module under `wasmops run` (the preview1 host), and the same component
under `jco run` on Node. Checked: stdout, stderr and exit status for arguments, environment and stdin;
a non-zero exit (the adapter passes it as wasi:cli/exit's error, so the status is 1, as under jco run);
--invoke of the run export; a component without wasi:cli/run (an error naming what it exports); a guest
that never returns (stopped by --timeout, exit 124). Exits 77 (skipped) when jco is not installed.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from real_components import adapt, command_component, jco_or_skip, run  # noqa: E402

SKIP = 77


def execute(cmd, stdin=""):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def check(label, got, want):
    if got != want:
        raise SystemExit(f"FAIL {label}:\n  got  {got!r}\n  want {want!r}")
    print(f"ok {label}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--rustc", default="/usr/bin/rustc", help="Debian's rustc with libstd-rust-dev-wasm32")
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    root = pathlib.Path(__file__).resolve().parents[2]
    jco = jco_or_skip(root)
    if not jco:
        return SKIP
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    built = {}
    for name in ("echo_upper", "spin"):
        built[name] = command_component(args.clang, jco, root / f"tests/data/components/programs/{name}.c", work)
    core, comp = built["echo_upper"]
    cache = ["--cache-dir", str(work / "cache")]

    # Arguments, environment, stdin, stdout, stderr: as the module gives them, and as jco run gives them.
    for status in ("0", "7"):
        guest_args = [status, "two words", "\u00e9t\u00e9"]
        module = execute([args.wasmops, "run", *cache, "--env", "WHO=module", str(core), *guest_args], "hello\nworld\n")
        ours = execute([args.wasmops, "run", *cache, "--env", "WHO=module", str(comp), *guest_args], "hello\nworld\n")
        check(f"status {status}: stdout as the module's", ours[1], module[1])
        check(f"status {status}: stderr as the module's", ours[2], module[2])
        # wasi:cli/exit takes a result: the adapter turns every non-zero status into an error, exit 1.
        check(f"status {status}: exit status", ours[0], 0 if status == "0" else 1)
        check(f"status {status}: the module's own status", module[0], int(status))
        peer = execute(["env", "-i", "PATH=/usr/bin:/bin", "WHO=module", "node", jco, "run", str(comp), *guest_args], "hello\nworld\n")
        check(f"status {status}: stdout as jco run's", ours[1], peer[1])
        check(f"status {status}: exit status as jco run's", ours[0], peer[0])

    # Rust: files in a preopened directory, through wasi:filesystem (a private folder per run).
    if os.path.exists(args.rustc):
        rs_core, rs_comp = work / "files.wasm", work / "files.comp.wasm"
        run([args.rustc, "--target", "wasm32-wasi", "-O", "-C", "strip=symbols",
             str(root / "tests/data/components/programs/files.rs"), "-o", str(rs_core)])
        adapt(jco, rs_core, rs_comp)
        outputs = {}
        for label, program in (("module", rs_core), ("component", rs_comp)):
            d = work / f"files-dir-{label}"
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir()
            (d / "already-there.txt").write_text("x")
            outputs[label] = execute([args.wasmops, "run", *cache, "--dir", f"{d}::/d", "--env", "WHO=rust", str(program),
                                      "one", "two"], "12345")
            check(f"rust {label}: the file is on the host", (d / "from-rust.txt").read_text(), "written by rust\n")
        check("rust: stdout as the module's", outputs["component"][1], outputs["module"][1])
        check("rust: stderr as the module's", outputs["component"][2], outputs["module"][2])
        check("rust: exit status (3 through the adapter's exit(err))", (outputs["module"][0], outputs["component"][0]), (3, 1))
        if "listing: [\"already-there.txt\", \"from-rust.txt\"]" not in outputs["component"][1]:
            raise SystemExit(f"FAIL rust: listing: {outputs['component'][1]!r}")
        print("ok rust: listing")
    else:
        print(f"note: no {args.rustc}: the Rust program is not tested (scripts/install-deps.sh installs it)")

    # --invoke of the run export itself: WAVE's ok for result.
    rc, out, err = execute([args.wasmops, "run", *cache, str(comp), "--invoke", "wasi:cli/run@0.2.12#run()"])
    check("--invoke run: exit status and stderr", (rc, err), (0, "to stderr\n"))
    check("--invoke run: printed result", out.splitlines()[-1], "ok")

    # A component that is not a command.
    abi = work / "abi.wasm"
    run(["node", jco, "parse", str(root / "tests/data/components/abi.wat"), "-o", str(abi)])
    rc, out, err = execute([args.wasmops, "run", *cache, str(abi)])
    check("not a command: exit status", rc, 2)
    if "exports no wasi:cli/run" not in err or "greet" not in err:
        raise SystemExit(f"FAIL not a command: the message should say so and list the exports: {err!r}")
    print("ok not a command: message")

    # A guest that never returns.
    rc, out, err = execute([args.wasmops, "run", *cache, "--timeout", "1s", str(built["spin"][1])])
    check("timeout: exit status", rc, 124)
    if "timed out after 1s" not in err:
        raise SystemExit(f"FAIL timeout: message {err!r}")
    print("ok timeout: message")
    return 0


if __name__ == "__main__":
    sys.exit(main())
