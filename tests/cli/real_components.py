"""Real components for the CLI tests, built at test time (no committed binaries).

  - examples/hello (C, clang --target=wasm32-wasi) adapted by npm jco's `jco new --wasi-command`,
    unstripped and stripped;
  - every tests/data/components/*.wat assembled by `jco parse`;
  - the components among the sightglass benchmarks in ../shared, when that folder is there.

jco comes from scripts/install-npm-deps.sh; find_jco returns None when it is not installed
(WASMOPS_OFFLINE=1 or no npm), and the tests then exit 77 (skipped).
"""
import pathlib
import subprocess

COMPONENT_PREAMBLE = b"\x00asm\x0d\x00\x01\x00"


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: {' '.join(map(str, cmd))} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r.stdout


def find_jco(root):
    r = subprocess.run([str(root / "scripts/install-npm-deps.sh")], capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if l.endswith("jco.js")]
    if r.returncode != 0 or not lines or not pathlib.Path(lines[-1]).is_file():
        return None
    return lines[-1]


def jco_or_skip(root):
    """find_jco, saying why the test is skipped when there is none (the test then exits 77)."""
    jco = find_jco(root)
    if not jco:
        print("SKIP: jco is not installed (scripts/install-npm-deps.sh; WASMOPS_OFFLINE=1 skips it)")
    return jco


def adapt(jco, core, comp):
    """A WASI preview1 command module made a WASI 0.2 command component by jco's preview1 adapter."""
    run(["node", jco, "new", str(core), "--wasi-command", "-o", str(comp)])
    return comp


def command_component(clang, jco, source, work, flags=()):
    """(core, component) of a C program: clang for wasm32-wasi, then adapt."""
    stem = pathlib.Path(source).stem
    core, comp = pathlib.Path(work) / f"{stem}.wasm", pathlib.Path(work) / f"{stem}.comp.wasm"
    run([clang, "--target=wasm32-wasi", "-O2", *flags, str(source), "-o", str(core)])
    return core, adapt(jco, core, comp)


def build_components(root, jco, clang, work):
    """[paths] of the components built from the project's sources into `work`."""
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    built = []
    for suffix, flags in (("", []), (".s", ["-s"])):
        core = work / f"hello{suffix}.wasm"
        run([clang, "--target=wasm32-wasi", "-O2", *flags, str(root / "examples/hello/hello.c"), "-o", str(core)])
        built.append(adapt(jco, core, work / f"hello{suffix}.comp.wasm"))
    for wat in sorted((root / "tests/data/components").glob("*.wat")):
        out = work / (wat.stem + ".wasm")
        run(["node", jco, "parse", str(wat), "-o", str(out)])
        built.append(out)
    return built


def shared_components(shared):
    """[paths] of the components among ../shared's sightglass benchmarks ([] without the folder)."""
    found = []
    if shared and pathlib.Path(shared, "bench/sightglass/benchmarks").is_dir():
        for f in sorted(pathlib.Path(shared, "bench/sightglass/benchmarks").glob("*/*.wasm")):
            with open(f, "rb") as fh:
                if fh.read(8) == COMPONENT_PREAMBLE:
                    found.append(f)
    return found
