/**
 * Learning-rate schedules (verl's `warmup_style`): constant (the paper: 1e-6,
 * no warm-up), linear warm-up then constant, or linear warm-up then cosine
 * decay to `minLrRatio · lr`. Pure functions of the 0-based optimizer step.
 */
import { Schema } from "effect"

export const LrSchedule = Schema.Union(
  Schema.TaggedStruct("constant", {}),
  Schema.TaggedStruct("warmup", { warmupSteps: Schema.Int.pipe(Schema.nonNegative()) }),
  Schema.TaggedStruct("cosine", {
    warmupSteps: Schema.Int.pipe(Schema.nonNegative()),
    totalSteps: Schema.Int.pipe(Schema.positive()),
    minLrRatio: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 1)), { default: () => 0 })
  })
)
export type LrSchedule = typeof LrSchedule.Type

/** The learning rate at 0-based optimizer step `step`. */
export const learningRate = (baseLr: number, schedule: LrSchedule, step: number): number => {
  switch (schedule._tag) {
    case "constant":
      return baseLr
    case "warmup":
      return schedule.warmupSteps > 0 && step < schedule.warmupSteps ? (baseLr * (step + 1)) / schedule.warmupSteps : baseLr
    case "cosine": {
      if (schedule.warmupSteps > 0 && step < schedule.warmupSteps) return (baseLr * (step + 1)) / schedule.warmupSteps
      const span = Math.max(1, schedule.totalSteps - schedule.warmupSteps)
      const progress = Math.min(1, (step - schedule.warmupSteps) / span)
      const cos = 0.5 * (1 + Math.cos(Math.PI * progress))
      return baseLr * (schedule.minLrRatio + (1 - schedule.minLrRatio) * cos)
    }
  }
}
