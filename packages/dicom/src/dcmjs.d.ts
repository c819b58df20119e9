// Minimal typing of the parts of dcmjs this package uses (dcmjs ships no type declarations).
declare module 'dcmjs' {
  type DenaturalizedDataset = Record<string, { vr: string; Value?: unknown[] }>;
  export const log: { setLevel(level: 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace'): void };
  export const data: {
    DicomDict: new (meta: DenaturalizedDataset) => {
      dict: DenaturalizedDataset;
      write(options?: { fragmentMultiframe?: boolean; allowInvalidVRLength?: boolean }): ArrayBuffer;
    };
    DicomMetaDictionary: {
      denaturalizeDataset(dataset: Record<string, unknown>): DenaturalizedDataset;
    };
  };
}
