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
  /** Largest file accepted in an upload (a pupil data import or an evidence file), in bytes. */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  /**
   * Whether the session cookie carries the `Secure` attribute, so browsers send it over HTTPS
   * only: `on`, `off`, or `auto`, which sets it unless HOST is a loopback address (127.0.0.0/8,
   * ::1 or localhost), as when the app runs for local development over plain HTTP. Set `on`
   * when an HTTPS proxy on the same machine reaches the app on a loopback address.
   */
  COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  /**
   * `on` when the app runs behind a reverse proxy that sets X-Forwarded-For, so that sign-in
   * throttling and the audit trail see each person's address rather than the proxy's.
   */
  TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  /** Minutes without a request after which a session ends and the user must sign in again. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** Hours after sign-in at which a session ends however active it is. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /**
   * SMTP server for invitation e-mails, as `smtp://host:port` or `smtps://host:port`, with
   * `user:password@` before the host when the server needs a login. Without it, the app shows
   * the invitation link on screen for the inviter to pass on.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, { message: 'must be smtp://host:port or smtps://host:port' })
    .optional(),
  /**
   * The From address of e-mails, such as `Commissioner <no-reply@school.example>`. Required
   * with SMTP_URL.
   */
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*@[^\r\n]*$/, { message: 'must be an e-mail address on one line' })
    .optional(),
  /**
   * Address at which users reach the app, such as `https://commissioner.school.example`, used in
   * links sent by e-mail. Required with SMTP_URL. Links shown on screen use the address the
   * browser asked for when it is not set.
   */
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s?#]+\/?$/, {
      message: 'must be http:// or https:// and a host, with no path, such as https://example.org',
    })
    .optional(),
});

/** Checks that the variables e-mail needs are set whenever SMTP_URL is. */
const checkedConfigSchema = configSchema.superRefine((config, context) => {
  // E-mailed links cannot use the request's Host header: anyone can send a forged one, and
  // the link in the e-mail would then lead to their server.
  if (config.SMTP_URL === undefined) return;
  for (const name of ['MAIL_FROM', 'PUBLIC_URL'] as const) {
    if (config[name] === undefined)
      context.addIssue({ code: 'custom', path: [name], message: 'must be set when SMTP_URL is' });
  }
});

export type Config = Readonly<z.infer<typeof configSchema>>;

/**
 * Parses the configuration from environment variables once, at start-up.
 * Throws an error that names each invalid variable and what it must look like.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) =>
        `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
    );
    throw new Error(`Invalid configuration in environment variables:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

/** Checks whether a host name or address is this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Decides from `COOKIE_SECURE` and `HOST` whether cookies get the `Secure` attribute. */
export function cookieIsSecure(config: Pick<Config, 'COOKIE_SECURE' | 'HOST'>): boolean {
  if (config.COOKIE_SECURE === 'auto') return !isLoopbackHost(config.HOST);
  return config.COOKIE_SECURE === 'on';
}
