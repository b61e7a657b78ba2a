/**
 * A run log's step metrics as a table: one row per step, one column per
 * metric (verl's names), for spreadsheets and plotting tools. RFC 4180 CSV:
 * a field is quoted when it holds a comma, quote or newline.
 */
export interface StepMetrics {
  readonly step: number
  readonly metrics: Readonly<Record<string, number>>
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

/**
 * Merges the lines of each step (a step's eval metrics can come in a second
 * line) and writes `step,<metric>,…` with metrics in first-seen order; a
 * metric a step lacks is an empty field.
 */
export const metricsCsv = (lines: ReadonlyArray<StepMetrics>): string => {
  const byStep = new Map<number, Record<string, number>>()
  const columns: Array<string> = []
  const seen = new Set<string>()
  for (const l of lines) {
    const row = byStep.get(l.step) ?? {}
    for (const [k, v] of Object.entries(l.metrics)) {
      row[k] = v
      if (!seen.has(k)) {
        seen.add(k)
        columns.push(k)
      }
    }
    byStep.set(l.step, row)
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b)
  const header = ["step", ...columns].map(csvField).join(",")
  const rows = steps.map((s) => [String(s), ...columns.map((c) => (byStep.get(s)![c] === undefined ? "" : String(byStep.get(s)![c])))].join(","))
  return [header, ...rows].join("\n") + "\n"
}
