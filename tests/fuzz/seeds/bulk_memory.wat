;; Bulk memory: passive data, memory.init/copy/fill, data.drop (needs datacount).
(module
  (memory 1)
  (data $passive "passive bytes")
  (data (i32.const 100) "active")
  (func (export "go") (param $dst i32)
    (memory.init $passive (local.get $dst) (i32.const 0) (i32.const 7))
    (data.drop $passive)
    (memory.copy (i32.const 200) (local.get $dst) (i32.const 7))
    (memory.fill (i32.const 300) (i32.const 0x2a) (i32.const 16)))
)
