import { GraphQLError } from 'graphql';

/** Error codes a client can act on; every message says what was wrong. */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED';

export const clientError = (code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError =>
  new GraphQLError(message, { extensions: { code, ...details } });

export const badInput = (message: string, field?: string) => clientError('BAD_USER_INPUT', message, field ? { field } : {});
export const unauthenticated = (message: string) => clientError('UNAUTHENTICATED', message);
export const forbidden = (message: string) => clientError('FORBIDDEN', message);
export const notFound = (entity: string, id: string) => clientError('NOT_FOUND', `No ${entity} with id ${id}`, { entity, id });
export const conflict = (message: string) => clientError('CONFLICT', message);

/** PostgreSQL's unique_violation, so services can turn a lost race into a clear CONFLICT. */
export const isUniqueViolation = (error: unknown, constraint?: string): boolean => {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' && (!constraint || driverError.constraint === constraint);
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** Ids are UUIDs: anything else is the caller's mistake, said as such before PostgreSQL would reject it. */
export function assertUuid(id: string, what: string, field = 'id'): void {
  if (!isUuid(id)) throw badInput(`${JSON.stringify(id)} is not a valid ${what} id`, field);
}
