/**
 * Reads fields from a parsed form body, URL-encoded or multipart. Both parsers give a field
 * sent once as a string and a field sent several times (ticked checkboxes) as a list.
 */
import { z } from 'zod';

const fieldValue = z.union([z.string(), z.array(z.string())]);

/**
 * Returns a single-value field as typed. Returns the empty string when the field is missing,
 * is a file, or was sent more than once, which a form of ours never does.
 */
export function formText(body: unknown, name: string): string {
  const value = fieldOf(body, name);
  return typeof value === 'string' ? value : '';
}

/** Returns every value of a field that may be sent several times, such as checkboxes. */
export function formList(body: unknown, name: string): string[] {
  const value = fieldOf(body, name);
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function fieldOf(body: unknown, name: string): string | string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const parsed = fieldValue.safeParse((body as Record<string, unknown>)[name]);
  return parsed.success ? parsed.data : undefined;
}
