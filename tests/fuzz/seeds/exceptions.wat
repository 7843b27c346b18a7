;; wasm-flags: --enable-exceptions
;; Legacy exception handling (beyond 2.0): tags, try/catch/catch_all, throw, rethrow, delegate.
(module
  (import "env" "imported_tag" (tag $it (param i64)))
  (tag $e (param i32))
  (tag $empty)
  (func $thrower (param i32) (local.get 0) (throw $e))
  (func (export "catch") (param i32) (result i32)
    (try (result i32)
      (do (call $thrower (local.get 0)) (i32.const 0))
      (catch $e)
      (catch $empty (i32.const 1))
      (catch_all (i32.const 2))))
  (func (export "rethrow")
    (try (do (throw $empty)) (catch_all (rethrow 0)))
    (try (do (try (do (nop)) (delegate 0))) (catch $e drop)))
  (export "tag" (tag $e))
)
