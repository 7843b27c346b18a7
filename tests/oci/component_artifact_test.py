#!/usr/bin/env python3
"""Push, pull, inspect and run of real components through a real registry
(Debian's docker-registry), with jco's WIT decoder as the peer for the config.

  component_artifact_test.py --wasmops BIN --clang CLANG --work DIR

The components are those tests/cli/real_components.py builds (hello adapted by
`jco new --wasi-command`, tests/data/components/*.wat through `jco parse`) and
tests/oci/world_types.wat (world-level types and a resource). For each one:
  - the config blob read back from the registry has oci-wasm's members in its
    order (created, architecture, os "wasip2", layerDigests = the layer's
    digest, component) and `component.imports`/`exports` name the world that
    `jco wit` prints, as wkg's oci-wasm names it (every world key: qualified
    interface names, plain names of functions, inline interfaces and types, a
    resource's `[constructor]R`/`[method]R.f`/`[static]R.f` functions);
    exports in the world's order, imports as a set plus the order of its
    interfaces and of its functions (jco prints world types apart);
  - `push --json` reports the same `component`;
  - `inspect REF` shows the world `jco wit` prints; `pull` gives the same bytes;
  - `run REF --invoke` calls an export of abi.wasm, and `run REF ARGS` runs hello (wasi:cli/run).
A core module's config keeps its members and has no `component`.
Exits 77 (skipped) when jco is not installed.
"""
import argparse
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests/cli"))
from real_components import build_components, find_jco, run  # noqa: E402
from registry_fixture import Registry  # noqa: E402

SKIP = 77
ARGS = None
JCO = None
BUILT = []  # component paths
MODULE = None  # a core module (hello, before `jco new`)


def sha256_file(path):
    with open(path, "rb") as f:
        return "sha256:" + hashlib.sha256(f.read()).hexdigest()


def root_world(text):
    """The root package and its world, as `jco wit` prints it (and `wasmops wit` begins)."""
    end = text.find("\n}\n")
    if end < 0:
        raise AssertionError(f"no world block in:\n{text}")
    return text[: end + 3]


TYPE_DEF = re.compile(r"^(?:type|record|variant|enum|flags|resource) ([%a-z0-9-]+)")
ITEM = re.compile(r"^(import|export) (\S+?)(?:;|: (.*))$")
USE = re.compile(r"^use \S+\.\{(.*)\};$")
RESOURCE_FUNC = re.compile(r"^([%a-z0-9-]+): (static )?(?:async )?func")


def plain(name):
    """A WIT identifier as the component names it: `%type` (an escaped keyword) is `type`."""
    return name[1:] if name.startswith("%") else name


class WorldNames:
    """The world keys wit-component's Resolve holds, read from the WIT `jco wit` prints:
    `imports`/`exports` in printed order, and the printed order of interface imports
    and of function imports (which follows the world's own order)."""

    def __init__(self, wit):
        self.imports, self.exports = [], []
        self.interface_imports, self.function_imports = [], []
        depth, resource = 0, None
        for raw in wit.splitlines():
            line = raw.strip()
            if not line or line.startswith("//"):
                continue
            if depth == 1 and line == "}":
                break  # the world's end (`jco wit` prints nothing after it)
            if depth == 1:
                resource = None
                item, typedef, use = ITEM.match(line), TYPE_DEF.match(line), USE.match(line)
                if item:
                    kind, name, rest = item.groups()
                    name = plain(name)
                    (self.imports if kind == "import" else self.exports).append(name)
                    if kind == "import" and rest is None:
                        self.interface_imports.append(name)
                    if kind == "import" and rest is not None and "func" in rest.split("(")[0]:
                        self.function_imports.append(name)
                elif use:
                    for entry in use.group(1).split(","):
                        parts = entry.split()
                        self.imports.append(plain(parts[-1]))  # `a` or `a as b`: the world's name is b
                elif typedef:
                    self.imports.append(plain(typedef.group(1)))
                    if line.startswith("resource ") and line.endswith("{"):
                        resource = plain(typedef.group(1))
                else:
                    raise AssertionError(f"unexpected world item line: {line!r}")
            elif depth == 2 and resource:
                if line.startswith("constructor("):
                    self.imports.append(f"[constructor]{resource}")
                elif m := RESOURCE_FUNC.match(line):
                    self.imports.append(f"[{'static' if m.group(2) else 'method'}]{resource}.{plain(m.group(1))}")
            depth += line.count("{") - line.count("}")


class ComponentArtifacts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wasmops-oci-component-")
        cls.registry = Registry().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.registry.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp)
        self.env = dict(os.environ)
        self.env["DOCKER_CONFIG"] = os.path.join(self.dir, "docker")
        self.env["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
        self.env["SOURCE_DATE_EPOCH"] = "1700000000"

    def wasmops(self, *args, expect=0):
        proc = subprocess.run([ARGS.wasmops, *args], capture_output=True, text=True, env=self.env, timeout=300)
        if proc.returncode != expect:
            self.fail(f"wasmops {' '.join(args)}: exit {proc.returncode}, expected {expect}\n"
                      f"stdout: {proc.stdout}\nstderr: {proc.stderr}\nregistry log:\n{self.registry.read_log()[-3000:]}")
        return proc

    def ref(self, repo):
        return f"{self.registry.host}/{repo}"

    def config_blob(self, repo, digest):
        with urllib.request.urlopen(f"http://{self.registry.host}/v2/{repo}/blobs/{digest}", timeout=10) as r:
            return json.loads(r.read())  # dicts keep the member order

    def push(self, repo, path):
        pushed = json.loads(self.wasmops("push", "--json", self.ref(repo), str(path)).stdout)
        return pushed, self.config_blob(repo.split(":")[0], pushed["config"]["digest"])

    def test_component_config_names_the_world(self):
        for path in BUILT:
            with self.subTest(component=path.name):
                repo = "comp/" + path.name.replace(".wasm", "").replace(".", "-")
                pushed, config = self.push(repo + ":v1", path)
                self.assertEqual(list(config), ["created", "architecture", "os", "layerDigests", "component"])
                self.assertEqual(config["architecture"], "wasm")
                self.assertEqual(config["os"], "wasip2")
                self.assertEqual(config["layerDigests"], [sha256_file(path)])
                self.assertEqual(pushed["layers"][0]["digest"], sha256_file(path))
                component = config["component"]
                self.assertEqual(list(component), ["exports", "imports"])  # oci-wasm's order; no target known
                self.assertEqual(pushed["component"], component)

                world = WorldNames(run(["node", JCO, "wit", str(path)]))
                self.assertEqual(component["exports"], world.exports)
                self.assertEqual(len(set(component["imports"])), len(component["imports"]), component["imports"])
                self.assertEqual(sorted(component["imports"]), sorted(world.imports))
                for subsequence in (world.interface_imports, world.function_imports):
                    self.assertEqual([n for n in component["imports"] if n in subsequence], subsequence)

    def test_inspect_pull_and_run_by_reference(self):
        for path in BUILT:
            with self.subTest(component=path.name):
                repo = "refs/" + path.name.replace(".wasm", "").replace(".", "-")
                digest_ref = self.wasmops("push", "-q", self.ref(repo + ":v1"), str(path)).stdout.strip()
                want = run(["node", JCO, "wit", str(path)]).rstrip("\n") + "\n"
                for ref in (self.ref(repo + ":v1"), digest_ref):
                    text = self.wasmops("inspect", ref).stdout
                    self.assertIn("World (WIT", text)
                    self.assertIn(root_world(want), text)
                out = os.path.join(self.dir, path.stem)
                pulled = json.loads(self.wasmops("pull", "--json", "-o", out, self.ref(repo + ":v1")).stdout)
                self.assertEqual(pulled["digestReference"], digest_ref)
                self.assertEqual(sha256_file(pulled["file"]), sha256_file(path))
        abi = next(p for p in BUILT if p.name == "abi.wasm")
        self.wasmops("push", "-q", self.ref("refs/abi:call"), str(abi))
        called = self.wasmops("run", self.ref("refs/abi:call"), "--invoke", "add(3, 4)")
        self.assertEqual(called.stdout, "7\n")
        # A wasi:cli command component (hello adapted by jco new) runs from its reference, arguments and all.
        hello = next(p for p in BUILT if p.name == "hello.comp.wasm")
        self.wasmops("push", "-q", self.ref("refs/hello:cmd"), str(hello))
        ran = self.wasmops("run", "--env", "GREETING=Hi", self.ref("refs/hello:cmd"), "registry")
        self.assertEqual(ran.stdout, "Hi, registry!\n")

    def test_module_config_has_no_component(self):
        pushed, config = self.push("mod/hello:v1", MODULE)
        self.assertEqual(list(config), ["created", "architecture", "os", "layerDigests"])
        self.assertEqual(config["os"], "wasip1")
        self.assertEqual(config["layerDigests"], [sha256_file(MODULE)])
        self.assertNotIn("component", pushed)


def main():
    global ARGS, JCO, MODULE
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--work", required=True)
    ARGS = ap.parse_args()
    JCO = find_jco(ROOT)
    if JCO is None:
        print("SKIP: jco is not installed (scripts/install-npm-deps.sh)")
        return SKIP
    work = pathlib.Path(ARGS.work)
    BUILT.extend(build_components(ROOT, JCO, ARGS.clang, work))
    extra = work / "world_types.wasm"
    run(["node", JCO, "parse", str(HERE / "world_types.wat"), "-o", str(extra)])
    BUILT.append(extra)
    MODULE = work / "hello.wasm"
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(ComponentArtifacts)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
