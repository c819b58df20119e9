/**
 * A deployment's first steps without the demo: the first administrator (or any account) and the first model
 * version, straight into the platform's database. Each step is an audit row, like the same step through the API.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@bonescan/clinical';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { commandLine } from '@bonescan/logger';
import type { DataSource } from 'typeorm';
import { recordAuditEvent } from '../services/api/src/audit/record-event';
import { generatePassword } from '../services/api/src/auth/passwords';
import { UsersService } from '../services/api/src/users/users.service';
import { loadModelVersion } from '../services/inference/src/model';
import { registerModelFolder } from '../services/inference/src/worker/model-registry';

const ADMIN = commandLine({
  invocation: 'npm run admin --',
  synopsis: 'create-user --email <e-mail> --role CLINICIAN|LEAD|INTEGRATOR|ADMIN [--name <name>] [--sso-only] | register-model <model version folder>',
  purpose:
    'create-user makes an account in the platform’s database (DATABASE_URL, else the embedded one) and prints a generated password once ' +
    '(none with --sso-only: the account signs in through hospital single sign-on). register-model checks that the folder loads as a ' +
    'worker would load it, registers it, and makes it ACTIVE when no version is. Exit code 0 when done, 1 on an error, 2 on a usage error.',
});

class UsageError extends Error {}

function audit(dataSource: DataSource, action: string, entityType: string, entityId: string, details: Record<string, unknown>): Promise<unknown> {
  return recordAuditEvent(dataSource.manager, { actorUserId: null, action, entityType, entityId, details: { ...details, by: 'admin command line' } });
}

async function createUser(dataSource: DataSource, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, 'sso-only': { type: 'boolean', default: false } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.email) throw new UsageError('--email is required');
  if (!ROLES.includes(values.role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const password = values['sso-only'] ? null : generatePassword();
  const user = await new UsersService(dataSource).create({
    email: values.email,
    name: values.name ?? values.email.split('@')[0],
    role: values.role as Role,
    password,
  });
  await audit(dataSource, 'user.create', 'user', user.id, { role: user.role, ssoOnly: password === null });
  process.stderr.write(`created ${user.role} ${user.email} (${user.id})\n`);
  if (password) process.stdout.write(`password for ${user.email} (shown once; the platform keeps only a hash): ${password}\n`);
  else process.stdout.write(`${user.email} signs in through hospital single sign-on only\n`);
}

async function registerModel(dataSource: DataSource, args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError('register-model takes exactly one model version folder');
  const model = await loadModelVersion(args[0], loadConfig().INFERENCE_BACKEND);
  model.dispose();
  const { version, created } = await registerModelFolder(dataSource, args[0], { activateIfNoneActive: true });
  if (created)
    await audit(dataSource, 'model-version.register', 'model_version', version.id, {
      name: version.name,
      version: version.version,
      threshold: version.threshold,
      status: version.status,
    });
  process.stderr.write(`${created ? 'registered' : 'already registered'}: ${version.name} ${version.version} (${version.status}) from ${version.path}\n`);
  process.stdout.write(`${version.id}\n`);
}

const SUBCOMMANDS: Record<string, (dataSource: DataSource, args: string[]) => Promise<void>> = { 'create-user': createUser, 'register-model': registerModel };

async function main(): Promise<number> {
  const [subcommand, ...args] = ADMIN.arguments();
  const run = SUBCOMMANDS[subcommand ?? ''];
  if (!run) throw new UsageError(subcommand ? `unknown subcommand ${subcommand}` : 'name a subcommand');
  const config = loadConfig();
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url, poolSize: 2 });
  try {
    await run(dataSource, args);
    return 0;
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`admin: ${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${ADMIN.usage}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
