/**
 * One part of the platform kept running: started, watched, started again after it ends unexpectedly — after a
 * back-off that doubles with each quick failure, so a part that cannot start (its database is down, its port
 * taken) does not spin — and stopped on request without being started again.
 */
import type { Logger } from '@bonescan/logger';

export interface RunningPart {
  /** Resolves with how the part ended (e.g. "exit code 1", "signal SIGKILL"). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

const FIRST_DELAY_MS = 1000;
const LONGEST_DELAY_MS = 30_000;
/** A part that ran this long before it ended counts as having been healthy: its next restart is quick again. */
const HEALTHY_RUN_MS = 60_000;

export class SupervisedPart {
  private running: RunningPart | undefined;
  private stopping = false;
  private delayMs = FIRST_DELAY_MS;
  private wake: (() => void) | undefined;
  /** How many times the part was started again after it ended by itself. */
  restarts = 0;

  constructor(
    readonly name: string,
    private readonly launch: () => Promise<RunningPart>,
    private readonly logger: Logger,
  ) {}

  /** The first start: a failure here is the caller's to report (nothing is running yet to keep alive). */
  async start(): Promise<void> {
    this.running = await this.launch();
    this.watch(this.running, Date.now());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running?.stop();
  }

  private watch(running: RunningPart, startedAt: number): void {
    void running.exited.then(async (how) => {
      if (this.stopping) return;
      this.running = undefined;
      if (Date.now() - startedAt >= HEALTHY_RUN_MS) this.delayMs = FIRST_DELAY_MS;
      this.logger.error({ part: this.name, ended: how, restartInSeconds: this.delayMs / 1000 }, `${this.name} ended unexpectedly; starting it again`);
      await this.restart();
    });
  }

  private async restart(): Promise<void> {
    while (!this.stopping) {
      await this.pause(this.delayMs);
      this.delayMs = Math.min(this.delayMs * 2, LONGEST_DELAY_MS);
      if (this.stopping) return;
      try {
        const running = await this.launch();
        if (this.stopping) {
          await running.stop();
          return;
        }
        this.running = running;
        this.restarts += 1;
        this.logger.info({ part: this.name, restarts: this.restarts }, `${this.name} running again`);
        this.watch(running, Date.now());
        return;
      } catch (error) {
        this.logger.error({ part: this.name, err: error, retryInSeconds: this.delayMs / 1000 }, `${this.name} did not start; trying again`);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
