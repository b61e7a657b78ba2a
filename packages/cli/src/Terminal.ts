/**
 * What the `rlvr` command owes the terminal and the pipe it writes to: no
 * colour unless a person is looking (a TTY without `NO_COLOR`), help text
 * wrapped to the terminal's width, usage lines that name the full command.
 * Pure text functions, so each convention has a property test; `installOutputFilter`
 * applies them to the process's streams at startup.
 */

/** ANSI escape sequences: CSI (colours, cursor moves) and OSC (titles, links). */
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g

export const stripAnsi = (s: string): string => s.replace(ANSI, "")

/** The no-color.org convention: colour only on a TTY, never when NO_COLOR is set (non-empty) or TERM is dumb. */
export const colourWanted = (isTTY: boolean | undefined, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTTY === true && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb"

/**
 * Wraps each line longer than `width` visible characters at spaces; the
 * continuation lines keep the line's indentation. A word longer than the
 * width stays whole on its own line (a path or URL must not be cut).
 */
export const wrapLines = (text: string, width: number): string =>
  text
    .split("\n")
    .map((line) => {
      if (stripAnsi(line).length <= width) return line
      const indent = /^\s*/.exec(stripAnsi(line))![0]
      const words = line.slice(line.length - line.trimStart().length).split(" ")
      const out: Array<string> = []
      let cur = ""
      for (const w of words) {
        const candidate = cur === "" ? indent + w : `${cur} ${w}`
        if (cur !== "" && stripAnsi(candidate).length > width) {
          out.push(cur)
          cur = indent + w
        } else cur = candidate
      }
      if (cur !== "") out.push(cur)
      return out.join("\n")
    })
    .join("\n")

/**
 * Help as a person reads it: @effect/cli prints a subcommand's usage as
 * `$ grade …` and repeatable options as if required; this names the full
 * command (`$ rlvr grade …`) and marks a repeatable option as optional.
 */
export const fixHelp = (text: string, commandPath: ReadonlyArray<string>): string => {
  const last = commandPath[commandPath.length - 1]
  const withUsage =
    last === undefined
      ? text
      : text.replace(new RegExp(`^(\\s*(?:\\u001b\\[[0-9;]*m)*)\\$ ${escapeRegExp(last)}\\b`, "gm"), `$1$ rlvr ${commandPath.join(" ")}`)
  // `--set text...` reads as required; a repeatable option may be absent: `[--set text]...`.
  return withUsage.replace(/(^|\s)--([\w-]+) ([\w-]+)\.\.\.(?=\s|$)/gm, "$1[--$2 $3]...")
}

/**
 * @effect/cli lays the COMMANDS section out as a two-column table padded to
 * its longest usage (hundreds of columns for `serve-reward`), which wraps
 * into screens of blank padding. As a list instead: each usage on its line,
 * its description below, indented; no trailing blanks anywhere.
 */
export const tidyCommandTable = (text: string): string => {
  let inCommands = false
  return text
    .split("\n")
    .flatMap((raw) => {
      const line = raw.trimEnd()
      const plain = stripAnsi(line)
      if (/^[A-Z][A-Z ]+$/.test(plain.trim()) && !plain.startsWith(" ")) {
        inCommands = plain.trim() === "COMMANDS"
        return [line]
      }
      if (!inCommands || plain.trim() === "") return [line]
      const row = /^(\s*- .*?\S)\s{2,}(\S.*)$/.exec(line)
      if (row !== null) return [row[1]!, `    ${row[2]!}`]
      return [/^\s*- /.test(plain) ? line : `    ${line}`]
    })
    .join("\n")
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The subcommand path of an argv (the words before the first option): `["world", "eval"]`. */
export const commandPathOf = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  const path: Array<string> = []
  for (const a of args) {
    if (a.startsWith("-")) break
    path.push(a)
  }
  return path
}

export const isHelpRequest = (args: ReadonlyArray<string>): boolean =>
  args.length === 0 || args.includes("--help") || args.includes("-h")

/**
 * Filters everything the process writes: strips colour when `colour` is
 * false and, for help output, fixes usage lines and wraps to `width`.
 * Written at the stream, so @effect/cli's help, Effect's Console and
 * progress bars all follow the same rule.
 */
export const installOutputFilter = (options: { readonly colour: boolean; readonly help?: { readonly width: number; readonly commandPath: ReadonlyArray<string> } }): void => {
  const transform = (s: string): string => {
    let t = options.colour ? s : stripAnsi(s)
    if (options.help !== undefined) t = wrapLines(fixHelp(tidyCommandTable(t), options.help.commandPath), options.help.width)
    return t
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: Array<unknown>) => boolean
    stream.write = ((chunk: unknown, ...rest: Array<unknown>) =>
      write(typeof chunk === "string" ? transform(chunk) : chunk instanceof Uint8Array && !options.colour ? transform(Buffer.from(chunk).toString("utf8")) : chunk, ...rest)) as typeof stream.write
  }
}

/**
 * A reader that stops early (`rlvr … | head`) closes the pipe; the next write
 * fails with EPIPE. As other Unix tools do, stop quietly then: no stack
 * trace, the exit status a shell expects of a writer killed by SIGPIPE.
 */
export const exitQuietlyOnClosedPipe = (): void => {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(EXIT_CLOSED_PIPE)
      throw e
    })
  }
}

/** 128 + SIGPIPE (13): what a shell reports for a writer whose reader went away. */
export const EXIT_CLOSED_PIPE = 141
