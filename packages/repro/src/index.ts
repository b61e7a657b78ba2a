/**
 * `@oneshot/repro`: the claims of arXiv 2504.20571 as typed checks on
 * recorded runs (the authors' and this project's, or imported verl runs).
 */
export * from "./Csv.ts"
export * from "./Discover.ts"
export * from "./RecordedHistory.ts"
export * from "./Reported.ts"
export * from "./ReportedRuns.ts"
export * from "./RunLogReader.ts"
export * from "./RunRecord.ts"
export * from "./Series.ts"
export * from "./VerlConsoleReader.ts"
export * from "./Verdict.ts"
export * from "./WandbCsvReader.ts"
export * from "./Claim.ts"
export * from "./RecordedChecks.ts"
export * from "./Registry.ts"
export * from "./Report.ts"
export * from "./Repro.ts"
export * from "./RunChecks.ts"
export * from "./Svg.ts"
