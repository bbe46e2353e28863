/** How a URL is shown: in results, errors, messages, logs and spans. */

const userinfo = /^(\s*[a-zA-Z][a-zA-Z0-9+.-]*:[\\/]{2})([^/\\?#]*)@/

/**
 * `url` with the password of its credentials replaced by `***` (`user:***@`); a user name without a
 * password (often a token) becomes `***@`. The one function for every URL we show. @internal
 */
export const redactUrl = (url: string): string =>
  url.replace(userinfo, (_, scheme: string, info: string) => {
    const colon = info.indexOf(":")
    return colon < 0 ? `${scheme}***@` : `${scheme}${info.slice(0, colon)}:***@`
  })

/** The longest URL a message shows. @internal */
export const messageUrlLength = 200

/** `url` redacted and cut to {@link messageUrlLength} characters, for messages. @internal */
export const urlForMessage = (url: string): string => {
  const shown = redactUrl(url)
  return shown.length <= messageUrlLength ? shown : `${shown.slice(0, messageUrlLength)}… (${shown.length} characters)`
}
