import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    passWithNoTests: true,
    // The JSON report feeds the one-line summary that `npm test` prints at the end.
    reporters: ["default", ["json", { outputFile: ".vitest/results.json" }]],
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})
