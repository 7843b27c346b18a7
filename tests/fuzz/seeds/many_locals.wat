;; wasm-flags: --no-canonicalize-leb128s
;; Many local declarations and padded (5-byte) LEB128 sizes everywhere.
(module
  (func (export "locals") (param i32) (result i32)
    (local i32 i32 i32 i32 i64 i64 f32 f32 f64 f64 v128 externref funcref)
    (local $x i32) (local $y i64)
    (local.set $x (local.get 0))
    (local.set $y (i64.extend_i32_s (local.get $x)))
    (i32.wrap_i64 (local.get $y)))
  (memory 1)
  (data (i32.const 0) "padded")
)
