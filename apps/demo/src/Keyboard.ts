/**
 * The bail-out signal: a key press when standard input and output are a terminal (raw mode,
 * restored afterwards), or the time running out — whichever comes first.
 */
import { Duration, Effect } from "effect"

/** What ended a {@link KeyboardShape.cancelSignal} wait. */
export type CancelReason = "key" | "time"

/** The shape of {@link Keyboard}. */
export interface KeyboardShape {
  /** Standard input is a terminal: the user can press a key. */
  readonly interactive: boolean
  /**
   * Completes with `"key"` when the user presses a key (interactive only), or with `"time"` once
   * `after` has passed. Ctrl-C in raw mode is passed on as SIGINT, so it still interrupts the whole
   * program. Interrupting the wait restores the terminal and releases standard input.
   */
  readonly cancelSignal: (after: Duration.DurationInput) => Effect.Effect<CancelReason>
}

const keyPress = Effect.async<CancelReason>((resume) => {
  const stdin = process.stdin
  const wasRaw = stdin.isRaw
  const restore = () => {
    stdin.off("data", onData)
    stdin.setRawMode(wasRaw)
    stdin.pause()
  }
  const onData = (data: Buffer) => {
    restore()
    // Ctrl-C in raw mode reaches us as a byte: hand it back to the signal handler.
    if (data.includes(3)) process.kill(process.pid, "SIGINT")
    else resume(Effect.succeed("key"))
  }
  stdin.setRawMode(true)
  stdin.on("data", onData)
  stdin.resume()
  return Effect.sync(restore)
})

const timeUp = (after: Duration.DurationInput): Effect.Effect<CancelReason> =>
  Effect.as(Effect.sleep(Duration.decode(after)), "time" as const)

/** Standard input. */
export class Keyboard extends Effect.Service<Keyboard>()("@tapestry/demo/Keyboard", {
  sync: (): KeyboardShape => {
    const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
    return {
      interactive,
      cancelSignal: (after) => (interactive ? Effect.raceFirst(keyPress, timeUp(after)) : timeUp(after))
    }
  }
}) {}

/** A keyboard nobody types on: the cancel is always the time running out (for tests). */
export const scripted: Keyboard = Keyboard.make({ interactive: false, cancelSignal: timeUp })
