import type { View } from '@bonescan/clinical';

/** One planar whole-body view, decoded to real values (stored value × slope + intercept), row-major. */
export interface ViewImage {
  view: View;
  width: number;
  height: number;
  pixels: Float32Array;
  /** [row spacing, column spacing] in mm, from Pixel Spacing (0028,0030). */
  pixelSpacingMm?: [number, number];
}

export interface PatientDetails {
  id: string;
  name?: string;
  birthDate?: string;
  sex?: string;
}

export interface StudyDetails {
  date?: string;
  time?: string;
  accessionNumber?: string;
  description?: string;
}

/** One DICOM object of a whole-body bone scan: a multi-frame NM holding AP + PA, or one single-frame view. */
export interface BoneScanObject {
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  modality: string;
  manufacturer?: string;
  institutionName?: string;
  stationName?: string;
  patient: PatientDetails;
  study: StudyDetails;
  acquisitionDateTime?: Date;
  views: ViewImage[];
}
