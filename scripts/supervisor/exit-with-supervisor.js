/**
 * Preloaded (node -r) into every Node child `npm start` runs. The supervisor holds an IPC channel to each child;
 * when the supervisor is gone however it ended (kill -9 included), the channel closes and the child stops as on
 * SIGTERM, its usual clean way, instead of living on as an orphan that holds its port. Plain JavaScript: it is
 * loaded into the portal's Next.js process too, which runs no TypeScript.
 */
if (process.send) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel alone must not keep a child alive that has finished its work.
  process.channel?.unref();
}
