/**
 * `@oneshot/server` (skeleton).
 */
export {}
