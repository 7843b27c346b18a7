;; A component built for Spin's own HTTP world: it exports
;; fermyon:spin/inbound-http@2.0.0 (one function, for the test only).
(component
  (core module $m
    (func (export "handle") (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (type $f (func (result u32)))
  (func $handle (type $f) (canon lift (core func $i "handle")))
  (instance $api (export "handle-request" (func $handle)))
  (export "fermyon:spin/inbound-http@2.0.0" (instance $api)))
