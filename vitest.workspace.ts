import { defineWorkspace } from "vitest/config"

// vitest 3.2 prints a deprecation notice for workspace files; the design keeps this file on purpose.
export default defineWorkspace(["packages/*", "apps/*", "examples"])
