import formbody from '@fastify/formbody';
import multipart, { type MultipartFile } from '@fastify/multipart';
import fp from 'fastify-plugin';

export interface FormsOptions {
  /** Largest file accepted in a multipart form, in bytes; a larger one fails with status 413. */
  maxUploadBytes: number;
}

/** A file from a multipart form, as routes see it in `request.body`. */
export interface UploadedFile {
  /** The name the browser sent; empty when the user chose no file. */
  fileName: string;
  content: Buffer;
}

/**
 * Parses HTML form posts: URL-encoded bodies, and multipart bodies with at most one file.
 * Multipart fields are attached to `request.body` as strings and the file as an
 * `UploadedFile`, so the CSRF check reads the token from the body in either encoding.
 */
export const forms = fp(
  async (app, { maxUploadBytes }: FormsOptions) => {
    await app.register(formbody);
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      onFile: readUploadedFile,
      limits: {
        fileSize: maxUploadBytes,
        files: 1,
        fields: 20,
        fieldSize: 64 * 1024,
        parts: 21,
      },
    });
  },
  { name: 'forms' },
);

async function readUploadedFile(part: MultipartFile): Promise<void> {
  const upload: UploadedFile = { fileName: part.filename, content: await part.toBuffer() };
  part.value = upload;
}

/** Returns the uploaded file in a form field, or null when the field contains no file. */
export function uploadedFile(value: unknown): UploadedFile | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Partial<UploadedFile>;
  if (typeof candidate.fileName !== 'string' || !Buffer.isBuffer(candidate.content)) return null;
  return { fileName: candidate.fileName, content: candidate.content };
}
