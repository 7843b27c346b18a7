#!/usr/bin/env python3
"""The example Grafana dashboard reads only metrics the host exports.

Every wasmops_* name in the PromQL of examples/observability/grafana-dashboard.json
(panel targets and template variable queries) must be one of the host_metric
constants of src/ops/HostMetrics.h; a histogram's name (registered with
registry.histogram in src/ops/HostMetrics.cpp) may carry _bucket, _sum or
_count. When promtool is installed, every expression must also parse as PromQL.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILURES = []
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + (f"\n     {detail}" if detail and not cond else ""), flush=True)
    if not cond:
        FAILURES.append(name)
    return cond


def host_metrics(header, source):
    """({constant: name}, {histogram names}) from HostMetrics.h and .cpp."""
    with open(header) as f:
        text = f.read()
    block = re.search(r"namespace host_metric \{(.*?)\}", text, re.S)
    constants = dict(re.findall(r'inline constexpr std::string_view (k\w+) = "([^"]+)";', block.group(1) if block else ""))
    with open(source) as f:
        histograms = {constants[k] for k in re.findall(r"registry\.histogram\(\s*(k\w+)", f.read()) if k in constants}
    return constants, histograms


def expressions(node, where="dashboard"):
    """(where, PromQL) for every target expr and template variable query."""
    if isinstance(node, dict):
        if isinstance(node.get("expr"), str):
            yield where, node["expr"]
        if node.get("type") == "query" and "name" in node:
            q = node.get("query")
            q = q.get("query") if isinstance(q, dict) else q
            if isinstance(q, str):
                yield f"variable ${node['name']}", q
        for k, v in node.items():
            title = node.get("title")
            yield from expressions(v, f"panel '{title}'" if title and k in ("targets", "panels") else where)
    elif isinstance(node, list):
        for v in node:
            yield from expressions(v, where)


def metric_names(expr):
    """The wasmops_* identifiers of `expr`, string literals left out (a label value is not a metric)."""
    code = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    # __name__="wasmops_..." names a metric inside a string: keep those.
    named = re.findall(r'__name__\s*=~?\s*"(wasmops_[A-Za-z0-9_:]*)"', expr)
    return set(re.findall(r"(?<![A-Za-z0-9_:])wasmops_[A-Za-z0-9_:]*", code)) | set(named)


def known(name, exported, histograms):
    if name in exported:
        return True
    return any(name.endswith(s) and name[: -len(s)] in histograms for s in HISTOGRAM_SUFFIXES)


def unknown_names(exprs, exported, histograms):
    return sorted({(where, n) for where, e in exprs for n in metric_names(e) if not known(n, exported, histograms)})


def as_plain_promql(expr):
    """Grafana's variables replaced by something PromQL parses."""
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
    expr = re.sub(r"label_values\((\w+),\s*(\w+)\)", r"group by (\2) (\1)", expr)
    return re.sub(r"\$\{?\w+\}?", ".*", expr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--host-metrics", required=True, help="src/ops/HostMetrics.h; HostMetrics.cpp is read beside it")
    a = ap.parse_args()

    constants, histograms = host_metrics(a.host_metrics, os.path.splitext(a.host_metrics)[0] + ".cpp")
    exported = set(constants.values())
    check("HostMetrics.h: host_metric constants found", len(exported) >= 10, str(sorted(exported)))
    check("HostMetrics.cpp: histograms found among them", len(histograms) >= 2, str(sorted(histograms)))

    try:
        with open(a.dashboard) as f:
            dashboard = json.load(f)
    except (OSError, ValueError) as e:
        check("dashboard: valid JSON", False, str(e))
        return 1
    check("dashboard: valid JSON", True)
    exprs = list(expressions(dashboard))
    panels = [p for p in dashboard.get("panels", []) if p.get("type") != "row"]
    check("dashboard: has panels, each with at least one expression",
          panels and all(any(t.get("expr") for t in p.get("targets", [])) for p in panels),
          str([p.get("title") for p in panels if not any(t.get("expr") for t in p.get("targets", []))]))
    ids = [p.get("id") for p in dashboard.get("panels", [])]
    check("dashboard: panel ids are unique", len(ids) == len(set(ids)), str(ids))

    used = set().union(*(metric_names(e) for _, e in exprs)) if exprs else set()
    check(f"dashboard: {len(exprs)} expressions name {len(used)} wasmops metrics", len(used) > 0)
    bad = unknown_names(exprs, exported, histograms)
    check("dashboard: every wasmops_* name is one the host exports", not bad,
          "\n     ".join(f"{where}: {n}" for where, n in bad))
    suffixed = {n + s for n in histograms for s in HISTOGRAM_SUFFIXES}
    unused = sorted(n for n in exported if n not in used and not any(u in suffixed and u.startswith(n) for u in used))
    print(f"info exported but not on the dashboard: {', '.join(unused) or 'none'}")

    # The checker itself: an unknown name, a suffix on a non-histogram, and a
    # name that is only a label value must be told apart.
    probe = [("probe", 'rate(wasmops_http_requests_totl[5m])'),
             ("probe", 'rate(wasmops_guest_traps_total_count[5m])'),
             ("probe", 'wasmops_http_request_duration_seconds_bucket{job="wasmops_not_a_metric"}'),
             ("probe", '{__name__="wasmops_no_such_metric"}')]
    flagged = [n for _, n in unknown_names(probe, exported, histograms)]
    check("self-test: unknown names are flagged, label values are not",
          flagged == ["wasmops_guest_traps_total_count", "wasmops_http_requests_totl", "wasmops_no_such_metric"],
          str(flagged))

    # Every expression is PromQL: promtool parses them as recording rules.
    if shutil.which("promtool"):
        with tempfile.TemporaryDirectory() as tmp:
            rules = os.path.join(tmp, "rules.yml")
            with open(rules, "w") as f:
                f.write("groups:\n  - name: dashboard\n    rules:\n")
                for i, (_, e) in enumerate(exprs):
                    f.write(f"      - record: dashboard:expr{i}\n        expr: {json.dumps(as_plain_promql(e))}\n")
            p = subprocess.run(["promtool", "check", "rules", rules], capture_output=True, text=True, timeout=60)
            check("promtool check rules: every expression parses as PromQL", p.returncode == 0,
                  p.stdout + p.stderr)
    else:
        print("info promtool not installed: PromQL syntax not checked")

    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
