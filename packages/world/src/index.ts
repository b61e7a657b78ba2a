/**
 * `@oneshot/world` (skeleton).
 */
export {}
