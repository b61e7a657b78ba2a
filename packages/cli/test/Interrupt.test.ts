/**
 * Ctrl-C on `rlvr train`, on the real process: SIGINT mid-run checkpoints
 * the last completed step, says on stderr where the run stopped and the
 * command that resumes it, and exits 130; that command then finishes the run
 * with every step logged once.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const BIN = join(ROOT, "packages", "cli", "bin", "rlvr.mjs")

interface Ended {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `rlvr ARGS`; once stderr matches `interruptWhen`, sends SIGINT (as a terminal's Ctrl-C does). */
const run = (args: ReadonlyArray<string>, interruptWhen?: RegExp): Promise<Ended> =>
  new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    let sent = false
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
      if (interruptWhen !== undefined && !sent && interruptWhen.test(stderr)) {
        sent = true
        child.kill("SIGINT")
      }
    })
    child.on("close", (code) => done({ code, stdout, stderr }))
  })

/** Splits a shell command line of plain words and '…' quotes (what `shellWord` writes). */
const shellWords = (line: string): ReadonlyArray<string> =>
  [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]!))

describe("rlvr train and Ctrl-C", { timeout: 300_000 }, () => {
  it("exits 130 with a checkpoint and a resume line; the resume line finishes the run, each step logged once", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "rlvr-interrupt-"))
    const steps = 40
    const stopped = await run(["train", "--preset", "demo-next-digit", `trainer.runDir=${runDir}`, `trainer.steps=${steps}`, "trainer.checkpointEvery=1"], /step [5-9]\/40/)
    expect(stopped.code, stopped.stderr).toBe(130)
    expect(stopped.stdout).toBe("")
    const where = /stopped after step (\d+) of 40 \(checkpoint in (.+)\/checkpoints\)/.exec(stopped.stderr)
    expect(where, stopped.stderr).not.toBeNull()
    const at = Number(where![1])
    expect(at).toBeGreaterThanOrEqual(4)
    expect(at).toBeLessThan(steps)
    expect((JSON.parse(readFileSync(join(runDir, "checkpoints", "latest.json"), "utf8")) as { step: number }).step).toBe(at)
    const shown = [...stopped.stderr.matchAll(/^step (\d+)\/40 /gm)].map((m) => Number(m[1]))
    expect(shown[shown.length - 1], "the last progress line is the step it stopped after").toBe(at)

    const resumeLine = /resume with: rlvr (.+)$/m.exec(stopped.stderr)
    expect(resumeLine, stopped.stderr).not.toBeNull()
    const resumed = await run(shellWords(resumeLine![1]!))
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain(`finished at step ${steps}/${steps}`)
    const logged = readFileSync(join(runDir, "runlog.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { _tag: string; step?: number })
      .filter((l) => l._tag === "step")
      .map((l) => l.step)
    expect(logged).toEqual(Array.from({ length: steps }, (_, i) => i + 1))
  })
})
