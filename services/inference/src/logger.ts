import pino from 'pino';

/** Structured logs on stderr, so command lines keep stdout for their results. Never log patient data here. */
export const logger = pino({ name: 'inference', level: process.env.LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'warn' : 'info') }, pino.destination(2));
