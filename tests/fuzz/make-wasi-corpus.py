#!/usr/bin/env python3
"""Writes the fuzz_wasi seed inputs tests/fuzz/corpus_wasi/seed_*.bin.

The input format is described at the top of tests/fuzz/FuzzWasi.cpp. CALLS
below must list the calls in the order of wasi::wasiCalls() (the kCalls table
in src/wasi/WasiHost.cpp); with --check BUILD_DIR/tests/fuzz/fuzz_wasi every
seed is replayed with FUZZ_WASI_TRACE=1 and the calls it made are compared
with the ones intended (and printed with their errnos under -v).
Files named regress_* in the corpus folder (fuzz findings) are left alone.
    tests/fuzz/make-wasi-corpus.py [--check build/fuzz/tests/fuzz/fuzz_wasi] [-v]
"""
import argparse
import os
import struct
import subprocess
import sys

CALLS = [  # (name, signature): i = i32, I = i64
    ("args_get", "ii"), ("args_sizes_get", "ii"), ("environ_get", "ii"), ("environ_sizes_get", "ii"),
    ("clock_res_get", "ii"), ("clock_time_get", "iIi"), ("fd_advise", "iIIi"), ("fd_allocate", "iII"),
    ("fd_close", "i"), ("fd_datasync", "i"), ("fd_fdstat_get", "ii"), ("fd_fdstat_set_flags", "ii"),
    ("fd_fdstat_set_rights", "iII"), ("fd_filestat_get", "ii"), ("fd_filestat_set_size", "iI"),
    ("fd_filestat_set_times", "iIIi"), ("fd_pread", "iiiIi"), ("fd_prestat_get", "ii"),
    ("fd_prestat_dir_name", "iii"), ("fd_pwrite", "iiiIi"), ("fd_read", "iiii"), ("fd_readdir", "iiiIi"),
    ("fd_renumber", "ii"), ("fd_seek", "iIii"), ("fd_sync", "i"), ("fd_tell", "ii"), ("fd_write", "iiii"),
    ("path_create_directory", "iii"), ("path_filestat_get", "iiiii"), ("path_filestat_set_times", "iiiiIIi"),
    ("path_link", "iiiiiii"), ("path_open", "iiiiiIIii"), ("path_readlink", "iiiiii"),
    ("path_remove_directory", "iii"), ("path_rename", "iiiiii"), ("path_symlink", "iiiii"),
    ("path_unlink_file", "iii"), ("poll_oneoff", "iiii"), ("proc_raise", "i"), ("random_get", "ii"),
    ("sched_yield", ""), ("sock_accept", "iii"), ("sock_recv", "iiiiii"), ("sock_send", "iiiii"),
    ("sock_shutdown", "ii"),
]
INDEX = {name: i for i, (name, _) in enumerate(CALLS)}
POKE = len(CALLS)

# WASI constants (src/wasi/WasiAbi.h).
R_FILE = sum(1 << b for b in (0, 1, 2, 3, 4, 5, 6, 7, 8, 21, 22, 23, 27))
R_DIR = sum(1 << b for b in (0, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26))
R_ALL = (1 << 30) - 1
O_CREAT, O_DIRECTORY, O_EXCL, O_TRUNC = 1, 2, 4, 8
FOLLOW = 1


class Load:
    """Argument mode 6: the u32 (or u64) guest memory holds at `addr`."""

    def __init__(self, addr):
        self.addr = addr


def arg(value, wide):
    if isinstance(value, Load):
        return bytes([6]) + struct.pack("<H", value.addr)
    if 0 <= value < 256:
        return bytes([0, value])
    if 0 <= value < 65536:
        return bytes([1]) + struct.pack("<H", value)
    return bytes([4]) + struct.pack("<Q" if wide else "<I", value)


class Seed:
    def __init__(self, setup=0):
        self.out = bytes([setup, 0, 0])  # no memory image: pokes put the data in place
        self.names = []

    def poke(self, addr, data):
        assert len(data) < 256
        self.out += bytes([POKE]) + struct.pack("<HB", addr, len(data)) + data
        return self

    def string(self, addr, text):
        self.poke(addr, text.encode())
        return len(text.encode())

    def call(self, name, *args):
        sig = CALLS[INDEX[name]][1]
        assert len(args) == len(sig), name
        self.out += bytes([INDEX[name]]) + b"".join(arg(a, p == "I") for a, p in zip(args, sig))
        self.names.append(name)
        return self


def iovec(seed, at, buf, length):
    seed.poke(at, struct.pack("<II", buf, length))


def seeds():
    # Open an existing file, write, seek, read; create another one O_EXCL with O_APPEND.
    s = Seed()
    n = s.string(0x100, "file.txt")
    m = s.string(0x120, "new.txt")
    s.poke(0x400, b"written by fuzz\n")
    iovec(s, 0x200, 0x400, 16)
    iovec(s, 0x208, 0x500, 64)
    s.call("path_open", 3, FOLLOW, 0x100, n, 0, R_FILE, 0, 0, 0x10)
    s.call("fd_write", Load(0x10), 0x200, 1, 0x18)
    s.call("fd_seek", Load(0x10), (1 << 64) - 5, 2, 0x20)  # whence END: an edge -O2 folds away
    s.call("fd_seek", Load(0x10), 0, 0, 0x20)
    s.call("fd_read", Load(0x10), 0x208, 1, 0x18)
    s.call("fd_pread", Load(0x10), 0x208, 1, 3, 0x18)
    s.call("fd_filestat_get", Load(0x10), 0x600)
    s.call("path_open", 3, 0, 0x120, m, O_CREAT | O_EXCL, R_FILE, 0, 1, 0x14)
    s.call("fd_pwrite", Load(0x14), 0x200, 1, 0, 0x18)
    s.call("fd_fdstat_get", Load(0x14), 0x600)
    s.call("fd_filestat_set_size", Load(0x14), 3)
    s.call("fd_close", Load(0x10))
    s.call("fd_close", Load(0x14))
    yield "seed_open_write_read", s

    # Directory listings: a subdirectory opened with path_open, the preopens, a
    # cookie taken from the first entry, a buffer too small for one entry.
    s = Seed()
    n = s.string(0x100, "sub")
    s.call("path_open", 3, 0, 0x100, n, O_DIRECTORY, R_DIR, R_ALL, 0, 0x10)
    s.call("fd_readdir", Load(0x10), 0x400, 256, 0, 0x18)
    s.call("fd_readdir", 3, 0x800, 512, 0, 0x18)
    s.call("fd_readdir", 3, 0x800, 1024, Load(0x800), 0x18)
    s.call("fd_readdir", 4, 0x800, 20, 0, 0x18)
    s.call("fd_prestat_get", 4, 0x20)
    s.call("fd_prestat_dir_name", 4, 0x30, Load(0x24))
    yield "seed_readdir", s

    # Symlinks: create, read, stat through; one pointing out of the sandbox,
    # opened with O_TRUNC; existing escapes (relative, via a symlinked dir).
    s = Seed()
    t = s.string(0x100, "file.txt")
    ln = s.string(0x120, "newlink")
    ev = s.string(0x140, "../outside/canary.txt")
    e = s.string(0x180, "evil")
    r = s.string(0x1A0, "escape_rel")
    v = s.string(0x1C0, "sub/escape_via_link/canary.txt")
    s.call("path_symlink", 0x100, t, 3, 0x120, ln)
    s.call("path_readlink", 3, 0x120, ln, 0x400, 64, 0x18)
    s.call("path_filestat_get", 3, FOLLOW, 0x120, ln, 0x600)
    s.call("path_symlink", 0x140, ev, 3, 0x180, e)
    s.call("path_open", 3, FOLLOW, 0x180, e, O_TRUNC, R_FILE, 0, 0, 0x10)
    s.call("path_open", 3, FOLLOW, 0x1A0, r, 0, R_FILE, 0, 0, 0x10)
    s.call("path_open", 3, FOLLOW, 0x1C0, v, O_CREAT, R_FILE, 0, 0, 0x10)
    s.call("path_filestat_get", 3, 0, 0x1A0, r, 0x600)
    s.call("path_unlink_file", 3, 0x120, ln)
    yield "seed_symlink", s

    # The component walk instead of openat2 (setup bit 0), through symlinks and "..".
    s = Seed(setup=1)
    paths = ["link_sub/deeper/../nested.txt", "escape_up/outside/canary.txt", "sub/up/sub/up/file.txt",
             "loop", "dangling", "link_nested", "sub/escape"]
    for i, p in enumerate(paths):
        at = 0x100 + 0x40 * i
        n = s.string(at, p)
        flags = O_CREAT if p == "dangling" else 0
        s.call("path_open", 3, FOLLOW, at, n, flags, R_FILE, 0, 0, 0x10 + 4 * i)
    s.call("path_symlink", 0x100, 3, 4, 0x140, 6)
    yield "seed_walk", s

    # Directories, renames (also across preopens: setup bit 2 makes /sub writable), links, times.
    s = Seed(setup=4)
    d = s.string(0x100, "newdir")
    rn = s.string(0x120, "renamed")
    f = s.string(0x140, "file.txt")
    h = s.string(0x160, "hard")
    nt = s.string(0x180, "nested.txt")
    mv = s.string(0x1A0, "moved.txt")
    lf = s.string(0x1C0, "link_file")
    s.call("path_create_directory", 3, 0x100, d)
    s.call("path_rename", 3, 0x100, d, 3, 0x120, rn)
    s.call("path_link", 3, 0, 0x140, f, 3, 0x160, h)
    s.call("path_link", 3, FOLLOW, 0x1C0, lf, 4, 0x160, h)
    s.call("path_unlink_file", 3, 0x160, h)
    s.call("path_remove_directory", 3, 0x120, rn)
    s.call("path_filestat_set_times", 3, 0, 0x140, f, 1000, 2000, 1 | 4)
    s.call("path_rename", 4, 0x180, nt, 3, 0x1A0, mv)
    s.call("fd_filestat_set_times", 3, 0, 0, 2 | 8)
    yield "seed_dirs", s

    # Args, environ, clocks, random, stdio, poll (a 1 s clock, zeroed by the
    # harness, and fd 0 readable), sockets (there are none: ENOTSOCK).
    s = Seed()
    s.call("args_sizes_get", 0x10, 0x14)
    s.call("args_get", 0x100, 0x200)
    s.call("environ_sizes_get", 0x18, 0x1C)
    s.call("environ_get", 0x300, 0x400)
    s.call("clock_res_get", 1, 0x20)
    s.call("clock_time_get", 0, 1, 0x28)
    s.call("random_get", 0x500, 32)
    s.call("sched_yield")
    s.call("fd_fdstat_get", 1, 0x600)
    s.call("fd_fdstat_set_flags", 1, 1)
    s.poke(0x700, b"to stdout\n")
    iovec(s, 0x680, 0x700, 10)
    s.call("fd_write", 1, 0x680, 1, 0x30)
    s.call("fd_read", 0, 0x680, 1, 0x30)
    s.poke(0x800, struct.pack("<QB7xIIQQH6x", 1, 0, 1, 0, 1_000_000_000, 0, 0))
    s.poke(0x830, struct.pack("<QB7xI28x", 2, 1, 0))
    s.call("poll_oneoff", 0x800, 0xA00, 2, 0x34)
    s.call("proc_raise", 2)
    s.call("fd_renumber", 4, 2)
    s.call("fd_prestat_get", 2, 0x38)
    s.call("sock_recv", 3, 0x680, 1, 0, 0x40, 0x44)
    s.call("sock_send", 0, 0x680, 1, 0, 0x40)
    s.call("sock_shutdown", 1, 3)
    s.call("sock_accept", 3, 0, 0x48)
    yield "seed_misc", s

    # Files grown past the harness's RLIMIT_FSIZE (16 MiB): EFBIG, not SIGXFSZ
    # (the first fuzz run died of it: libFuzzer's own SIGXFSZ handler).
    s = Seed()
    n = s.string(0x100, "big.bin")
    iovec(s, 0x200, 0x100, 7)
    s.call("path_open", 3, 0, 0x100, n, 0, R_FILE, 0, 0, 0x10)
    s.call("fd_allocate", Load(0x10), 1 << 40, 1 << 20)
    s.call("fd_filestat_set_size", Load(0x10), 1 << 40)
    s.call("fd_pwrite", Load(0x10), 0x200, 1, 1 << 40, 0x18)
    s.call("fd_allocate", Load(0x10), 0, 4096)
    yield "seed_file_size_limit", s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", metavar="FUZZ_WASI", help="replay every seed with this binary and check its calls")
    ap.add_argument("-v", action="store_true", help="with --check: print each call and its errno")
    opts = ap.parse_args()
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus_wasi")
    os.makedirs(corpus, exist_ok=True)
    for old in os.listdir(corpus):
        if old.startswith("seed_"):
            os.remove(os.path.join(corpus, old))
    status = 0
    for name, seed in seeds():
        path = os.path.join(corpus, name + ".bin")
        with open(path, "wb") as f:
            f.write(seed.out)
        print(f"{name}.bin: {len(seed.out)} bytes, {len(seed.names)} calls")
        if opts.check:
            env = dict(os.environ, FUZZ_WASI_TRACE="1")
            run = subprocess.run([opts.check, path], env=env, capture_output=True, text=True)
            trace = [line for line in run.stderr.splitlines() if "(" in line and ") = " in line]
            made = [line.split("(")[0] for line in trace]
            if run.returncode != 0 or made != seed.names:
                print(f"  FAILED (exit {run.returncode}); calls made: {made}\n{run.stderr}", file=sys.stderr)
                status = 1
            elif opts.v:
                for line in trace:
                    print("  " + line)
    return status


if __name__ == "__main__":
    sys.exit(main())
