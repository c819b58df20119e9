/**
 * Scan updates as they happen: one dedicated PostgreSQL connection LISTENs on the channel the inference workers
 * NOTIFY (at commit of a prediction or a failure) and fans each scan id out to the open subscriptions. The same
 * connection hears credential revocations, so open subscriptions can end at once rather than at the next re-check.
 */
import { EventEmitter, on } from 'node:events';
import type { Logger } from '@bonescan/logger';
import { SCAN_UPDATED_CHANNEL } from '@bonescan/queue';
import { Client } from 'pg';
import { CREDENTIALS_REVOKED_CHANNEL } from '../api-tokens/api-tokens.service';

const RECONNECT_MS = 1000;

export class ScanEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private client: Client | undefined;
  private closed = false;

  private constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
  ) {}

  static async listen(databaseUrl: string, logger: Logger): Promise<ScanEvents> {
    const events = new ScanEvents(databaseUrl, logger);
    await events.connect();
    return events;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'bonescan-scan-events' });
    client.on('notification', (message) => {
      if (message.channel === SCAN_UPDATED_CHANNEL && message.payload) this.emitter.emit('scan', message.payload);
      if (message.channel === CREDENTIALS_REVOKED_CHANNEL) this.emitter.emit('revoked');
    });
    // A lost connection would silently stop live updates: reconnect until closed.
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'scan events connection lost; reconnecting');
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.connect().catch((e) => this.logger.error({ err: e }, 'scan events reconnect failed')), RECONNECT_MS);
    });
    await client.connect();
    await client.query(`LISTEN ${SCAN_UPDATED_CHANNEL}; LISTEN ${CREDENTIALS_REVOKED_CHANNEL}`);
    this.client = client;
  }

  /** Ids of updated scans (only `scanId` when given), until the iterator is returned. */
  subscribe(scanId?: string): AsyncIterableIterator<string> {
    const updates = on(this.emitter, 'scan') as AsyncIterableIterator<[string]>;
    return {
      async next(): Promise<IteratorResult<string>> {
        for (;;) {
          const result = await updates.next();
          if (result.done) return { done: true, value: undefined };
          if (!scanId || result.value[0] === scanId) return { done: false, value: result.value[0] };
        }
      },
      async return(): Promise<IteratorResult<string>> {
        await updates.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Calls `listener` whenever a credential was revoked anywhere (any API instance sharing the database). */
  onCredentialsRevoked(listener: () => void): void {
    this.emitter.on('revoked', listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
