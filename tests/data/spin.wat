;; A loop without calls: only an interrupt check at the loop header stops it.
(module
  (func (export "spin")
    (loop $forever (br $forever))))
