// Math looked up once per module: under jest's vm context every `Math.x` property access costs ~50× a local call.
const { sqrt, log, sin, cos, PI, exp, max, round, floor } = Math;
/** Seeded pseudo-random numbers (sfc32): the same seed gives the same phantom on every machine. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  int(low: number, highInclusive: number): number {
    return floor(this.uniform(low, highInclusive + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[floor(this.next() * items.length)];
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      r -= weight;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const radius = sqrt(-2 * log(u));
    this.spareNormal = radius * sin(2 * PI * v);
    return mean + sd * radius * cos(2 * PI * v);
  }

  /** Poisson counts: exact (inversion, one uniform) for small means, normal approximation above 12 where it is indistinguishable. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 12) return max(0, round(mean + sqrt(mean) * this.normal()));
    let term = exp(-mean);
    let cumulative = term;
    const u = this.next();
    let k = 0;
    while (u > cumulative && k < 100) {
      k++;
      term *= mean / k;
      cumulative += term;
    }
    return k;
  }
}
