/**
 * `pnpm demo [command] [options]`: the demo on Node (Ctrl-C interrupts every download and exits 130).
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import * as Cli from "./Cli.js"
import { Keyboard } from "./Keyboard.js"
import { Screen } from "./Screen.js"

const MainLive = Cli.layer.pipe(Layer.provideMerge(Layer.merge(Screen.Default, Keyboard.Default)))

Cli.run(process.argv.slice(2)).pipe(
  Effect.provide(MainLive),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown: Cli.teardown })
)
