;; wasm-flags: --no-check
;; Invalid: constant expressions of the wrong type, empty offsets, non-constant instructions.
(module
  (global $m (mut i32) (i32.const 0))
  (global $a i64 (i32.const 1))
  (global $b i32 (global.get $m))
  (global $c funcref (ref.null extern))
  (memory 1)
  (table 1 funcref)
  (data (offset) "empty offset")
  (data (i64.const 0) "i64 offset")
  (elem (offset (f32.const 0)))
  (global $d i32 (i32.const 1) (i32.const 2))
)
