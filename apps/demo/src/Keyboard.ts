/**
 * The bail-out signal: a key press when standard input is a terminal (raw mode, restored afterwards),
 * a scripted cancel after a delay otherwise.
 */
import { Duration, Effect } from "effect"

/** The shape of {@link Keyboard}. */
export interface KeyboardShape {
  /** Standard input is a terminal: the user can press a key. */
  readonly interactive: boolean
  /**
   * Completes when the user presses a key (interactive) or after `scripted` (otherwise). Ctrl-C in raw
   * mode is passed on as SIGINT, so it still interrupts the whole program. Interrupting the wait restores
   * the terminal and releases standard input.
   */
  readonly cancelSignal: (scripted: Duration.DurationInput) => Effect.Effect<void>
}

const keyPress = Effect.async<void>((resume) => {
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
    else resume(Effect.void)
  }
  stdin.setRawMode(true)
  stdin.on("data", onData)
  stdin.resume()
  return Effect.sync(restore)
})

/** Standard input. */
export class Keyboard extends Effect.Service<Keyboard>()("@tapestry/demo/Keyboard", {
  sync: (): KeyboardShape => {
    const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
    return {
      interactive,
      cancelSignal: (scripted) => (interactive ? keyPress : Effect.sleep(Duration.decode(scripted)))
    }
  }
}) {}

/** A keyboard nobody types on: the cancel is always the scripted one (for tests). */
export const scripted: Keyboard = Keyboard.make({
  interactive: false,
  cancelSignal: (after) => Effect.sleep(Duration.decode(after))
})
