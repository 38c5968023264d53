/**
 * Raised by a route when the URL names something that does not exist for this organisation.
 * The error pages render it as "Page not found", the same as an unknown address, so that a
 * guessed id never reveals that another organisation's record exists.
 */
export class NotFoundError extends Error {
  readonly statusCode = 404;

  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * Raised when the signed-in user can reach the organisation but their role does not allow
 * the action. The error pages render it as "You do not have permission".
 */
export class ForbiddenError extends Error {
  readonly statusCode = 403;

  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/**
 * Raised when a request is malformed in a way the form itself does not allow, such as a
 * missing hidden field. The error pages render it as a client error with status 400.
 */
export class BadRequestError extends Error {
  readonly statusCode = 400;

  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}
