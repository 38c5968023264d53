import nodemailer from 'nodemailer';

/** One e-mail with a plain-text body and an HTML alternative. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sender of e-mail. `send` rejects with the transport's error when the server rejects or fails. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes open connections. The mailer must not be used afterwards. */
  close(): void;
}

export interface MailerSettings {
  /** `smtp://host:port` or `smtps://host:port`, optionally with `user:password@`. */
  smtpUrl: string;
  /** The From header, for example `Commissioner <no-reply@school.example>`. */
  from: string;
}

/**
 * Time limits for one message, in milliseconds. Mail is sent while the inviter's request waits,
 * so a server that stops answering fails the send within seconds rather than after nodemailer
 * 10.6's defaults of two minutes to connect and ten minutes of socket inactivity. Options in the URL's query
 * string, such as `?socketTimeout=60000`, take precedence.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Creates a mailer that sends through the SMTP server in `smtpUrl`. Nodemailer upgrades a
 * plain `smtp://` connection with STARTTLS when the server offers it and checks the server's
 * certificate, so a server with a self-signed certificate fails to send.
 */
export function createMailer(settings: MailerSettings): Mailer {
  const transport = nodemailer.createTransport({ url: settings.smtpUrl, ...SMTP_TIMEOUTS });
  return {
    async send(message) {
      await transport.sendMail({ from: settings.from, ...message });
    },
    close() {
      transport.close();
    },
  };
}

/** Facts an invitation e-mail states. */
export interface InvitationEmail {
  to: string;
  organisationName: string;
  inviterName: string;
  roleLabel: string;
  /** The link with the token, absolute. */
  link: string;
  /** When the link stops working, as the pages show it, for example `4 December 2026 at 8:19pm`. */
  expiresText: string;
}

/** Writes the invitation e-mail as plain text with an HTML alternative of the same words. */
export function composeInvitationEmail(invitation: InvitationEmail): MailMessage {
  const { organisationName, inviterName, roleLabel, link, expiresText } = invitation;
  const subject = `Invitation to use Commissioner for ${organisationName}`;
  const text = [
    `${inviterName} has invited you to use Commissioner for ${organisationName}.`,
    `Your role: ${roleLabel}.`,
    '',
    'To accept, open this link and create your password:',
    link,
    '',
    `The link works once, until ${expiresText}.`,
    'Do not forward this email. Anyone with the link can accept the invitation.',
    '',
    'If you were not expecting this invitation, you can ignore this email.',
    '',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(inviterName)} has invited you to use Commissioner for ${escapeHtml(organisationName)}.<br>Your role: ${escapeHtml(roleLabel)}.</p>`,
    `<p>To accept, open this link and create your password:<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    `<p>The link works once, until ${escapeHtml(expiresText)}.</p>`,
    '<p>Do not forward this email. Anyone with the link can accept the invitation.</p>',
    '<p>If you were not expecting this invitation, you can ignore this email.</p>',
  ].join('\n');
  return { to: invitation.to, subject, text, html };
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
