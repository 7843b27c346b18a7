;; A WASI preview1 command: writes "hi\n" to stdout.
(module
  (type $write_t (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $write_t)))
  (memory (export "memory") 1 2)
  (data (i32.const 8) "hi\n")
  (global $counter (mut i32) (i32.const 0))
  (func $main (export "_start")
    (i32.store (i32.const 0) (i32.const 8))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))
