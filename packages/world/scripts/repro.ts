/**
 * `turbo run repro` for the world's published models: checks that the
 * embedded default model (`models/base`) scores what its model card reports
 * (`models/base/logs/base-eval.txt`) on the world's four test sets, and that
 * base model v2 (`models/base-v2`) measures what its card reports
 * (`models/base-v2/logs/styles-500.txt`: greedy accuracy and boxed ratio,
 * pass@8 vs mean@8, the styles and their accuracies on world-math500, and its
 * targets met or not).
 *
 * Scoring takes 150–180 s (v2: ≈ 340 s) on two CPU cores, so the score is reused when
 * nothing that determines it has changed. Greedy decoding on wasm is
 * deterministic, so a score is a function of (weights, code, data): the key is
 * the sha256 of the verified checkpoint files plus a hash of every source file
 * this script imports (followed transitively through `@oneshot/*` and relative
 * imports), the versions of the npm packages they import, and the test-set
 * files. A score is reused from
 * 1. `scripts/repro-score.json` (committed, so a fresh clone needs no scoring), or
 * 2. `node_modules/.cache/oneshot-world-repro/<key>.txt` (this machine), or
 * 3. when only the code key differs from the committed one: the committed
 *    file's probe (up to 8 greedy prompts of each test set from its full scoring — the first and
 *    last of each greedy generate call — with their responses) is
 *    re-generated, and the score is reused when every response is identical
 *    (said so on stdout: generation is spot-checked, grading is not re-run);
 * and re-scored otherwise (or with `--rescore`); `--rescore --update` writes
 * the committed file. Either way the scores are compared with the model card.
 *
 * stdout: the score table and the verdict; stderr: progress.
 * Exit 0 when the scores equal the cards', 1 when one does not, 2 on an error.
 */
import { Console, Effect } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const HERE = path.dirname(fileURLToPath(import.meta.url))
const PACKAGES = path.resolve(HERE, "..", "..")
const ROOT = path.resolve(PACKAGES, "..")
const DATA_DIR = path.resolve(HERE, "..", "data")
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "oneshot-world-repro")

const sha256 = (x: string | Uint8Array): string => createHash("sha256").update(x).digest("hex")

/** The checkpoint's files, verified against SHA256SUMS; the key is the hash of that list. */
const weightsKey = (modelDir: string): string => {
  const sums = fs.readFileSync(path.join(modelDir, "SHA256SUMS"), "utf8")
  for (const line of sums.trim().split("\n")) {
    const [hash, file] = line.split(/\s+/)
    const actual = sha256(fs.readFileSync(path.join(modelDir, file ?? "")))
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

/** Prompts the last full scoring sent to the model, with the options and the responses it got. */
interface Probe {
  readonly prompt: string
  readonly options: Record<string, unknown>
  readonly texts: ReadonlyArray<string>
}

interface Recorded {
  readonly weights: string
  readonly code: string
  readonly scores: string
  readonly probe?: ReadonlyArray<Probe>
}

const readCommitted = (file: string): Recorded | undefined => {
  if (!fs.existsSync(file)) return undefined
  const j = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Recorded>
  return typeof j.weights === "string" && typeof j.code === "string" && typeof j.scores === "string" ? (j as Recorded) : undefined
}

const writeAtomic = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}`
  fs.writeFileSync(tmp, text)
  fs.renameSync(tmp, file)
}

/** The policy and verifier layers, loaded only when the model must run. Module paths, not package
 * indexes: the code key then covers what scoring loads, not every module of those packages. */
const modules = () =>
  Promise.all([
    import("@oneshot/policy/Backend"),
    import("@oneshot/policy/PolicyLive"),
    import("@oneshot/verifier/VerifierLayer"),
    import("../src/WorldEval.ts"),
    import("../src/Splits.ts"),
    import("effect"),
    import("../src/StyleEval.ts"),
    import("../src/Files.ts")
  ])

type Generate = import("@oneshot/core").TextGenerator<unknown, never>

/** One published model and how its card's figures are measured. */
interface Check {
  readonly name: string
  readonly modelDir: string
  /** The card's log of the measurement. */
  readonly card: string
  /** The committed score (`scripts/repro-score*.json`). */
  readonly committed: string
  readonly duration: string
  /** The card's text as the measurement prints it (the log's own header and trailer lines dropped). */
  readonly expected: (card: string) => string
  /** Measures the model through `generate`, with progress on stderr. */
  readonly measure: (generate: Generate) => Effect.Effect<string, unknown, import("@oneshot/core").Verifier>
}

/** The four test sets, greedy, graded boxed-only and leniently (the v1 card). */
const measureTestSets = (generate: Generate, startProbeSet: () => void) =>
  Effect.gen(function* () {
    const [, , , { formatScores, scoreWorld }, { TEST_SPLITS }] = yield* Effect.promise(modules)
    const t0 = performance.now()
    const parts = []
    for (const [i, b] of TEST_SPLITS.entries()) {
      startProbeSet()
      parts.push(yield* scoreWorld(generate, [b]))
      yield* Console.error(`world repro: ${b} scored (${i + 1}/${TEST_SPLITS.length}, ${((performance.now() - t0) / 1000).toFixed(0)} s)`)
    }
    const strict = parts.flatMap((p) => p.strict)
    // The same average scoreWorld computes over all test sets at once.
    const average = strict.reduce((s, r) => s + r.summary.accuracy, 0) / Math.max(1, strict.length)
    return formatScores({ strict, lenient: parts.flatMap((p) => p.lenient), average }).trim()
  })

/** The v2 card's measurement: styles on all of world-math500 (greedy + 8 samples at T = 0.6, seed 1). */
const measureStyleReport = (generate: Generate) =>
  Effect.gen(function* () {
    const [, , , , , , { formatStyleReport, MEASURE_DEFAULTS, measureStyles, summarizeStyles }, { readSplit }] = yield* Effect.promise(modules)
    const problems = yield* Effect.orDie(readSplit("world-math500"))
    const records = yield* measureStyles(generate, problems, MEASURE_DEFAULTS)
    return formatStyleReport(summarizeStyles(records)).trim()
  })

/** Non-empty lines, without a log's `wrote FILE` trailer (and, for the styles log, its timing header). */
const cardLines = (text: string, dropHeader: boolean): string =>
  text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("wrote ") && !(dropHeader && / world-math500 problems, k=\d+, T=[\d.]+, \d+ s$/.test(l)))
    .join("\n")
    .trim()

const CHECKS: ReadonlyArray<Check> = [
  {
    name: "embedded default model",
    modelDir: path.resolve(HERE, "..", "models", "base"),
    card: path.resolve(HERE, "..", "models", "base", "logs", "base-eval.txt"),
    committed: path.join(HERE, "repro-score.json"),
    duration: "150–180 s on 2 cores",
    // The card's log is `rlvr world eval --out …` output: drop its trailing "wrote FILE" line.
    expected: (card) => card.split("\n").filter((l) => !l.startsWith("wrote ")).join("\n").trim(),
    measure: (generate) => measureTestSets(generate, () => {})
  },
  {
    name: "base model v2",
    modelDir: path.resolve(HERE, "..", "models", "base-v2"),
    card: path.resolve(HERE, "..", "models", "base-v2", "logs", "styles-500.txt"),
    committed: path.join(HERE, "repro-score-v2.json"),
    duration: "≈ 340 s on 2 cores",
    expected: (card) => cardLines(card, true),
    measure: (generate) => Effect.map(measureStyleReport(generate), (t) => cardLines(t, false))
  }
]

/** Probe prompts: the first and last prompt of each greedy generate call, up to this many. */
const PROBE_MAX = 32

/** Measures the model (the slow path); records a probe of greedy prompts and responses. */
const score = (check: Check) =>
  Effect.gen(function* () {
    const [{ Backend, backendFromEnv }, { PolicyLive }, { VerifierLive }, , , { Layer }] = yield* Effect.promise(modules)
    const probe: Array<Probe> = []
    const measured = yield* Effect.scoped(
      Effect.gen(function* () {
        const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(check.modelDir), (p) => p.dispose)
        const generate: typeof policy.generate = (prompts, options) =>
          policy.generate(prompts, options).pipe(
            Effect.tap((out) => {
              // Greedy responses only: a sampled row's stream depends on its place in the call, so one prompt alone would not re-generate it.
              if ((options.temperature ?? 0) !== 0) return
              for (const i of [...new Set([0, prompts.length - 1])]) {
                if (probe.length >= PROBE_MAX || prompts[i] === undefined) continue
                probe.push({ prompt: prompts[i]!, options: { ...options }, texts: out[i]!.map((x) => x.text) })
              }
            })
          )
        return yield* check.measure(generate as Generate)
      })
    ).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()), VerifierLive)))
    return { measured, probe }
  })

/**
 * When only the code changed: re-generate the recorded probe prompts and
 * compare the responses with the recorded ones, character for character.
 */
const probeMatches = (check: Check, probe: ReadonlyArray<Probe>) =>
  Effect.gen(function* () {
    const [{ Backend, backendFromEnv }, { PolicyLive }, , , , { Layer }] = yield* Effect.promise(modules)
    const { GenerateOptions } = yield* Effect.promise(() => import("@oneshot/core/Sampling"))
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const policy = yield* Effect.acquireRelease(PolicyLive.fromCheckpoint(check.modelDir), (p) => p.dispose)
        for (const p of probe) {
          const out = yield* policy.generate([p.prompt], GenerateOptions.make(p.options as ConstructorParameters<typeof GenerateOptions>[0]))
          const texts = out[0]!.map((x) => x.text)
          if (texts.length !== p.texts.length || texts.some((t, i) => t !== p.texts[i])) return false
        }
        return true
      })
    ).pipe(Effect.provide(Layer.mergeAll(Backend.layer(backendFromEnv()))))
  })

/** Checks one model: its measurement (reused or made) against its card. True when they are equal. */
const runCheck = (check: Check, args: ReadonlyArray<string>, code: { readonly key: string; readonly files: number }) =>
  Effect.gen(function* () {
    const weights = weightsKey(check.modelDir)
    const tag = `world repro (${check.name})`
    yield* Console.error(`${tag}: weights sha256 verified (key ${weights.slice(0, 12)}), code key ${code.key.slice(0, 12)} over ${code.files} source files and the test sets`)
    const cacheFile = path.join(CACHE_DIR, `${weights.slice(0, 16)}-${code.key.slice(0, 16)}.txt`)
    const committed = readCommitted(check.committed)
    const rel = (f: string) => path.relative(process.cwd(), f)
    let measured: string
    let how: string
    let probe: ReadonlyArray<Probe> | undefined
    if (!args.includes("--rescore") && committed?.weights === weights && committed.code === code.key) {
      measured = committed.scores
      probe = committed.probe
      how = `reused the score recorded for these weights and this code (${rel(check.committed)}; --rescore to score again)`
    } else if (!args.includes("--rescore") && fs.existsSync(cacheFile)) {
      measured = fs.readFileSync(cacheFile, "utf8").trim()
      how = `reused this machine's score for these weights and this code (${rel(cacheFile)})`
    } else {
      const onlyCode = committed !== undefined && committed.weights === weights && (committed.probe?.length ?? 0) > 0 && !args.includes("--rescore") && !args.includes("--update")
      if (onlyCode) yield* Console.error(`${tag}: the code that scores the model changed since ${rel(check.committed)}; re-generating its ${committed.probe!.length} recorded prompts …`)
      if (onlyCode && (yield* probeMatches(check, committed.probe!))) {
        measured = committed.scores
        how = `the scoring code changed since ${rel(check.committed)}, but its ${committed.probe!.length} recorded greedy prompts re-generate character for character, so its score is reused (grading and sampling were not re-run; --rescore scores again, --update records the new key)`
      } else {
        const why = committed === undefined || args.includes("--rescore") ? "" : `${committed.weights !== weights ? "the weights changed" : onlyCode ? "the recorded prompts re-generate differently" : "the code changed"} since ${rel(check.committed)}; `
        yield* Console.error(`${tag}: ${why}measuring (${check.duration}) …`)
        const scored = yield* score(check)
        measured = scored.measured
        probe = scored.probe
        writeAtomic(cacheFile, `${measured}\n`)
        how = "scored now"
      }
    }
    if (args.includes("--update")) {
      if (probe === undefined) return yield* Effect.fail(new Error("--update needs a full scoring to record its probe prompts: run with --rescore --update"))
      writeAtomic(check.committed, `${JSON.stringify({ weights, code: code.key, scores: measured, probe }, null, 2)}\n`)
      yield* Console.error(`${tag}: wrote ${rel(check.committed)}`)
    }
    const expected = check.expected(fs.readFileSync(check.card, "utf8"))
    yield* Console.log(`${check.name} (${rel(check.modelDir)}), sha256 verified; ${how}:\n`)
    yield* Console.log(measured)
    if (measured === expected) {
      yield* Console.log(`\nholds: the measurement equals the model card's (${rel(check.card)})\n`)
      return true
    }
    yield* Console.error(`${tag}: fails: the measurement differs from the model card's (${check.card})`)
    yield* Console.log(`\nfails: the model card (${rel(check.card)}) reports:\n\n${expected}\n`)
    return false
  })

const program = Effect.gen(function* () {
  const args = process.argv.slice(2)
  const known = ["--rescore", "--update", ...CHECKS.map((_, i) => `--only=${i}`)]
  const unknown = args.filter((a) => !known.includes(a) && !a.startsWith("--only="))
  if (unknown.length > 0) return yield* Effect.fail(new Error(`unexpected argument ${unknown[0]}; expected --rescore, --update, --only=base|base-v2`))
  const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length)
  const code = codeKey()
  let ok = true
  for (const check of CHECKS) {
    if (only !== undefined && path.basename(check.modelDir) !== only) continue
    ok = (yield* runCheck(check, args, code)) && ok
  }
  if (!ok) process.exitCode = 1
})

Effect.runPromise(program).catch((e: unknown) => {
  console.error(`world repro: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`)
  process.exitCode = 2
})
