;; wasm-flags: --no-check
;; Invalid: ref.func of an undeclared function, call_indirect through an externref table,
;; global.set of an immutable global, a load without a memory, table.get out of range.
(module
  (type $v (func))
  (table $x 1 externref)
  (global $g i32 (i32.const 0))
  (func $f)
  (func (export "bad")
    (drop (ref.func $f))
    (call_indirect $x (type $v) (i32.const 0))
    (global.set $g (i32.const 1))
    (drop (i32.load (i32.const 0)))
    (drop (table.get 3 (i32.const 0))))
  (func (export "f") (nop))
)
