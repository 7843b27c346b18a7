;; wasm-flags: --no-check
;; Invalid (well-formed): operand type mismatches and a wrong result count.
(module
  (func (export "bad") (param i32) (result i64)
    (i32.add (local.get 0) (f32.const 1)))
  (func (result i32 i32) (i32.const 1))
)
