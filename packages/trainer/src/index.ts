/**
 * `@oneshot/trainer` (skeleton).
 */
export {}
