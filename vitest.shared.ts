import { defineConfig } from "vitest/config"

// `pnpm typetest` sets TYPETEST=1: then vitest runs only the `*.test-d.ts` type tests, through tsc.
const typetest = process.env.TYPETEST === "1"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: {
      enabled: typetest,
      only: typetest,
      include: ["test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.test.json"
    },
    sequence: { concurrent: false },
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
