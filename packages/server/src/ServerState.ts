/**
 * The live counters of one server: what `/health` reports, what admission
 * control reads, and what graceful shutdown waits on. Mutable on purpose: it
 * is touched only from the event loop, once per request.
 */
export class ServerState {
  draining = false
  /** Requests whose response has not finished (counted at Node's level, so shutdown waits for the bytes). */
  inFlightRequests = 0
  /** Items admitted and not yet graded, over all requests. */
  pendingItems = 0
  requests = 0
  gradedItems = 0
  rejected = 0
  readonly startedAt = Date.now()
}
