;; wasm-flags: --enable-extended-const
;; Extended constant expressions (beyond 2.0): arithmetic in initializers and offsets.
(module
  (import "env" "base" (global $base i32))
  (memory 1)
  (global $end i32 (i32.add (global.get $base) (i32.mul (i32.const 4) (i32.const 16))))
  (global $big i64 (i64.sub (i64.const 1) (i64.const 2)))
  (data (i32.add (global.get $base) (i32.const 8)) "offset")
)
