/**
 * `@tapestry/platform`: HTTP downloads with typed errors, progress and real cancellation.
 *
 * @since 0.1.0
 */
export {}
