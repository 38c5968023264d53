/**
 * Saved analyses: a copy of one year's group analysis, kept so that the figures a piece of
 * evidence quotes never change, even when a later import corrects the pupil records.
 */
import { checkText, type FormError } from '../../platform/http/form-fields.js';
import type { GapAnalysis } from './gap-analysis.js';

export const SNAPSHOT_TITLE_MAX_LENGTH = 120;

/** A saved analysis with the figures as they were when it was saved. */
export interface AnalysisSnapshot {
  id: number;
  organisationId: number;
  academicYear: number;
  title: string;
  analysis: GapAnalysis;
  createdBy: number | null;
  /** Display name of the person who saved it; null when the account no longer exists. */
  createdByName: string | null;
  createdAt: string;
}

export type SnapshotTitleCheck = { ok: true; title: string } | { ok: false; error: FormError };

/** Checks the title typed for a saved analysis. */
export function checkSnapshotTitle(typed: string): SnapshotTitleCheck {
  const title = checkText(typed, {
    label: 'Title',
    maxLength: SNAPSHOT_TITLE_MAX_LENGTH,
    missingMessage: 'Enter a title for the saved analysis',
  });
  if (!title.ok) return { ok: false, error: { text: title.message, href: '#snapshotTitle' } };
  return { ok: true, title: title.text };
}

/**
 * Reads a stored analysis back from JSON. Throws an error naming the snapshot when the JSON is
 * not a gap analysis, which means the row was changed outside the app.
 */
export function parseSavedAnalysis(json: string, snapshotId: number): GapAnalysis {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`Saved analysis ${snapshotId} is not valid JSON`, { cause: error });
  }
  const candidate = value as Partial<GapAnalysis> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.academicYear !== 'number' ||
    typeof candidate.censusDate !== 'string' ||
    typeof candidate.pupils !== 'number' ||
    !Array.isArray(candidate.groups)
  ) {
    throw new Error(
      `Saved analysis ${snapshotId} is not a gap analysis: expected academicYear, censusDate, pupils and groups`,
    );
  }
  return candidate as GapAnalysis;
}
