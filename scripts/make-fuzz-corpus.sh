#!/usr/bin/env bash
# Regenerates the fuzz seed corpus tests/fuzz/corpus/ from tests/fuzz/seeds/:
#   *.wat   wat2wasm (wabt); extra flags on a line ";; wasm-flags: ..."
#   *.c     clang --target=wasm32-wasi (wasi-libc); extra flags on "// clang-flags: ..."
#   *.hex   hand-written bytes as hex digits, "#" starts a comment, XX*N
#           stands for N bytes XX
#   *.wasm  reproducers of fixed fuzz findings, copied as they are
# Each output is <stem>.wasm and must stay under 20 KB. Both the seeds and
# the generated corpus are committed; rerun this after changing a seed.
# Tools: WAT2WASM (default wat2wasm) and CLANG (default clang).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seeds="$root/tests/fuzz/seeds"
corpus="$root/tests/fuzz/corpus"
WAT2WASM="${WAT2WASM:-wat2wasm}"
CLANG="${CLANG:-clang}"
max_size=$((20 * 1024))

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$seeds"  # relative paths only, so nothing of this machine ends up in a binary

shopt -s nullglob
for wat in *.wat; do
  read -r -a flags <<<"$(sed -n 's/^;; wasm-flags: //p' "$wat" | head -1)"
  "$WAT2WASM" "${flags[@]}" "$wat" -o "$tmp/${wat%.wat}.wasm" || { echo "make-fuzz-corpus: $wat failed" >&2; exit 1; }
done
for c in *.c; do
  read -r -a flags <<<"$(sed -n 's,^// clang-flags: ,,p' "$c" | head -1)"
  "$CLANG" --target=wasm32-wasi "${flags[@]}" -Wl,--strip-debug "$c" -o "$tmp/${c%.c}.wasm" ||
    { echo "make-fuzz-corpus: $c failed" >&2; exit 1; }
done
for hex in *.hex; do
  digits="$(awk '{ sub(/#.*/, "")
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^[0-9a-fA-F][0-9a-fA-F][*][0-9]+$/) { split($i, a, "*"); for (k = 0; k < a[2]; k++) printf "%s", a[1] }
      else printf "%s", $i
    } }' "$hex")"
  if [[ ! "$digits" =~ ^([0-9a-fA-F]{2})*$ ]]; then
    echo "make-fuzz-corpus: $hex: odd number of hex digits or a non-hex character" >&2
    exit 1
  fi
  printf '%b' "$(sed 's/../\\x&/g' <<<"$digits")" >"$tmp/${hex%.hex}.wasm"
done
for wasm in *.wasm; do
  cp "$wasm" "$tmp/$wasm"
done

status=0
for out in "$tmp"/*.wasm; do
  size="$(wc -c <"$out")"
  if [ "$size" -ge "$max_size" ]; then
    echo "make-fuzz-corpus: $(basename "$out") is $size bytes (limit $max_size)" >&2
    status=1
  fi
done
[ "$status" -eq 0 ] || exit 1

mkdir -p "$corpus"
rm -f "$corpus"/*.wasm
cp "$tmp"/*.wasm "$corpus"/
chmod 644 "$corpus"/*.wasm
echo "make-fuzz-corpus: $(find "$corpus" -name '*.wasm' | wc -l) files in tests/fuzz/corpus ($(du -sb "$corpus" | cut -f1) bytes)"
