import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The stylesheet's Sass entry point. */
export const STYLESHEET_ENTRY = `${projectRoot}views/styles/application.scss`;

/**
 * Compiles the stylesheet, govuk-frontend's Sass with our own font stack plus the `app-` rules
 * and print rules the pages need, and returns the compressed CSS. Throws sass's exception,
 * which names the file and line, when the Sass does not compile.
 */
export function compileStylesheet(): string {
  const result = sass.compile(STYLESHEET_ENTRY, {
    loadPaths: [`${projectRoot}node_modules/govuk-frontend/dist`],
    style: 'compressed',
    // govuk-frontend 5 still uses `@import` and global functions that Dart Sass deprecates;
    // those warnings are about the dependency, not our code.
    quietDeps: true,
  });
  return result.css;
}
