/**
 * Entry point of one inference worker process (`node -r @swc-node/register services/inference/src/worker/main.ts`).
 * SIGTERM or SIGINT: the batch in hand is finished and stored, then the process exits 0. A model that cannot be
 * loaded stops start-up with the reason and exit code 1, before any job is taken.
 */
import { loadConfig, type Config } from '@bonescan/config';
import { createLogger } from '@bonescan/logger';
import { runWorker } from './run-worker';

async function main(): Promise<void> {
  let config: Config | undefined;
  let running;
  try {
    config = loadConfig();
    running = await runWorker(config, createLogger('inference', config.LOG_LEVEL));
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`inference worker refuses to start — ${message}\n`);
    process.exit(1);
  }
  const logger = createLogger('inference', config.LOG_LEVEL);
  let stopping = false;
  const shutDown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'finishing the batch in hand, then exiting');
    running.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutDown('SIGTERM'));
  process.on('SIGINT', () => shutDown('SIGINT'));
}

void main();
