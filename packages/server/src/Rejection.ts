/**
 * Why a request was refused: the HTTP status, a stable machine-readable code
 * and a message naming the input and what was expected. Every refusal is
 * answered as `{"error": {status, code, message}}`.
 */
import { Schema } from "effect"

export class Rejection extends Schema.TaggedError<Rejection>()("Rejection", {
  status: Schema.Int,
  code: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

export const badRequest = (code: string, detail: string) => new Rejection({ status: 400, code, detail })
export const tooLarge = (code: string, detail: string) => new Rejection({ status: 413, code, detail })
