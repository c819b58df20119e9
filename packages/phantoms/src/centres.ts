/**
 * Centre profiles: the acquisition differences between hospitals that make external validation hard
 * (the paper trained on two centres and tested on a third). Training uses A and B; C is held out.
 */
export type Centre = 'A' | 'B' | 'C';
export const CENTRES: readonly Centre[] = ['A', 'B', 'C'];

export interface CentreProfile {
  width: number;
  height: number;
  pixelSpacingMm: number;
  /** Mean total counts of the anterior view; each scan varies around it (dose, weight, delay). */
  anteriorCounts: number;
  /** System resolution (collimator + distance), full width at half maximum. */
  resolutionFwhmMm: number;
  /** Uniform background (scatter, room) in counts per pixel. */
  backgroundCounts: number;
  /** Peak-to-peak detector non-uniformity, as a fraction. */
  nonUniformity: number;
  /** Attenuation strength: higher-energy windows and scatter correction change how much depth dims a structure. */
  attenuation: number;
  manufacturer: string;
  stationName: string;
  institutionName: string;
}

export const CENTRE_PROFILES: Record<Centre, CentreProfile> = {
  A: {
    width: 256,
    height: 1024,
    pixelSpacingMm: 2.4,
    anteriorCounts: 3.6e6,
    resolutionFwhmMm: 13,
    backgroundCounts: 0.15,
    nonUniformity: 0.03,
    attenuation: 1.2,
    manufacturer: 'SIEMENS',
    stationName: 'SYMBIA-A',
    institutionName: 'Phantom Centre A',
  },
  B: {
    width: 256,
    height: 1024,
    pixelSpacingMm: 2.21,
    anteriorCounts: 2.7e6,
    resolutionFwhmMm: 16,
    backgroundCounts: 0.3,
    nonUniformity: 0.05,
    attenuation: 1.35,
    manufacturer: 'GE MEDICAL SYSTEMS',
    stationName: 'INFINIA-B',
    institutionName: 'Phantom Centre B',
  },
  C: {
    width: 256,
    height: 1024,
    pixelSpacingMm: 2.46,
    anteriorCounts: 4.4e6,
    resolutionFwhmMm: 11,
    backgroundCounts: 0.05,
    nonUniformity: 0.04,
    attenuation: 1.1,
    manufacturer: 'Philips',
    stationName: 'FORTE-C',
    institutionName: 'Phantom Centre C',
  },
};
