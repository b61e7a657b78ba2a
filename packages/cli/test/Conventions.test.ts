/**
 * Every `rlvr` command as a Unix tool, checked on the real process: results
 * on stdout, failures as one short line on stderr naming the input (no stack
 * frames), exit 0 / 1 / 2, no colour when piped, help within the width and
 * naming the full command, and the repository unchanged afterwards. The
 * commands come from the command tree itself, so a new command without a
 * bad-input case here fails the suite. Only cheap invocations (help, bad
 * input, tiny inputs), run concurrently.
 */
import { execFile, execFileSync, spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { commandPaths } from "../src/CommandTree.ts"

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const BIN = join(ROOT, "packages", "cli", "bin", "rlvr.mjs")
const tmp = mkdtempSync(join(tmpdir(), "rlvr-cli-"))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `rlvr ARGS` from the repository root with stdout and stderr piped (not a TTY). */
const rlvr = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 280_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
      done({ code, stdout, stderr })
    })
  })

const ESC = "\u001b["
/** A stack frame as Node prints it (`    at f (file:1:2)`). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m

/** One short line (two at most) on stderr that names the command, and nothing on stdout. */
const expectOneLineFailure = (r: Run, code: number, command: string, mentions: ReadonlyArray<string>) => {
  expect(r.code, r.stderr).toBe(code)
  expect(r.stdout).toBe("")
  const lines = r.stderr.trim().split("\n")
  expect(lines.length, r.stderr).toBeLessThanOrEqual(2)
  expect(r.stderr.startsWith(`rlvr ${command}: `), r.stderr).toBe(true)
  expect(r.stderr.startsWith(`rlvr ${command}: rlvr`), r.stderr).toBe(false)
  expect(r.stderr).not.toMatch(STACK_FRAME)
  expect(r.stderr).not.toContain(ESC)
  for (const m of mentions) expect(r.stderr).toContain(m)
}

/**
 * Paths a command could have written: anything but the sources and docs a
 * developer may be editing while the suite runs.
 */
const outputPaths = (): ReadonlyArray<string> =>
  execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" })
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.slice(3))
    .filter((p) => !/(^|\/)(src|test|bench|scripts)\//.test(p) && !/(package(-lock)?\.json|\.md)$/.test(p))

let before: ReadonlyArray<string> = []
beforeAll(() => {
  before = outputPaths()
})

/** Every command of the tree, the root (`[]`) first. */
const COMMANDS: ReadonlyArray<ReadonlyArray<string>> = [[], ...commandPaths()]

interface BadInput {
  readonly args: ReadonlyArray<string>
  /** 1: the command ran and the input was wrong; 2: the parser refused the call. */
  readonly code: 1 | 2
  /** What the message must name (the input, the flag). */
  readonly mentions: ReadonlyArray<string>
}

const absent = join(tmp, "absent.jsonl")
const noDir = join(tmp, "no-such-dir")

/** One wrong call per command, keyed by its path: each must fail cleanly, naming what was wrong. */
const BAD_INPUT: Record<string, BadInput> = {
  grade: { args: ["grade", absent], code: 2, mentions: ["absent.jsonl"] },
  eval: { args: ["eval", "--benchmark", "math500", "--limit", "0"], code: 2, mentions: ["--limit"] },
  train: { args: ["train", "--preset", "no-such-preset"], code: 1, mentions: ["no-such-preset"] },
  pretrain: { args: ["pretrain", "--preset", "no-such-preset"], code: 1, mentions: ["no-such-preset"] },
  select: { args: ["select", "--history", absent], code: 2, mentions: ["absent.jsonl"] },
  runs: { args: ["runs", "frobnicate"], code: 2, mentions: ["rlvr runs: ", "frobnicate", "export"] },
  "runs export": { args: ["runs", "export", "--csv", absent], code: 2, mentions: ["absent.jsonl"] },
  "serve-reward": { args: ["serve-reward", "--port", "-5"], code: 1, mentions: ["port"] },
  repro: { args: ["repro", "--runs", noDir], code: 2, mentions: ["no-such-dir"] },
  world: { args: ["world", "frobnicate"], code: 2, mentions: ["rlvr world: ", "frobnicate", "select-pi1"] },
  "world generate": { args: ["world", "generate", "--out", "/dev/null/x"], code: 1, mentions: ["/dev/null/x"] },
  "world stats": { args: ["world", "stats", "--documents", "0"], code: 2, mentions: ["--documents"] },
  "world corpus": { args: ["world", "corpus", "-n", "-1"], code: 2, mentions: ["-n"] },
  "world eval": { args: ["world", "eval", "--policy", noDir], code: 1, mentions: ["no-such-dir"] },
  "world select-pi1": { args: ["world", "select-pi1", "--policy", noDir], code: 1, mentions: ["no-such-dir"] },
  tokenize: { args: ["tokenize", "--model", "packages/world/models/base", absent], code: 1, mentions: ["absent.jsonl"] },
  score: { args: ["score", "--model", "packages/world/models/base", absent], code: 1, mentions: ["absent.jsonl"] },
  generate: { args: ["generate", "--model", "packages/world/models/base", "--max-tokens", "0", absent], code: 2, mentions: ["--max-tokens"] }
}

// Generous timeouts: each process loads tsx and effect (seconds of CPU), and a shared machine can be slow.
describe.concurrent("rlvr as a Unix tool", { timeout: 300_000 }, () => {
  it("the command tree is walked whole, and every command has a bad-input case", () => {
    expect(COMMANDS.map((p) => p.join(" "))).toEqual(expect.arrayContaining(["runs export", "world eval", "world select-pi1", "serve-reward"]))
    expect(COMMANDS.slice(1).map((p) => p.join(" ")).filter((p) => BAD_INPUT[p] === undefined)).toEqual([])
  })

  for (const path of COMMANDS) {
    it(`rlvr ${[...path, "--help"].join(" ")}: usage on stdout, no colour, full command name, lines within 100 columns`, async () => {
      const r = await rlvr([...path, "--help"])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain("USAGE")
      expect(r.stdout).not.toContain(ESC)
      expect(r.stdout).toContain(`$ rlvr${path.length > 0 ? ` ${path.join(" ")}` : ""}`)
      expect(r.stdout).not.toMatch(/^\$ (?!rlvr)/m)
      expect(r.stdout).not.toMatch(/(^|\s)--[\w-]+ \w+\.\.\./m)
      for (const line of r.stdout.split("\n")) {
        expect(line.length, line).toBeLessThanOrEqual(100)
        expect(line, "no trailing blanks").toBe(line.trimEnd())
      }
    })
  }

  for (const path of COMMANDS.slice(1)) {
    const bad = BAD_INPUT[path.join(" ")]
    if (bad === undefined) continue
    it(`rlvr ${bad.args.join(" ")}: exit ${bad.code}, one line on stderr naming ${bad.mentions.join(", ")}, nothing on stdout`, async () => {
      const r = await rlvr(bad.args)
      if (bad.code === 1) expectOneLineFailure(r, 1, path.join(" "), bad.mentions)
      else {
        expect(r.code, r.stderr).toBe(2)
        expect(r.stdout).toBe("")
        expect(r.stderr.trim().split("\n").length, r.stderr).toBeLessThanOrEqual(2)
        expect(r.stderr).not.toMatch(STACK_FRAME)
        expect(r.stderr).not.toContain(ESC)
        expect(r.stderr).not.toContain("_tag")
        for (const m of bad.mentions) expect(r.stderr).toContain(m)
      }
    })
  }

  it("a parent command alone prints its help, tidied like --help", async () => {
    const r = await rlvr(["world"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("$ rlvr world")
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100)
  })

  it("an unknown subcommand is a usage error: exit 2, stderr only", async () => {
    const r = await rlvr(["frobnicate"])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr).not.toContain(ESC)
    expect(r.stderr).not.toContain("_tag")
  })

  it("rlvr select on the README's history file ranks π1 first", async () => {
    const r = await rlvr(["select", "--history", "packages/trainer/data/acc_step_500.json", "--top", "2"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim().split("\n")).toHaveLength(3)
    expect(r.stdout.split("\n")[1]).toMatch(/^1\t124\t/)
  })

  it("rlvr select on a malformed history fails in one line naming the file", async () => {
    const bad = join(tmp, "bad-history.json")
    writeFileSync(bad, '{"7": [0.5, "high"]}')
    expectOneLineFailure(await rlvr(["select", "--history", bad]), 1, "select", [bad])
  })

  it("rlvr grade: results on stdout as JSONL, the summary on stderr", async () => {
    const file = join(tmp, "tiny.jsonl")
    writeFileSync(file, `${JSON.stringify({ response: "so $\\boxed{\\frac12}$", gold: "0.5" })}\n${JSON.stringify({ response: "it is 3", gold: "4" })}\n`)
    const r = await rlvr(["grade", file])
    expect(r.code, r.stderr).toBe(0)
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { correct: boolean })
    expect(out.map((o) => o.correct)).toEqual([true, false])
    expect(r.stderr).not.toContain(ESC)
  })

  it("rlvr eval with an unknown benchmark fails in one line naming it", async () => {
    const gen = join(tmp, "gens.jsonl")
    writeFileSync(gen, `${JSON.stringify({ id: "0", responses: ["1"] })}\n`)
    expectOneLineFailure(await rlvr(["eval", "--generations", gen, "--benchmark", "aime2024"]), 1, "eval", ["aime2024"])
  })

  it("rlvr train --preset … --print-config prints the resolved config as JSON on stdout", async () => {
    const r = await rlvr(["train", "--preset", "1shot-pi1", "--print-config"])
    expect(r.code, r.stderr).toBe(0)
    expect((JSON.parse(r.stdout) as { experiment: string }).experiment).toBe("1shot-pi1")
  })

  it("rlvr runs export --csv: one row per step on stdout", async () => {
    const log = join(tmp, "runlog.jsonl")
    const lines = [
      { _tag: "step", step: 1, metrics: { "critic/score/mean": 0.25, "actor/entropy": 1.5 } },
      { _tag: "step", step: 2, metrics: { "critic/score/mean": 0.5 } },
      { _tag: "step", step: 2, metrics: { "val/test_score/x": 0.1 } }
    ]
    writeFileSync(log, lines.map((l) => JSON.stringify(l)).join("\n") + "\n")
    const r = await rlvr(["runs", "export", "--csv", log])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe("step,critic/score/mean,actor/entropy,val/test_score/x\n1,0.25,1.5,\n2,0.5,,0.1\n")
  })

  it("a reader that goes away (rlvr … | head) ends the command quietly: no stack, exit 141 or 0", async () => {
    const ended = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, [BIN, "select", "--history", "packages/trainer/data/acc_step_500.json", "--top", "1000"], { cwd: ROOT })
      let stderr = ""
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
      child.stdout.destroy()
      child.on("close", (code) => done({ code, stderr }))
    })
    expect([0, 141]).toContain(ended.code)
    expect(ended.stderr).not.toMatch(STACK_FRAME)
    expect(ended.stderr).not.toContain("EPIPE")
  })

  it("NO_COLOR and a pipe give the same plain help", async () => {
    const [plain, noColor] = await Promise.all([rlvr(["grade", "--help"]), rlvr(["grade", "--help"], { NO_COLOR: "1" })])
    expect(noColor.stdout).toBe(plain.stdout)
  })
})

afterAll(() => {
  // Nothing any of the commands above did may show in the repository.
  const now = outputPaths()
  expect(now.filter((p) => !before.includes(p))).toEqual([])
})
