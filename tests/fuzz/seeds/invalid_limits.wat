;; wasm-flags: --no-check
;; Invalid: memory larger than 4 GiB, min above max, two memories without multi-memory,
;; duplicate export names, alignment larger than natural.
(module
  (memory 65537)
  (memory 2 1)
  (table 5 2 funcref)
  (func (export "a") (drop (i32.load align=8 (i32.const 0))))
  (func (export "a"))
)
