/**
 * Reading and writing the shipped splits: JSONL files in `packages/world/data`
 * plus a manifest with seeds and sha256, written atomically (temp + rename).
 */
import { FileError, InvalidInput } from "@oneshot/core"
import { Effect, Either, Schema } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { WorldProblem, WorldProblemFromJson } from "./Generator.ts"
import { generateAllSplits, SPLITS, toJsonl } from "./Splits.ts"

/** `packages/world/data`, resolved from this module so it works from any cwd. */
export const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "data")

export const sha256 = (text: string | Uint8Array): string => createHash("sha256").update(text).digest("hex")

/** Writes `text` to `file` atomically: a temp file in the same directory, then rename. */
export const writeFileAtomic = (file: string, text: string | Uint8Array): Effect.Effect<void, FileError> =>
  Effect.try({
    try: () => {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      const tmp = `${file}.tmp-${process.pid}-${Date.now()}`
      fs.writeFileSync(tmp, text)
      fs.renameSync(tmp, file)
    },
    catch: (e) => new FileError({ path: file, operation: "write", reason: e instanceof Error ? e.message : String(e), cause: e })
  })

export interface GeneratedFile {
  readonly split: string
  readonly file: string
  readonly rows: number
  readonly sha256: string
}

/** The manifest text: every split's spec, seed and content hash. */
const manifest = (files: ReadonlyArray<GeneratedFile>): string =>
  JSON.stringify(
    {
      generator: "@oneshot/world Splits.generateAllSplits (mulberry32 streams derived per problem)",
      command: "npx rlvr world generate",
      splits: SPLITS.map((s) => {
        const f = files.find((x) => x.split === s.name)
        return { ...s, file: `${s.name}.jsonl`, rows: f?.rows ?? 0, sha256: f?.sha256 ?? "" }
      })
    },
    null,
    2
  ) + "\n"

/** Generates every split and writes `<dir>/<split>.jsonl` and `<dir>/SPLITS.json`. */
export const writeSplits = (dir: string = DATA_DIR): Effect.Effect<ReadonlyArray<GeneratedFile>, FileError> =>
  Effect.gen(function* () {
    const { splits } = generateAllSplits()
    const files: Array<GeneratedFile> = []
    for (const [name, problems] of splits) {
      const text = toJsonl(problems)
      const file = path.join(dir, `${name}.jsonl`)
      yield* writeFileAtomic(file, text)
      files.push({ split: name, file, rows: problems.length, sha256: sha256(text) })
    }
    yield* writeFileAtomic(path.join(dir, "SPLITS.json"), manifest(files))
    return files
  })

/** Reads a shipped split by name (or a JSONL path). */
export const readSplit = (
  nameOrPath: string,
  dir: string = DATA_DIR
): Effect.Effect<ReadonlyArray<WorldProblem>, FileError | InvalidInput> =>
  Effect.gen(function* () {
    const file = nameOrPath.endsWith(".jsonl") ? nameOrPath : path.join(dir, `${nameOrPath}.jsonl`)
    const text = yield* Effect.try({
      try: () => fs.readFileSync(file, "utf8"),
      catch: (e) => new FileError({ path: file, operation: "read", reason: e instanceof Error ? e.message : String(e), cause: e })
    })
    const decode = Schema.decodeUnknownEither(WorldProblemFromJson)
    const out: Array<WorldProblem> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? ""
      if (line.trim() === "") continue
      const r = decode(line)
      if (Either.isLeft(r)) {
        return yield* new InvalidInput({
          input: `${file}:${i + 1}`,
          expected: "a world problem {id, prompt, answer, subject, level, source, solution}",
          actual: line.slice(0, 80)
        })
      }
      out.push(r.right)
    }
    return out
  })
