/**
 * `@oneshot/eval` (skeleton).
 */
export {}
