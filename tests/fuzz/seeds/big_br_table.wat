;; A wide br_table and deep block nesting.
(module
  (func (export "deep") (param i32) (result i32)
    (block $b0 (block $b1 (block $b2 (block $b3 (block $b4 (block $b5 (block $b6 (block $b7
    (block $b8 (block $b9 (block $b10 (block $b11 (block $b12 (block $b13 (block $b14 (block $b15
      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 $b8 $b9 $b10 $b11 $b12 $b13 $b14 $b15
                $b15 $b14 $b13 $b12 $b11 $b10 $b9 $b8 $b7 $b6 $b5 $b4 $b3 $b2 $b1 $b0
                $b3 $b3 $b3 $b3 $b3 $b3 $b3 $b3 $b1 $b1 $b1 $b1 $b1 $b1 $b1 $b0 (local.get 0))
    ) (return (i32.const 15))) (return (i32.const 14))) (return (i32.const 13))) (return (i32.const 12)))
    (return (i32.const 11))) (return (i32.const 10))) (return (i32.const 9))) (return (i32.const 8)))
    (return (i32.const 7))) (return (i32.const 6))) (return (i32.const 5))) (return (i32.const 4)))
    (return (i32.const 3))) (return (i32.const 2))) (return (i32.const 1))) (i32.const 0))
)
