/** Request header through which the proxy tells server components which page was asked for. */
export const PORTAL_PATH_HEADER = 'x-portal-path';
