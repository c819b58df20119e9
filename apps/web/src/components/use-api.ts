'use client';

import type { TadaDocumentNode } from 'gql.tada';
import { useCallback, useEffect, useState } from 'react';
import { callApi } from '../graphql/browser';
import { ApiError } from '../graphql/request';

const asApiError = (caught: unknown) => (caught instanceof ApiError ? caught : new ApiError('INTERNAL', String(caught)));

/** Loads a query once (and again on `reload`), keeping the error for a banner. */
export function useQuery<Result, Variables>(document: TadaDocumentNode<Result, Variables>, variables: Variables) {
  const [data, setData] = useState<Result | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const key = JSON.stringify(variables);
  const reload = useCallback(async () => {
    try {
      setData(await callApi(document, JSON.parse(key) as Variables));
      setError(null);
    } catch (caught) {
      setError(asApiError(caught));
    }
  }, [document, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/** Runs a mutation, turning failures into an ApiError for the form to show. */
export async function mutate<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<{ result?: Result; error?: ApiError }> {
  try {
    return { result: await callApi(document, variables) };
  } catch (caught) {
    return { error: asApiError(caught) };
  }
}
