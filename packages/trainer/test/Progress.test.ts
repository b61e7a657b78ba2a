import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, TestClock } from "effect"
import { makeProgress } from "../src/Progress.ts"

describe("progress lines", () => {
  it.effect("off a terminal: one line per step, the ETA from the run's clock", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const p = makeProgress({ quiet: false }, yield* Effect.clock, { isTTY: false, write: (l) => lines.push(l) })
      p.start(10, 0)
      yield* TestClock.adjust(Duration.seconds(4))
      p.update(2, { reward: 0.5, accuracy: undefined })
      yield* TestClock.adjust(Duration.seconds(4))
      p.update(4, { reward: 0.75, accuracy: 0.25 })
      p.stop()
      expect(lines).toEqual(["step 2/10 reward 0.500 eta 16s\n", "step 4/10 reward 0.750 eval 0.250 eta 12s\n"])
    })
  )
  it.effect("quiet: nothing", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const p = makeProgress({ quiet: true }, yield* Effect.clock, { isTTY: false, write: (l) => lines.push(l) })
      p.start(3, 0)
      p.update(1, { reward: 1, accuracy: undefined })
      expect(lines).toEqual([])
    })
  )
})
