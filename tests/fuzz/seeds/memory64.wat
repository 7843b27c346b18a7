;; wasm-flags: --enable-memory64
;; 64-bit memory (beyond 2.0): i64 addresses, 64-bit memarg offsets.
(module
  (memory i64 1 2)
  (data (i64.const 0) "memory64")
  (func (export "load") (param i64) (result i64)
    (i64.store offset=4294967295 (local.get 0) (i64.const 5))
    (drop (memory.grow (i64.const 1)))
    (i64.add (memory.size) (i64.load8_u (local.get 0))))
)
