;; wasm-flags: --enable-tail-call
;; Tail calls (beyond 2.0): return_call and return_call_indirect.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $count)
  (func $count (type $t)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "go") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
)
