import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's own response serializers (fast-json-stringify), each built on its route's first answer with that
 * status instead of all at start-up: building one for every status of every route was a third of the time from
 * start to /healthz, and a process answers a fraction of them. What each builds, and from which shared schemas
 * (the ErrorBody every refusal references), is unchanged.
 */
export const buildSerializersOnFirstUse: SerializerFactory = (externalSchemas, options) => {
  const build = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ((document: unknown) => string) | undefined;
    return (document) => {
      serialize ??= build(route);
      return serialize(document);
    };
  };
};
