'use client';

import { ROLES, TOKEN_SCOPES, type Role } from '@bonescan/clinical';
import { useState, type FormEvent } from 'react';
import { ApiBanner } from '../../../components/api-banner';
import { ModelBadge } from '../../../components/model-badge';
import { mutate, useQuery } from '../../../components/use-api';
import { graphql } from '../../../graphql/graphql';
import type { ApiError } from '../../../graphql/request';

const AdminData = graphql(`
  query AdminData {
    users {
      id
      name
      email
      role
      active
    }
    apiTokens {
      id
      name
      prefix
      scopes
      createdAt
      expiresAt
      lastUsedAt
      revokedAt
    }
    modelVersions {
      id
      name
      version
      architecture
      status
      syntheticData
      threshold
      createdAt
    }
  }
`);
const CreateUser = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
    }
  }
`);
const CreateApiToken = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        id
      }
    }
  }
`);
const RevokeApiToken = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
    }
  }
`);
const SetModelVersionStatus = graphql(`
  mutation SetModelVersionStatus($id: ID!, $status: ModelVersionStatus!) {
    setModelVersionStatus(id: $id, status: $status) {
      id
      status
    }
  }
`);

/** Users and roles, integrators' API tokens, and which model version readers see. */
export function AdminConsole() {
  const { data, error, reload } = useQuery(AdminData, {});
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const run = async (action: Promise<{ error?: ApiError }>) => {
    const { error: failed } = await action;
    setActionError(failed ?? null);
    if (!failed) await reload();
    return !failed;
  };

  const createUser = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const password = String(fields.get('password') ?? '');
    const input = {
      name: String(fields.get('name')),
      email: String(fields.get('email')),
      role: String(fields.get('role')) as Role,
      password: password || null,
    };
    if (await run(mutate(CreateUser, { input }))) form.reset();
  };

  const createToken = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const { result, error: failed } = await mutate(CreateApiToken, {
      input: { name: String(fields.get('tokenName')), scopes: fields.getAll('scopes').map(String), expiresInDays: Number(fields.get('days')) },
    });
    setActionError(failed ?? null);
    if (result) {
      setSecret(result.createApiToken.secret);
      await reload();
    }
  };

  if (error) return <ApiBanner error={error} />;
  if (!data) return <p aria-live="polite">Loading…</p>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      {actionError && <ApiBanner error={actionError} />}
      <div className="admin-grid">
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">Users and roles</h2>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Active</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((user) => (
                <tr key={user.id}>
                  <td>{user.name}</td>
                  <td>{user.email}</td>
                  <td>{user.role.toLowerCase()}</td>
                  <td>{user.active ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="inline-form" onSubmit={createUser} aria-label="Add a user">
            <label>
              Name <input name="name" required />
            </label>
            <label>
              E-mail <input name="email" type="email" required />
            </label>
            <label>
              Role
              <select name="role" defaultValue="CLINICIAN">
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role.toLowerCase()}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Password (blank: single sign-on only) <input name="password" type="password" autoComplete="new-password" />
            </label>
            <button type="submit">Add user</button>
          </form>
        </section>

        <section className="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">API tokens</h2>
          {secret && (
            <div role="status" className="banner">
              Copy this token now: it is shown only once.
              <p className="secret" data-testid="token-secret">
                {secret}
              </p>
              <button type="button" onClick={() => setSecret(null)}>
                I have copied it
              </button>
            </div>
          )}
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="muted">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.apiTokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{token.prefix}…</td>
                  <td>{token.scopes.join(', ')}</td>
                  <td>{token.expiresAt.slice(0, 10)}</td>
                  <td>
                    {token.revokedAt ? (
                      'revoked'
                    ) : (
                      <button type="button" onClick={() => run(mutate(RevokeApiToken, { id: token.id }))}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="inline-form" onSubmit={createToken} aria-label="Create an API token">
            <label>
              Token name <input name="tokenName" required />
            </label>
            <label>
              Valid for days <input name="days" type="number" min={1} max={365} defaultValue={90} />
            </label>
            <fieldset>
              <legend>Scopes</legend>
              {TOKEN_SCOPES.map((scope) => (
                <label key={scope} className="checkbox">
                  <input type="checkbox" name="scopes" value={scope} /> {scope}
                </label>
              ))}
            </fieldset>
            <button type="submit">Create token</button>
          </form>
        </section>

        <section className="card" aria-labelledby="models-title">
          <h2 id="models-title">Model versions</h2>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Threshold</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="muted">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.modelVersions.map((model) => (
                <tr key={model.id}>
                  <td>
                    <ModelBadge model={model} />
                  </td>
                  <td>{model.threshold}</td>
                  <td>{model.status.toLowerCase()}</td>
                  <td>
                    {model.status !== 'ACTIVE' && (
                      <button type="button" onClick={() => run(mutate(SetModelVersionStatus, { id: model.id, status: 'ACTIVE' }))}>
                        Activate
                      </button>
                    )}
                    {model.status !== 'SHADOW' && (
                      <button type="button" onClick={() => run(mutate(SetModelVersionStatus, { id: model.id, status: 'SHADOW' }))}>
                        Shadow
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </section>
  );
}
