;; A hand-written component that keeps a counter in a Spin key-value store:
;; it imports wasi:keyvalue/store and wasi:keyvalue/atomics at 0.2.0-draft2
;; (the shapes Spin 3's SDKs emit: a `bucket` resource, the `error` variant,
;; increment over s64), and exports `bump: func() -> s64`, which opens the
;; "default" bucket, increments "counter" by one, drops the bucket and
;; returns the new value, and `hold: func() -> u32`, which opens "default"
;; and keeps it (the handle's index). tests/http/kv_component_test.py
;; assembles it with `jco parse` and runs it twice over one SQLite file: 1,
;; then 2.
(component $kv-counter
  (import "wasi:keyvalue/store@0.2.0-draft2" (instance $store
    (type $error (variant (case "no-such-store") (case "access-denied") (case "other" string)))
    (export "error" (type $error-e (eq $error)))
    (export "bucket" (type $bucket (sub resource)))
    (type $own-bucket (own $bucket))
    (type $open-result (result $own-bucket (error $error-e)))
    (export "open" (func (param "identifier" string) (result $open-result)))))
  (alias export $store "bucket" (type $bucket))
  (alias export $store "error" (type $error))
  (import "wasi:keyvalue/atomics@0.2.0-draft2" (instance $atomics
    (alias outer $kv-counter $bucket (type $b))
    (export "bucket" (type $bucket-e (eq $b)))
    (alias outer $kv-counter $error (type $e))
    (export "error" (type $error-e (eq $e)))
    (type $borrow-bucket (borrow $bucket-e))
    (type $increment-result (result s64 (error $error-e)))
    (export "increment" (func (param "bucket" $borrow-bucket) (param "key" string) (param "delta" s64)
      (result $increment-result)))))
  (alias export $store "open" (func $open))
  (alias export $atomics "increment" (func $increment))

  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    ;; A bump allocator: enough for the error strings a failed call brings back.
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $new-size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $bump (i32.add (local.get $p) (local.get $new-size)))
      (if (i32.gt_u (global.get $bump) (i32.const 65536)) (then unreachable))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (core func $open-lowered (canon lower (func $open) (memory $mem) (realloc $realloc)))
  (core func $increment-lowered (canon lower (func $increment) (memory $mem) (realloc $realloc)))
  (core func $bucket-drop (canon resource.drop $bucket))
  (core instance $kv
    (export "open" (func $open-lowered))
    (export "increment" (func $increment-lowered))
    (export "bucket-drop" (func $bucket-drop)))

  (core module $m
    (import "libc" "memory" (memory 1))
    (import "kv" "open" (func $open (param i32 i32 i32)))
    (import "kv" "increment" (func $increment (param i32 i32 i32 i64 i32)))
    (import "kv" "bucket-drop" (func $bucket-drop (param i32)))
    ;; "default" at 0, "counter" at 8; return areas at 64 and 96.
    (data (i32.const 0) "default")
    (data (i32.const 8) "counter")
    (func (export "bump") (result i64)
      (local $bucket i32) (local $n i64)
      ;; open("default"): result<own<bucket>, error>, the handle at offset 4.
      (call $open (i32.const 0) (i32.const 7) (i32.const 64))
      (if (i32.load8_u (i32.const 64)) (then unreachable))
      (local.set $bucket (i32.load (i32.const 68)))
      ;; increment(bucket, "counter", 1): result<s64, error>, the value at offset 8.
      (call $increment (local.get $bucket) (i32.const 8) (i32.const 7) (i64.const 1) (i32.const 96))
      (if (i32.load8_u (i32.const 96)) (then unreachable))
      (local.set $n (i64.load (i32.const 104)))
      (call $bucket-drop (local.get $bucket))
      (local.get $n))
    (func (export "hold") (result i32)
      (call $open (i32.const 0) (i32.const 7) (i32.const 64))
      (if (i32.load8_u (i32.const 64)) (then unreachable))
      (i32.load (i32.const 68))))
  (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "kv" (instance $kv))))

  (func $bump (result s64) (canon lift (core func $i "bump")))
  (export "bump" (func $bump))
  (func $hold (result u32) (canon lift (core func $i "hold")))
  (export "hold" (func $hold))
)
