import NextAuth from 'next-auth';
import { authOptions } from '../../../../auth/options';

// Built per request so the options read the environment `next start` was given, not the build's.
const handler = (request: Request, context: { params: Promise<{ nextauth: string[] }> }) => NextAuth(authOptions())(request, context);

export { handler as GET, handler as POST };
