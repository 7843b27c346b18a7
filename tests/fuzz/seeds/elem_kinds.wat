;; Element segments of all eight kinds (flags 0..7).
(module
  (table $t0 10 funcref)
  (table $t1 10 funcref)
  (table $tx 10 externref)
  (func $f0) (func $f1) (func $f2)
  ;; 0: active, table 0, function indices
  (elem (i32.const 0) $f0 $f1)
  ;; 1: passive, function indices
  (elem func $f1 $f2)
  ;; 2: active, explicit table, function indices
  (elem (table $t1) (i32.const 2) func $f2)
  ;; 3: declarative, function indices
  (elem declare func $f0)
  ;; 4: active, table 0, expressions
  (elem (i32.const 5) funcref (ref.null func) (ref.func $f0))
  ;; 5: passive, expressions
  (elem funcref (ref.func $f1) (ref.null func))
  ;; 6: active, explicit table, expressions
  (elem (table $tx) (i32.const 0) externref (ref.null extern))
  ;; 7: declarative, expressions
  (elem declare funcref (ref.null func) (ref.func $f2))
  (func (export "touch") (drop (ref.func $f0)))
)
