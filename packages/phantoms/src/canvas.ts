import type { Random } from './random';

// Math looked up once per module: under jest's vm context every `Math.x` property access costs ~50× a local call.
const { abs, exp, max, min, floor, ceil, sqrt } = Math;

/**
 * Expected-activity maps of one phantom, drawn in the patient's frame (patient's left on the image right, as an
 * anterior view shows it). Each structure is drawn into both views at once, dimmed by its depth: attenuation
 * makes anterior structures brighter on the anterior view and posterior ones on the posterior view.
 * The posterior view is mirrored only at the end.
 */
export class ActivityCanvas {
  readonly anterior: Float32Array;
  readonly posterior: Float32Array;
  readonly lesionMask: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    /** mm → pixel mapping of the patient frame (scale, rotation, offset). */
    readonly place: (xMm: number, yMm: number) => [number, number],
    /** pixel → mm, the inverse of `place`. */
    readonly unplace: (x: number, y: number) => [number, number],
    readonly pixelsPerMm: number,
    private readonly attenuation: number,
  ) {
    this.anterior = new Float32Array(width * height);
    this.posterior = new Float32Array(width * height);
    this.lesionMask = new Uint8Array(width * height);
  }

  private weights(depth: number): [number, number] {
    return [exp(-this.attenuation * depth), exp(-this.attenuation * (1 - depth))];
  }

  /** A solid capsule (segment a–b with radius r, in mm) of uniform uptake with a one-pixel soft edge. */
  capsule(a: [number, number], b: [number, number], radiusMm: number, uptake: number, depth: number, maskValue = 0): void {
    const [ax, ay] = this.place(a[0], a[1]);
    const [bx, by] = this.place(b[0], b[1]);
    const r = max(0.5, radiusMm * this.pixelsPerMm);
    const [wa, wp] = this.weights(depth);
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy || 1e-9;
    const x0 = max(0, floor(min(ax, bx) - r - 1));
    const x1 = min(this.width - 1, ceil(max(ax, bx) + r + 1));
    const y0 = max(0, floor(min(ay, by) - r - 1));
    const y1 = min(this.height - 1, ceil(max(ay, by) + r + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const t = max(0, min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSquared));
        const ex = x - (ax + t * dx);
        const ey = y - (ay + t * dy);
        const coverage = min(1, max(0, r + 0.5 - sqrt(ex * ex + ey * ey)));
        if (coverage > 0) this.add(y * this.width + x, uptake * coverage, wa, wp, maskValue);
      }
    }
  }

  /** A filled ellipse (centre, radii in mm), optionally only its rim (a shell of the given thickness). */
  ellipse(centre: [number, number], rxMm: number, ryMm: number, uptake: number, depth: number, rimMm = 0, maskValue = 0): void {
    const [cx, cy] = this.place(centre[0], centre[1]);
    const rx = rxMm * this.pixelsPerMm;
    const ry = ryMm * this.pixelsPerMm;
    const inner = rimMm > 0 ? max(0, 1 - rimMm / min(rxMm, ryMm)) : 0;
    const [wa, wp] = this.weights(depth);
    const x0 = max(0, floor(cx - rx - 1));
    const x1 = min(this.width - 1, ceil(cx + rx + 1));
    const y0 = max(0, floor(cy - ry - 1));
    const y1 = min(this.height - 1, ceil(cy + ry + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const rho = sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2);
        if (rho <= 1 && rho >= inner) this.add(y * this.width + x, uptake, wa, wp, maskValue);
      }
    }
  }

  /** A Gaussian focus (sigma in mm, peak uptake); marks the lesion mask where it exceeds a third of its peak. */
  focus(centre: [number, number], sigmaMm: number, peak: number, depth: number, maskValue = 0): void {
    const [cx, cy] = this.place(centre[0], centre[1]);
    const sigma = max(0.6, sigmaMm * this.pixelsPerMm);
    const reach = ceil(3 * sigma);
    const [wa, wp] = this.weights(depth);
    for (let y = max(0, floor(cy) - reach); y <= min(this.height - 1, ceil(cy) + reach); y++) {
      for (let x = max(0, floor(cx) - reach); x <= min(this.width - 1, ceil(cx) + reach); x++) {
        const g = exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
        const i = y * this.width + x;
        this.add(i, peak * g, wa, wp, g > 1 / 3 ? maskValue : 0);
      }
    }
  }

  /**
   * Soft tissue of the trunk: between consecutive [y, half-width] rows of the profile, widths interpolated.
   * Filled by mapping each pixel back to the patient frame so that rotated bodies stay solid and nothing overlaps.
   */
  trunk(profile: [number, number][], girth: number, uptake: number, depth: number): void {
    const [wa, wp] = this.weights(depth);
    const top = profile[0][0];
    const bottom = profile[profile.length - 1][0];
    const widest = max(...profile.map(([, w]) => w)) * girth;
    const corners = [this.place(-widest, top), this.place(widest, top), this.place(-widest, bottom), this.place(widest, bottom)];
    const x0 = max(0, floor(min(...corners.map((c) => c[0]))));
    const x1 = min(this.width - 1, ceil(max(...corners.map((c) => c[0]))));
    const y0 = max(0, floor(min(...corners.map((c) => c[1]))));
    const y1 = min(this.height - 1, ceil(max(...corners.map((c) => c[1]))));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const [xm, ym] = this.unplace(x, y);
        if (ym < top || ym >= bottom) continue;
        const k = profile.findIndex(([py]) => py > ym);
        const [ya, wa0] = profile[k - 1];
        const [yb, wb0] = profile[k];
        const halfWidth = girth * (wa0 + ((ym - ya) / (yb - ya)) * (wb0 - wa0));
        if (abs(xm) < halfWidth) this.add(y * this.width + x, uptake, wa, wp);
      }
    }
  }

  private add(i: number, value: number, wa: number, wp: number, maskValue = 0): void {
    this.anterior[i] += value * wa;
    this.posterior[i] += value * wp;
    // A metastasis (1) wins over a benign finding (2) where they overlap.
    if (maskValue && this.lesionMask[i] !== 1) this.lesionMask[i] = maskValue;
  }
}

/** Separable Gaussian blur in place: the camera's system resolution. */
export function blur(image: Float32Array, width: number, height: number, sigmaPx: number): void {
  const radius = max(1, ceil(2.5 * sigmaPx));
  const kernel = Float32Array.from({ length: 2 * radius + 1 }, (_, i) => exp(-((i - radius) ** 2) / (2 * sigmaPx * sigmaPx)));
  const norm = kernel.reduce((a, b) => a + b, 0);
  kernel.forEach((v, i) => (kernel[i] = v / norm));
  const line = new Float32Array(max(width, height));
  for (let y = 0; y < height; y++) convolveLine(image, y * width, 1, width, kernel, radius, line);
  for (let x = 0; x < width; x++) convolveLine(image, x, width, height, kernel, radius, line);
}

function convolveLine(image: Float32Array, start: number, stride: number, length: number, kernel: Float32Array, radius: number, line: Float32Array): void {
  for (let i = 0; i < length; i++) line[i] = image[start + i * stride];
  for (let i = 0; i < length; i++) {
    let sum = 0;
    const lo = max(0, i - radius);
    const hi = min(length - 1, i + radius);
    for (let j = lo; j <= hi; j++) sum += line[j] * kernel[j - i + radius];
    image[start + i * stride] = sum;
  }
}

export function mirrorRows<T extends Float32Array | Uint8Array>(image: T, width: number): T {
  const out = image.slice() as T;
  for (let start = 0; start < image.length; start += width) {
    for (let x = 0; x < width; x++) out[start + x] = image[start + width - 1 - x];
  }
  return out;
}

/** Expected counts → detected counts: Poisson noise around each expected value. */
export function countPhotons(expected: Float32Array, random: Random): Float32Array {
  const counts = new Float32Array(expected.length);
  for (let i = 0; i < expected.length; i++) counts[i] = random.poisson(expected[i]);
  return counts;
}
