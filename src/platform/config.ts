import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, {
      message: 'must be sqlite:PATH or postgres://user@host:port/database',
    })
    .default('sqlite:./data/commissioner.sqlite'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Whether an empty database gets the synthetic demo school at start-up. */
  DEMO: z.enum(['on', 'off']).default('on'),
  /** Largest import file accepted, in bytes. */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/**
 * Parses the configuration from environment variables once, at start-up.
 * Throws an error that names each invalid variable and what it must look like.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
    );
    throw new Error(`Invalid configuration in environment variables:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
