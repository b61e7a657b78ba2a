/**
 * `@oneshot/repro` (skeleton).
 */
export {}
