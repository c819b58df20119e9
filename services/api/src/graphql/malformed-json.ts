import type { Logger } from '@bonescan/logger';
import type { ErrorRequestHandler } from 'express';

/** What body-parser attaches to the errors it raises for a body it could not read. */
interface BodyError {
  status?: number;
  expose?: boolean;
  type?: string;
  message: string;
}

const isBodyError = (error: unknown): error is BodyError =>
  typeof error === 'object' && error !== null && typeof (error as BodyError).status === 'number' && (error as BodyError).expose === true;

/**
 * A GraphQL request body that is not JSON (or too large, or in an unknown charset) is the caller's mistake: it
 * gets its 4xx status and a plain GraphQL error, where Express would answer with an HTML page holding the stack
 * trace and the server's paths.
 */
export function refuseMalformedJson(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (!isBodyError(error) || error.status! < 400 || error.status! >= 500) {
      next(error);
      return;
    }
    const message = error.type === 'entity.parse.failed' ? `Request body is not valid JSON (${error.message}): send a JSON object with "query"` : error.message;
    logger.info({ status: error.status, type: error.type }, 'refused an unreadable GraphQL request body');
    res.status(error.status!).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
  };
}
