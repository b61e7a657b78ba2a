/** Stage timings through Effect's Clock (so a test clock can drive them). */
import { Clock, Effect } from "effect"

/** Seconds since `t0` (nanoseconds from `Clock.currentTimeNanos`). */
export const secondsSince = (t0: bigint): Effect.Effect<number> => Effect.map(Clock.currentTimeNanos, (t) => Number(t - t0) / 1e9)

/** Runs `effect` and returns its value with the seconds it took. */
export const timed = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<readonly [A, number], E, R> =>
  Effect.gen(function* () {
    const t0 = yield* Clock.currentTimeNanos
    const a = yield* effect
    return [a, yield* secondsSince(t0)] as const
  })
