;; A memory with constant-offset data: the copy-on-write image case.
(module
  (memory (export "memory") 1 3)
  (data (i32.const 16) "hello image")
  (data (i32.const 65530) "edge!!")
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
