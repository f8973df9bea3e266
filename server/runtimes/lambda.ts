/**
 * AWS Lambda entry: `handler` answers API Gateway (HTTP API, payload 2.0) and Function URL
 * events; `drain` is the scheduled drain (an EventBridge rule, every minute). One backend per
 * container, built on its first event.
 */
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createLambdaBackend, type LambdaBackend } from './lambda-backend';

let backend: Promise<LambdaBackend> | undefined;
const ready = () => (backend ??= createLambdaBackend(process.env));

export const handler = async (event: LambdaEvent, context: LambdaContext) =>
  handle((await ready()).app)(event, context);

export const drain = async (_event: unknown, context?: { getRemainingTimeInMillis?(): number }) =>
  (await ready()).drain(context?.getRemainingTimeInMillis?.() ?? 60_000);
