/** Shorthands for the routes' OpenAPI descriptions (hono-openapi), from the contract's schemas. */
import { resolver } from 'hono-openapi';
import { errorBody } from '../../contract';

/** A JSON body described by `schema`. */
export const json = (schema: Parameters<typeof resolver>[0]) => ({
  'application/json': { schema: resolver(schema) },
});

/** An error answer: always the one error shape. */
export const errors = (description: string) => ({ description, content: json(errorBody) });
