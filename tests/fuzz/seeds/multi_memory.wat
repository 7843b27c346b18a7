;; wasm-flags: --enable-multi-memory
;; Multiple memories (beyond 2.0): memarg memory indices, data into memory 1, copy across.
(module
  (memory $a 1)
  (memory $b 2)
  (data (memory $b) (i32.const 0) "second memory")
  (func (export "copy") (result i32)
    (memory.copy $a $b (i32.const 0) (i32.const 0) (i32.const 13))
    (i32.store $b offset=4 (i32.const 0) (i32.load $a (i32.const 0)))
    (i32.add (memory.size $b) (i32.load8_u $b (i32.const 1))))
)
