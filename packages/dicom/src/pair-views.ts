import type { View } from '@bonescan/clinical';
import { DicomError } from './errors';
import type { BoneScanObject, ViewImage } from './types';

export type PairedViews = Partial<Record<View, ViewImage>>;

/**
 * Gathers the anterior and posterior views of one study from its objects (one multi-frame, or one per view).
 * A view may be missing (the caller decides whether to wait for its partner); a patient or study mismatch,
 * or the same view twice, is refused.
 */
export function pairViews(objects: BoneScanObject[]): PairedViews {
  if (objects.length === 0) throw new DicomError('MISSING_VIEW', 'no DICOM object given to pair');
  const [first] = objects;
  const paired: PairedViews = {};
  for (const object of objects) {
    if (object.patient.id !== first.patient.id) {
      throw new DicomError(
        'PATIENT_MISMATCH',
        `object ${object.sopInstanceUid} belongs to a different patient than ${first.sopInstanceUid}; views of one scan must share Patient ID`,
      );
    }
    if (object.studyInstanceUid !== first.studyInstanceUid) {
      throw new DicomError('INVALID', `object ${object.sopInstanceUid} is from study ${object.studyInstanceUid}, not ${first.studyInstanceUid}`);
    }
    for (const image of object.views) {
      if (paired[image.view]) throw new DicomError('INVALID', `study ${first.studyInstanceUid} has more than one ${image.view} view`);
      paired[image.view] = image;
    }
  }
  return paired;
}
