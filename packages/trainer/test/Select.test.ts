import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { dataFile } from "../src/Presets.ts"
import { exportHistory, formatRanking, rankHistoryFile, readHistory } from "../src/Select.ts"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const fixture = dataFile("acc_step_500.json")

describe("historical-variance selection on the recorded acc_step_500.json", () => {
  it.effect("π1 (124) rank 1, 267 rank 2, π13 (682) rank 13, 104 zero-variance examples", () =>
    Effect.gen(function* () {
      const ranked = yield* rankHistoryFile(fixture)
      expect(ranked).toHaveLength(1209)
      const rankOf = (id: string) => ranked.find((r) => r.id === id)?.rank
      expect(rankOf("124")).toBe(1)
      expect(rankOf("267")).toBe(2)
      expect(rankOf("682")).toBe(13)
      expect(ranked.filter((r) => r.variance === 0)).toHaveLength(104)
      const table = formatRanking(ranked, 3).split("\n")
      expect(table[0]).toBe("rank\tindex\tscore")
      expect(table[1]).toMatch(/^1\t124\t0\.\d+/)
    })
  )
  it.effect("a missing file is a FileError naming it", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(rankHistoryFile("/nonexistent/acc.json"))
      expect(e.message).toMatch(/\/nonexistent\/acc.json/)
    })
  )
  it.effect("export writes the authors' format; re-reading it gives the same ranking", () =>
    Effect.gen(function* () {
      const out = join(mkdtempSync(join(tmpdir(), "oneshot-acc-")), "acc.json")
      yield* exportHistory(yield* readHistory(fixture), out)
      expect(yield* rankHistoryFile(out)).toEqual(yield* rankHistoryFile(fixture))
    })
  )
})
