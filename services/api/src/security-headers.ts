import type { RequestHandler } from 'express';

/**
 * Headers on every HTTP answer of the API: browsers must not sniff a DICOM or JSON body into something they run,
 * nor let another site frame an answer, nor tell other sites which API address a link was followed from.
 */
export const securityHeaders: RequestHandler = (_request, response, next) => {
  response.set({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  next();
};
