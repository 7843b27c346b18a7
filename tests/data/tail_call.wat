(module
  (func $f (export "f") (param i32) (result i32)
    (return_call $f (local.get 0))))
