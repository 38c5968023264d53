/**
 * The import preview as plain text for the terminal: what the file is, what loading it would
 * change, and every problem with its place in the file, field, value and fix.
 */
import type { School } from '../platform/organisations/organisation-store.js';
import type { ImportPreview } from '../pupils/import-service.js';
import type { ImportProblem, SchoolIdentity } from '../pupils/model.js';
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

function describeColumns(preview: ImportPreview): string[] {
  const columns = preview.columns;
  if (columns === null) return [];
  const unused = columns.headers.filter((header) => columns.fields[header] === null);
  const lines = [
    `Columns: ${columns.headers.length - unused.length} of ${columns.headers.length} mapped to pupil fields`,
  ];
  if (unused.length > 0) lines.push(`  not used: ${unused.join(', ')}`);
  if (columns.missing.length > 0) {
    lines.push(`  required fields with no column: ${columns.missing.join(', ')}`);
  }
  return lines;
}

/** Formats one problem over two lines: its place, field and value, then the message with the fix. */
function describeProblem(problem: ImportProblem): string[] {
  const place = [problem.file, problem.location];
  if (problem.field !== null) place.push(`field ${problem.field}`);
  if (problem.value !== null) place.push(`value "${problem.value}"`);
  return [
    `  ${problem.severity === 'error' ? 'Error' : 'Warning'}: ${place.join(', ')}`,
    `    ${problem.message}`,
  ];
}
