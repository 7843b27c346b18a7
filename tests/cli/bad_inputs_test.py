#!/usr/bin/env python3
"""Hostile inputs for inspect and validate: each gets a clear error or a
correct answer, never a crash or a hang, and memory stays bounded."""
import argparse
import json
import os
import resource
import stat
import subprocess
import sys
import tempfile

FAILURES = []


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def section(i, payload):
    return bytes([i]) + leb(len(payload)) + payload


def run(wasmops, *args):
    # A generous timeout only to catch hangs; it is not a performance check.
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([wasmops, *args], capture_output=True, text=True, timeout=300)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p, max(before, peak_kib)


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + (f": {detail}" if detail and not cond else ""))
    if not cond:
        FAILURES.append(name)


def expect_error(wasmops, name, path, needle):
    for cmd in ("inspect", "validate"):
        p, _ = run(wasmops, cmd, path)
        out = p.stdout + p.stderr
        check(f"{name} ({cmd}) exits 1", p.returncode == 1, f"exit {p.returncode}, output {out!r}")
        check(f"{name} ({cmd}) says {needle!r}", needle in out, out)
        check(f"{name} ({cmd}) no crash report", "Sanitizer" not in out and "Assertion" not in out, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    w = ap.parse_args().wasmops
    with tempfile.TemporaryDirectory() as d:
        # 2 GiB of zeros (sparse): no magic header.
        sparse = os.path.join(d, "sparse.wasm")
        with open(sparse, "wb") as f:
            f.truncate(2 << 30)
        expect_error(w, "2 GiB sparse file", sparse, "magic header not detected")

        # 2 GiB module whose one custom section covers the file: a correct
        # answer, with the file mapped, not read into memory.
        big = os.path.join(d, "big-custom.wasm")
        size = 2 << 30
        head = b"\0asm\1\0\0\0"
        payload_len = size - len(head) - 1 - 5
        with open(big, "wb") as f:
            f.write(head + b"\0" + bytes([0x80 | (payload_len & 0x7F), 0x80 | ((payload_len >> 7) & 0x7F),
                                          0x80 | ((payload_len >> 14) & 0x7F), 0x80 | ((payload_len >> 21) & 0x7F),
                                          (payload_len >> 28) & 0x7F]) + b"\x04blob")
            f.truncate(size)
        p, peak = run(w, "inspect", "--json", big)
        check("2 GiB custom section: inspect ok", p.returncode == 0, p.stderr)
        if p.returncode == 0:
            doc = json.loads(p.stdout)
            check("2 GiB custom section: size reported", doc["size"] == size, doc["size"])
            check("2 GiB custom section: section listed",
                  doc["custom_sections"] and doc["custom_sections"][0]["name"] == "blob", doc["custom_sections"])
        check("2 GiB custom section: memory bounded (< 256 MiB peak)", peak < 256 * 1024, f"{peak} KiB")
        p, _ = run(w, "validate", big)
        check("2 GiB custom section: valid", p.returncode == 0, p.stdout + p.stderr)

        # A directory, a FIFO, a device.
        expect_error(w, "directory", d, "is a directory")
        fifo = os.path.join(d, "fifo.wasm")
        os.mkfifo(fifo)
        expect_error(w, "FIFO", fifo, "not a regular file")
        expect_error(w, "device", "/dev/zero", "not a regular file")

        # Unreadable file (root reads everything, so only as a normal user).
        if os.geteuid() != 0:
            secret = os.path.join(d, "secret.wasm")
            open(secret, "wb").write(b"\0asm\1\0\0\0")
            os.chmod(secret, 0)
            expect_error(w, "unreadable file", secret, "Permission denied")

        # Truncated in every possible place: never a crash.
        n = 1000
        types = section(1, leb(1) + b"\x60\x01\x7f\x01\x7f")
        funcs = section(3, leb(n) + b"\x00" * n)
        body = b"\x00\x20\x00\x41\x01\x6a\x0b"
        code = section(10, leb(n) + (leb(len(body)) + body) * n)
        full = head + types + funcs + code
        for cut in (9, 12, 20, len(full) // 2, len(full) - 1):
            path = os.path.join(d, f"cut{cut}.wasm")
            open(path, "wb").write(full[:cut])
            expect_error(w, f"module truncated at {cut}", path, "unexpected end" if cut > 12 else "")

        # 100,000 functions: a correct answer.
        n = 100000
        funcs = section(3, leb(n) + b"\x00" * n)
        code = section(10, leb(n) + (leb(len(body)) + body) * n)
        many = os.path.join(d, "many.wasm")
        open(many, "wb").write(head + types + funcs + code)
        p, _ = run(w, "inspect", "--json", many)
        check("100,000 functions: inspect ok", p.returncode == 0, p.stderr)
        if p.returncode == 0:
            doc = json.loads(p.stdout)
            check("100,000 functions: counted", doc["functions"]["defined"] == n, doc["functions"])
            check("100,000 functions: instructions counted", doc["code"]["instructions"] == 4 * n, doc["code"])
        p, _ = run(w, "validate", many)
        check("100,000 functions: valid", p.returncode == 0, p.stdout + p.stderr)

    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
