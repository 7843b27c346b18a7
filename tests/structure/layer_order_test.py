#!/usr/bin/env python3
"""Layer order (DESIGN.md §2): a layer includes only its own headers and
those of the layers it depends on, which come before it.

The layers and their dependencies are read from src/CMakeLists.txt (the
`wasmops_layer(NAME ... DEPS ...)` calls, in order); every `#include
"LAYER/..."` under src/LAYER/ is checked against them. The build enforces the
same rule through per-layer include folders; this test names every crossing
at once, with file and line.

Usage: layer_order_test.py SOURCE_ROOT
"""
import os
import re
import sys

LAYER_CALL = re.compile(r'wasmops_layer\((\w+)(.*?)\)\s*$', re.S | re.M)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/', re.M)


def read_layers(cmake_text):
    """[(layer, [deps in order])], in definition order."""
    layers = []
    for m in LAYER_CALL.finditer(cmake_text):
        body = m.group(2)
        deps = []
        if 'DEPS' in body.split():
            after = body.split('DEPS', 1)[1]
            deps = [d[len('wasmops_'):] for d in after.split() if d.startswith('wasmops_')]
        layers.append((m.group(1), deps))
    return layers


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
    src = os.path.join(root, 'src')
    with open(os.path.join(src, 'CMakeLists.txt'), encoding='utf-8') as f:
        layers = read_layers(f.read())
    if not layers:
        print('layer order: no wasmops_layer() calls found in src/CMakeLists.txt')
        return 1
    problems = []
    allowed = {}
    order = [name for name, _ in layers]
    for name, deps in layers:
        mine = {name}
        for d in deps:
            if d not in allowed:
                problems.append(f'src/CMakeLists.txt: layer {name} depends on {d}, which is not defined before it')
                continue
            mine |= allowed[d]
        allowed[name] = mine
    layer_dirs = set(order) | {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    checked = 0
    for name in order:
        top = os.path.join(src, name)
        for dirpath, _, files in os.walk(top):
            for fn in files:
                if not fn.endswith(('.h', '.cpp', '.inc', '.c')):
                    continue
                path = os.path.join(dirpath, fn)
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    target = m.group(1)
                    if target not in layer_dirs:
                        continue
                    checked += 1
                    if target not in allowed[name]:
                        line = text.count('\n', 0, m.start()) + 1
                        rel = os.path.relpath(path, root)
                        problems.append(f'{rel}:{line}: layer {name} includes {target}/, which is '
                                        f'{"above it" if target in order and order.index(target) > order.index(name) else "not among its dependencies"} '
                                        f'(it may include: {", ".join(sorted(allowed[name]))})')
    for p in problems:
        print(p)
    print(f'layer order: {len(order)} layers ({" < ".join(order)}), {checked} layer includes checked, '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
