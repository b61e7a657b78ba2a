/**
 * `@oneshot/policy` (skeleton).
 */
export {}
