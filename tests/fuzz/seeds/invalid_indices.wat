;; wasm-flags: --no-check
;; Invalid: references to functions, locals, globals, tables, types and labels that do not exist.
(module
  (type $t (func))
  (table 1 funcref)
  (memory 1)
  (func (export "bad")
    (call 7)
    (drop (local.get 3))
    (global.set 2 (i32.const 0))
    (call_indirect 4 (type 9) (i32.const 0))
    (br 5))
  (export "nope" (func 42))
  (start 13)
  (elem (i32.const 0) 99)
  (data (i32.const 0) "x")
)
