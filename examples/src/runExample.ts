/**
 * Every example exports its `program` and calls `runExample(import.meta.url, program)`: run as a script
 * (`pnpm example <name>`), it runs the program with `NodeRuntime.runMain` (Ctrl-C interrupts it);
 * imported (by the tests), it does nothing, so the test runs the program with a captured console.
 * Each example ends with `// Output:` comment lines: what it prints, which its test checks exactly
 * (the guide shows them under the code).
 */

import { realpathSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { NodeRuntime } from "@effect/platform-node"
import type { Effect } from "effect"

export const runExample = <A, E>(moduleUrl: string, program: Effect.Effect<A, E>): void => {
  const script = process.argv[1]
  if (script === undefined) return
  if (realpathSync(script) === realpathSync(fileURLToPath(moduleUrl))) {
    NodeRuntime.runMain(program)
  }
}
