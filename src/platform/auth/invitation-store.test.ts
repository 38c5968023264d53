import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../organisations/organisation-store.js';
import {
  createInvitation,
  findUsableInvitation,
  hashInvitationToken,
  INVITATION_LIFETIME_DAYS,
  listPendingInvitations,
  markInvitationAccepted,
  revokeInvitation,
} from './invitation-store.js';
import { createUser } from './user-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('invitation store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let inviterId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' }))
      .id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Other School' }))
      .id;
    inviterId = (
      await createUser(database.db, { email: 'head@brookfield.invalid', displayName: 'Sam Head' })
    ).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  async function invite(email = 'jo@brookfield.invalid', now = new Date()) {
    return createInvitation(database.db, {
      organisationId: schoolId,
      email,
      role: 'governor',
      invitedBy: inviterId,
      now,
    });
  }

  it('stores only the token hash', async () => {
    const { invitation, token } = await invite();

    const row = await database.db
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.token_hash).toBe(hashInvitationToken(token));
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('expires after seven days', async () => {
    const now = new Date('2026-03-02T10:00:00Z');

    const { invitation, token } = await invite('jo@brookfield.invalid', now);

    expect(INVITATION_LIFETIME_DAYS).toBe(7);
    expect(invitation.expiresAt).toBe('2026-03-09T10:00:00.000Z');
    const justBefore = new Date(now.getTime() + 7 * DAY_MS - 1);
    const atExpiry = new Date(now.getTime() + 7 * DAY_MS);
    expect(await findUsableInvitation(database.db, token, justBefore)).not.toBeNull();
    expect(await findUsableInvitation(database.db, token, atExpiry)).toBeNull();
  });

  it('finds a usable invitation with names', async () => {
    const { token } = await invite();

    const found = await findUsableInvitation(database.db, token);

    expect(found?.organisationName).toBe('Brookfield Academy');
    expect(found?.organisationKind).toBe('school');
    expect(found?.inviterName).toBe('Sam Head');
    expect(found?.role).toBe('governor');
    expect(found?.email).toBe('jo@brookfield.invalid');
  });

  it('rejects unknown and malformed tokens', async () => {
    await invite();

    for (const token of ['', 'abc', 'x'.repeat(43), '../../etc/passwd', 'a'.repeat(44)]) {
      expect(await findUsableInvitation(database.db, token), token).toBeNull();
    }
  });

  it('accepts a token only once', async () => {
    const { invitation, token } = await invite();

    const first = await markInvitationAccepted(database.db, invitation.id);
    const second = await markInvitationAccepted(database.db, invitation.id);

    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await findUsableInvitation(database.db, token)).toBeNull();
  });

  it('does not accept an expired invitation', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const { invitation } = await invite('jo@brookfield.invalid', now);

    const accepted = await markInvitationAccepted(
      database.db,
      invitation.id,
      new Date(now.getTime() + 8 * DAY_MS),
    );

    expect(accepted).toBe(false);
  });

  it('revokes within its school only', async () => {
    const { invitation, token } = await invite();

    const fromOtherSchool = await revokeInvitation(database.db, otherSchoolId, invitation.id);
    const fromOwnSchool = await revokeInvitation(database.db, schoolId, invitation.id);
    const again = await revokeInvitation(database.db, schoolId, invitation.id);

    expect(fromOtherSchool).toBeNull();
    expect(fromOwnSchool?.email).toBe('jo@brookfield.invalid');
    expect(again).toBeNull();
    expect(await findUsableInvitation(database.db, token)).toBeNull();
    expect(await markInvitationAccepted(database.db, invitation.id)).toBe(false);
  });

  it('replaces an earlier invitation to the same address', async () => {
    const first = await invite('Jo@Brookfield.invalid');

    const second = await invite('jo@brookfield.invalid');

    expect(second.replaced).toBe(1);
    expect(await findUsableInvitation(database.db, first.token)).toBeNull();
    expect(await findUsableInvitation(database.db, second.token)).not.toBeNull();
  });

  it('lists pending invitations only', async () => {
    const now = new Date();
    const pending = await invite('pending@brookfield.invalid', now);
    const accepted = await invite('accepted@brookfield.invalid', now);
    const revoked = await invite('revoked@brookfield.invalid', now);
    await invite('expired@brookfield.invalid', new Date(now.getTime() - 8 * DAY_MS));
    await markInvitationAccepted(database.db, accepted.invitation.id);
    await revokeInvitation(database.db, schoolId, revoked.invitation.id);

    const listed = await listPendingInvitations(database.db, schoolId, now);
    const elsewhere = await listPendingInvitations(database.db, otherSchoolId, now);

    expect(listed.map((invitation) => invitation.id)).toEqual([pending.invitation.id]);
    expect(elsewhere).toEqual([]);
  });
});
