export { CENTRES, CENTRE_PROFILES, type Centre, type CentreProfile } from './centres';
export { FINDING_KINDS, type Finding, type FindingKind } from './findings';
export { generatePhantom, type PhantomCase, type PhantomOptions } from './generate';
export { writePhantomSet, LABELS_FILE, type PhantomSetOptions } from './write-set';
