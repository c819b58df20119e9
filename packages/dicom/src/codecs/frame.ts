/** The sample layout of one monochrome frame, as the DICOM Image Pixel module declares it. */
export interface FrameFormat {
  width: number;
  height: number;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  signed: boolean;
}

export function bytesPerFrame(format: FrameFormat): number {
  return format.width * format.height * (format.bitsAllocated / 8);
}
