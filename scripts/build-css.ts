import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

/**
 * Compiles the stylesheet: govuk-frontend's Sass with our own font stack, plus the few
 * `app-` rules the pages need, into `public/stylesheets/application.css`.
 * Runs after `npm install` and before `npm start`, because `public/` is not in the repository.
 */

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const entry = `${projectRoot}views/styles/application.scss`;
const output = `${projectRoot}public/stylesheets/application.css`;

const started = performance.now();
const result = sass.compile(entry, {
  loadPaths: [`${projectRoot}node_modules/govuk-frontend/dist`],
  style: 'compressed',
  // govuk-frontend 5 still uses `@import` and global functions that Dart Sass deprecates;
  // those warnings are about the dependency, not our code.
  quietDeps: true,
});

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, result.css);
const elapsed = Math.round(performance.now() - started);
console.log(`Wrote ${output} (${result.css.length} characters) in ${elapsed} ms`);
