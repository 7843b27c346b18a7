;; A hand-written component that uses most of the binary format: defined
;; value types (record, variant, flags, enum, list, tuple, option, result,
;; own/borrow of a resource), func types, an imported instance type, a nested
;; core module, core instances, aliases of every target form, canon lift with
;; options, canon lower and the resource built-ins, and a nested component.
;; The tests turn it into a binary with `jco parse` and compare what
;; `wasmops inspect` finds with what `jco wit` prints.
(component $kitchen
  (type $point (record (field "x" s32) (field "y" s32)))
  (type $shape (variant (case "circle" u32) (case "rect" $point) (case "none")))
  (type $perm (flags "read" "write" "exec"))
  (type $color (enum "red" "green" "blue"))
  (type $u32-list (list u32))
  (type $pair (tuple u8 string))

  (import "wasi:clocks/monotonic-clock@0.2.3"
    (instance $clock
      (type $instant u64)
      (export "instant" (type (eq $instant)))
      (export "now" (func (result u64)))))
  (import "tick" (func $tick (param "n" u32)))
  (alias export $clock "now" (func $now))

  (type $counter (resource (rep i32)))

  (core module $m
    (import "host" "tick" (func $tick (param i32)))
    (import "host" "now" (func $now (result i64)))
    (import "host" "counter-new" (func $new (param i32) (result i32)))
    (import "host" "counter-rep" (func $rep (param i32) (result i32)))
    (import "host" "counter-drop" (func $drop (param i32)))
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "sum") (param i32 i32) (result i32) i32.const 0)
    (func (export "area") (param i32 i32 i32) (result i32) i32.const 0)
    (func (export "greet") (param i32 i32) (result i32) i32.const 16)
    (func (export "post-greet") (param i32))
    (func (export "paint") (param i32 i32 i32 i32) (result i32) i32.const 1)
    (func (export "make") (param i32) (result i32) local.get 0 call $new)
    (func (export "peek") (param i32) (result i32) local.get 0 call $rep)
    (func (export "pair") (param i32 i32 i32) (result i32) i32.const 0))

  (core func $tick-lowered (canon lower (func $tick)))
  (core func $now-lowered (canon lower (func $now)))
  (core func $counter-new (canon resource.new $counter))
  (core func $counter-rep (canon resource.rep $counter))
  (core func $counter-drop (canon resource.drop $counter))
  (core instance $host
    (export "tick" (func $tick-lowered))
    (export "now" (func $now-lowered))
    (export "counter-new" (func $counter-new))
    (export "counter-rep" (func $counter-rep))
    (export "counter-drop" (func $counter-drop)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))

  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (export "add" (func $add))
  (func $sum (param "xs" $u32-list) (result u32) (canon lift (core func $i "sum") (memory $mem) (realloc (core func $realloc))))
  (export "sum" (func $sum))
  (func $area (param "s" $shape) (result u32) (canon lift (core func $i "area")))
  (func $greet (param "name" string) (result string)
    (canon lift (core func $i "greet") (memory $mem) (realloc (core func $realloc)) string-encoding=utf16
      (post-return (core func $i "post-greet"))))
  (export "greet" (func $greet))
  (func $paint (param "c" $color) (param "p" $perm) (param "o" (option u32)) (result bool)
    (canon lift (core func $i "paint")))
  (func $make (param "n" u32) (result (own $counter)) (canon lift (core func $i "make")))
  (func $peek (param "self" (borrow $counter)) (result (result u32 (error string)))
    (canon lift (core func $i "peek") (memory $mem) (realloc (core func $realloc)) string-encoding=latin1+utf16))
  (func $pair (param "p" $pair) (result u32) (canon lift (core func $i "pair") (memory $mem) (realloc (core func $realloc))))
  (export "pair" (func $pair))
  (export "now" (func $now))
  (instance $shapes
    (export "point" (type $point))
    (export "shape" (type $shape))
    (export "perm" (type $perm))
    (export "color" (type $color))
    (export "area" (func $area))
    (export "paint" (func $paint)))
  (export "probe:kitchen/shapes@0.1.0" (instance $shapes))

  ;; Resources reach an exported interface through a nested component that
  ;; imports the type and the functions and exports them under their names
  ;; (as wit-component does).
  (component $counters-shim
    (import "import-type-counter" (type $c (sub resource)))
    (import "import-constructor-counter" (func $new (param "n" u32) (result (own $c))))
    (import "import-method-counter-peek" (func $peek (param "self" (borrow $c)) (result (result u32 (error string)))))
    (export $c-e "counter" (type $c))
    (export "[constructor]counter" (func $new) (func (param "n" u32) (result (own $c-e))))
    (export "[method]counter.peek" (func $peek) (func (param "self" (borrow $c-e)) (result (result u32 (error string))))))
  (instance $counters (instantiate $counters-shim
    (with "import-type-counter" (type $counter))
    (with "import-constructor-counter" (func $make))
    (with "import-method-counter-peek" (func $peek))))
  (export "probe:kitchen/counters@0.1.0" (instance $counters))

  (type $seven-type (func (result u32)))
  (component $inner
    (alias outer $kitchen $seven-type (type $t))
    (core module $im (func (export "f") (result i32) i32.const 7))
    (core instance $ii (instantiate $im))
    (func $f (type $t) (canon lift (core func $ii "f")))
    (export "seven" (func $f)))
  (instance $inner-i (instantiate $inner))
  (alias export $inner-i "seven" (func $seven))
  (export "seven" (func $seven))
)
