#!/usr/bin/env python3
"""Soak (label `slow`): `wasmops up` on examples/hello-wagi for 5 minutes at
70% of the maximum rate measured just before, with wrk.

The maximum is `wrk -t2 -c50` for 10 s; the soak paces wrk with a Lua
delay() so that it offers about 70% of that (the connection count is
calibrated in short paced runs first). Passes when wrk saw no error
(socket errors, non-2xx) and the host's RSS grew less than 10% from the end
of the first 30 s to the end.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when
wrk is missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from up_process import FAILURES, check, UpProcess  # noqa: E402


def wrk(url, seconds, connections, script=None):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s"] + (["-s", script] if script else []) + [url]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)",):
        m = re.search(pattern, out)
        errors += int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return rps, errors, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--example", required=True)
    ap.add_argument("--seconds", type=int, default=300)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: wrk)")
        return 77
    work = tempfile.mkdtemp(prefix="wasmops-soak-")
    up = UpProcess(args.wasmops, args.example, extra=["--access-log", "off"])
    try:
        check("up: serving", up.wait_serving())
        url = f"{up.base}/hello"
        peak, errors, _ = wrk(url, 10, 50)
        check("maximum measured without errors", errors == 0, errors)
        target = 0.7 * peak
        delay = 5
        conns = max(2, round(target * (delay + 0.3) / 1000))
        script = os.path.join(work, "pace.lua")
        with open(script, "w") as f:
            f.write(f"function delay()\n  return {delay}\nend\n")
        # A request's own latency lengthens each connection's cycle: measure the
        # paced rate for a few seconds and scale the connections to the target.
        for _ in range(3):
            rate, _, _ = wrk(url, 5, conns, script)
            if abs(rate - target) / target < 0.07:
                break
            conns = max(2, round(conns * target / max(rate, 1)))
        rss = []

        def sample():
            t0 = time.time()
            while time.time() - t0 < args.seconds + 5 and up.proc.poll() is None:
                rss.append((time.time() - t0, up.rss_kib()))
                time.sleep(5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rate, errors, out = wrk(url, args.seconds, conns, script)
        sampler.join()
        print(f"     max {peak:.0f} req/s; soak {rate:.0f} req/s on {conns} connections for {args.seconds} s")
        check("soak: about 70% of the maximum (55-85%)", 0.55 * peak <= rate <= 0.85 * peak, f"{rate:.0f} of {peak:.0f}")
        check("soak: 0 errors", errors == 0, out)
        warm = [kib for t, kib in rss if t >= 30]
        growth = (warm[-1] - warm[0]) / warm[0] if len(warm) >= 2 else 1
        check("soak: RSS growth < 10% after the first 30 s", growth < 0.10,
              f"{warm[0] if warm else '?'} -> {warm[-1] if warm else '?'} KiB")
        check("soak: host alive", up.proc.poll() is None)
    finally:
        rc = up.stop()
        shutil.rmtree(work, ignore_errors=True)
    check("up: SIGTERM exits 0", rc == 0, rc)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
