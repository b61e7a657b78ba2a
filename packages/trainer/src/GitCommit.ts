/**
 * The repository's commit for the run header, behind a service so tests and
 * runs outside a checkout do not shell out to `git`.
 */
import { Context, Effect, Layer, Option } from "effect"
import { execFileSync } from "node:child_process"

export interface GitCommitShape {
  /** HEAD's commit hash, or none outside a git checkout. */
  readonly head: Effect.Effect<Option.Option<string>>
}

export class GitCommit extends Context.Tag("@oneshot/trainer/GitCommit")<GitCommit, GitCommitShape>() {}

/** `git rev-parse HEAD` in the working directory. */
export const gitCommitLive: GitCommitShape = {
  head: Effect.sync(() => {
    try {
      return Option.some(execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim())
    } catch {
      return Option.none()
    }
  })
}

export const GitCommitLive: Layer.Layer<GitCommit> = Layer.succeed(GitCommit, gitCommitLive)

/** A fixed commit (or none), for tests. */
export const GitCommitTest = (commit?: string): Layer.Layer<GitCommit> => Layer.succeed(GitCommit, { head: Effect.succeed(Option.fromNullable(commit)) })
