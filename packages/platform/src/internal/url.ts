/** How a URL is shown: in results, errors, messages, logs and spans. */

/**
 * A URL's start up to its userinfo, as the WHATWG URL parser reads it: leading C0 controls and spaces,
 * the scheme (tabs and newlines are dropped anywhere), then any number of slashes or backslashes —
 * `http:alice:pw@host`, `http:/alice:pw@host` and `http:///alice:pw@host` all carry credentials.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the parser skips leading C0 controls, so must we
const head = /^[\u0000-\u0020]*[a-zA-Z\t\n\r][a-zA-Z0-9+.\-\t\n\r]*:[\\/\t\n\r]*/

/**
 * `user:***` for userinfo `info`; `***` when it has no password (a token, often) or when what would be
 * the user name is not one (the userinfo of a URL the parser refused may run into its path).
 */
const masked = (info: string): string => {
  const colon = info.indexOf(":")
  const user = colon < 0 ? undefined : info.slice(0, colon)
  return user === undefined || /[/\\?#@]/.test(user) ? "***" : `${user}:***`
}

/** `url` with the userinfo that ends at its `at`-th character (an `@`) masked, after the scheme's slashes. */
const maskUntil = (url: string, start: number, at: number): string =>
  `${url.slice(0, start)}${masked(url.slice(start, at))}${url.slice(at)}`

/** The userinfo the parser finds: up to the last `@` before the authority ends (`/`, `\`, `?`, `#`). */
const userinfoEnd = (url: string, start: number): number => {
  let at = -1
  for (let i = start; i < url.length; i++) {
    const c = url[i]
    if (c === "/" || c === "\\" || c === "?" || c === "#") break
    if (c === "@") at = i
  }
  return at
}

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

/** Whether `shown`, parsed, carries `parsed`'s credentials masked: the masking hit the userinfo the parser sees. */
const maskedAsParsed = (shown: string, parsed: URL): boolean => {
  const again = parse(shown)
  if (again === undefined || again.host !== parsed.host || again.pathname !== parsed.pathname) return false
  return parsed.password === ""
    ? again.username === "***" && again.password === ""
    : again.username === parsed.username && again.password === "***"
}

/**
 * `url` (`parsed` is what the WHATWG parser made of it, `undefined` if it could not parse it) with the
 * password of its credentials replaced by `***` (`user:***@`); a user name without a password (often a
 * token) becomes `***@`. The given spelling is kept where the credentials can be masked in place (the
 * result is checked with the parser); otherwise the parser's normalized URL is shown. A URL the parser
 * refuses is masked up to its last `@`, as a password with a raw `/` or `#` would need. @internal
 */
export const redactParsed = (url: string, parsed: URL | undefined): string => {
  if (!url.includes("@")) return url
  const start = head.exec(url)?.[0].length
  if (parsed === undefined) {
    if (start === undefined) return url
    const at = url.lastIndexOf("@")
    return at < start ? url : maskUntil(url, start, at)
  }
  if (parsed.username === "" && parsed.password === "") return url
  if (start !== undefined) {
    const at = userinfoEnd(url, start)
    if (at >= 0) {
      const shown = maskUntil(url, start, at)
      if (maskedAsParsed(shown, parsed)) return shown
    }
  }
  const normalized = new URL(parsed.href)
  if (normalized.password === "") normalized.username = "***"
  else normalized.password = "***"
  return normalized.href
}

/** `url` redacted as {@link redactParsed} does: the one function for every URL we show. @internal */
export const redactUrl = (url: string): string => (url.includes("@") ? redactParsed(url, parse(url)) : url)

/** The longest URL a message shows. @internal */
export const messageUrlLength = 200

/** `url` redacted and cut to {@link messageUrlLength} characters, for messages. @internal */
export const urlForMessage = (url: string): string => {
  const shown = redactUrl(url)
  return shown.length <= messageUrlLength ? shown : `${shown.slice(0, messageUrlLength)}… (${shown.length} characters)`
}
