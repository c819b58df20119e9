import { randomBytes } from 'node:crypto';
import type { Role } from '@bonescan/clinical';
import { User } from '@bonescan/db';
import type { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { badInput, isUniqueViolation } from '../graphql/errors';

export const MIN_PASSWORD_LENGTH = 12;

export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: { email: string; name: string; role: Role; password?: string | null }): Promise<User> {
    const email = input.email.trim();
    if (input.password != null && input.password.length < MIN_PASSWORD_LENGTH) {
      throw badInput(`Password must have at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    try {
      return await this.dataSource.getRepository(User).save({ email, name: input.name.trim(), role: input.role, passwordHash, active: true });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_lower_unique')) throw badInput(`A user with e-mail ${email} already exists`, 'email');
      throw error;
    }
  }

  /** The active user with this e-mail and password, or null — callers must not say which part was wrong. */
  async verifyCredentials(email: string, password: string): Promise<User | null> {
    const user = await this.dataSource.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email: email.trim() }).getOne();
    // An unknown or password-less account costs the same argon2 check as a known one: the answer's timing
    // must not tell which e-mail addresses have accounts.
    const matches = await verifyPassword(user?.passwordHash ?? (await standInHashOnce()), password);
    return matches && user?.active ? user : null;
  }
}

let standInHash: Promise<string> | undefined;
/** A hash of a random password nobody knows, made once per process with the same argon2 parameters as real ones. */
const standInHashOnce = (): Promise<string> => (standInHash ??= hashPassword(randomBytes(32).toString('base64')));
