/**
 * The Verifier service contract: the reward during RLVR training and the
 * grader during evaluation. Implementations live in `@oneshot/verifier`.
 */
import { Context, type Effect } from "effect"
import type { Grade, GradeOptions } from "./Grade.ts"

export interface VerifierShape {
  /** Grades one response against a gold answer. Never fails: timeouts and garbage become typed grades. */
  readonly grade: (response: string, gold: string, options?: GradeOptions) => Effect.Effect<Grade>
  /** Grades many pairs; same semantics as `grade`, possibly concurrent. */
  readonly gradeBatch: (
    items: ReadonlyArray<{ readonly response: string; readonly gold: string }>,
    options?: GradeOptions
  ) => Effect.Effect<ReadonlyArray<Grade>>
}

export class Verifier extends Context.Tag("@oneshot/core/Verifier")<Verifier, VerifierShape>() {}
