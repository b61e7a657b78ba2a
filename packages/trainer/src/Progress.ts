/**
 * Progress display: a cli-progress bar (step, training reward, latest
 * evaluation accuracy when there is one, ETA) on a
 * terminal, one plain line per step when stderr is not a terminal (CI logs),
 * nothing in quiet mode. Time comes from the run's `Clock` (a test's
 * TestClock gives reproducible ETAs); `write` is where the plain lines go.
 */
import cliProgress from "cli-progress"
import type { Clock } from "effect"

export interface ProgressReporter {
  readonly start: (total: number, from: number) => void
  readonly update: (step: number, info: { readonly reward: number; readonly accuracy: number | undefined }) => void
  readonly stop: () => void
}

const quiet: ProgressReporter = { start: () => {}, update: () => {}, stop: () => {} }

export const makeProgress = (
  mode: { readonly quiet: boolean },
  clock: Clock.Clock,
  out: { readonly isTTY: boolean; readonly write: (line: string) => void } = { isTTY: process.stderr.isTTY === true, write: (l) => process.stderr.write(l) }
): ProgressReporter => {
  if (mode.quiet) return quiet
  if (!out.isTTY) {
    let total = 0
    let t0 = 0
    let from = 0
    return {
      start: (n, f) => {
        total = n
        from = f
        t0 = clock.unsafeCurrentTimeMillis()
      },
      update: (step, i) => {
        const per = (clock.unsafeCurrentTimeMillis() - t0) / 1000 / Math.max(1, step - from)
        out.write(
          `step ${step}/${total} reward ${i.reward.toFixed(3)}${i.accuracy === undefined ? "" : ` eval ${i.accuracy.toFixed(3)}`} eta ${Math.round(per * (total - step))}s\n`
        )
      },
      stop: () => {}
    }
  }
  const bar = new cliProgress.SingleBar(
    { format: "step {value}/{total} |{bar}| reward {reward} eval {accuracy} | ETA {eta_formatted}", stream: process.stderr, etaBuffer: 20 },
    cliProgress.Presets.shades_classic
  )
  return {
    start: (total, from) => bar.start(total, from, { reward: "-", accuracy: "-" }),
    update: (step, i) => bar.update(step, { reward: i.reward.toFixed(3), accuracy: i.accuracy === undefined ? "-" : i.accuracy.toFixed(3) }),
    stop: () => bar.stop()
  }
}
