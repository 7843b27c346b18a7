#!/usr/bin/env bash
# HTTP serving benchmark (bench/http_serving.py: wasmops up vs nginx-light with wrk, cold start, density).
exec python3 "$(dirname "$0")/http_serving.py" "$@"
