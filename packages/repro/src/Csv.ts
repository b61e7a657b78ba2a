/**
 * A small RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF). W&B
 * exports are plain CSV; this is 30 lines with property tests, so it is not
 * worth a dependency.
 */
export const parseCsv = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  let i = 0
  const endField = () => {
    row.push(field)
    field = ""
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"') quoted = true
    else if (c === ",") endField()
    else if (c === "\n" || c === "\r") {
      endField()
      rows.push(row)
      row = []
      if (c === "\r" && text[i + 1] === "\n") i++
    } else field += c
    i++
  }
  if (field.length > 0 || row.length > 0) {
    endField()
    rows.push(row)
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""))
}

/** The inverse, quoting only where needed. */
export const formatCsv = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows.map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(",")).join("\n") + "\n"
