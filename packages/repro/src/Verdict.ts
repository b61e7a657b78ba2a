/**
 * The outcome of checking one claim. A verdict always carries what was
 * measured and what was expected, so a reader can judge it without the code.
 */
import { Schema } from "effect"

/**
 * - `holds`: the data agree with the claim as the paper words it.
 * - `fails`: the data contradict it.
 * - `insufficient-data`: the runs (roles) that would settle it are missing; `needs` names them.
 * - `not-applicable`: no data this project can have could settle it (e.g. an evaluation the authors never released).
 */
export const Verdict = Schema.Literal("holds", "fails", "insufficient-data", "not-applicable")
export type Verdict = typeof Verdict.Type

export class CheckResult extends Schema.Class<CheckResult>("CheckResult")({
  verdict: Verdict,
  /** What was measured, with the numbers (human readable). */
  measured: Schema.String,
  /** What the claim expects (human readable, with the tolerance). */
  expected: Schema.String,
  /** Runs (roles) or files that would settle an `insufficient-data` verdict. */
  needs: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  /** The measured numbers, by name, for reports and tests. */
  numbers: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Number }), { default: () => ({}) })
}) {}

export interface ResultInput {
  readonly measured: string
  readonly expected: string
  readonly needs?: ReadonlyArray<string>
  readonly numbers?: Readonly<Record<string, number>>
}

const make = (verdict: Verdict, r: ResultInput): CheckResult =>
  CheckResult.make({
    verdict,
    measured: r.measured,
    expected: r.expected,
    needs: [...(r.needs ?? [])],
    numbers: { ...(r.numbers ?? {}) }
  })

/** `holds` when `ok`, else `fails`: the one way a real verdict is made, so every check can fail. */
export const judge = (ok: boolean, r: ResultInput): CheckResult => make(ok ? "holds" : "fails", r)

/** A role, with its `|`-separated aliases, as a reader wants it: `a` (or `b`). */
export const roleLabel = (role: string): string => {
  const [first, ...rest] = role.split("|")
  return `\`${first}\`${rest.length > 0 ? ` (or ${rest.map((r) => `\`${r}\``).join(", ")})` : ""}`
}

/** `needs` lists each missing role by its first alias (the trainer's preset name). */
export const insufficient = (needs: ReadonlyArray<string>, expected: string, measured?: string): CheckResult =>
  make("insufficient-data", {
    measured: measured ?? `no run with role ${needs.map(roleLabel).join(" / ")}`,
    expected,
    needs: needs.map((n) => n.split("|")[0]!)
  })

export const notApplicable = (why: string, expected: string): CheckResult =>
  make("not-applicable", { measured: why, expected })

/** All of several sub-results: fails if any fails, else insufficient if any is, else holds. */
export const allOf = (parts: ReadonlyArray<CheckResult>): CheckResult => {
  const verdict: Verdict = parts.some((p) => p.verdict === "fails")
    ? "fails"
    : parts.some((p) => p.verdict === "insufficient-data")
    ? "insufficient-data"
    : parts.every((p) => p.verdict === "not-applicable")
    ? "not-applicable"
    : "holds"
  return CheckResult.make({
    verdict,
    measured: parts.map((p) => p.measured).join("; "),
    expected: parts.map((p) => p.expected).join("; "),
    needs: [...new Set(parts.flatMap((p) => p.needs))],
    numbers: Object.assign({}, ...parts.map((p) => p.numbers))
  })
}
