#!/usr/bin/env python3
"""`wasmops run --listen HOST:PORT`: a guest serves TCP on the socket the host pre-opened.

Runs the echo guest (tests/data/wasi/echo.c: sock_accept, sock_recv,
sock_send, sock_shutdown) and talks to it from here: a fixed free port, then
port 0 (the kernel's choice, found through /proc), a listener numbered after a
preopen, a port already taken, and sock_accept on fds that are not listeners.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

FAILURES = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + (f"\n     {detail}" if detail and not cond else ""))
    if not cond:
        FAILURES.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_port(pid):
    """The TCP port process `pid` listens on (IPv4), or None yet."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            m = re.match(r"socket:\[(\d+)\]$", os.readlink(f"/proc/{pid}/fd/{fd}"))
            if m:
                inodes.add(m.group(1))
    except OSError:
        return None
    with open("/proc/net/tcp") as f:
        for line in f.read().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes and fields[3] == "0A":  # TCP_LISTEN
                return int(fields[1].split(":")[1], 16)
    return None


def connect(port, proc, deadline=20.0):
    """Connects once wasmops listens; fails if the process ends first."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and proc.poll() is None:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except (ConnectionRefusedError, socket.timeout):
            time.sleep(0.02)
    return None


def echo(sock, payload):
    """Sends `payload` (from a thread, so neither side's buffers can deadlock), then reads to EOF."""
    def send():
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=send)
    t.start()
    got = bytearray()
    while chunk := sock.recv(65536):
        got += chunk
    t.join()
    sock.close()
    return bytes(got)


def serve(w, args, port_of, conversations, name):
    """Starts `wasmops run ARGS`, holds the conversations (payloads), checks the replies and the exit."""
    proc = subprocess.Popen([w.wasmops, "run", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=w.env,
                            cwd=w.data)
    try:
        port = port_of(proc)
        check(f"{name}: listening", port is not None)
        for i, payload in enumerate(conversations):
            sock = connect(port, proc) if port else None
            check(f"{name}: connection {i + 1} accepted", sock is not None)
            if sock:
                reply = echo(sock, payload)
                check(f"{name}: connection {i + 1} echoed {len(payload)} bytes", reply == payload,
                      f"got {len(reply)} bytes: {reply[:60]!r}")
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    err = err.decode(errors="replace")
    check(f"{name}: guest exits 0 after {len(conversations)} connections", proc.returncode == 0,
          f"exit {proc.returncode}, stderr: {err}")
    check(f"{name}: guest reports every connection done", f"echo: connection {len(conversations)} done" in err, err)


class W:
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--data", required=True, help="fixtures folder (with wasi/echo.wasm, wasi/args.wasm)")
    a = ap.parse_args()
    w = W()
    w.wasmops = os.path.abspath(a.wasmops)
    w.data = a.data
    with tempfile.TemporaryDirectory() as cache:
        w.env = dict(os.environ, XDG_CACHE_HOME=cache, WASMOPS_BACKGROUND_COMPILE="0")
        big = bytes(range(256)) * 1024  # 256 KiB: many recv/send rounds

        # A port picked here: the listener is fd 3 (no preopens).
        port = free_port()
        serve(w, ["--listen", f"127.0.0.1:{port}", "wasi/echo.wasm", "3", "2"], lambda p: port,
              [b"hello wasi\n", big], "fixed port")

        # Port 0: the kernel picks; after one preopen, the listener is fd 4.
        def kernel_port(proc):
            end = time.monotonic() + 20
            while time.monotonic() < end and proc.poll() is None:
                if (found := listening_port(proc.pid)) is not None:
                    return found
                time.sleep(0.02)
            return None
        serve(w, ["--dir", ".", "--listen", "127.0.0.1:0", "wasi/echo.wasm", "4", "1"], kernel_port,
              [b"port zero\n"], "port 0 after a preopen")

        # A port someone else holds: a clear error, not a guest that never hears anything.
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            p = subprocess.run([w.wasmops, "run", "--listen", f"127.0.0.1:{port}", "wasi/args.wasm"], cwd=w.data,
                               env=w.env, capture_output=True, text=True, timeout=60)
            check("port in use: exit 1", p.returncode == 1, f"exit {p.returncode}, stderr: {p.stderr}")
            check("port in use: says so", f"--listen '127.0.0.1:{port}': Address already in use" in p.stderr, p.stderr)

        # sock_accept on what is not a listening socket.
        for fd, want in [("1", "57 ENOTSOCK"), ("9", "8 EBADF")]:
            p = subprocess.run([w.wasmops, "run", "wasi/echo.wasm", fd], cwd=w.data, env=w.env, capture_output=True,
                               text=True, timeout=60)
            check(f"sock_accept on fd {fd}: {want}", p.returncode == 1 and f"sock_accept on fd {fd}: {want}" in p.stderr,
                  f"exit {p.returncode}, stderr: {p.stderr}")

        # A guest blocked in sock_accept with nobody connecting still ends at --timeout.
        port = free_port()
        start = time.monotonic()
        p = subprocess.run([w.wasmops, "run", "--timeout", "300ms", "--listen", f"127.0.0.1:{port}", "wasi/echo.wasm"],
                           cwd=w.data, env=w.env, capture_output=True, text=True, timeout=60)
        took = time.monotonic() - start
        check("blocked in sock_accept: --timeout exits 124", p.returncode == 124 and "timed out after 300ms" in p.stderr,
              f"exit {p.returncode}, stderr: {p.stderr}")
        check("blocked in sock_accept: ends within the grace period", took < 5, f"{took:.1f} s")

    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
