;; The smallest module.
(module)
