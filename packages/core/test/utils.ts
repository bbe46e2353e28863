import { Cause, Exit, Option } from "effect"

/** The message of the `IllegalArgumentException` an exit died with, if it died with one. */
export const illegalMessage = (exit: Exit.Exit<unknown, unknown>): string | undefined =>
  Exit.isFailure(exit)
    ? Option.match(Cause.dieOption(exit.cause), {
        onNone: () => undefined,
        onSome: (defect) => (Cause.isIllegalArgumentException(defect) ? defect.message : undefined)
      })
    : undefined

/** The message of the `IllegalArgumentException` that `f` throws, if it throws one (the plain-value form). */
export const thrownMessage = (f: () => unknown): string | undefined => {
  try {
    f()
  } catch (error) {
    return Cause.isIllegalArgumentException(error) ? error.message : undefined
  }
  return undefined
}
