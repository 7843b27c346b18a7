;; wasm-flags: --enable-threads
;; Threads (beyond 2.0): shared memory, atomic loads/stores/rmw, wait/notify, fence.
(module
  (memory 1 1 shared)
  (func (export "atomics") (param $p i32) (result i64)
    (i32.atomic.store (local.get $p) (i32.const 1))
    (drop (i32.atomic.rmw.add (local.get $p) (i32.const 2)))
    (drop (i64.atomic.rmw32.cmpxchg_u (local.get $p) (i64.const 0) (i64.const 1)))
    (drop (memory.atomic.notify (local.get $p) (i32.const 1)))
    (drop (memory.atomic.wait32 (local.get $p) (i32.const 0) (i64.const -1)))
    (atomic.fence)
    (i64.atomic.load8_u (local.get $p)))
)
