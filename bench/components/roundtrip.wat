;; For bench/components.py: canonical-ABI round trips of big values. Each
;; export returns its argument: the argument is lowered into guest memory
;; (realloc), the core function hands back the same pointer and length, the
;; result is lifted, and post-return frees everything.
(component $roundtrip
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func $alloc (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $bump (i32.add (local.get $p) (local.get $size)))
      (block $done
        (loop $grow
          (br_if $done (i32.le_u (global.get $bump) (i32.shl (memory.size) (i32.const 16))))
          (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
          (br $grow)))
      (local.get $p))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $new-size i32) (result i32)
      (if (local.get $old) (then unreachable))
      (call $alloc (local.get $align) (local.get $new-size)))
    (func (export "post-return") (param i32) (global.set $bump (i32.const 1024)))
    (func (export "echo") (param $p i32) (param $n i32) (result i32)
      (local $r i32)
      (local.set $r (call $alloc (i32.const 4) (i32.const 8)))
      (i32.store (local.get $r) (local.get $p))
      (i32.store offset=4 (local.get $r) (local.get $n))
      (local.get $r)))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "post-return" (core func $post))
  (type $point (record (field "x" s32) (field "y" s32) (field "label" u8)))
  (type $points (list $point))
  (func (export "echo-string") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return $post)))
  (func $echo-points (param "ps" $points) (result $points)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return $post)))
  (instance $records
    (export "point" (type $point))
    (export "echo-points" (func $echo-points)))
  (export "wasmops:bench/records@0.1.0" (instance $records)))
