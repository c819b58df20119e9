/** A configuration that cannot run: the message names the variable and what to do. */
export class ConfigError extends Error {}
