#!/usr/bin/env python3
"""Capability security of `wasmops run`: a guest cannot reach outside its preopens.

Every attempt runs the escape.wasm guest (tests/data/wasi/escape.c) on a fresh
tree:

    ROOT/outside/secret.txt      known content, mtime, size, one link
    ROOT/outside/{emptydir/, olink -> secret.txt}
    ROOT/sandbox/                preopened as --dir sandbox::/ (or :ro)
        inner.txt, sub/{deep/, up2 -> ../../outside/secret.txt, uplink -> ..},
        emptydir/, symlinks that point out (absolute, relative, chains, to a
        directory, dangling), loops, and links that stay inside

and checks the errno of each operation (ENOTCAPABLE = 76 for an escape) AND
that nothing outside the sandbox changed: the content, size, mtime, inode and
link count of every entry under ROOT except the sandbox, the listing of ROOT
and of outside/, and the atime of outside files (set in the past, so that with
relatime a read through an escape would show). With a read-only preopen the
sandbox itself must not change either. Also: no preopen at all, stray fd
numbers, stdio that is a directory or a read-only file, env isolation, and
guest words that look like wasmops options.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import os
import re
import stat
import subprocess
import sys
import tempfile

FAILURES = []
CHECKS = 0

ANY_ERROR = -1  # in an expectation: any errno but success
EBADF, EEXIST, EINVAL, ELOOP, ENOENT, ENOTDIR, EPERM, ENOTCAPABLE = 8, 20, 28, 32, 44, 54, 63, 76

SECRET = b"TOP SECRET: the host's data\n"
SECRET_MTIME_NS = 1_000_000_000 * 10**9  # 2001-09-09, so any touch shows
GUEST_MTIME_NS = 12345 * 10**9  # what escape.c's utimes sets
HOST_ENV_KEY, HOST_ENV_VALUE = "WASMOPS_ESCAPE_TEST_SECRET", "hunter2"


def check(name, cond, detail=""):
    global CHECKS
    CHECKS += 1
    print(("ok   " if cond else "FAIL ") + name + (f"\n     {detail}" if detail and not cond else ""))
    if not cond:
        FAILURES.append(name)


def read_quietly(path):
    """A file's content, read without updating its atime (which the snapshots compare)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOATIME", 0))
    except PermissionError:  # O_NOATIME needs the file's owner
        fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class World:
    """A fresh ROOT per attempt, and the means to run the guest in it."""

    def __init__(self, base, wasmops, guest, cache):
        self.base, self.wasmops, self.guest, self.cache = base, wasmops, guest, cache
        self.count = 0
        self.root = None

    def build(self):
        self.count += 1
        self.root = os.path.join(self.base, f"w{self.count}")
        r = self.root
        os.makedirs(f"{r}/outside/emptydir")
        with open(f"{r}/outside/secret.txt", "wb") as f:
            f.write(SECRET)
        os.symlink("secret.txt", f"{r}/outside/olink")
        os.makedirs(f"{r}/sandbox/sub/deep")
        os.makedirs(f"{r}/sandbox/emptydir")
        with open(f"{r}/sandbox/inner.txt", "wb") as f:
            f.write(b"inner\n")
        links = {
            "abs_link": f"{r}/outside/secret.txt",
            "rel_link": "../outside/secret.txt",
            "chain1": "chain2",
            "chain2": "chain3",
            "chain3": "rel_link",
            "loop_a": "loop_b",
            "loop_b": "loop_a",
            "self_loop": "self_loop",
            "outdir": "../outside",
            "abs_outdir": f"{r}/outside",
            "dangling_out": "../outside/new.txt",
            "inner_link": "inner.txt",
            "sub_link": "sub",
            "sub/up2": "../../outside/secret.txt",
            "sub/uplink": "..",
        }
        for name, target in links.items():
            os.symlink(target, f"{r}/sandbox/{name}")
        # Fixed times last (creating the links above touched the directories).
        for p in (f"{r}/outside/secret.txt", f"{r}/outside/emptydir", f"{r}/outside", r):
            os.utime(p, ns=(SECRET_MTIME_NS, SECRET_MTIME_NS))
        return r

    def snapshot(self, include_sandbox=False):
        """Everything under ROOT (but the sandbox's contents unless asked) that a write could change."""
        snap = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            rel_dir = os.path.relpath(dirpath, self.root)
            if not include_sandbox and (rel_dir == "sandbox" or rel_dir.startswith("sandbox/")):
                dirnames[:] = []
                continue
            for name in [".", *dirnames, *filenames]:
                path = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(path)
                entry = [stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_ino, st.st_nlink]
                if rel == "sandbox" and not include_sandbox:
                    snap[rel] = tuple(entry[:3])  # its mtime and link count follow its contents
                    continue
                entry += [st.st_size, st.st_mtime_ns]
                if stat.S_ISREG(st.st_mode):
                    in_sandbox = rel.startswith("sandbox/")
                    if not in_sandbox:
                        entry.append(st.st_atime_ns)  # a read through an escape would move it (relatime)
                    entry.append(read_quietly(path))
                elif stat.S_ISLNK(st.st_mode):
                    entry.append(os.readlink(path))
                snap[rel] = tuple(entry)
        return snap

    def run(self, args, env_extra=None, cwd=None, stdin=None):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "XDG_CACHE_HOME": self.cache,
               "WASMOPS_BACKGROUND_COMPILE": "0", HOST_ENV_KEY: HOST_ENV_VALUE}
        env.update(env_extra or {})
        return subprocess.run([self.wasmops, "run", *args], cwd=cwd or self.root, capture_output=True,
                              timeout=60, env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL)


def parse_results(stdout):
    """[(label, errno, detail)] from escape.wasm's "LABEL: ERRNO NAME[ | detail]" lines."""
    out = []
    for line in stdout.decode(errors="replace").splitlines():
        m = re.match(r"^(.*?): (\d+) (E[A-Z0-9?]+)(?: \| (.*))?$", line)
        if m:
            out.append((m.group(1), int(m.group(2)), m.group(4) or ""))
    return out


def diff(before, after):
    lines = []
    for k in sorted(set(before) | set(after)):
        if before.get(k) != after.get(k):
            lines.append(f"{k}: {before.get(k)!r} -> {after.get(k)!r}")
    return "; ".join(lines)


def attempt(world, name, ops, expect, dirs=("sandbox::/",), sandbox_frozen=False, post=None, extra_args=(),
            stdin=None):
    """Runs escape.wasm OPS on a fresh world; `expect` is a list of errnos or (errno, detail substring).
    "@ROOT@" in an operation is the world's absolute path; `stdin`, a path under it to open read-only as stdin."""
    root = world.build()
    before = world.snapshot(include_sandbox=sandbox_frozen)
    args = [a for d in dirs for a in ("--dir", d)] + list(extra_args) + [world.guest] + [o.replace("@ROOT@", root) for o in ops]
    stdin_fd = os.open(os.path.join(root, stdin), os.O_RDONLY | getattr(os, "O_NOATIME", 0)) if stdin else None
    try:
        p = world.run(args, stdin=stdin_fd)
    finally:
        if stdin_fd is not None:
            os.close(stdin_fd)
    results = parse_results(p.stdout)
    shown = p.stdout.decode(errors="replace").strip().replace("\n", " / ") + (
        f" [stderr: {p.stderr.decode(errors='replace').strip()}]" if p.stderr.strip() else "")
    ok = p.returncode == 0 and len(results) == len(expect)
    for (label, got, detail), want in zip(results, expect):
        want_errno, want_detail = want if isinstance(want, tuple) else (want, None)
        if (got == 0 if want_errno == ANY_ERROR else got != want_errno) or (
                want_detail is not None and want_detail not in detail):
            ok = False
    check(f"{name}: {' '.join(ops)} -> {expect}", ok, f"exit {p.returncode}: {shown}")
    after = world.snapshot(include_sandbox=sandbox_frozen)
    where = "outside and sandbox" if sandbox_frozen else "outside"
    check(f"{name}: {where} untouched", before == after, diff(before, after))
    if post:
        msg = post(world.root)
        check(f"{name}: afterwards", msg is None, msg or "")


# ---- post-conditions (return None when fine, else what is wrong) ----

def sandbox_file(rel, content):
    def post(root):
        path = os.path.join(root, "sandbox", rel)
        if not os.path.isfile(path) or os.path.islink(path):
            return f"sandbox/{rel} is not a regular file"
        with open(path, "rb") as f:
            got = f.read()
        return None if got == content else f"sandbox/{rel} holds {got!r}, not {content!r}"
    return post


def sandbox_link(rel, target):
    def post(root):
        path = os.path.join(root, "sandbox", rel)
        if not os.path.islink(path):
            return f"sandbox/{rel} is not a symlink"
        return None if os.readlink(path) == target else f"sandbox/{rel} -> {os.readlink(path)}"
    return post


def sandbox_gone(rel):
    def post(root):
        return None if not os.path.lexists(os.path.join(root, "sandbox", rel)) else f"sandbox/{rel} still exists"
    return post


def sandbox_mtime(rel, ns):
    def post(root):
        got = os.stat(os.path.join(root, "sandbox", rel)).st_mtime_ns
        return None if got == ns else f"sandbox/{rel} mtime {got}, expected {ns}"
    return post


def escapes_rw(w):
    """--dir sandbox::/ (read-write): escapes fail, nothing outside changes; work inside succeeds."""
    A = lambda name, ops, expect, **kw: attempt(w, name, ops, expect, **kw)

    # Controls: the guest can do its work inside the sandbox.
    A("control read", ["read", "inner.txt"], [(0, "inner")])
    A("control read via inner symlink", ["read", "inner_link"], [(0, "inner")])
    A("control read a/..", ["read", "sub/../inner.txt"], [(0, "inner")])
    A("control read via link to .. inside", ["read", "sub/uplink/inner.txt"], [(0, "inner")])
    A("control read via dir symlink then ..", ["read", "sub_link/../inner.txt"], [(0, "inner")])
    A("control readdir", ["readdir", "."], [(0, "inner.txt")])
    A("control create", ["create", "new.txt"], [0], post=sandbox_file("new.txt", b"pwned\n"))
    A("control mkdir", ["mkdir", "newdir"], [0])
    A("control rename", ["rename", "inner.txt", "moved.txt"], [0], post=sandbox_file("moved.txt", b"inner\n"))
    A("control utimes", ["utimes", "inner.txt"], [0], post=sandbox_mtime("inner.txt", GUEST_MTIME_NS))
    A("control all rights", ["open-all-rights", "inner.txt"], [0])

    # open for reading
    for path, err in [
        ("../outside/secret.txt", ENOTCAPABLE),
        ("./../outside/secret.txt", ENOTCAPABLE),
        ("sub/../../outside/secret.txt", ENOTCAPABLE),
        ("sub/deep/../../../outside/secret.txt", ENOTCAPABLE),
        ("sub/../../sandbox/inner.txt", ENOTCAPABLE),  # leaves, then comes back: still an escape
        ("abs_link", ENOTCAPABLE),
        ("rel_link", ENOTCAPABLE),
        ("chain1", ENOTCAPABLE),
        ("outdir/secret.txt", ENOTCAPABLE),
        ("outdir/../sandbox/inner.txt", ENOTCAPABLE),
        ("abs_outdir/secret.txt", ENOTCAPABLE),
        ("sub/up2", ENOTCAPABLE),
        ("sub/uplink/../outside/secret.txt", ENOTCAPABLE),
        ("sub_link/../../outside/secret.txt", ENOTCAPABLE),
        ("..", ENOTCAPABLE),
        ("../sandbox", ENOTCAPABLE),
        ("/inner.txt", ENOTCAPABLE),  # absolute guest paths are never resolved
        ("loop_a", ELOOP),
        ("self_loop", ELOOP),
        ("loop_a/x", ELOOP),
        ("dangling_out", ENOTCAPABLE),
        ("nonexistent", ENOENT),
        ("", ENOENT),
        ("inner.txt/", ENOTDIR),
        ("inner.txt%00../outside/secret.txt", EINVAL),  # a NUL byte inside the path
        ("%00", EINVAL),
    ]:
        A("read", ["read", path], [err])
    A("read absolute host path", ["read", "@ROOT@/outside/secret.txt"], [ENOTCAPABLE])
    A("read-nofollow", ["read-nofollow", "rel_link"], [ELOOP])
    A("read-nofollow", ["read-nofollow", "inner_link"], [ELOOP])
    A("read-nofollow", ["read-nofollow", "outdir/secret.txt"], [ENOTCAPABLE])  # only the last link is not followed
    A("read-nofollow", ["read-nofollow", "../outside/secret.txt"], [ENOTCAPABLE])

    # open for writing: create, truncate, overwrite, append
    for op, path in [
        ("create", "../outside/new.txt"),
        ("create", "dangling_out"),  # a dangling link pointing out: must not create outside/new.txt
        ("create", "outdir/new.txt"),
        ("create", "abs_outdir/new.txt"),
        ("create", "rel_link"),  # O_CREAT|O_TRUNC through a link to an existing outside file
        ("create", "sub/../../outside/new.txt"),
        ("create", "sub/up2"),
        ("create", "../new.txt"),  # next to the sandbox
        ("create-excl", "../outside/new.txt"),
        ("write", "rel_link"),
        ("write", "abs_link"),
        ("write", "outdir/secret.txt"),
        ("append", "abs_link"),
        ("append", "chain1"),
        ("trunc", "chain1"),
        ("trunc", "sub/up2"),
        ("trunc", "../outside/secret.txt"),
    ]:
        A(op, [op, path], [ENOTCAPABLE])
    A("create-excl", ["create-excl", "dangling_out"], [EEXIST])  # O_EXCL never follows the link

    # stat, following and not
    for op, path, err in [
        ("stat", "rel_link", ENOTCAPABLE),
        ("stat", "abs_link", ENOTCAPABLE),
        ("stat", "chain1", ENOTCAPABLE),
        ("stat", "outdir", ENOTCAPABLE),
        ("stat", "abs_outdir", ENOTCAPABLE),
        ("stat", "..", ENOTCAPABLE),
        ("stat", "../outside", ENOTCAPABLE),
        ("stat", "sub/up2", ENOTCAPABLE),
        ("stat", "loop_a", ELOOP),
        ("lstat", "../outside/secret.txt", ENOTCAPABLE),
        ("lstat", "outdir/secret.txt", ENOTCAPABLE),
        ("lstat", "abs_outdir/secret.txt", ENOTCAPABLE),
        ("lstat", "..", ENOTCAPABLE),
    ]:
        A(op, [op, path], [err])
    A("lstat of a link that points out is the link's own", ["lstat", "rel_link"], [(0, "type 7")])
    A("lstat loop", ["lstat", "loop_a"], [(0, "type 7")])
    A("stat root", ["stat", "."], [(0, "type 3")])

    # unlink
    for path in ["../outside/secret.txt", "outdir/secret.txt", "abs_outdir/secret.txt",
                 "sub/../../outside/secret.txt", "outdir/olink", "../sandbox/inner.txt"]:
        A("unlink", ["unlink", path], [ENOTCAPABLE])
    A("unlink a link that points out removes the link only", ["unlink", "rel_link"], [0], post=sandbox_gone("rel_link"))
    A("unlink a link to an outside dir removes the link only", ["unlink", "outdir"], [0], post=sandbox_gone("outdir"))
    A("unlink link/ (trailing slash)", ["unlink", "outdir/"], [ENOTDIR])

    # rename into and out of the sandbox
    for a, b in [
        ("inner.txt", "../outside/stolen.txt"),
        ("inner.txt", "../stolen.txt"),
        ("inner.txt", "outdir/stolen.txt"),
        ("inner.txt", "outdir/secret.txt"),  # overwrite the secret
        ("inner.txt", "abs_outdir/secret.txt"),
        ("../outside/secret.txt", "taken.txt"),
        ("outdir/secret.txt", "taken.txt"),
        ("sub", "../outside/sub"),
        ("sub", "outdir/emptydir"),  # replace an empty outside directory
        ("../outside/emptydir", "got_dir"),
    ]:
        A("rename", ["rename", a, b], [ENOTCAPABLE])
    A("rename over a link that points out replaces the link", ["rename", "inner.txt", "rel_link"], [0],
      post=sandbox_file("rel_link", b"inner\n"))
    A("rename a link that points out moves the link", ["rename", "rel_link", "moved_link"], [0],
      post=sandbox_link("moved_link", "../outside/secret.txt"))

    # mkdir, rmdir
    for path in ["../outside/newdir", "outdir/newdir", "abs_outdir/newdir", "..", "../newdir", "sub/../../newdir"]:
        A("mkdir", ["mkdir", path], [ENOTCAPABLE])
    A("mkdir over a dangling link", ["mkdir", "dangling_out"], [EEXIST])
    A("mkdir dangling link/ (trailing slash)", ["mkdir", "dangling_out/"], [ENOTDIR])
    for path in ["../outside/emptydir", "outdir/emptydir", "abs_outdir/emptydir", "..", "sub/../.."]:
        A("rmdir", ["rmdir", path], [ENOTCAPABLE])
    A("rmdir of a link to an outside dir", ["rmdir", "outdir"], [ENOTDIR])
    A("rmdir of the sandbox root via sub/..", ["rmdir", "sub/.."], [EINVAL])

    # symlink creation
    A("symlink with an absolute target", ["symlink", "@ROOT@/outside/secret.txt", "newlink"], [EPERM])
    A("symlink with an absolute target", ["symlink", "/etc/passwd", "newlink"], [EPERM])
    A("symlink with a NUL in the target", ["symlink", "inner.txt%00x", "newlink"], [EINVAL])
    for where in ["../outside/evil", "outdir/evil", "abs_outdir/evil", "../evil"]:
        A("symlink placed outside", ["symlink", "inner.txt", where], [ENOTCAPABLE])
    # A relative link that points out may be made, but never followed.
    A("symlink pointing out, then used", ["symlink", "../outside/secret.txt", "newlink", "read", "newlink",
                                          "write", "newlink", "utimes", "newlink", "link-follow", "newlink", "hl"],
      [0, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE], post=sandbox_link("newlink", "../outside/secret.txt"))

    # hard links
    for op, a, b in [
        ("link", "../outside/secret.txt", "hl"),
        ("link", "outdir/secret.txt", "hl"),
        ("link", "abs_outdir/secret.txt", "hl"),
        ("link-follow", "rel_link", "hl"),
        ("link-follow", "abs_link", "hl"),
        ("link-follow", "chain1", "hl"),
        ("link-follow", "sub/up2", "hl"),
        ("link", "inner.txt", "../outside/hl"),
        ("link", "inner.txt", "outdir/hl"),
        ("link", "inner.txt", "../hl"),
    ]:
        A(op, [op, a, b], [ENOTCAPABLE])
    A("link to a link that points out links the link itself", ["link", "rel_link", "hl"], [0],
      post=sandbox_link("hl", "../outside/secret.txt"))
    A("control link-follow inside", ["link-follow", "inner_link", "hl"], [0], post=sandbox_file("hl", b"inner\n"))

    # readlink
    A("readlink of a link inside shows its text", ["readlink", "rel_link"], [(0, "../outside/secret.txt")])
    for path in ["../outside/olink", "outdir/olink", "abs_outdir/olink"]:
        A("readlink", ["readlink", path], [ENOTCAPABLE])
    A("readlink of a file", ["readlink", "inner.txt"], [EINVAL])

    # opendir/readdir
    for path in ["..", "outdir", "abs_outdir", "sub/../..", "sub/uplink/..", "outdir/emptydir", "../outside"]:
        A("readdir", ["readdir", path], [ENOTCAPABLE])
    A("control readdir sub/..", ["readdir", "sub/.."], [(0, "inner.txt")])
    A("control readdir via dir link", ["readdir", "sub_link"], [(0, "deep")])

    # timestamps
    for op, path in [("utimes", "rel_link"), ("utimes", "abs_link"), ("utimes", "chain1"), ("utimes", "outdir"),
                     ("utimes", "../outside/secret.txt"), ("utimes", "outdir/secret.txt"), ("utimes", ".."),
                     ("lutimes", "../outside/secret.txt"), ("lutimes", "outdir/secret.txt"), ("lutimes", "..")]:
        A(op, [op, path], [ENOTCAPABLE])
    A("lutimes of a link that points out sets the link's own times", ["lutimes", "rel_link"], [0])

    # A directory fd opened inside: ".." above it is an escape too, even into the sandbox.
    A("cd sub, then ..", ["cd", "sub", "read", "../inner.txt"], [0, ENOTCAPABLE])
    A("cd sub, then link to ..", ["cd", "sub", "read", "uplink/inner.txt"], [0, ENOTCAPABLE])
    A("cd sub, then up2", ["cd", "sub", "read", "up2"], [0, ENOTCAPABLE])
    A("cd sub, then deep/../..", ["cd", "sub", "read", "deep/../../inner.txt"], [0, ENOTCAPABLE])
    A("cd sub_link, then ..", ["cd", "sub_link", "read", "../inner.txt"], [0, ENOTCAPABLE])
    A("cd sub, create ../x", ["cd", "sub", "create", "../x.txt"], [0, ENOTCAPABLE])
    A("cd outdir", ["cd", "outdir"], [ENOTCAPABLE])
    A("cd ..", ["cd", ".."], [ENOTCAPABLE])

    # Rights on an fd only shrink.
    A("escalate a read-only fd", ["escalate", "inner.txt"], [ENOTCAPABLE] * 4)

    # Two preopens: the one of a subdirectory cannot reach its parent, although the parent is preopened too.
    A("second preopen of a subdirectory", ["prestat", "fd", "4", "read", "../inner.txt", "read", "up2", "read", "deep/../../inner.txt",
                                           "fd", "3", "read", "inner.txt"],
      [(0, "/"), (0, "/sub"), EBADF, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE, 0],
      dirs=("sandbox::/", "sandbox/sub::/sub"))


def read_only(w):
    """--dir sandbox::/:ro: reads work; anything that changes the disk is ENOTCAPABLE and changes nothing."""
    A = lambda name, ops, expect, **kw: attempt(w, name, ops, expect, dirs=("sandbox::/:ro",), sandbox_frozen=True, **kw)
    A("ro read", ["read", "inner.txt"], [(0, "inner")])
    A("ro read via inner link", ["read", "inner_link"], [(0, "inner")])
    A("ro readdir", ["readdir", "."], [(0, "inner.txt")])
    A("ro stat", ["stat", "inner.txt"], [(0, "type 4 size 6")])
    A("ro readlink", ["readlink", "rel_link"], [(0, "../outside/secret.txt")])
    A("ro escape", ["read", "../outside/secret.txt"], [ENOTCAPABLE])
    A("ro escape via link", ["read", "rel_link"], [ENOTCAPABLE])
    for op, path in [("create", "new.txt"), ("create", "inner.txt"), ("create-excl", "new.txt"), ("write", "inner.txt"),
                     ("append", "inner.txt"), ("trunc", "inner.txt"), ("unlink", "inner.txt"), ("unlink", "rel_link"),
                     ("mkdir", "newdir"), ("mkdir", "sub/newdir"), ("rmdir", "emptydir"), ("utimes", "inner.txt"),
                     ("lutimes", "rel_link"), ("utimes", "."), ("open-all-rights", "inner.txt"),
                     ("create", "rel_link"), ("create", "dangling_out")]:
        A(f"ro {op}", [op, path], [ENOTCAPABLE])
    for op, a, b in [("rename", "inner.txt", "moved.txt"), ("rename", "sub", "emptydir"),
                     ("symlink", "inner.txt", "newlink"), ("link", "inner.txt", "hl"),
                     ("link-follow", "inner_link", "hl")]:
        A(f"ro {op}", [op, a, b], [ENOTCAPABLE])
    A("ro escalate", ["escalate", "inner.txt"], [ENOTCAPABLE] * 4)
    A("ro grow rights", ["grow-rights"], [ENOTCAPABLE])
    # A directory opened through a read-only preopen is read-only too.
    A("ro cd sub, create", ["cd", "sub", "create", "new.txt", "mkdir", "newdir", "unlink", "up2", "read", "up2"],
      [0, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE, ENOTCAPABLE])
    # HOST:ro without a guest name: the guest sees the host path as written.
    attempt(w, "ro without guest name", ["prestat", "read", "inner.txt", "create", "new.txt"],
            [(0, "sandbox"), EBADF, (0, "inner"), ENOTCAPABLE], dirs=("sandbox:ro",), sandbox_frozen=True)


def no_preopen(w):
    """No --dir: no filesystem at all; fds that were never given are EBADF."""
    w.build()
    before = w.snapshot(include_sandbox=True)
    p = w.run([w.guest, "prestat", "fopen", "inner.txt", "fopen", "/inner.txt", "fopen", "sandbox/inner.txt",
               "fopen", "../outside/secret.txt", "read", "inner.txt"], cwd=os.path.join(w.root, "sandbox"))
    r = parse_results(p.stdout)
    check("no --dir: guest ran", p.returncode == 0, p.stderr.decode(errors="replace"))
    check("no --dir: no preopens (fd 3 is EBADF)", r[:1] == [("prestat 3", EBADF, "")], r)
    check("no --dir: fopen of relative and absolute paths fails (ENOTCAPABLE from wasi-libc)",
          [e for _, e, _ in r[1:5]] == [ENOTCAPABLE] * 4, r)
    check("no --dir: path_open on fd 3 is EBADF", r[5:] == [("read inner.txt", EBADF, "at open")], r)
    p = w.run([w.guest, "fdprobe", "3", "10"])
    r = parse_results(p.stdout)
    check("no --dir: fds 3..10 (fdstat, prestat, read, write, path_open, close) all EBADF",
          p.returncode == 0 and len(r) == 48 and all(e == EBADF for _, e, _ in r),
          [x for x in r if x[1] != EBADF] or p.stdout)
    p = w.run(["--dir", "sandbox::/", w.guest, "fdprobe", "4", "10", "fdprobe", "4294967295", "4294967295"])
    r = parse_results(p.stdout)
    check("one --dir: fds 4..10 and 2^32-1 all EBADF",
          p.returncode == 0 and len(r) == 48 and all(e == EBADF for _, e, _ in r),
          [x for x in r if x[1] != EBADF] or p.stdout)
    check("no --dir: nothing changed", before == w.snapshot(include_sandbox=True))


def stdio_grants_nothing_more(w):
    """stdin/stdout/stderr give the guest what the host fd allows and no more: a directory on stdin is not a
    preopen, and a file opened read-only for stdin cannot be changed through it."""
    ops = ["fd", "0", "stat", "inner.txt", "read", "inner.txt", "mkdir", "newdir", "symlink", "inner.txt", "newlink",
           "link", "inner.txt", "hl", "rename", "inner.txt", "moved.txt", "utimes", "inner.txt", "unlink", "inner.txt",
           "create", "new.txt"]
    attempt(w, "stdin is the sandbox directory (no --dir): no path access through fd 0", ops, [ANY_ERROR] * 9,
            dirs=(), sandbox_frozen=True, stdin="sandbox")
    attempt(w, "stdin is a read-only file: it cannot be changed through fd 0", ["fdops", "0"], [ANY_ERROR] * 4,
            dirs=(), stdin="outside/secret.txt")


def env_isolation(w):
    """The guest sees no host variable unless given it."""
    w.build()

    def guest_env(*flags, extra_env=None):
        p = w.run([*flags, w.guest, "env"], env_extra=extra_env)
        lines = p.stdout.decode(errors="replace").splitlines()
        return p.returncode, [l[len("env: "):] for l in lines if l.startswith("env: ") and l != "env: end"]

    secret = f"{HOST_ENV_KEY}={HOST_ENV_VALUE}"
    rc, env = guest_env()
    check("env: nothing by default", rc == 0 and env == [], env)
    rc, env = guest_env("--env-inherit")
    check("env: --env-inherit passes the host's", rc == 0 and secret in env and any(e.startswith("PATH=") for e in env), env)
    rc, env = guest_env("--env", HOST_ENV_KEY)
    check("env: --env KEY passes the host's value of KEY only", rc == 0 and env == [secret], env)
    rc, env = guest_env("--env", "FOO=bar", "--env", "EMPTY=")
    check("env: --env KEY=VALUE", rc == 0 and env == ["FOO=bar", "EMPTY="], env)
    rc, env = guest_env("--env", "WASMOPS_ESCAPE_TEST_UNSET")
    check("env: --env KEY that the host lacks passes nothing", rc == 0 and env == [], env)
    # One entry per key, the explicit one: a C guest's getenv() returns the first entry it finds.
    rc, env = guest_env("--env-inherit", "--env", f"{HOST_ENV_KEY}=explicit")
    mine = [e for e in env if e.startswith(HOST_ENV_KEY + "=")]
    check("env: --env KEY=VALUE overrides --env-inherit (one entry)", rc == 0 and mine == [f"{HOST_ENV_KEY}=explicit"],
          mine)
    rc, env = guest_env("--env", "FOO=1", "--env", "FOO=2")
    check("env: --env KEY twice: the last wins (one entry)", rc == 0 and env == ["FOO=2"], env)


def guest_words_grant_nothing(w):
    """Words after FILE belong to the guest: an option-like one must not give the guest a directory or the
    host environment (`wasmops run app.wasm "$UNTRUSTED"`)."""
    w.build()
    p = w.run([w.guest, "--env-inherit", "env"])
    out = p.stdout.decode(errors="replace")
    check("guest word --env-inherit reaches the guest", "arg: --env-inherit" in out, out)
    check("guest word --env-inherit does not leak the host environment", HOST_ENV_VALUE not in out, out)
    p = w.run([w.guest, "--dir=sandbox::/", "prestat", "read", "inner.txt"])
    out = p.stdout.decode(errors="replace")
    check("guest word --dir=... reaches the guest", "arg: --dir=sandbox::/" in out, out)
    check("guest word --dir=... grants no preopen", "prestat 3: 8 EBADF" in out and "read inner.txt: 8 EBADF" in out, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--guest", required=True, help="escape.wasm")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as base:
        cache = os.path.join(base, "cache")
        w = World(os.path.join(base, "worlds"), os.path.abspath(a.wasmops), os.path.abspath(a.guest), cache)
        os.makedirs(w.base)
        escapes_rw(w)
        read_only(w)
        no_preopen(w)
        stdio_grants_nothing_more(w)
        env_isolation(w)
        guest_words_grant_nothing(w)
    print(f"{CHECKS} checks, {len(FAILURES)} failures")
    for f in FAILURES:
        print(f"  FAILED: {f}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
