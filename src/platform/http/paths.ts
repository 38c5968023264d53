import { fileURLToPath } from 'node:url';

// Resolved from this file rather than the working directory, so the app starts from any folder.
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Nunjucks templates and the Sass entry point. */
export const VIEWS_DIR = `${projectRoot}views`;

/** Files built by `npm run build:css` and `npm run build:js`; not in the repository. */
export const PUBLIC_DIR = `${projectRoot}public`;

/** govuk-frontend's published templates, Sass, scripts and assets. */
export const GOVUK_FRONTEND_DIR = `${projectRoot}node_modules/govuk-frontend/dist`;
