;; Memory accesses for the guard-page strategy: stores and unused loads out
;; of bounds, growth, and a host call made while a guest runs.
(module
  (import "env" "poke" (func $poke))
  (memory (export "memory") 1 3)
  (func (export "store") (param $a i32) (i32.store (local.get $a) (i32.const 42)))
  (func (export "load") (param $a i32) (result i32) (i32.load (local.get $a)))
  (func (export "load_unused") (param $a i32) (drop (i32.load offset=8 (local.get $a))))
  (func (export "load_far") (param $a i32) (result i32) (i32.load offset=0x7ffffff0 (local.get $a)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "call_poke") (call $poke)))
