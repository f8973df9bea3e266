/**
 * The deployment's environment: where Deskie is, its credentials, the signing secret, the config
 * file. Validated like the config: a mistake names the variable. Secrets are read here and passed
 * on as values; they are never printed.
 */
import * as z from 'zod';
import { ConfigError } from './schema';

/** Whether a DESKIE_FORM_DATABASE value names PostgreSQL (else it is a SQLite file path). */
export const isPostgresUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Path of the JSON config; default: the demo form. */
    DESKIE_FORM_CONFIG: z.string().min(1).optional(),
    DESKIE_URL: z.url({ protocol: /^https?$/ }).optional(),
    DESKIE_STAFF_EMAIL: z.email().optional(),
    DESKIE_API_KEY: z.string().min(1).optional(),
    /** Signs form and lookup tokens; rotating it revokes every lookup token. At least 32 characters. */
    DESKIE_FORM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The captcha provider's secret, when a form has a captcha. */
    CAPTCHA_SECRET: z.string().min(1).optional(),
    /** Where captcha tokens are verified, when not at the provider's own siteverify (a proxy). */
    CAPTCHA_VERIFY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** The outbox: a SQLite file path, or a postgres:// URL shared by several instances. */
    DESKIE_FORM_DATABASE: z
      .string()
      .min(1)
      .refine((v) => !/^[a-z]+:\/\//.test(v) || isPostgresUrl(v), 'must be a file path or a postgres:// URL')
      .default('./data/outbox.sqlite'),
    /**
     * Shared with the owner's site, whose server signs its signed-in customers' identities with it
     * (HS256). At least 32 characters; without it, no identity is taken.
     */
    DESKIE_FORM_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Signs the notices the config's `notify.url` receives. At least 32 characters. */
    DESKIE_FORM_NOTIFY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Bearer token for the /admin endpoints (off without it). At least 24 characters. */
    ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    /**
     * Lets the demo (no Deskie account: the simulator, its agent console, its files) listen on an
     * address other machines reach. Default false: the demo stays on this machine.
     */
    DESKIE_FORM_DEMO_PUBLIC: z.stringbool({ error: 'must be 1 or 0' }).default(false),
  })
  .superRefine((env, ctx) => {
    const deskie = [env.DESKIE_URL, env.DESKIE_STAFF_EMAIL, env.DESKIE_API_KEY].filter(Boolean).length;
    if (deskie > 0 && deskie < 3)
      ctx.addIssue({
        code: 'custom',
        path: ['DESKIE_URL'],
        message:
          'set DESKIE_URL, DESKIE_STAFF_EMAIL and DESKIE_API_KEY together (or none, for the simulator)',
      });
    if (deskie === 3 && !env.DESKIE_FORM_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['DESKIE_FORM_SECRET'],
        message: 'is required with a real Deskie account',
      });
  });

export type Env = z.infer<typeof envSchema>;

/** Reads the environment; throws ConfigError naming each bad variable (never its value). */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
}

/** Whether the environment names a real Deskie account (else the built-in simulator is used). */
export const usesRealDeskie = (env: Env) =>
  Boolean(env.DESKIE_URL && env.DESKIE_STAFF_EMAIL && env.DESKIE_API_KEY);

/** The Deskie account the environment names, as the client takes it. */
export const deskieAccount = (env: Env) => ({
  baseUrl: env.DESKIE_URL ?? '',
  staffEmail: env.DESKIE_STAFF_EMAIL ?? '',
  apiKey: env.DESKIE_API_KEY ?? '',
});
