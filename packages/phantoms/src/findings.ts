import type { BodyRegion } from '@bonescan/clinical';
import { randomPointOn, VERTEBRA_Y, type Bone, type Patient, type Point, type Side } from './anatomy';
import type { Random } from './random';

export const FINDING_KINDS = ['METASTASIS', 'SUPERSCAN', 'INJECTION_SITE', 'DEGENERATIVE', 'RIB_FRACTURES', 'PAGET', 'URINE_CONTAMINATION'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** A labelled finding of a phantom. `malignant` findings make the scan MBD-positive. */
export interface Finding {
  kind: FindingKind;
  malignant: boolean;
  region?: BodyRegion;
  side?: Side;
  /** Bone or site id, e.g. "T7", "rib4-LEFT", "knee-RIGHT". */
  site: string;
}

/** A Gaussian focus to draw; mask 1 = metastasis, 2 = benign finding. */
export interface Focus {
  centre: Point;
  sigmaMm: number;
  peak: number;
  depth: number;
  mask: 1 | 2;
}

export interface FindingPlan {
  findings: Finding[];
  foci: Focus[];
  /** Uptake multipliers by bone id (Paget, superscan). */
  boneUptake: Map<string, number>;
  /** Bones drawn with a mask value (Paget-like whole-bone uptake). */
  maskedBones: Set<string>;
  kidneyFactor: number;
  bladderFactor: number;
  softTissueFactor: number;
}

// Metastases favour the red-marrow (axial) skeleton: spine, pelvis, ribs, then proximal long bones and skull.
const METASTASIS_SITES = { spine: 36, pelvis: 20, ribs: 18, femur: 7, humerus: 4, skull: 6, sternum: 5, scapula: 4 } as const;
const METASTASIS_COUNT = { 1: 10, 2: 13, 3: 14, 4: 12, 5: 10, 7: 14, 10: 12, 15: 9, 22: 6 } as const;

/** Benign confounders occur at the same rates with or without metastases, so they cannot give the label away. */
const CONFOUNDER_RATES = { injection: 0.28, degenerative: 0.55, ribFractures: 0.1, paget: 0.05, urine: 0.14 } as const;

export function planFindings(mbd: boolean, bones: Bone[], patient: Patient, random: Random): FindingPlan {
  const plan: FindingPlan = { findings: [], foci: [], boneUptake: new Map(), maskedBones: new Set(), kidneyFactor: 1, bladderFactor: 1, softTissueFactor: 1 };
  const byId = new Map(bones.map((b) => [b.id, b]));
  if (mbd) {
    if (random.chance(0.07)) addSuperscan(plan, bones, random);
    else addMetastases(plan, bones, patient, random);
  }
  if (random.chance(CONFOUNDER_RATES.injection)) addInjectionSite(plan, byId, random);
  if (random.chance(CONFOUNDER_RATES.degenerative)) addDegenerative(plan, byId, patient, random);
  if (random.chance(CONFOUNDER_RATES.ribFractures)) addRibFractures(plan, byId, patient, random);
  if (random.chance(CONFOUNDER_RATES.paget)) addPaget(plan, byId, random);
  if (random.chance(CONFOUNDER_RATES.urine)) addUrineContamination(plan, random);
  return plan;
}

function addMetastases(plan: FindingPlan, bones: Bone[], patient: Patient, random: Random): void {
  const count = Number(random.weighted(METASTASIS_COUNT)) + random.int(0, 1);
  // Metastases cluster: most lesions share one or two favoured sites, as haematogenous spread does.
  const favoured = [random.weighted(METASTASIS_SITES), random.weighted(METASTASIS_SITES)];
  for (let i = 0; i < count; i++) {
    const site = random.chance(0.6) ? random.pick(favoured) : random.weighted(METASTASIS_SITES);
    const bone = random.pick(bones.filter((b) => matchesSite(b, site)));
    const contrast = random.uniform(1.1, 2.6);
    plan.foci.push({
      centre: randomPointOn(bone, random),
      sigmaMm: random.uniform(4, 11),
      peak: contrast * bone.uptake * patient.boneContrast,
      depth: bone.depth,
      mask: 1,
    });
    plan.findings.push({ kind: 'METASTASIS', malignant: true, region: bone.region, side: bone.side, site: bone.id });
  }
}

function matchesSite(bone: Bone, site: keyof typeof METASTASIS_SITES): boolean {
  switch (site) {
    case 'spine':
      return /^[TL]\d+$/.test(bone.id) || (/^C\d$/.test(bone.id) && Number(bone.id.slice(1)) > 2);
    case 'pelvis':
      return bone.region === 'PELVIS';
    case 'ribs':
      return bone.region === 'RIBS';
    case 'femur':
      return bone.id.startsWith('femur-');
    case 'humerus':
      return bone.id.startsWith('humerus-');
    case 'skull':
      return bone.id === 'skull';
    case 'sternum':
      return bone.id === 'sternum';
    case 'scapula':
      return bone.id.startsWith('scapula-');
  }
}

/** Diffuse intense skeletal uptake with faint or absent kidneys and bladder. */
function addSuperscan(plan: FindingPlan, bones: Bone[], random: Random): void {
  const boost = random.uniform(1.9, 2.8);
  for (const bone of bones) {
    const axial = bone.region !== 'UPPER_LIMB' && bone.region !== 'LOWER_LIMB';
    plan.boneUptake.set(bone.id, axial ? boost : 1 + (boost - 1) * 0.5);
  }
  plan.kidneyFactor = random.uniform(0.05, 0.2);
  plan.bladderFactor = random.uniform(0.1, 0.3);
  plan.softTissueFactor = 0.7;
  plan.findings.push({ kind: 'SUPERSCAN', malignant: true, site: 'skeleton' });
}

function addInjectionSite(plan: FindingPlan, byId: Map<string, Bone>, random: Random): void {
  const side = random.pick(['LEFT', 'RIGHT'] as const);
  const joint = byId.get(`${random.chance(0.6) ? 'elbow' : 'wrist'}-${side}`)!;
  const shape = joint.shapes[0];
  const centre: Point = shape.kind === 'ellipse' ? shape.centre : shape.a;
  // Tracer left in a vein or tissue: a small, often very intense, soft-tissue focus.
  plan.foci.push({
    centre: [centre[0] + random.normal(0, 6), centre[1] + random.normal(0, 10)],
    sigmaMm: random.uniform(3, 7),
    peak: Math.exp(random.uniform(Math.log(4), Math.log(60))),
    depth: 0.2,
    mask: 2,
  });
  plan.findings.push({ kind: 'INJECTION_SITE', malignant: false, region: 'UPPER_LIMB', side, site: joint.id });
}

function addDegenerative(plan: FindingPlan, byId: Map<string, Bone>, patient: Patient, random: Random): void {
  const kinds = new Set(Array.from({ length: random.int(1, 3) }, () => random.weighted({ knees: 4, lumbar: 3, cervical: 1, shoulders: 2 })));
  for (const kind of kinds) {
    if (kind === 'knees' || kind === 'shoulders') {
      const sides = random.chance(0.55) ? (['LEFT', 'RIGHT'] as const) : [random.pick(['LEFT', 'RIGHT'] as const)];
      for (const side of sides) {
        const bone = byId.get(`${kind === 'knees' ? 'knee' : 'shoulder'}-${side}`)!;
        const shape = bone.shapes[kind === 'knees' ? 0 : 1];
        const anchor: Point =
          shape.kind === 'ellipse' ? [shape.centre[0] + (kind === 'knees' ? -Math.sign(shape.centre[0]) * 14 : 0), shape.centre[1] + 8] : shape.b;
        plan.foci.push({
          centre: anchor,
          sigmaMm: random.uniform(6, 11),
          peak: random.uniform(0.8, 2.2) * bone.uptake * patient.boneContrast,
          depth: bone.depth,
          mask: 2,
        });
        plan.findings.push({ kind: 'DEGENERATIVE', malignant: false, region: bone.region, side, site: bone.id });
      }
    } else {
      // Osteophytes and facet arthropathy: foci at the lateral margin of adjacent vertebrae, lower lumbar or cervical.
      const levels = kind === 'lumbar' ? ['L3', 'L4', 'L5'] : ['C4', 'C5', 'C6'];
      const level = random.pick(levels);
      const bone = byId.get(level)!;
      const y = kind === 'lumbar' ? VERTEBRA_Y.lumbar[Number(level.slice(1)) - 1] : VERTEBRA_Y.cervical[Number(level.slice(1)) - 1];
      const side = random.pick(['LEFT', 'RIGHT'] as const);
      const x = (side === 'LEFT' ? 1 : -1) * (bone.shapes[0].kind === 'ellipse' ? bone.shapes[0].rx : 20);
      plan.foci.push({
        centre: [x, y + random.uniform(-8, 8)],
        sigmaMm: random.uniform(5, 9),
        peak: random.uniform(0.8, 2) * bone.uptake * patient.boneContrast,
        depth: bone.depth,
        mask: 2,
      });
      plan.findings.push({ kind: 'DEGENERATIVE', malignant: false, region: bone.region, side, site: level });
    }
  }
}

/** Fractures after a fall line up: the same point on two to four consecutive ribs. */
function addRibFractures(plan: FindingPlan, byId: Map<string, Bone>, patient: Patient, random: Random): void {
  const side = random.pick(['LEFT', 'RIGHT'] as const);
  const first = random.int(3, 8);
  const count = random.int(2, 4);
  const segment = random.int(1, 3);
  const t = random.uniform(0.2, 0.8);
  for (let rib = first; rib < first + count; rib++) {
    const bone = byId.get(`rib${rib}-${side}`)!;
    const shape = bone.shapes[Math.min(segment, bone.shapes.length - 1)];
    if (shape.kind !== 'capsule') continue;
    const centre: Point = [shape.a[0] + t * (shape.b[0] - shape.a[0]), shape.a[1] + t * (shape.b[1] - shape.a[1])];
    plan.foci.push({
      centre,
      sigmaMm: random.uniform(3.5, 6),
      peak: random.uniform(1.5, 3.5) * bone.uptake * patient.boneContrast,
      depth: [0.82, 0.6, 0.3, 0.12][segment - 1] ?? 0.5,
      mask: 2,
    });
  }
  plan.findings.push({ kind: 'RIB_FRACTURES', malignant: false, region: 'RIBS', side, site: `rib${first}-${first + count - 1}-${side}` });
}

/** Paget's disease: one whole bone intensely and uniformly hot, often slightly expanded. */
function addPaget(plan: FindingPlan, byId: Map<string, Bone>, random: Random): void {
  const side = random.pick(['LEFT', 'RIGHT'] as const);
  const id = random.pick(['skull', `ilium-${side}`, `femur-${side}`, `tibia-${side}`, 'L3', 'L4', 'T10', `humerus-${side}`]);
  const bone = byId.get(id)!;
  plan.boneUptake.set(id, random.uniform(2, 3.5));
  plan.maskedBones.add(id);
  plan.findings.push({ kind: 'PAGET', malignant: false, region: bone.region, side: bone.side, site: id });
}

/** Urine on skin or clothing: irregular hot blotches around the groin or thighs, outside the skeleton. */
function addUrineContamination(plan: FindingPlan, random: Random): void {
  const side = random.pick(['LEFT', 'RIGHT'] as const);
  const centre: Point = [(side === 'LEFT' ? 1 : -1) * random.uniform(10, 120), random.uniform(880, 1080)];
  const blotches = random.int(2, 4);
  const peak = Math.exp(random.uniform(Math.log(3), Math.log(35)));
  for (let i = 0; i < blotches; i++) {
    plan.foci.push({
      centre: [centre[0] + random.normal(0, 10), centre[1] + random.normal(0, 14)],
      sigmaMm: random.uniform(3, 8),
      peak: peak * random.uniform(0.4, 1),
      depth: 0.02,
      mask: 2,
    });
  }
  plan.findings.push({ kind: 'URINE_CONTAMINATION', malignant: false, region: 'SOFT_TISSUE', side, site: 'groin' });
}
