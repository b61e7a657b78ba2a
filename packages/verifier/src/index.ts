/**
 * `@oneshot/verifier` (skeleton).
 */
export {}
