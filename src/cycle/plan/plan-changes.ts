/**
 * Lists what changed between two versions of a plan, field by field and outcome by outcome,
 * so that the approver of a new version sees exactly what is different.
 */

export interface PlanSnapshotForComparison {
  fields: ReadonlyArray<{ label: string; value: string }>;
  outcomes: readonly string[];
  outputs: readonly string[];
}

export interface PlanChange {
  label: string;
  before: string;
  after: string;
}

export function comparePlanVersions(
  before: PlanSnapshotForComparison,
  after: PlanSnapshotForComparison,
): PlanChange[] {
  const changes: PlanChange[] = [];
  for (const field of after.fields) {
    const previous = before.fields.find((candidate) => candidate.label === field.label);
    const was = previous?.value ?? '';
    if (was !== field.value) changes.push({ label: field.label, before: was, after: field.value });
  }
  changes.push(...compareLists('Outcome', before.outcomes, after.outcomes));
  changes.push(...compareLists('Output', before.outputs, after.outputs));
  return changes;
}

/** Items are matched by their text: one that appears on one side only was removed or added. */
function compareLists(
  label: string,
  before: readonly string[],
  after: readonly string[],
): PlanChange[] {
  const removed = before.filter((item) => !after.includes(item));
  const added = after.filter((item) => !before.includes(item));
  return [
    ...removed.map((item) => ({ label: `${label} removed`, before: item, after: '' })),
    ...added.map((item) => ({ label: `${label} added`, before: '', after: item })),
  ];
}
