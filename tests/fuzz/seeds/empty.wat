;; The smallest module: only the header. Mutations of it explore the section framing.
(module)
