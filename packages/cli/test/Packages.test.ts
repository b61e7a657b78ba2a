/**
 * The packages install in another app: `npm pack` tarballs of core and the
 * verifier, installed into a scratch project outside the repository, grade
 * through `VerifierLive` under plain `node` (no tsx, no TypeScript). The
 * install takes effect (and the CAS) from the npm cache, or the registry when
 * the cache lacks them; with neither, the test is skipped and says why.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
/** Asynchronous, so the test worker stays responsive while npm and node run. */
const run = promisify(execFile)
const attempt = (cmd: string, args: ReadonlyArray<string>, cwd: string) =>
  run(cmd, [...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 }).then(
    (r) => ({ ok: true as const, stderr: r.stderr }),
    (e: { stderr?: string }) => ({ ok: false as const, stderr: e.stderr ?? String(e) })
  )

const APP = `import { Verifier } from "@oneshot/core"
import { VerifierLive } from "@oneshot/verifier"
import { Effect } from "effect"

const program = Effect.gen(function* () {
  const verifier = yield* Verifier
  return yield* verifier.grade("… so the answer is $\\\\boxed{\\\\dfrac{1}{2}}$.", "0.5", { mode: "strict" })
})
Effect.runPromise(program.pipe(Effect.provide(VerifierLive))).then((g) => console.log(JSON.stringify({ correct: g.correct, extracted: g.extracted })))
`

describe("npm pack tarballs in a plain Node project", () => {
  it("core + verifier grade through VerifierLive with plain node", { timeout: 600_000 }, async (ctx) => {
    const work = mkdtempSync(join(tmpdir(), "oneshot-pack-"))
    const tgz = join(work, "tgz")
    mkdirSync(tgz)
    await run(npm, ["pack", "--silent", "--pack-destination", tgz, "-w", "@oneshot/core", "-w", "@oneshot/verifier"], { cwd: ROOT })
    // prepack switched exports to dist/ and postpack switched them back: the repository is as committed.
    for (const p of ["core", "verifier"]) expect(JSON.parse(readFileSync(join(ROOT, "packages", p, "package.json"), "utf8")).exports["."]).toBe("./src/index.ts")
    const app = join(work, "app")
    mkdirSync(app)
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }))
    writeFileSync(join(app, "index.mjs"), APP)
    const tarballs = [join(tgz, "oneshot-core-0.1.0.tgz"), join(tgz, "oneshot-verifier-0.1.0.tgz")]
    const install = (mode: string) => attempt(npm, ["install", mode, "--no-audit", "--no-fund", ...tarballs], app)
    let r = await install("--offline")
    if (!r.ok) r = await install("--prefer-offline")
    if (!r.ok) {
      ctx.skip(`npm could not install the tarballs' dependencies (effect, the CAS) from the cache or the registry: ${r.stderr.split("\n").find((l) => l.includes("error")) ?? r.stderr.slice(0, 200)}`)
      return
    }
    expect(existsSync(join(app, "node_modules", "@oneshot", "verifier", "dist", "index.d.ts"))).toBe(true)
    expect(existsSync(join(app, "node_modules", "@oneshot", "verifier", "src"))).toBe(false)
    const { stdout } = await run(process.execPath, ["index.mjs"], { cwd: app, encoding: "utf8" })
    expect(JSON.parse(stdout)).toEqual({ correct: true, extracted: "\\dfrac{1}{2}" })
  })
})
