/**
 * `turbo run repro` for the embedded default model: checks that the committed
 * base model (`models/base`) scores what its model card reports
 * (`models/base/logs/base-eval.txt`) on the world's four test sets.
 *
 * Scoring takes 150–180 s on two CPU cores, so the score is reused when
 * nothing that determines it has changed. Greedy decoding on wasm is
 * deterministic, so a score is a function of (weights, code, data): the key is
 * the sha256 of the verified checkpoint files plus a hash of every source file
 * this script imports (followed transitively through `@oneshot/*` and relative
 * imports), the versions of the npm packages they import, and the test-set
 * files. A score is reused from
 * 1. `scripts/repro-score.json` (committed, so a fresh clone needs no scoring), or
 * 2. `node_modules/.cache/oneshot-world-repro/<key>.txt` (this machine),
 * and re-scored otherwise (or with `--rescore`); `--update` writes the
 * committed file. Either way the scores are compared with the model card.
 *
 * stdout: the score table and the verdict; stderr: progress.
 * Exit 0 when the scores equal the card's, 1 when they do not, 2 on an error.
 */
import { Console, Effect } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const HERE = path.dirname(fileURLToPath(import.meta.url))
const PACKAGES = path.resolve(HERE, "..", "..")
const ROOT = path.resolve(PACKAGES, "..")
const MODEL_DIR = path.resolve(HERE, "..", "models", "base")
const DATA_DIR = path.resolve(HERE, "..", "data")
const CARD = path.join(MODEL_DIR, "logs", "base-eval.txt")
const COMMITTED = path.join(HERE, "repro-score.json")
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "oneshot-world-repro")

const sha256 = (x: string | Uint8Array): string => createHash("sha256").update(x).digest("hex")

/** The checkpoint's files, verified against SHA256SUMS; the key is the hash of that list. */
const weightsKey = (): string => {
  const sums = fs.readFileSync(path.join(MODEL_DIR, "SHA256SUMS"), "utf8")
  for (const line of sums.trim().split("\n")) {
    const [hash, file] = line.split(/\s+/)
    const actual = sha256(fs.readFileSync(path.join(MODEL_DIR, file ?? "")))
    if (actual !== hash) throw new Error(`${file}: expected sha256 ${hash}, got ${actual}`)
  }
  return sha256(sums)
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g

/** A module specifier resolved to a source file of the repo, or an npm package name. */
const resolveImport = (spec: string, from: string): { file: string } | { npm: string } | undefined => {
  if (spec.startsWith("node:")) return undefined
  if (spec.startsWith(".")) {
    const f = path.resolve(path.dirname(from), spec)
    return fs.existsSync(f) ? { file: f } : fs.existsSync(`${f}.ts`) ? { file: `${f}.ts` } : undefined
  }
  const m = /^@oneshot\/([^/]+)(?:\/(.+))?$/.exec(spec)
  if (m !== null) {
    const f = path.join(PACKAGES, m[1]!, "src", `${m[2] ?? "index"}.ts`)
    return fs.existsSync(f) ? { file: f } : undefined
  }
  const parts = spec.split("/")
  return { npm: spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]! }
}

/** Hash of the import closure of this script: repo sources by content, npm packages by installed version; and the test sets. */
const codeKey = (): { key: string; files: number } => {
  const seen = new Set<string>()
  const npm = new Set<string>()
  const queue = [fileURLToPath(import.meta.url)]
  while (queue.length > 0) {
    const f = queue.pop()!
    if (seen.has(f)) continue
    seen.add(f)
    const text = fs.readFileSync(f, "utf8")
    for (const m of text.matchAll(IMPORT)) {
      const r = resolveImport(m[1] ?? m[2]!, f)
      if (r === undefined) continue
      if ("file" in r) queue.push(r.file)
      else npm.add(r.npm)
    }
  }
  const h = createHash("sha256")
  for (const f of [...seen].sort()) h.update(`${path.relative(ROOT, f)}\0`).update(fs.readFileSync(f)).update("\0")
  for (const p of [...npm].sort()) {
    const pj = path.join(ROOT, "node_modules", p, "package.json")
    h.update(`${p}@${fs.existsSync(pj) ? (JSON.parse(fs.readFileSync(pj, "utf8")) as { version?: string }).version : "missing"}\0`)
  }
  for (const f of fs.readdirSync(DATA_DIR).filter((n) => n.endsWith(".jsonl")).sort()) h.update(`${f}\0`).update(fs.readFileSync(path.join(DATA_DIR, f)))
  return { key: h.digest("hex"), files: seen.size }
}

interface Recorded {
  readonly weights: string
  readonly code: string
  readonly scores: string
}

const readCommitted = (): Recorded | undefined => {
  if (!fs.existsSync(COMMITTED)) return undefined
  const j = JSON.parse(fs.readFileSync(COMMITTED, "utf8")) as Partial<Recorded>
  return typeof j.weights === "string" && typeof j.code === "string" && typeof j.scores === "string" ? (j as Recorded) : undefined
}

const writeAtomic = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}

/** Scores the model (the slow path), one test set at a time with progress on stderr. */
const score = Effect.gen(function* () {
  // Module paths, not package indexes: the code key then covers what scoring loads, not every module of those packages.
  const [{ Backend, backendFromEnv }, { PolicyLive }, { VerifierLive }, { formatScores, scoreWorld }, { TEST_SPLITS }, { Layer }] = yield* Effect.promise(() =>
    Promise.all([
      import("@oneshot/policy/Backend"),
      import("@oneshot/policy/PolicyLive"),
      import("@oneshot/verifier/VerifierLayer"),
      import("../src/WorldEval.ts"),
      import("../src/Splits.ts"),
      import("effect")
    ])
  )
  const t0 = performance.now()
  const measured = yield* Effect.scoped(
    Effect.gen(function* () {
      const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(MODEL_DIR), (p) => p.dispose)
      const parts = []
      for (const [i, b] of TEST_SPLITS.entries()) {
        parts.push(yield* scoreWorld(policy.generate, [b]))
        yield* Console.error(`world repro: ${b} scored (${i + 1}/${TEST_SPLITS.length}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`)
      }
      const strict = parts.flatMap((p) => p.strict)
      // The same average scoreWorld computes over all test sets at once.
      const average = strict.reduce((s, r) => s + r.summary.accuracy, 0) / Math.max(1, strict.length)
      return formatScores({ strict, lenient: parts.flatMap((p) => p.lenient), average }).trim()
    })
  ).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))
  return measured
})

const program = Effect.gen(function* () {
  const args = process.argv.slice(2)
  const unknown = args.filter((a) => a !== "--rescore" && a !== "--update")
  if (unknown.length > 0) return yield* Effect.fail(new Error(`unexpected argument ${unknown[0]}; expected --rescore, --update`))
  const weights = weightsKey()
  const code = codeKey()
  yield* Console.error(`world repro: weights sha256 verified (key ${weights.slice(0, 12)}), code key ${code.key.slice(0, 12)} over ${code.files} source files and the test sets`)
  const cacheFile = path.join(CACHE_DIR, `${weights.slice(0, 16)}-${code.key.slice(0, 16)}.txt`)
  const committed = readCommitted()
  let measured: string
  let how: string
  if (!args.includes("--rescore") && committed?.weights === weights && committed.code === code.key) {
    measured = committed.scores
    how = `reused the score recorded for these weights and this code (${path.relative(process.cwd(), COMMITTED)}; --rescore to score again)`
  } else if (!args.includes("--rescore") && fs.existsSync(cacheFile)) {
    measured = fs.readFileSync(cacheFile, "utf8").trim()
    how = `reused this machine's score for these weights and this code (${path.relative(process.cwd(), cacheFile)})`
  } else {
    if (committed !== undefined && !args.includes("--rescore")) {
      yield* Console.error(`world repro: ${committed.weights !== weights ? "the weights" : "the code that scores them"} changed since ${path.relative(process.cwd(), COMMITTED)}; scoring the 4 test sets (150–180 s on 2 cores) …`)
    } else yield* Console.error("world repro: scoring the 4 test sets (150–180 s on 2 cores) …")
    measured = yield* score
    writeAtomic(cacheFile, `${measured}\n`)
    how = "scored now"
  }
  if (args.includes("--update")) {
    writeAtomic(COMMITTED, `${JSON.stringify({ weights, code: code.key, scores: measured }, null, 2)}\n`)
    yield* Console.error(`world repro: wrote ${path.relative(process.cwd(), COMMITTED)}`)
  }
  // The card's log is `rlvr world eval --out …` output: drop its trailing "wrote FILE" line.
  const expected = fs.readFileSync(CARD, "utf8").split("\n").filter((l) => !l.startsWith("wrote ")).join("\n").trim()
  yield* Console.log(`embedded default model (${path.relative(process.cwd(), MODEL_DIR)}), sha256 verified; ${how}:\n`)
  yield* Console.log(measured)
  if (measured === expected) {
    yield* Console.log(`\nholds: the scores equal the model card's (${path.relative(process.cwd(), CARD)})`)
    return
  }
  yield* Console.error(`world repro: fails: the scores differ from the model card's (${CARD})`)
  yield* Console.log(`\nfails: the model card (${path.relative(process.cwd(), CARD)}) reports:\n\n${expected}`)
  process.exitCode = 1
})

Effect.runPromise(program).catch((e: unknown) => {
  console.error(`world repro: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`)
  process.exitCode = 2
})
