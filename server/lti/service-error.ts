/** A call to an LMS service failed (down, refused, malformed): retried later, never fatal. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
