import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Copies the browser scripts from `views/javascripts/` into `public/javascripts/`, from where
 * the app serves them at `/javascripts/app/`. They are plain ES modules that need no compiling.
 * Runs after `npm install`, because `public/` is not in the repository.
 */

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const source = `${projectRoot}views/javascripts`;
const output = `${projectRoot}public/javascripts`;

mkdirSync(output, { recursive: true });
const scripts = readdirSync(source).filter((name) => name.endsWith('.js'));
for (const name of scripts) {
  copyFileSync(`${source}/${name}`, `${output}/${name}`);
}
console.log(`Copied ${scripts.length} scripts to ${output}`);
