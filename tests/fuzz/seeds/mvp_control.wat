;; MVP: blocks, loops, if/else, br, br_if, br_table, return, calls, recursion.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $add $sub $fact)
  (func $add (type $binop) local.get 0 local.get 1 i32.add)
  (func $sub (type $binop) local.get 0 local.get 1 i32.sub)
  (func $fact (param i32 i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub i32.const 0 call $fact i32.mul end)
  (func $fib (export "fib") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)
    i32.const 1 local.set $b
    block $done
      loop $next
        local.get $n i32.eqz br_if $done
        local.get $a local.get $b i32.add local.set $t
        local.get $b local.set $a local.get $t local.set $b
        local.get $n i32.const 1 i32.sub local.set $n
        br $next
      end
    end
    local.get $a)
  (func $dispatch (export "dispatch") (param $op i32) (param $x i32) (param $y i32) (result i32)
    block $c block $b block $a
      local.get $op br_table $a $b $c $a $b $c $c
    end local.get $x local.get $y i32.const 0 call_indirect (type $binop) return
    end local.get $x local.get $y i32.const 1 call_indirect (type $binop) return
    end local.get $x local.get $y i32.const 2 call_indirect (type $binop))
  (func $misc (export "misc") (param i32) (result i32)
    block (result i32)
      i32.const 1 i32.const 2 local.get 0 select
      local.get 0 br_if 0
      drop nop i32.const 3
    end
    local.get 0 i32.const 100 i32.gt_s
    if unreachable end)
  (func $start (drop (call $fib (i32.const 10))))
  (start $start)
)
