;; Bulk table operations: table.init, elem.drop, table.copy.
(module
  (table $t 8 funcref)
  (elem $seg func $a $b $a)
  (func $a (result i32) i32.const 1)
  (func $b (result i32) i32.const 2)
  (func (export "go")
    (table.init $seg (i32.const 0) (i32.const 0) (i32.const 3))
    (elem.drop $seg)
    (table.copy (i32.const 4) (i32.const 0) (i32.const 3)))
)
