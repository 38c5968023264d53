/**
 * The import preview as plain text for the terminal: what the file is, how its columns were
 * read, what loading it would change, and every problem with its place in the file and fix.
 */
import type { School } from '../platform/organisations/organisation-store.js';
import type { ImportPreview } from '../pupils/import-service.js';
import type { ImportProblem, SchoolIdentity } from '../pupils/model.js';
import { EXCLUSION_FIELD_LABELS, PUPIL_FIELD_LABELS } from '../pupils/tabular/columns.js';
import { describeProblemPlace } from '../pupils/validate-pupils.js';
import { formatAcademicYear } from './cli-support.js';

const FORMAT_NAMES = { ctf: 'Common Transfer File', csv: 'CSV', xlsx: 'Excel workbook' } as const;

export function formatPreview(preview: ImportPreview, school: School): string {
  const lines: string[] = [
    `Preview of ${preview.fileName} for ${school.name} (LAESTAB ${school.laestab})`,
  ];

  if (preview.status === 'unreadable' || preview.format === null) {
    lines.push('The file could not be read.');
  } else {
    const version = preview.ctfVersion === null ? '' : ` version ${preview.ctfVersion}`;
    lines.push(`Format: ${FORMAT_NAMES[preview.format]}${version}`);
    lines.push(
      `Academic year: ${preview.academicYear === null ? 'not stated' : formatAcademicYear(preview.academicYear)}`,
    );
    if (preview.sourceSchool !== null || preview.destinationSchool !== null) {
      lines.push(
        `From: ${describeSchool(preview.sourceSchool)}; to: ${describeSchool(preview.destinationSchool)}`,
      );
    }
    const counts = preview.counts;
    lines.push(
      `Pupils: ${counts.pupils} (${counts.newPupils} new, ${counts.changedPupils} changed, ${counts.unchangedPupils} unchanged)`,
      `Records: ${counts.attendanceRecords} attendance, ${counts.exclusions} exclusions, ${counts.results} results`,
    );
    if (preview.columns !== null) lines.push(...describeColumns(preview));
  }

  const { errors, warnings } = preview.counts;
  lines.push(
    `Problems: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
  );
  for (const problem of preview.problems) lines.push(...describeProblem(problem));
  return `${lines.join('\n')}\n`;
}

function describeSchool(identity: SchoolIdentity | null): string {
  if (identity === null) return 'not stated';
  return identity.name === null ? identity.laestab : `${identity.laestab} ${identity.name}`;
}

/** Names of the fields a column of a CSV or XLSX file can fill, as users see them, by field name. */
export const COLUMN_FIELD_LABELS: Readonly<Record<string, string>> = {
  ...PUPIL_FIELD_LABELS,
  ...EXCLUSION_FIELD_LABELS,
};

function fieldLabel(field: string): string {
  return COLUMN_FIELD_LABELS[field] ?? field;
}

/** Lists each column with the field it fills, then any required field that no column fills. */
function describeColumns(preview: ImportPreview): string[] {
  const columns = preview.columns;
  if (columns === null) return [];
  const used = columns.headers.filter((header) => columns.fields[header] !== null);
  const lines = [`Columns: ${used.length} of ${columns.headers.length} used`];
  for (const header of columns.headers) {
    const field = columns.fields[header] ?? null;
    lines.push(`  ${header}: ${field === null ? 'not used' : fieldLabel(field)}`);
  }
  const [firstMissing] = columns.missing;
  if (firstMissing !== undefined) {
    const example = columns.headers.find((header) => columns.fields[header] === null) ?? 'HEADER';
    lines.push(
      `Choose the column for ${joinWithAnd(columns.missing.map(fieldLabel))} with --map, for example --map '${example}=${fieldLabel(firstMissing)}'`,
    );
  }
  return lines;
}

/**
 * Formats one problem: its place and message on one line, then the value when the message
 * does not quote it already.
 */
function describeProblem(problem: ImportProblem): string[] {
  const severity = problem.severity === 'error' ? 'Error' : 'Warning';
  const place = describeProblemPlace(problem);
  const text = problem.message.startsWith(`${place}: `)
    ? problem.message
    : `${place}: ${problem.message}`;
  const lines = [`  ${severity}: ${text}`];
  if (problem.value !== null && problem.value !== '' && !problem.message.includes(problem.value)) {
    lines.push(`    Value: "${problem.value}"`);
  }
  return lines;
}

function joinWithAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
