/**
 * Plots as inline SVG strings, so the HTML report is one self-contained,
 * offline file (no chart library, no CDN).
 */

export const escapeXml = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;")

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

export interface LineSeries {
  readonly name: string
  readonly points: ReadonlyArray<readonly [x: number, y: number]>
  /** `dots` for sparse data such as evaluations; default `line`. */
  readonly style?: "line" | "dots" | "line+dots"
  /** Plot against the right-hand axis. */
  readonly right?: boolean
  /** Stroke width (seeds thin, their mean thick); default 1.5. */
  readonly width?: number
  /** Colour index into the palette (several series of one group share it); default the series' position. */
  readonly color?: number
  /** A shaded band [x, lo, hi] drawn under the line (a 95% interval). */
  readonly band?: ReadonlyArray<readonly [x: number, lo: number, hi: number]>
  /** Leave out of the legend (e.g. the single seeds under their mean). */
  readonly hideInLegend?: boolean
}

export interface LineChart {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly yRightLabel?: string
  readonly series: ReadonlyArray<LineSeries>
  /** Vertical markers, e.g. the saturation step. */
  readonly markers?: ReadonlyArray<{ readonly x: number; readonly label: string }>
  readonly yRange?: readonly [number, number]
}

const W = 680
const H = 340
const M = { left: 60, right: 60, top: 36, bottom: 70 }

/** "Nice" tick values covering [lo, hi]. */
export const ticks = (lo: number, hi: number, count = 5): ReadonlyArray<number> => {
  if (!(hi > lo)) return [lo]
  const raw = (hi - lo) / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw
  // k·step rounded to the step's decimals is the exact tick; keep the ones inside [lo, hi].
  const decimals = Math.min(20, Math.max(0, 1 - Math.floor(Math.log10(step))))
  const out: Array<number> = []
  for (let k = Math.ceil(lo / step); k * step <= hi + step; k++) {
    const v = Number((k * step).toFixed(decimals))
    if (v >= lo - step * 1e-9 && v <= hi + step * 1e-9) out.push(v)
  }
  return out
}

const range = (values: ReadonlyArray<number>, pad = 0): readonly [number, number] => {
  if (values.length === 0) return [0, 1]
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const p = (hi - lo) * pad
  return lo === hi ? [lo - 1, hi + 1] : [lo - p, hi + p]
}

/** One legend row under the plot, so it never hides data. */
const legend = (names: ReadonlyArray<string>, y: number, colors?: ReadonlyArray<number>): string => {
  let x = M.left
  return names
    .map((name, i) => {
      const item = `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${PALETTE[(colors?.[i] ?? i) % PALETTE.length]}"/><text x="${x + 14}" y="${y}">${escapeXml(name)}</text>`
      x += 24 + name.length * 6
      return item
    })
    .join("")
}

const fmtTick = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString())

export const lineChart = (c: LineChart): string => {
  const all = c.series.flatMap((s) => s.points)
  const [x0, x1] = range(all.map((p) => p[0]))
  const left = c.series.filter((s) => !s.right).flatMap((s) => s.points.map((p) => p[1]))
  const right = c.series.filter((s) => s.right).flatMap((s) => s.points.map((p) => p[1]))
  const [y0, y1] = c.yRange ?? range(left, 0.05)
  const [r0, r1] = range(right, 0.05)
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right)
  const py = (y: number, lo = y0, hi = y1) => H - M.bottom - ((y - lo) / (hi - lo)) * (H - M.top - M.bottom)
  const parts: Array<string> = []
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(c.title)}</text>`)
  for (const t of ticks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`)
    parts.push(`<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${fmtTick(t)}</text>`)
  }
  for (const t of ticks(y0, y1)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`)
    parts.push(`<text x="${M.left - 6}" y="${py(t) + 4}" text-anchor="end">${fmtTick(t)}</text>`)
  }
  if (right.length > 0) {
    for (const t of ticks(r0, r1)) parts.push(`<text x="${W - M.right + 6}" y="${py(t, r0, r1) + 4}">${fmtTick(t)}</text>`)
    if (c.yRightLabel) parts.push(`<text transform="translate(${W - 12},${H / 2}) rotate(90)" text-anchor="middle">${escapeXml(c.yRightLabel)}</text>`)
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#888"/>`)
  parts.push(`<text x="${W / 2}" y="${H - M.bottom + 34}" text-anchor="middle">${escapeXml(c.xLabel)}</text>`)
  parts.push(`<text transform="translate(14,${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(c.yLabel)}</text>`)
  for (const m of c.markers ?? []) {
    if (m.x < x0 || m.x > x1) continue
    parts.push(`<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#555" stroke-dasharray="4 3"/>`)
    parts.push(`<text x="${px(m.x) + 4}" y="${H - M.bottom - 6}" fill="#555">${escapeXml(m.label)}</text>`)
  }
  c.series.forEach((s, i) => {
    const color = PALETTE[(s.color ?? i) % PALETTE.length]!
    const [lo, hi] = s.right ? [r0, r1] : [y0, y1]
    const style = s.style ?? "line"
    if (s.band !== undefined && s.band.length > 1) {
      const up = s.band.map(([x, , h]) => `${px(x).toFixed(1)},${py(h, lo, hi).toFixed(1)}`)
      const down = [...s.band].reverse().map(([x, l]) => `${px(x).toFixed(1)},${py(l, lo, hi).toFixed(1)}`)
      parts.push(`<polygon points="${[...up, ...down].join(" ")}" fill="${color}" fill-opacity="0.15" stroke="none"/>`)
    }
    if (style !== "dots" && s.points.length > 0) {
      const d = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y, lo, hi).toFixed(1)}`).join(" ")
      parts.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="${s.width ?? 1.5}"${(s.width ?? 1.5) < 1.5 ? ` stroke-opacity="0.6"` : ""}/>`)
    }
    if (style !== "line") {
      for (const [x, y] of s.points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y, lo, hi).toFixed(1)}" r="3" fill="${color}"/>`)
    }
  })
  parts.push(legend(c.series.filter((s) => !s.hideInLegend).map((s) => `${s.name}${s.right ? " (right axis)" : ""}`), H - 10, c.series.filter((s) => !s.hideInLegend).map((s) => s.color ?? c.series.indexOf(s))))
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(c.title)}">${parts.join("")}</svg>`
}

export interface BarChart {
  readonly title: string
  readonly categories: ReadonlyArray<string>
  readonly groups: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number> }>
  readonly yLabel: string
}

export const barChart = (c: BarChart): string => {
  const values = c.groups.flatMap((g) => g.values)
  const hi = Math.max(1, ...values) * 1.1
  const plotW = W - M.left - M.right
  const slot = plotW / Math.max(1, c.categories.length)
  const bw = (slot * 0.8) / Math.max(1, c.groups.length)
  const py = (y: number) => H - M.bottom - (y / hi) * (H - M.top - M.bottom)
  const parts: Array<string> = []
  parts.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(c.title)}</text>`)
  for (const t of ticks(0, hi)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`)
    parts.push(`<text x="${M.left - 6}" y="${py(t) + 4}" text-anchor="end">${fmtTick(t)}</text>`)
  }
  c.categories.forEach((cat, ci) => {
    const x = M.left + ci * slot + slot * 0.1
    c.groups.forEach((g, gi) => {
      const v = g.values[ci] ?? 0
      parts.push(`<rect x="${(x + gi * bw).toFixed(1)}" y="${py(v).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(H - M.bottom - py(v)).toFixed(1)}" fill="${PALETTE[gi % PALETTE.length]}"><title>${escapeXml(`${g.name} ${cat}: ${v}`)}</title></rect>`)
    })
    parts.push(`<text x="${(x + slot * 0.4).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(cat)}</text>`)
  })
  parts.push(legend(c.groups.map((g) => g.name), H - 10))
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#888"/>`)
  parts.push(`<text transform="translate(14,${H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(c.yLabel)}</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(c.title)}">${parts.join("")}</svg>`
}

export interface IntervalRow {
  readonly label: string
  readonly estimate: number
  readonly lo: number
  readonly hi: number
  /** The paper's smallest effect of interest, drawn as a tick (optional). */
  readonly reference?: number
}

/** Estimates with 95% intervals as horizontal error bars around a zero line (a forest plot). */
export const intervalChart = (c: { readonly title: string; readonly unit: string; readonly rows: ReadonlyArray<IntervalRow> }): string => {
  const rowH = 22
  const top = 36
  const h = top + rowH * c.rows.length + 40
  const left = 260
  const right = 30
  const vals = c.rows.flatMap((r) => [r.lo, r.hi, r.reference ?? 0, 0]).filter(Number.isFinite)
  const [x0, x1] = range(vals, 0.05)
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (W - left - right)
  const parts: Array<string> = [`<text x="${W / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(c.title)}</text>`]
  for (const t of ticks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${top}" y2="${h - 40}" stroke="#eee"/>`)
    parts.push(`<text x="${px(t)}" y="${h - 24}" text-anchor="middle">${fmtTick(t)}</text>`)
  }
  parts.push(`<line x1="${px(0)}" x2="${px(0)}" y1="${top}" y2="${h - 40}" stroke="#444"/>`)
  c.rows.forEach((r, i) => {
    const y = top + rowH * i + rowH / 2
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escapeXml(r.label)}</text>`)
    parts.push(`<line x1="${px(r.lo).toFixed(1)}" x2="${px(r.hi).toFixed(1)}" y1="${y}" y2="${y}" stroke="${PALETTE[0]}" stroke-width="2"/>`)
    parts.push(`<circle cx="${px(r.estimate).toFixed(1)}" cy="${y}" r="3.5" fill="${PALETTE[0]}"/>`)
    if (r.reference !== undefined && Number.isFinite(r.reference)) parts.push(`<line x1="${px(r.reference).toFixed(1)}" x2="${px(r.reference).toFixed(1)}" y1="${y - 7}" y2="${y + 7}" stroke="${PALETTE[1]}" stroke-width="2"/>`)
  })
  parts.push(`<text x="${(left + W - right) / 2}" y="${h - 6}" text-anchor="middle">${escapeXml(`estimate and 95% CI (${c.unit}); red tick: the paper's smallest effect of interest`)}</text>`)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(c.title)}">${parts.join("")}</svg>`
}
