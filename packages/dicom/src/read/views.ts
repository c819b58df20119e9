import type { DataSet } from 'dicom-parser';
import type { View } from '@bonescan/clinical';
import { DicomError } from '../errors';

// Views are named in several places depending on the camera vendor; we look in the order of how explicit each is:
// View Code Sequence (per detector for multi-frame NM), then free text (Image Type, Series Description, ...),
// then Patient Orientation, then — for a two-frame object only — the conventional frame order (detector 1 = anterior).

/** Code values of CID 26 "Nuclear Medicine Projections" (SRT and SNOMED CT) for the two planar views. */
export const VIEW_CODES: Record<View, { value: string; scheme: string; meaning: string }> = {
  AP: { value: 'R-10206', scheme: 'SRT', meaning: 'antero-posterior' },
  PA: { value: 'R-10214', scheme: 'SRT', meaning: 'postero-anterior' },
};
const CODE_VALUE_VIEWS: Record<string, View> = { 'R-10206': 'AP', '399348003': 'AP', 'R-10214': 'PA', '399075009': 'PA' };

export function identifyViews(dataSet: DataSet, frames: number): View[] {
  if (frames === 2) return identifyTwoFrames(dataSet);
  const view = viewFromCodeSequence(dataSet) ?? viewFromDetectorItem(dataSet, 1) ?? viewFromText(dataSet) ?? viewFromOrientation(dataSet);
  if (!view) {
    throw new DicomError(
      'MISSING_VIEW',
      'cannot tell whether this single-frame object is anterior or posterior: no View Code Sequence, Image Type, Series Description or Patient Orientation names it',
    );
  }
  return [view];
}

function identifyTwoFrames(dataSet: DataSet): View[] {
  const detectors = [0, 1].map((i) => dataSet.uint16('x00540020', i) ?? i + 1);
  const byDetector = detectors.map((detector) => viewFromDetectorItem(dataSet, detector));
  const views: View[] = byDetector.every((v): v is View => v !== undefined) ? byDetector : ['AP', 'PA'];
  if (views[0] === views[1])
    throw new DicomError('INVALID', `both frames are labelled ${views[0]}; a two-frame whole-body object holds one anterior and one posterior view`);
  return views;
}

function viewFromDetectorItem(dataSet: DataSet, detector: number): View | undefined {
  const item = dataSet.elements.x00540022?.items?.[detector - 1]?.dataSet;
  return item ? viewFromCodeSequence(item) : undefined;
}

function viewFromCodeSequence(dataSet: DataSet): View | undefined {
  const code = dataSet.elements.x00540220?.items?.[0]?.dataSet;
  if (!code) return undefined;
  return CODE_VALUE_VIEWS[code.string('x00080100') ?? ''] ?? viewFromWords(code.string('x00080104'));
}

function viewFromText(dataSet: DataSet): View | undefined {
  const imageType = Array.from({ length: dataSet.numStringValues('x00080008') ?? 0 }, (_, i) => dataSet.string('x00080008', i)).join(' ');
  for (const text of [imageType, dataSet.string('x0008103e'), dataSet.string('x00204000'), dataSet.string('x00181030')]) {
    const view = viewFromWords(text);
    if (view) return view;
  }
  return undefined;
}

/** "ANT", "ANTERIOR", "AP", "ANT WB" → AP; "POST", "POSTERIOR", "PA" → PA; both or neither → unknown. */
function viewFromWords(text: string | undefined): View | undefined {
  if (!text) return undefined;
  const upper = text.toUpperCase();
  if (/ANTERO[- ]?POSTERIOR/.test(upper)) return 'AP';
  if (/POSTERO[- ]?ANTERIOR/.test(upper)) return 'PA';
  const anterior = /\b(ANT|ANTERIOR|AP)\b/.test(upper);
  const posterior = /\b(POST|POSTERIOR|PA)\b/.test(upper);
  if (anterior === posterior) return undefined;
  return anterior ? 'AP' : 'PA';
}

/** Patient Orientation (0020,0020): an anterior view has the patient's left toward the image's right (row = "L"). */
function viewFromOrientation(dataSet: DataSet): View | undefined {
  const row = dataSet.string('x00200020', 0)?.toUpperCase();
  if (row === 'L') return 'AP';
  if (row === 'R') return 'PA';
  return undefined;
}
