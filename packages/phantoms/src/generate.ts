import { randomPatient, shapeDepth, skeleton, TRUNK_PROFILE, type Bone, type Patient } from './anatomy';
import { ActivityCanvas, blur, countPhotons, mirrorRows } from './canvas';
import { CENTRE_PROFILES, type Centre, type CentreProfile } from './centres';
import { planFindings, type Finding, type FindingPlan } from './findings';
import { Random } from './random';

// Math looked up once per module: under jest's vm context every `Math.x` property access costs ~50× a local call.
const { exp, cos, sin, max, PI } = Math;

export interface PhantomCase {
  caseId: string;
  centre: Centre;
  mbd: 0 | 1;
  findings: Finding[];
  width: number;
  height: number;
  pixelSpacingMm: number;
  /** Detected counts per pixel, row-major, head at the top; AP shows the patient's right on the left, PA mirrored. */
  views: { AP: Float32Array; PA: Float32Array };
  /** 0 = background, 1 = metastasis, 2 = benign finding; same geometry as the views. */
  lesionMasks: { AP: Uint8Array; PA: Uint8Array };
  /** Where kidneys and bladder were drawn, in AP-view pixels (for realism checks and tests). */
  landmarks: { bladder: [number, number]; kidneys: [number, number][] };
}

export interface PhantomOptions {
  seed: number;
  centre: Centre;
  mbd: boolean;
  caseId?: string;
  width?: number;
  height?: number;
}

const SOFT_TISSUE_UPTAKE = 1.25;

/** One seeded whole-body bone scan (anterior + posterior) with its labels and lesion masks. */
export function generatePhantom(options: PhantomOptions): PhantomCase {
  const profile = CENTRE_PROFILES[options.centre];
  const width = options.width ?? profile.width;
  const height = options.height ?? profile.height;
  const random = new Random(options.seed);
  const patient = randomPatient(random);
  const bones = skeleton(patient);
  const plan = planFindings(options.mbd, bones, patient, random);
  const canvas = placePatient(width, height, profile, patient, random);

  drawSoftTissue(canvas, patient, plan);
  for (const bone of bones) drawBone(canvas, bone, patient, plan);
  const landmarks = drawUrinaryTract(canvas, patient, plan, random);
  for (const focus of plan.foci) canvas.focus(focus.centre, focus.sigmaMm, focus.peak, focus.depth, focus.mask);

  const sigmaPx = (profile.resolutionFwhmMm / 2.3548) * canvas.pixelsPerMm;
  blur(canvas.anterior, width, height, sigmaPx);
  blur(canvas.posterior, width, height, sigmaPx);
  const scale = (profile.anteriorCounts * exp(random.normal(0, 0.15))) / sum(canvas.anterior);
  const anterior = countPhotons(detect(canvas.anterior, scale, profile, width, height, random), random);
  const posterior = countPhotons(detect(canvas.posterior, scale, profile, width, height, random), random);
  return {
    caseId: options.caseId ?? `${options.centre}-${options.seed}`,
    centre: options.centre,
    mbd: options.mbd ? 1 : 0,
    findings: plan.findings,
    width,
    height,
    pixelSpacingMm: profile.pixelSpacingMm,
    views: { AP: anterior, PA: mirrorRows(posterior, width) },
    lesionMasks: { AP: canvas.lesionMask, PA: mirrorRows(canvas.lesionMask, width) },
    landmarks,
  };
}

/** Height, position on the table and a slight tilt: the patient is never placed the same way twice. */
function placePatient(width: number, height: number, profile: CentreProfile, patient: Patient, random: Random): ActivityCanvas {
  const mmPerPixel = profile.pixelSpacingMm * (profile.width / width);
  const pixelsPerMm = 1 / mmPerPixel;
  const tilt = random.normal(0, 0.015);
  const [cosTilt, sinTilt] = [cos(tilt), sin(tilt)];
  const shiftX = random.normal(0, 12);
  const top = random.uniform(25, 110) + max(0, (height * mmPerPixel - 1900) / 2) * random.uniform(0, 0.6);
  const pivot = 900 * patient.scale;
  const place = (x: number, y: number): [number, number] => {
    const xs = x * patient.scale;
    const ys = y * patient.scale - pivot;
    return [width / 2 + (xs * cosTilt - ys * sinTilt + shiftX) * pixelsPerMm, (xs * sinTilt + ys * cosTilt + pivot + top) * pixelsPerMm];
  };
  const unplace = (px: number, py: number): [number, number] => {
    const xr = px * mmPerPixel - (width * mmPerPixel) / 2 - shiftX;
    const yr = py * mmPerPixel - top - pivot;
    return [(xr * cosTilt + yr * sinTilt) / patient.scale, (-xr * sinTilt + yr * cosTilt + pivot) / patient.scale];
  };
  return new ActivityCanvas(width, height, place, unplace, pixelsPerMm, profile.attenuation * (0.8 + 0.25 * patient.girth));
}

function drawSoftTissue(canvas: ActivityCanvas, patient: Patient, plan: FindingPlan): void {
  const uptake = SOFT_TISSUE_UPTAKE * plan.softTissueFactor;
  const g = patient.girth;
  canvas.ellipse([0, 112], 84, 114, uptake, 0.5);
  canvas.capsule([0, 232], [0, 290], 50 * g, uptake, 0.5);
  canvas.trunk(TRUNK_PROFILE, g, uptake, 0.5);
  for (const s of [-1, 1]) {
    const spread = patient.armSpread;
    canvas.capsule([s * (188 * g), 360], [s * (214 * g + spread * 0.5), 620], 38 * g, uptake * 0.9, 0.5);
    canvas.capsule([s * (214 * g + spread * 0.5), 640], [s * (240 * g + spread), 900], 30 * g, uptake * 0.9, 0.5);
    canvas.capsule([s * 92, 905], [s * 84, 1240], 62 * g, uptake, 0.5);
    canvas.capsule([s * 84, 1262], [s * 78, 1690], 42 * g, uptake, 0.5);
  }
}

function drawBone(canvas: ActivityCanvas, bone: Bone, patient: Patient, plan: FindingPlan): void {
  const uptake = bone.uptake * patient.boneContrast * (plan.boneUptake.get(bone.id) ?? 1);
  const mask = plan.maskedBones.has(bone.id) ? 2 : 0;
  const expand = mask ? 1.15 : 1;
  bone.shapes.forEach((shape, i) => {
    const depth = shapeDepth(bone, i);
    if (shape.kind === 'capsule') canvas.capsule(shape.a, shape.b, shape.radius * expand, uptake, depth, mask);
    else canvas.ellipse(shape.centre, shape.rx * expand, shape.ry * expand, uptake, depth, shape.rim, mask);
  });
}

/** Kidneys (posterior, left higher than right) and bladder; returns their AP-view pixel positions. */
function drawUrinaryTract(canvas: ActivityCanvas, patient: Patient, plan: FindingPlan, random: Random): PhantomCase['landmarks'] {
  const kidneys: [number, number][] = [];
  for (const s of [-1, 1]) {
    const centre: [number, number] = [s * 72, 598 - (s > 0 ? 14 : 0) + random.normal(0, 6)];
    canvas.ellipse(centre, 27, 52, patient.kidneyUptake * plan.kidneyFactor, 0.8);
    // The collecting system holds concentrated urine: a hotter spot at the renal pelvis, medially.
    canvas.focus([centre[0] - s * 10, centre[1] + 5], 8, patient.kidneyUptake * plan.kidneyFactor * random.uniform(0.3, 1.2), 0.8);
    kidneys.push(canvas.place(...centre));
  }
  const bladder: [number, number] = [random.normal(0, 6), 838];
  const size = patient.bladderSize;
  canvas.ellipse(bladder, 46 * size, 36 * size, patient.bladderUptake * plan.bladderFactor, 0.3);
  return { bladder: canvas.place(...bladder), kidneys };
}

/** Expected counts at the detector: calibrated activity × scale, detector non-uniformity, scatter background. */
function detect(activity: Float32Array, scale: number, profile: CentreProfile, width: number, height: number, random: Random): Float32Array {
  const phaseX = random.uniform(0, 2 * PI);
  const phaseY = random.uniform(0, 2 * PI);
  const out = new Float32Array(activity.length);
  for (let y = 0; y < height; y++) {
    const rowField = sin(((2 * PI * y) / height) * 3 + phaseY);
    for (let x = 0; x < width; x++) {
      const field = 1 + (profile.nonUniformity / 2) * sin(((2 * PI * x) / width) * 2 + phaseX) * rowField;
      const i = y * width + x;
      out[i] = activity[i] * scale * field + profile.backgroundCounts;
    }
  }
  return out;
}

function sum(values: Float32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
