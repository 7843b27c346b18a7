;; wasm-flags: --no-check
;; Invalid: stack underflow, values left over, unreachable polymorphism, select without type.
(module
  (func (result i32) (i32.add (i32.const 1)))
  (func (i32.const 1))
  (func (param externref) (result externref)
    (select (local.get 0) (local.get 0) (i32.const 1)))
  (func (result i32) (unreachable) (i64.add) (drop) (i32.const 0))
  (func (block (result i32) (br 0)))
  (func (loop (param i32) (br 0)))
)
