/** A refused launch: a stable code for tests and logs, and a sentence for the person in the LMS. */
export class LaunchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
