/** An error a client caused or can act on: its HTTP status and a message for `{"error": …}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers, such as `Allow` for a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
