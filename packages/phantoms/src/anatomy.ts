import type { BodyRegion } from '@bonescan/clinical';
import type { Random } from './random';

/**
 * A standing adult 1750 mm tall, in mm: y down from the top of the head, x toward the patient's LEFT,
 * depth 0 at the anterior skin and 1 at the posterior skin. Relative uptakes follow a normal 99mTc-MDP
 * distribution at 3 h: joints and the axial skeleton brightest, long-bone shafts dimmer, soft tissue faint.
 */
export type Point = [number, number];
export type Shape = { kind: 'capsule'; a: Point; b: Point; radius: number } | { kind: 'ellipse'; centre: Point; rx: number; ry: number; rim?: number };

export type Side = 'LEFT' | 'RIGHT' | 'MIDLINE';

export interface Bone {
  id: string;
  region: BodyRegion;
  side: Side;
  uptake: number;
  depth: number;
  shapes: Shape[];
}

export interface Patient {
  /** Body height / 1750 mm. */
  scale: number;
  /** Soft-tissue width factor (habitus). */
  girth: number;
  /** Extra lateral distance of the hands from the body, mm. */
  armSpread: number;
  /** Skeleton-to-soft-tissue contrast (age, renal function, hydration). */
  boneContrast: number;
  kidneyUptake: number;
  bladderUptake: number;
  bladderSize: number;
}

export function randomPatient(random: Random): Patient {
  return {
    scale: Math.min(1.12, Math.max(0.86, random.normal(1, 0.05))),
    girth: random.uniform(0.82, 1.28),
    armSpread: random.uniform(-10, 45),
    boneContrast: random.uniform(0.75, 1.3),
    kidneyUptake: random.uniform(2.5, 7),
    bladderUptake: Math.exp(random.uniform(Math.log(5.5), Math.log(24))),
    bladderSize: random.uniform(0.6, 1.35),
  };
}

const capsule = (a: Point, b: Point, radius: number): Shape => ({ kind: 'capsule', a, b, radius });
const ellipse = (centre: Point, rx: number, ry: number, rim?: number): Shape => ({ kind: 'ellipse', centre, rx, ry, rim });

/** Thoracic (T1–T12) then lumbar (L1–L5) vertebral body centres. */
export const VERTEBRA_Y = {
  cervical: [218, 232, 246, 259, 272, 285, 298],
  thoracic: [316, 336, 357, 378, 399, 420, 441, 462, 484, 506, 528, 551],
  lumbar: [580, 608, 636, 664, 692],
};

const RIB_REACH = [70, 100, 120, 132, 140, 145, 146, 143, 138, 130, 118, 98];

export function skeleton(patient: Patient): Bone[] {
  const bones: Bone[] = [
    { id: 'skull', region: 'SKULL', side: 'MIDLINE', uptake: 2.6, depth: 0.5, shapes: [ellipse([0, 112], 76, 106), ellipse([0, 112], 76, 106, 10)] },
    {
      id: 'face',
      region: 'SKULL',
      side: 'MIDLINE',
      uptake: 3.5,
      depth: 0.2,
      shapes: [ellipse([0, 172], 44, 34), capsule([-44, 200], [0, 232], 7), capsule([44, 200], [0, 232], 7)],
    },
    ...spine(),
    { id: 'sacrum', region: 'PELVIS', side: 'MIDLINE', uptake: 6, depth: 0.8, shapes: [ellipse([0, 742], 34, 44)] },
    { id: 'sternum', region: 'STERNUM', side: 'MIDLINE', uptake: 3.8, depth: 0.1, shapes: [ellipse([0, 330], 24, 17), capsule([0, 342], [0, 478], 12)] },
  ];
  for (const side of ['RIGHT', 'LEFT'] as const) {
    const s = side === 'LEFT' ? 1 : -1;
    const arm = (x: number, y: number, reach: number): Point => [s * (x + patient.armSpread * reach), y];
    bones.push(
      { id: `sacroiliac-${side}`, region: 'PELVIS', side, uptake: 8, depth: 0.8, shapes: [capsule([s * 34, 718], [s * 42, 770], 7)] },
      { id: `ilium-${side}`, region: 'PELVIS', side, uptake: 2.4, depth: 0.6, shapes: [ellipse([s * 92, 735], 55, 50), ellipse([s * 95, 725], 60, 55, 8)] },
      {
        id: `pubis-${side}`,
        region: 'PELVIS',
        side,
        uptake: 5,
        depth: 0.2,
        shapes: [capsule([s * 12, 866], [s * 72, 846], 9), capsule([s * 55, 862], [s * 70, 896], 10)],
      },
      { id: `hip-${side}`, region: 'PELVIS', side, uptake: 6.5, depth: 0.5, shapes: [ellipse([s * 96, 830], 24, 24)] },
      {
        id: `femur-${side}`,
        region: 'LOWER_LIMB',
        side,
        uptake: 3.5,
        depth: 0.4,
        shapes: [capsule([s * 96, 832], [s * 126, 860], 12), ellipse([s * 136, 856], 16, 20), capsule([s * 124, 872], [s * 86, 1222], 12)],
      },
      { id: `knee-${side}`, region: 'LOWER_LIMB', side, uptake: 7, depth: 0.5, shapes: [ellipse([s * 85, 1244], 38, 20), ellipse([s * 84, 1284], 35, 17)] },
      { id: `patella-${side}`, region: 'LOWER_LIMB', side, uptake: 4, depth: 0.05, shapes: [ellipse([s * 86, 1232], 17, 21)] },
      {
        id: `tibia-${side}`,
        region: 'LOWER_LIMB',
        side,
        uptake: 3.5,
        depth: 0.3,
        shapes: [capsule([s * 83, 1296], [s * 78, 1640], 12), ellipse([s * 78, 1656], 20, 14)],
      },
      { id: `fibula-${side}`, region: 'LOWER_LIMB', side, uptake: 2.5, depth: 0.5, shapes: [capsule([s * 114, 1290], [s * 107, 1658], 6)] },
      { id: `foot-${side}`, region: 'LOWER_LIMB', side, uptake: 5, depth: 0.5, shapes: [ellipse([s * 80, 1702], 30, 38)] },
      { id: `clavicle-${side}`, region: 'SHOULDER', side, uptake: 4.5, depth: 0.1, shapes: [capsule([s * 20, 312], [s * 150, 300], 8)] },
      {
        id: `shoulder-${side}`,
        region: 'SHOULDER',
        side,
        uptake: 7,
        depth: 0.5,
        shapes: [ellipse([s * 176, 330], 25, 25), capsule([s * 150, 304], [s * 182, 308], 8)],
      },
      { id: `scapula-${side}`, region: 'SHOULDER', side, uptake: 2.5, depth: 0.9, shapes: [ellipse([s * 118, 400], 44, 76)] },
      { id: `humerus-${side}`, region: 'UPPER_LIMB', side, uptake: 3, depth: 0.5, shapes: [capsule(arm(186, 352, 0), arm(214, 612, 0.5), 10)] },
      { id: `elbow-${side}`, region: 'UPPER_LIMB', side, uptake: 5, depth: 0.5, shapes: [ellipse(arm(218, 626, 0.5), 24, 17)] },
      {
        id: `forearm-${side}`,
        region: 'UPPER_LIMB',
        side,
        uptake: 2.8,
        depth: 0.5,
        shapes: [capsule(arm(212, 642, 0.55), arm(232, 858, 1), 7), capsule(arm(228, 642, 0.55), arm(248, 858, 1), 6)],
      },
      { id: `wrist-${side}`, region: 'UPPER_LIMB', side, uptake: 5, depth: 0.5, shapes: [ellipse(arm(240, 870, 1), 20, 12)] },
      { id: `hand-${side}`, region: 'UPPER_LIMB', side, uptake: 3.5, depth: 0.5, shapes: [ellipse(arm(246, 930, 1.1), 24, 48)] },
      ...ribs(side),
    );
  }
  return bones;
}

function spine(): Bone[] {
  const level = (name: string, y: number, rx: number, ry: number, uptake: number, depth: number, region: BodyRegion): Bone => ({
    id: name,
    region,
    side: 'MIDLINE',
    uptake,
    depth,
    shapes: [ellipse([0, y], rx, ry)],
  });
  return [
    ...VERTEBRA_Y.cervical.map((y, i) => level(`C${i + 1}`, y, 13 + i * 0.6, 6.5, 4.5, 0.6, 'CERVICAL_SPINE')),
    ...VERTEBRA_Y.thoracic.map((y, i) => level(`T${i + 1}`, y, 17 + i * 0.7, 10 + i * 0.2, 5.5, 0.75, 'THORACIC_SPINE')),
    ...VERTEBRA_Y.lumbar.map((y, i) => level(`L${i + 1}`, y, 25 + i * 0.7, 13, 6.5, 0.7, 'LUMBAR_SPINE')),
  ];
}

/** Ribs as polylines: posterior arc from the spine (deep), lateral bend, anterior arc toward the sternum (shallow). */
function ribs(side: 'LEFT' | 'RIGHT'): Bone[] {
  const s = side === 'LEFT' ? 1 : -1;
  return RIB_REACH.map((reach, i) => {
    const y = VERTEBRA_Y.thoracic[i];
    const path: Point[] = [
      [s * 22, y],
      [s * 60, y - 3],
      [s * reach * 0.78, y + 12],
      [s * reach, y + 42],
    ];
    if (i < 10) path.push([s * reach * 0.82, y + 82], [s * reach * 0.45, y + 100]);
    return {
      id: `rib${i + 1}-${side}`,
      region: 'RIBS' as const,
      side,
      uptake: 2.4,
      depth: 0.5,
      shapes: path.slice(1).map((point, j) => capsule(path[j], point, 4)),
    };
  });
}

/** Rib segments are drawn at their own depth: posterior arc behind, anterior arc in front. */
export function shapeDepth(bone: Bone, shapeIndex: number): number {
  if (bone.region !== 'RIBS') return bone.depth;
  return [0.88, 0.82, 0.6, 0.3, 0.12][shapeIndex] ?? bone.depth;
}

/** Body outline (soft tissue): trunk half-widths by height, then head, neck and limbs. */
export const TRUNK_PROFILE: Point[] = [
  [300, 120],
  [325, 182],
  [420, 165],
  [560, 142],
  [700, 160],
  [850, 178],
  [900, 165],
];

export function randomPointOn(bone: Bone, random: Random): Point {
  const shape = random.pick(bone.shapes);
  if (shape.kind === 'capsule') {
    const t = random.next();
    return [
      shape.a[0] + t * (shape.b[0] - shape.a[0]) + random.normal(0, shape.radius / 3),
      shape.a[1] + t * (shape.b[1] - shape.a[1]) + random.normal(0, shape.radius / 3),
    ];
  }
  const angle = random.uniform(0, 2 * Math.PI);
  const rho = shape.rim ? 1 - random.uniform(0, shape.rim / Math.min(shape.rx, shape.ry)) : Math.sqrt(random.next()) * 0.85;
  return [shape.centre[0] + rho * shape.rx * Math.cos(angle), shape.centre[1] + rho * shape.ry * Math.sin(angle)];
}
