import type { FastifyInstance } from 'fastify';

/**
 * The JSON body parser of an app: fastify's own (prototype-poisoning guards included),
 * except that an empty body is no body rather than a 400. Cinder accepts
 * `DELETE` and other bodiless requests that carry `Content-Type: application/json` and no
 * content (clients and scripts send exactly that), as Cinder does for a zero-length body
 * only: whitespace is still malformed JSON; a route that needs a body still
 * answers "Missing request body" (see bodyVariant).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.length === 0) {
      done(null, undefined);
      return;
    }
    parse(request, text, done);
  });
}
