;; World-level items other than interfaces and functions, for the wasm
;; artifact config test (component_artifact_test.py): a type `use`d from an
;; imported interface, a type defined in the world, a resource with its
;; constructor and method, an inline interface. wit-component keys each by
;; its own name, so wkg lists `pollable`, `level`, `counter`,
;; `[constructor]counter` and `[method]counter.inc` among the imports.
(component
  (import "wasi:io/poll@0.2.0" (instance $poll
    (export "pollable" (type (sub resource)))))
  (alias export $poll "pollable" (type $pollable))
  (import "pollable" (type $p (eq $pollable)))
  (type $level (enum "low" "high"))
  (import "level" (type $lv (eq $level)))
  (import "counter" (type $counter (sub resource)))
  (import "[constructor]counter" (func (param "start" u32) (result (own $counter))))
  (import "[method]counter.inc" (func (param "self" (borrow $counter))))
  (import "check" (func (param "p" (borrow $p)) (param "l" $lv)))
  (import "host" (instance (export "ping" (func))))
)
