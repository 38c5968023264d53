import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileStylesheet } from './compile-stylesheet.js';

/**
 * Compiles the stylesheet into `public/stylesheets/application.css`.
 * Runs after `npm install` and before `npm start`, because `public/` is not in the repository.
 */

const output = fileURLToPath(new URL('../public/stylesheets/application.css', import.meta.url));

const started = performance.now();
const css = compileStylesheet();

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, css);
const elapsed = Math.round(performance.now() - started);
console.log(`Wrote ${output} (${css.length} characters) in ${elapsed} ms`);
