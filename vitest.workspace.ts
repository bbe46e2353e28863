import { defineWorkspace } from "vitest/config"

// vitest 3.2 prints a deprecation notice for workspace files; the design keeps this file on purpose.
//
// `pnpm typetest` sets TYPETEST=1: then one project runs every package's `*.test-d.ts` type tests through
// tsc (one project, so vitest's "Testing types … is an experimental feature" notice is printed once).
// Like `pnpm test`, it needs `tsc -b` (`pnpm run check`) first: the tests see each package's sources
// through its built declarations.
export default defineWorkspace(
  process.env.TYPETEST === "1"
    ? [
        {
          test: {
            name: "types",
            include: [],
            typecheck: {
              enabled: true,
              only: true,
              include: ["packages/*/test/**/*.test-d.ts"],
              tsconfig: "./tsconfig.typetest.json"
            }
          }
        }
      ]
    : ["packages/*", "apps/*", "examples"]
)
