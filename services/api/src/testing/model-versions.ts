export { TEST_MODEL_CARD as CARD, writeTestModelFolder as writeModelFolder } from '@bonescan/db/testing';

export const REGISTER = `mutation ($path: String!) { registerModelVersion(path: $path) { id name version architecture threshold status syntheticData card } }`;
export const SET_STATUS = `mutation ($id: ID!, $status: ModelVersionStatus!) { setModelVersionStatus(id: $id, status: $status) { id status } }`;
export const RERUN = `mutation ($id: ID!, $range: DateRange!) { rerunModelVersion(id: $id, range: $range) }`;
