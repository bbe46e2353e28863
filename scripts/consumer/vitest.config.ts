import { defineConfig } from "vitest/config"

// `pnpm run consumer`: the packed packages installed into a fresh app (see consumer.test.ts). Not part of the
// workspace's vitest projects: it builds, packs and reaches the npm registry.
export default defineConfig({
  test: {
    include: ["scripts/consumer/*.test.ts"],
    root: new URL("../../", import.meta.url).pathname,
    testTimeout: 300_000,
    hookTimeout: 900_000
  }
})
